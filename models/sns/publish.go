package sns

import (
	"time"

	"msgsim/models/core"
)

// Deliver is Publish (§3.2). It refuses a message over 256 KiB, and on a FIFO topic one
// without a message group or without a deduplication id (explicit, or content-based when
// enabled) with core.Rejected; over the publish quota it returns core.Throttled and the
// publisher keeps the message. A FIFO duplicate inside the 5-minute window is accepted and
// dropped ("deduplicated"). Otherwise the message is fanned out: every subscription whose
// filter policy matches gets its own copy (World.Derive), and the published message is
// consumed by the topic.
func (t *Topic) Deliver(m core.MsgID) core.Status {
	now := t.w.Now()
	msg := t.w.Msg(m)
	size := msg.Size
	if size > MaxMessageBytes {
		t.m.rejected.Inc()
		if t.w.Tracing() {
			t.w.Tracef(t.id, m, "publish rejected: %d bytes is over the %d-byte limit", size, MaxMessageBytes)
		}
		return core.Rejected
	}
	var dedupID uint64
	if t.cfg.FIFO {
		dedupID = msg.Dedup
		if dedupID == 0 && t.cfg.ContentBasedDedup {
			dedupID = msg.Trace
		}
		if msg.Group == core.NoGroup || dedupID == 0 {
			t.m.rejected.Inc()
			if t.w.Tracing() {
				t.w.Tracef(t.id, m, "publish rejected: a FIFO topic needs a message group id and a deduplication id")
			}
			return core.Rejected
		}
		if !admits(&t.bucket, now) || !t.groups.admits(msg.Group, now) {
			t.m.throttled.Inc()
			if t.w.Tracing() {
				t.w.Tracef(t.id, m, "publish throttled: over the publish quota")
			}
			return core.Throttled
		}
		t.groups.take(msg.Group, now)
	} else if !admits(&t.bucket, now) {
		t.m.throttled.Inc()
		if t.w.Tracing() {
			t.w.Tracef(t.id, m, "publish throttled: over the publish quota")
		}
		return core.Throttled
	}
	t.bucket.Spend(1) // brought up to now by admits above
	t.m.requests.Add(chunks(size))
	if t.cfg.FIFO {
		scope := int32(dedupTopicScope)
		if t.groupDedup {
			scope = msg.Group
		}
		if t.dedup.seen(dedupKey{group: scope, id: dedupID}, now) {
			t.m.deduped.Inc()
			if t.w.Tracing() {
				t.w.Tracef(t.id, m, "deduplicated: the same deduplication id was published less than 5 minutes ago")
			}
			t.w.Drop(m, t.drops.dedup)
			return core.OK
		}
	}
	t.m.published.Inc()
	t.m.publishSize.Add(uint64(size))
	if t.w.Tracing() {
		t.w.Tracef(t.id, m, "published; fanning out to %d subscription(s)", len(t.subs))
	}
	t.fanOut(m, dedupID)
	return core.OK
}

// fanOut derives one copy per matching subscription, starts its delivery, and consumes the
// published message. On a FIFO topic each copy carries the publish's deduplication id
// (explicit or content-based), as SNS passes it on to the FIFO queue.
func (t *Topic) fanOut(m core.MsgID, dedupID uint64) {
	t.render.reset(m)
	matched := 0
	for i := range t.subs {
		s := &t.subs[i]
		if s.policy != nil {
			ok, noAttrs, invalid := t.render.match(s.policy)
			if !ok {
				t.m.filtered.Inc()
				if t.w.Tracing() {
					t.w.Tracef(t.id, m, "filtered out for subscription %s: its filter policy does not match", t.subName(int32(i)))
				}
				if noAttrs {
					t.m.filteredNoAttrs.Inc()
				}
				if invalid {
					t.m.filteredInvalid.Inc()
				}
				continue
			}
		}
		c := t.w.Derive(m)
		cm := t.w.Msg(c)
		cm.Size += s.extra
		if t.cfg.FIFO {
			cm.Dedup = dedupID
		}
		t.start(c, int32(i))
		matched++
	}
	if matched == 0 {
		t.m.noMatch.Inc()
	}
	t.w.Consume(m, t.id, false)
}

// admits reports whether bucket b has a token now, without taking it (the same rounding
// allowance as TokenBucket.Take).
func admits(b *core.TokenBucket, now time.Duration) bool { return b.Tokens(now)+1e-9 >= 1 }
