package sqs

import (
	"slices"
	"time"
)

// Retention (§1.2, note 4): a message expires MessageRetentionPeriod after its enqueue time
// in any state — delayed, visible or in flight — and is dropped with the counted reason
// "expired". One sweep event is pending at the earliest expiry, so expiry is exact to the
// nanosecond and no event is scheduled per message; when the earliest message is deleted
// the sweep fires for nothing and re-arms at the new earliest expiry (at most about one
// spare event per retention period).
//
// The expiries wait in two structures. A message enqueued now (a send, or a move into a
// FIFO DLQ) expires at now + Retention, never before any message tracked earlier, so it
// goes to the back of a FIFO of deadlines (q.retain): O(1), and nothing to do at a delete
// (the entry goes stale: the record's generation moves on) until it reaches the front or
// a compaction. Only a message that keeps an older enqueue time — a dead letter moved into
// a standard DLQ, a duplicate copy (note 1) — can expire before the FIFO's back; it goes to
// the indexed heap q.expiry instead. The earliest expiry is the earlier of the two fronts.
// Messages due at the same instant expire in slot order, as they did when the heap held
// every message, so runs are identical to the nanosecond and in event order.
//
// BenchmarkSQSLambda: the heap's removal at every delete (a sift down ~log2 n levels) was
// ~7% of the CPU profile; the FIFO costs a push per send.

// deadline is one entry of the retention ring q.retain: a record slot, the record's
// generation when the entry was made (a later generation means the message left and the
// entry is stale), and the time the message expires.
type deadline struct {
	at   time.Duration
	slot int32
	tag  uint32
}

// trackExpiry starts the retention clock of record r (slot s) from its enqueued time.
func (q *Queue) trackExpiry(s int32, r *record) {
	at := r.enqueued + q.cfg.Retention
	if q.retain.len() == 0 || at >= q.retain.back().at {
		if q.retain.len() > compactAbove(q.nLive-q.expiry.len()) {
			q.retain.compact(q.retainKeep)
		}
		q.retain.push(deadline{at: at, slot: s, tag: r.gen})
	} else {
		r.flags |= flExpHeap
		q.expiry.push(s, uint64(max(at, 0)))
	}
	if !q.expArmed || at < q.expAt {
		if q.expArmed {
			q.w.Eng.Cancel(q.expTimer)
		}
		q.expAt = max(at, q.w.Now())
		q.expTimer = q.w.Eng.AfterTimer(q.expAt-q.w.Now(), q.h, evExpiry, 0, 0)
		q.expArmed = true
	}
}

// retainValid reports whether a retention entry is still the clock of a held message: the
// record has not been released since (release bumps its generation). The state is not
// checked, so the entry of a message being enqueued (still stFree) is valid too.
func (q *Queue) retainValid(d deadline) bool { return q.recs[d.slot].gen == d.tag }

// nextExpiry returns the earliest expiry time of a held message, dropping stale entries
// at the front of the FIFO on the way.
func (q *Queue) nextExpiry() (time.Duration, bool) {
	for q.retain.len() > 0 && !q.retainValid(q.retain.front()) {
		q.retain.popFront()
	}
	it, inHeap := q.expiry.min()
	switch {
	case q.retain.len() == 0:
		return time.Duration(it.key), inHeap
	case inHeap && time.Duration(it.key) < q.retain.front().at:
		return time.Duration(it.key), true
	}
	return q.retain.front().at, true
}

// oldestStored returns the held message that expires first, ties to the lowest slot (the
// heap's order), or -1 when the queue is empty.
func (q *Queue) oldestStored() int32 {
	at, ok := q.nextExpiry()
	if !ok {
		return -1
	}
	best := int32(-1)
	for i := 0; i < q.retain.len(); i++ {
		d := q.retain.at(i)
		if d.at != at {
			break
		}
		if (best < 0 || d.slot < best) && q.retainValid(d) {
			best = d.slot
		}
	}
	if it, ok := q.expiry.min(); ok && time.Duration(it.key) == at && (best < 0 || it.slot < best) {
		best = it.slot
	}
	return best
}

// expirySweep expires every due message and re-arms at the next expiry.
func (q *Queue) expirySweep() {
	q.expArmed = false // its event is firing
	now := q.w.Now()
	freed := false
	for {
		at, ok := q.nextExpiry()
		if !ok {
			return
		}
		if at > now {
			q.expAt = at
			q.expTimer = q.w.Eng.AfterTimer(q.expAt-now, q.h, evExpiry, 0, 0)
			q.expArmed = true
			break
		}
		// Everything due at this instant, in slot order.
		run := q.expRun[:0]
		for q.retain.len() > 0 && q.retain.front().at == at {
			if d := q.retain.front(); q.retainValid(d) {
				run = append(run, d.slot)
			}
			q.retain.popFront()
		}
		for it, ok := q.expiry.min(); ok && time.Duration(it.key) == at; it, ok = q.expiry.min() {
			run = append(run, q.expiry.popMin())
		}
		slices.Sort(run)
		for _, s := range run {
			freed = q.expire(s) || freed
		}
		q.expRun = run
	}
	if freed {
		q.serveWaiters() // an expired in-flight message may unblock a group or free capacity
	}
}

// expire drops record s as expired, from whatever state it is in. It reports whether an
// in-flight message left (which may make other messages receivable).
func (q *Queue) expire(s int32) bool {
	r := &q.recs[s]
	wasInFlight := r.state == stInFlight
	q.reclaims++ // see respond
	q.unlink(s, r)
	m := r.msg
	if q.w.Tracing() {
		q.w.Tracef(q.id, m, "expired: the %v retention period passed since it was enqueued at %.3f s",
			q.cfg.Retention, r.enqueued.Seconds())
	}
	q.release(s, r)
	q.m.expired.Inc()
	q.w.Drop(m, q.m.dropExpired)
	return wasInFlight
}

// unlink takes record r (slot s) out of the structure of its state (visible partition or
// group list, delayed heap, visibility timer), adjusting the counts. The record stays
// allocated.
func (q *Queue) unlink(s int32, r *record) {
	switch r.state {
	case stDelayed:
		q.delayed.remove(s)
		q.addDelayed(-1)
	case stVisible:
		if q.fifo == nil {
			q.removeVisible(s, r)
		}
		q.addVisible(-1)
	case stInFlight:
		q.stopVisibility(s, r)
		q.addInFlight(-1)
	}
	if q.fifo != nil && q.cold[s].group >= 0 {
		q.fifo.unlinkFromGroup(s)
	}
}
