package sqs

import "time"

// Retention (§1.2, note 4): a message expires MessageRetentionPeriod after its enqueue time
// in any state — delayed, visible or in flight — and is dropped with the counted reason
// "expired". Every held message is in an indexed heap keyed by its expiry time; one sweep
// event is pending at the earliest expiry, so expiry is exact to the nanosecond, no event is
// scheduled per message, and a deleted message leaves the heap at once (memory follows the
// messages held, not the run length). When the earliest message is deleted the sweep fires
// for nothing and re-arms at the new earliest expiry: at most about one spare event per
// retention period.

// trackExpiry adds record s to the expiry heap, using its enqueued time.
func (q *Queue) trackExpiry(s int32) {
	at := q.recs[s].enqueued + q.cfg.Retention
	q.expiry.push(s, uint64(max(at, 0)))
	if !q.w.Eng.Active(q.expTimer) || at < q.expAt {
		q.w.Eng.Cancel(q.expTimer)
		q.expAt = max(at, q.w.Now())
		q.expTimer = q.w.Eng.AfterTimer(q.expAt-q.w.Now(), q.h, evExpiry, 0, 0)
	}
}

// expirySweep expires every due message and re-arms at the next expiry.
func (q *Queue) expirySweep() {
	now := q.w.Now()
	freed := false
	for {
		it, ok := q.expiry.min()
		if !ok {
			return
		}
		if time.Duration(it.key) > now {
			q.expAt = time.Duration(it.key)
			q.expTimer = q.w.Eng.AfterTimer(q.expAt-now, q.h, evExpiry, 0, 0)
			break
		}
		freed = q.expire(it.slot) || freed
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
	q.unlink(s)
	m := r.msg
	q.release(s)
	q.m.expired.Inc()
	q.w.Drop(m, q.m.dropExpired)
	return wasInFlight
}

// unlink takes record s out of the structure of its state (visible heap or group list,
// delayed heap, visibility timer), adjusting the counts. The record stays allocated.
func (q *Queue) unlink(s int32) {
	r := &q.recs[s]
	switch r.state {
	case stDelayed:
		q.delayed.remove(s)
		q.addDelayed(-1)
	case stVisible:
		if q.fifo == nil {
			q.parts[r.part].remove(s)
		}
		q.addVisible(-1)
	case stInFlight:
		q.w.Eng.Cancel(r.timer)
		q.addInFlight(-1)
	}
	if q.fifo != nil && r.group >= 0 {
		q.fifo.unlinkFromGroup(s)
	}
}
