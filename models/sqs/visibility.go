package sqs

import (
	"errors"
	"fmt"
	"time"

	"msgsim/models/core"
)

// Errors of ChangeVisibility.
var (
	ErrStaleHandle   = errors.New("sqs: receipt handle is not the latest, or the message is gone")
	ErrNotInFlight   = errors.New("sqs: message is not in flight")
	ErrVisibilityMax = errors.New("sqs: visibility timeout beyond the 12 h budget since the receive")
)

// visibilityExpired returns an in-flight message to the visible messages: a failed receive
// (§1.2). On a standard queue a message received ≥ 3 times goes to the back (note 6).
func (q *Queue) visibilityExpired(s int32, receipt uint32) {
	r := &q.recs[s]
	if r.state != stInFlight || r.receipt != receipt {
		return // deleted, expired or received again since (the timer was cancelled)
	}
	if q.w.Tracing() {
		q.w.Tracef(q.id, r.msg, "visibility timeout expired (receive %d): visible again", r.recvCount)
	}
	q.returnVisible(s)
	q.serveWaiters()
}

// returnVisible makes in-flight record s visible again.
func (q *Queue) returnVisible(s int32) {
	r := &q.recs[s]
	q.reclaims++ // see respond
	q.addInFlight(-1)
	r.state = stVisible
	r.since = q.w.Now()
	q.addVisible(1)
	if q.fifo != nil {
		q.fifo.returned(s) // it kept its place at the head of its group
		return
	}
	q.placePart(r)
	if r.recvCount >= 3 && (q.cfg.DLQ == nil || q.cfg.MaxReceiveCount > 3) {
		r.seq = q.nextSeq // behind every visible message (and every message sent so far)
		q.nextSeq++
		if r.flags&flExcluded == 0 {
			r.flags |= flExcluded
			q.ageLive--
			q.heapClock(s, r) // the age ring drops its entry, which held its retention clock
		}
	}
	q.pushVisible(s, r)
}

// lookup returns the record of a handle if the handle is the message's latest one.
func (q *Queue) lookup(h Handle) (*record, bool) {
	if h.slot < 0 || int(h.slot) >= len(q.recs) || h.receipt == 0 {
		return nil, false
	}
	r := &q.recs[h.slot]
	if r.state == stFree || r.receipt != h.receipt {
		return nil, false
	}
	return r, true
}

// ChangeVisibility is ChangeMessageVisibility (§1.2): the message becomes visible d from
// now (d = 0: at once). The handle must be the latest and the message in flight; the total
// visibility since the receive may not pass 12 h — a longer request is rejected, not
// clipped. The next receive uses the queue's (or request's) timeout again.
func (q *Queue) ChangeVisibility(h Handle, d time.Duration) error {
	q.m.requests.Inc()
	r, ok := q.lookup(h)
	if !ok {
		return ErrStaleHandle
	}
	if r.state != stInFlight {
		return ErrNotInFlight
	}
	if d < 0 || d > MaxVisibilityTimeout {
		return fmt.Errorf("sqs: visibility timeout %v is out of range 0s..12h", d)
	}
	now := q.w.Now()
	if now-r.since+d > MaxVisibilityTimeout {
		return ErrVisibilityMax
	}
	q.stopVisibility(h.slot, r)
	if q.w.Tracing() {
		q.w.Tracef(q.id, r.msg, "visibility changed: visible again at %.3f s", (now + d).Seconds())
	}
	if d == 0 {
		q.returnVisible(h.slot)
		q.serveWaiters()
		return nil
	}
	r.flags |= flOwnTimer
	q.cold[h.slot].timer = q.w.Eng.AfterTimer(d, q.h, evVisibility, int64(h.slot), int64(r.receipt))
	return nil
}

// Delete is DeleteMessage: the queue finishes the message with w.Consume(m, by, sink) and
// reports true. A handle that is not the latest is a no-op (standard: the call succeeds
// but the message stays, §1.2; FIFO: the call fails) and reports false. On a FIFO queue the
// message must still be in flight (a handle whose visibility expired fails, §2.4); on a
// standard queue the latest handle deletes the message even after its visibility expired.
func (q *Queue) Delete(h Handle, by core.ComponentID, sink bool) bool {
	q.m.requests.Inc()
	return q.delete(h, by, sink)
}

// DeleteBatch is DeleteMessageBatch: up to 10 handles per billed request. It returns how
// many messages were deleted.
func (q *Queue) DeleteBatch(hs []Handle, by core.ComponentID, sink bool) int {
	q.m.requests.Add(uint64((len(hs) + MaxBatch - 1) / MaxBatch))
	n := 0
	for _, h := range hs {
		if q.delete(h, by, sink) {
			n++
		}
	}
	return n
}

func (q *Queue) delete(h Handle, by core.ComponentID, sink bool) bool {
	r, ok := q.lookup(h)
	if !ok {
		return false
	}
	if r.state != stInFlight && (q.fifo != nil || r.state != stVisible) {
		return false
	}
	wasInFlight := r.state == stInFlight
	if q.w.Tracing() {
		q.w.Tracef(q.id, r.msg, "deleted by %s after %d receive(s)", componentName(q.w, by), r.recvCount)
	}
	if q.fifo != nil {
		q.fifo.finished(h.slot)
	}
	q.unlink(h.slot, r)
	m := r.msg
	if q.fifo == nil && q.cfg.DuplicateProbability > 0 && r.flags&flDupCopy == 0 &&
		q.rng.Float64() < q.cfg.DuplicateProbability {
		q.duplicate(h.slot)
		r = &q.recs[h.slot] // the copy's alloc may have moved the slab
	}
	q.release(h.slot, r)
	q.m.deleted.Inc()
	q.w.Consume(m, by, sink)
	if wasInFlight && (q.fifo != nil || q.nInFlight == q.cfg.InFlightLimit-1) {
		q.serveWaiters() // a FIFO group may be unblocked, or the in-flight cap freed
	}
	return true
}

// duplicate makes the copy of a deleted standard message that reappears one visibility
// timeout later (note 1). The copy is a new message in the ledger (w.Derive) that keeps
// the original's order, enqueue time (retention clock) and receive count.
func (q *Queue) duplicate(s int32) {
	orig := q.recs[s]
	c := q.w.Derive(orig.msg)
	cs, r := q.alloc(c, q.w.Msg(c).Size)
	r.flags = flDupCopy | flPart
	r.seq, r.sendSeq = orig.sendSeq, orig.sendSeq
	r.enqueued = orig.enqueued
	r.recvCount = orig.recvCount
	r.part = orig.part // the original's partition, which it may not have been given yet
	if orig.flags&flPart == 0 {
		r.part = q.partitionOf(orig.msg)
	}
	if q.w.Tracing() {
		q.w.Tracef(q.id, c, "a duplicate copy stays behind (at-least-once delivery); visible at %.3f s",
			(q.w.Now() + q.cfg.VisibilityTimeout).Seconds())
	}
	q.trackExpiry(cs, r)
	q.delay(cs, q.w.Now()+q.cfg.VisibilityTimeout)
}
