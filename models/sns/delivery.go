package sns

import (
	"time"

	"msgsim/models/core"
	"msgsim/sim"
)

// delivery is one copy on its way to one subscription: the attempts made so far and, on a
// FIFO topic, its place in its (subscription, message group) lane. Records live in a slab
// with a free list; a token names the record and its generation.
type delivery struct {
	msg     core.MsgID
	sub     int32
	retries int32 // retries made so far (0 during the first attempt)
	gen     uint32
	lane    int32         // FIFO lane, or -1
	next    int32         // next queued record in the lane, or -1
	due     time.Duration // FIFO: planned arrival of the first attempt
}

// Token layout: record slot << 33 | generation << 1 | 1 for a send to the DLQ.
func token(slot int32, gen uint32, dlq bool) int64 {
	t := int64(slot)<<33 | int64(gen)<<1
	if dlq {
		t |= 1
	}
	return t
}

func untoken(tok int64) (slot int32, gen uint32, dlq bool) {
	return int32(tok >> 33), uint32(tok>>1) & 0xffffffff, tok&1 == 1
}

func (t *Topic) alloc(m core.MsgID, s int32) int32 {
	var slot int32
	if n := len(t.freeSlots); n > 0 {
		slot = t.freeSlots[n-1]
		t.freeSlots = t.freeSlots[:n-1]
	} else {
		t.deliveries = append(t.deliveries, delivery{})
		slot = int32(len(t.deliveries) - 1)
	}
	d := &t.deliveries[slot]
	*d = delivery{msg: m, sub: s, gen: d.gen + 1, lane: -1, next: -1}
	return slot
}

func (t *Topic) free(slot int32) {
	t.deliveries[slot].gen++
	t.deliveries[slot].msg = core.NoMsg
	t.freeSlots = append(t.freeSlots, slot)
}

// start begins delivering copy m to subscription s: at once on a standard topic; on a FIFO
// topic through the copy's lane, so that copies of one group reach the subscription in
// publish order even when one of them needs retries.
func (t *Topic) start(m core.MsgID, s int32) {
	slot := t.alloc(m, s)
	lat := sim.SampleDuration(t.subs[s].latency, t.rng)
	if !t.cfg.FIFO {
		t.send(slot, lat)
		return
	}
	t.enterLane(slot, t.w.Msg(m).Group, lat)
}

// send makes a delivery attempt that reaches the target after lat, or later if the
// subscription's throttle policy spaces arrivals.
func (t *Topic) send(slot int32, lat time.Duration) {
	d := &t.deliveries[slot]
	s := &t.subs[d.sub]
	if s.pace > 0 {
		now := t.w.Now()
		at := max(now+lat, s.nextAt)
		s.nextAt = at + s.pace
		lat = at - now
	}
	t.w.Send(d.msg, s.target, lat, t.id, token(slot, d.gen, false))
}

// Done hears how a delivery attempt or a redrive to the DLQ ended (core.Requester).
// Server-side failures (Failed, Throttled, TimedOut) are retried by the subscription's
// policy; a client-side failure (Rejected) is not (§3.4). A copy that fails for good goes to
// the subscription's DLQ if it has one, else it is dropped with a counted reason.
func (t *Topic) Done(tok int64, st core.Status) {
	slot, gen, dlq := untoken(tok)
	d := &t.deliveries[slot]
	if d.gen != gen {
		return // cannot happen: a record is freed only after its last send returned
	}
	if dlq {
		if st == core.OK {
			if t.w.Tracing() {
				t.w.Tracef(t.id, d.msg, "redriven to DLQ %s", t.w.Component(t.subs[d.sub].DLQ).Name())
			}
			t.m.redriven.Inc()
			t.w.Ledger.DeadLettered++
		} else {
			t.m.redriveFailed.Inc()
			t.w.Drop(d.msg, t.drops.redrive)
		}
		t.free(slot)
		return
	}
	s := &t.subs[d.sub]
	if st == core.OK {
		if t.w.Tracing() {
			t.w.Tracef(t.id, d.msg, "delivered to subscription %s", t.subName(d.sub))
		}
		t.m.delivered.Inc()
		if s.billed != nil {
			s.billed.Add(chunks(t.w.Msg(d.msg).Size))
		}
		t.m.notificationLatency.Record(core.Since(t.w.Now(), t.w.Msg(d.msg).Entered))
		t.leaveLane(slot)
		t.free(slot)
		return
	}
	if st != core.Rejected && int(d.retries) < s.retry.Retries {
		d.retries++
		t.m.retries.Inc()
		t.held++
		delay := t.jitter(s.retry.Delay(int(d.retries)))
		if t.w.Tracing() {
			t.w.Tracef(t.id, d.msg, "delivery to %s %s; retry %d in %.3f s", t.subName(d.sub), st, d.retries, delay.Seconds())
		}
		t.w.Eng.After(delay, t.h, evRetry, int64(slot), int64(d.gen))
		return
	}
	if t.w.Tracing() {
		t.w.Tracef(t.id, d.msg, "delivery to %s %s; giving up after %d retries", t.subName(d.sub), st, d.retries)
	}
	t.m.failed.Inc()
	t.leaveLane(slot)
	if s.DLQ != core.None {
		t.w.Send(d.msg, s.DLQ, t.w.SendLatency(s.DLQ, t.rng), t.id, token(slot, d.gen, true))
		return
	}
	k := t.drops.exhausted
	if st == core.Rejected {
		k = t.drops.client
	}
	t.w.Drop(d.msg, k)
	t.free(slot)
}

// jitter spreads a retry delay uniformly over ±Jitter of itself (note 12).
func (t *Topic) jitter(d time.Duration) time.Duration {
	if t.cfg.Jitter == 0 || d == 0 {
		return d
	}
	f := 1 + t.cfg.Jitter*(2*t.rng.Float64()-1)
	return time.Duration(float64(d) * f)
}

// retryNow makes the next attempt of a copy whose retry delay has passed.
func (t *Topic) retryNow(slot int32, gen uint32) {
	if t.deliveries[slot].gen != gen {
		return
	}
	t.held--
	t.send(slot, sim.SampleDuration(t.subs[t.deliveries[slot].sub].latency, t.rng))
}

// subName names subscription s in narration: its target and protocol ("warehouse (sqs)").
func (t *Topic) subName(s int32) string {
	sb := &t.subs[s]
	return t.w.Component(sb.Target).Name() + " (" + sb.Protocol + ")"
}
