package sqs

import (
	"time"

	"msgsim/models/core"
)

// Deliver is SendMessage (core.Target) with the queue's DelaySeconds. On OK the queue owns
// m; Throttled (FIFO send quota) and Rejected (too large, or a FIFO message without a group
// or deduplication id) leave it with the sender. A FIFO duplicate within the
// deduplication interval is accepted (OK) but not enqueued: the queue finishes it as
// "deduplicated" (§2.3).
func (q *Queue) Deliver(m core.MsgID) core.Status { return q.send(m, q.cfg.Delay, false) }

// SendWithDelay is SendMessage with a per-message DelaySeconds ("message timer", 0–15 min),
// which overrides the queue's. FIFO queues do not allow per-message delays (§2.1): the
// send is Rejected.
func (q *Queue) SendWithDelay(m core.MsgID, delay time.Duration) core.Status {
	if q.cfg.FIFO || delay < 0 || delay > MaxDelay {
		q.m.rejected.Inc()
		if q.w.Tracing() {
			q.w.Tracef(q.id, m, "send rejected: a per-message delay of %v is not allowed here", delay)
		}
		return core.Rejected
	}
	return q.send(m, delay, false)
}

// send enqueues one message: a lone SendMessage, or one entry of a SendMessageBatch
// (batched), whose call was already validated, billed and counted against the FIFO quota
// by SendBatch. Everything per message — size limit, FIFO group and deduplication rules,
// enqueueing — is shared by both.
func (q *Queue) send(m core.MsgID, delay time.Duration, batched bool) core.Status {
	msg := q.w.Msg(m)
	size := msg.Size
	if size > q.cfg.MaxMessageSize {
		if !batched {
			q.m.requests.Inc()
		}
		q.m.rejected.Inc()
		if q.w.Tracing() {
			q.w.Tracef(q.id, m, "send rejected: %d bytes is over the %d-byte message size limit", size, q.cfg.MaxMessageSize)
		}
		return core.Rejected
	}
	if q.fifo != nil {
		if st, done := q.fifo.admit(m, batched); done {
			return st
		}
	}
	if !batched {
		q.m.requests.Add(chunks(int64(size)))
	}
	q.m.sent.Inc()
	if q.cfg.Sink {
		q.w.Arrive(m, q.id)
	}
	msg.Entered = q.w.Now() // msg is still valid: nothing above makes a message
	s, r := q.alloc(m, size)
	if q.cfg.DeadLetterQueue {
		r.flags |= flDead
		q.nDead++
	}
	r.seq = q.nextSeq
	r.sendSeq = q.nextSeq
	q.nextSeq++
	q.trackExpiry(s, r)
	if delay > 0 {
		if q.w.Tracing() {
			q.w.Tracef(q.id, m, "sent; delayed until %.3f s", (q.w.Now() + delay).Seconds())
		}
		q.delay(s, q.w.Now()+delay)
		return core.OK
	}
	if q.w.Tracing() {
		q.w.Tracef(q.id, m, "sent; visible now (%d visible)", q.nVisible+1)
	}
	q.enqueueVisible(s, r)
	return core.OK
}

// enqueueVisible makes record r (slot s), just enqueued, visible and serves the waiting
// long polls. On a standard queue with no visible message and a long poll that can take
// one, the message goes straight to that poll (handOver): the common case at steady load,
// where receivers wait for each message (e-commerce at 1,000 orders/s: 85% of sends over
// 10 simulated minutes; 43% in BenchmarkZZProf1m's first minute, while payment-queue's
// backlog builds up).
func (q *Queue) enqueueVisible(s int32, r *record) {
	if q.fifo == nil && q.nVisible == 0 && q.nWaiting > 0 && q.nInFlight < q.cfg.InFlightLimit {
		r.state = stVisible
		r.since = q.w.Now()
		q.addVisible(1)
		q.handOver(s, r)
		return
	}
	q.makeVisible(s, r)
	q.serveWaiters()
}

// delay holds record s until time at.
func (q *Queue) delay(s int32, at time.Duration) {
	q.recs[s].state = stDelayed
	q.addDelayed(1)
	q.delayed.push(s, uint64(at))
	if !q.w.Eng.Active(q.delayTimer) || at < q.delayAt {
		q.w.Eng.Cancel(q.delayTimer)
		q.delayAt = at
		q.delayTimer = q.w.Eng.AfterTimer(at-q.w.Now(), q.h, evDelay, 0, 0)
	}
}

// delaySweep makes every due delayed message visible and waits for the next one.
func (q *Queue) delaySweep() {
	now := q.w.Now()
	moved := false
	for {
		it, ok := q.delayed.min()
		if !ok {
			break
		}
		if time.Duration(it.key) > now {
			q.delayAt = time.Duration(it.key)
			q.delayTimer = q.w.Eng.AfterTimer(q.delayAt-now, q.h, evDelay, 0, 0)
			break
		}
		q.delayed.popMin()
		q.addDelayed(-1)
		if q.w.Tracing() {
			q.w.Tracef(q.id, q.recs[it.slot].msg, "delay over; visible now")
		}
		q.makeVisible(it.slot, &q.recs[it.slot])
		moved = true
	}
	if moved {
		q.serveWaiters()
	}
}

// makeVisible puts record r (slot s) among the visible messages at its place in the order.
func (q *Queue) makeVisible(s int32, r *record) {
	r.state = stVisible
	r.since = q.w.Now()
	q.addVisible(1)
	if q.fifo != nil {
		q.fifo.appendVisible(s)
		return
	}
	q.placePart(r)
	q.pushVisible(s, r)
}

// partitionOf is the virtual partition of a standard message (note 2): a stable hash of
// its trace id and message id, so copies of one produced message spread independently.
func (q *Queue) partitionOf(m core.MsgID) uint8 {
	return uint8(core.Spread(mix(q.w.Msg(m).Trace^uint64(m)<<40), len(q.parts)))
}

// placePart gives standard record r its partition before its first push into one. A
// message handed straight to a waiting long poll (handOver) never enters a partition
// unless it returns to visible, so the hash, and the read of the message it needs, is
// made only then (BenchmarkZZProf1m: ~35 instructions a send).
func (q *Queue) placePart(r *record) {
	if r.flags&flPart == 0 {
		r.part = q.partitionOf(r.msg)
		r.flags |= flPart
	}
}
