package sqs

import (
	"time"

	"msgsim/models/core"
)

// FIFO deduplication (§2.3, note 11): a send whose deduplication id (the message's Dedup,
// or its content — the Trace, shared by all copies of one produced message — when
// ContentBasedDedup is on) was accepted less than 5 minutes ago is acknowledged but not
// enqueued. With DedupScope messageGroup the id is scoped to the message group. Ids are
// remembered for 5 minutes whatever became of the message; entries older than that are
// dropped in insertion order, so the table holds at most 5 minutes of sends.

type dedupKey struct {
	id    uint64
	group int32 // -1 with queue scope
}

type dedupEntry struct {
	key dedupKey
	at  time.Duration
}

type dedupTable struct {
	seen  map[dedupKey]time.Duration
	order []dedupEntry // insertion order; order[head:] are live
	head  int
}

func (d *dedupTable) init() { d.seen = make(map[dedupKey]time.Duration) }

// expire forgets ids accepted DedupInterval or more ago.
func (d *dedupTable) expire(now time.Duration) {
	for d.head < len(d.order) && now-d.order[d.head].at >= DedupInterval {
		e := d.order[d.head]
		if t, ok := d.seen[e.key]; ok && t == e.at {
			delete(d.seen, e.key)
		}
		d.head++
	}
	if d.head > 1024 && d.head > len(d.order)/2 {
		n := copy(d.order, d.order[d.head:])
		d.order = d.order[:n]
		d.head = 0
	}
}

// check reports whether key was accepted within the interval; if not, it records it now.
func (d *dedupTable) check(now time.Duration, key dedupKey) bool {
	d.expire(now)
	if _, ok := d.seen[key]; ok {
		return true
	}
	d.seen[key] = now
	d.order = append(d.order, dedupEntry{key: key, at: now})
	return false
}

// Len is the number of remembered ids.
func (d *dedupTable) len() int { return len(d.seen) }

// admit applies the FIFO send rules before a message is enqueued: a message group is
// required (Rejected), so is a deduplication id unless ContentBasedDedup (Rejected); the
// send quota may refuse it (Throttled); a duplicate is acknowledged and finished as
// "deduplicated". done reports that the send ended here with status st. A batch entry
// (batched) was billed and took its quota token with its SendMessageBatch call, so only a
// lone SendMessage bills here and meets the quota.
func (f *fifoState) admit(m core.MsgID, batched bool) (st core.Status, done bool) {
	q := f.q
	msg := q.w.Msg(m)
	now := q.w.Now()
	id := msg.Dedup
	if id == 0 && q.cfg.ContentBasedDedup {
		id = msg.Trace
	}
	if msg.Group == core.NoGroup || id == 0 {
		if !batched {
			q.m.requests.Inc()
		}
		q.m.rejected.Inc()
		if q.w.Tracing() {
			q.w.Tracef(q.id, m, "send rejected: a FIFO message needs a message group id and a deduplication id")
		}
		return core.Rejected, true
	}
	if !batched && !f.quota.take(now, msg.Group) {
		q.m.throttled.Inc()
		if q.w.Tracing() {
			q.w.Tracef(q.id, m, "send throttled: over the FIFO send quota")
		}
		return core.Throttled, true
	}
	key := dedupKey{id: id, group: -1}
	if q.cfg.DedupScope == ScopeMessageGroup {
		key.group = msg.Group
	}
	if f.dedup.check(now, key) {
		if !batched {
			q.m.requests.Add(chunks(int64(msg.Size)))
		}
		q.m.deduplicated.Inc()
		if q.w.Tracing() {
			q.w.Tracef(q.id, m, "deduplicated: the same deduplication id was accepted less than 5 minutes ago")
		}
		q.w.Drop(m, q.m.dropDedup)
		return core.OK, true
	}
	return core.OK, false
}
