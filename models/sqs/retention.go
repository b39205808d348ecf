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
// The expiries wait in two places. A message enqueued on arrival (a send, or a move into
// a FIFO DLQ) expires at arrival + Retention, never before any message that arrived
// earlier, so its clock needs no entry of its own: it is read from the record through the
// entry every arrival already has in the arrivals ring q.age (record.go), which keeps
// arrival order for ApproximateAgeOfOldestMessage. Nothing is done at a delete (the entry
// goes stale: the record's generation moves on). The other messages — one that keeps an
// older enqueue time (a dead letter moved into a standard DLQ, a duplicate copy, note 1),
// and a back-of-queue poison pill, whose ring entry the age metric drops (note 6) — have
// their clock in the indexed heap q.expiry instead (flExpHeap). The earliest expiry is the
// earlier of the heap's minimum and the first clock in the ring. Messages due at the same
// instant expire in slot order, as they did when one heap held every message, so runs are
// identical to the nanosecond and in event order.
//
// BenchmarkSQSLambda: the heap's removal at every delete (a sift down ~log2 n levels) was
// ~7% of the CPU profile. A FIFO of 16-byte deadlines of its own that followed it was
// pushed at every send and, never popped under a 4-day retention, compacted (a record read
// per entry): BenchmarkZZProf (cachegrind, 10 simulated minutes of e-commerce at 1,000
// orders/s), 195 M instructions and 1.3 M L2 misses.

// trackExpiry starts the retention clock of record r (slot s), just allocated, from its
// enqueued time: in the arrivals ring when it is the arrival time, else in the heap.
func (q *Queue) trackExpiry(s int32, r *record) {
	at := r.enqueued + q.cfg.Retention
	if r.enqueued != r.arrived {
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

// heapClock moves the retention clock of record r (slot s), a poison pill just left out
// of the age metric, from the arrivals ring (whose entry the metric will drop) to the heap.
func (q *Queue) heapClock(s int32, r *record) {
	if r.flags&flExpHeap == 0 {
		r.flags |= flExpHeap
		q.expiry.push(s, uint64(max(r.enqueued+q.cfg.Retention, 0)))
	}
}

// ringClock returns the slot of arrivals-ring entry v and whether the entry holds the
// retention clock of a held message: valid for the age metric (ageValid) and not in the
// heap.
func (q *Queue) ringClock(v uint64) (int32, bool) {
	s, gen := unpack(v)
	r := &q.recs[s]
	return s, r.gen == gen && r.state != stFree && r.flags&(flExcluded|flExpHeap) == 0
}

// firstClock returns the index in q.age of the first entry holding a retention clock and
// the time it expires, dropping stale entries at the ring's front on the way (as OldestAge
// does). It steps over the entries of messages whose clock is in the heap (a standard
// DLQ's dead letters, duplicate copies, poison pills) that arrived before the oldest held
// message whose clock is in the ring: few, unless a standard DLQ also takes sends. A FIFO
// queue puts no clock in the heap.
func (q *Queue) firstClock() (int, time.Duration, bool) {
	for q.age.len() > 0 && !q.ageValid(q.age.front()) {
		q.age.popFront()
	}
	if q.nLive == q.expiry.len() {
		return 0, 0, false // every clock is in the heap
	}
	for i := 0; i < q.age.len(); i++ {
		if s, ok := q.ringClock(q.age.at(i)); ok {
			return i, q.recs[s].enqueued + q.cfg.Retention, true
		}
	}
	return 0, 0, false
}

// ringDue appends to run the slots of the messages whose clock is in the arrivals ring and
// expires at at, the earliest expiry, in ring order.
func (q *Queue) ringDue(at time.Duration, run []int32) []int32 {
	i, first, ok := q.firstClock()
	if !ok || first != at {
		return run
	}
	for ; i < q.age.len(); i++ {
		s, ok := q.ringClock(q.age.at(i))
		if !ok {
			continue
		}
		if q.recs[s].enqueued+q.cfg.Retention != at {
			break
		}
		run = append(run, s)
	}
	return run
}

// nextExpiry returns the earliest expiry time of a held message.
func (q *Queue) nextExpiry() (time.Duration, bool) {
	it, inHeap := q.expiry.min()
	if _, at, ok := q.firstClock(); ok && (!inHeap || at <= time.Duration(it.key)) {
		return at, true
	}
	return time.Duration(it.key), inHeap
}

// oldestStored returns the held message that expires first, ties to the lowest slot (the
// heap's order), or -1 when the queue is empty.
func (q *Queue) oldestStored() int32 {
	at, ok := q.nextExpiry()
	if !ok {
		return -1
	}
	best := int32(-1)
	var buf [8]int32 // scratch of its own: q.expRun is the sweep's
	for _, s := range q.ringDue(at, buf[:0]) {
		if best < 0 || s < best {
			best = s
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
		run := q.ringDue(at, q.expRun[:0])
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
