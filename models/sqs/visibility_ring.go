package sqs

import "time"

// Visibility timeouts without one engine event per message.
//
// A message received with the queue's default visibility timeout (the common case: the
// Lambda event source mapping and most consumers never pass their own) times out at
// receive + VisibilityTimeout, so these deadlines come in time order. They are kept in
// q.visTimeouts (core.Timeouts): one engine event is armed for the earliest deadline that
// may still matter, and a message deleted, expired or given its own timeout leaves its
// entry to go stale, dropped without an event when it reaches the front. The engine thus
// holds one event per queue for them, where one per message (or per receive call) kept
// tens of thousands pending at a few hundred receives per second, each popped in the end.
// Due timeouts return their messages one by one, each followed by serving the waiting
// long polls, in receive order (pick order within a receive); among other events of the
// very same nanosecond they all return where the Timeouts' event fires.
//
// A receive with another timeout (ReceiveRequest.Visibility), a timeout of 0, and
// ChangeVisibility keep an engine timer per message (flOwnTimer, recordCold.timer).
//
// BenchmarkSQSLambda (20,000 messages/s, 30 s timeout, ~4 messages per receive), before
// the visibility groups that preceded this: the engine held ≈ 600,000 cancelled timeout
// events at any time and popped 1.11 cancelled events per message.

// startVisibility starts the visibility timeout vis of record r (slot s), just received.
func (q *Queue) startVisibility(s int32, r *record, vis time.Duration) {
	if vis != q.cfg.VisibilityTimeout || vis == 0 {
		r.flags |= flOwnTimer
		q.cold[s].timer = q.w.Eng.AfterTimer(vis, q.h, evVisibility, int64(s), int64(r.receipt))
		return
	}
	r.flags &^= flOwnTimer
	if q.visTimeouts.Len() > compactAbove(q.nInFlight) {
		q.visTimeouts.Compact()
	}
	q.visTimeouts.Add(q.w.Now()+vis, s, r.receipt)
}

// stopVisibility stops the visibility timeout of in-flight record r (deleted, expired,
// or given a new timeout). A group entry needs nothing: it is stale once the message
// leaves the flight or gets its own timer.
func (q *Queue) stopVisibility(s int32, r *record) {
	if r.flags&flOwnTimer != 0 {
		q.w.Eng.Cancel(q.cold[s].timer)
	}
}

// visValid reports whether a default visibility timeout still applies to its message:
// the message is in flight under the receipt of that receive and has no timer of its own.
func (q *Queue) visValid(slot int32, receipt uint32) bool {
	r := &q.recs[slot]
	return r.state == stInFlight && r.receipt == receipt && r.flags&flOwnTimer == 0
}
