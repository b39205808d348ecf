package eventbridge

import (
	"time"

	"msgsim/models/core"
	"msgsim/sim"
)

// invocation is one target copy of an event on its way to the target: queued for the
// invocation quota, in transit, waiting to retry, or on its way to the DLQ (§4.3).
type invocation struct {
	msg      core.MsgID
	rule     int32
	target   int32
	attempts int32         // attempts started
	born     time.Duration // ingestion time: the origin of the event's age
	gen      uint32
	state    uint8
}

// Invocation states.
const (
	stFree uint8 = iota
	stQueued
	stTransit
	stBackoff
	stDLQ
)

// Reasons for which an invocation fails for good (FailedInvocations), in DropKey order.
const (
	reasonRetries = iota
	reasonAge
	reasonRejected
	reasonDLQRefused
	nDropReasons
)

var dropReasons = [nDropReasons]string{
	"retries exhausted (MaximumRetryAttempts)",
	"event too old (MaximumEventAgeInSeconds)",
	"non-retriable error",
	"dead-letter queue refused",
}

func token(slot int32, gen uint32) int64 { return int64(slot)<<32 | int64(gen) }

func untoken(t int64) (int32, uint32) { return int32(t >> 32), uint32(t) }

// enqueue takes ownership of copy c for target ti of rule ri and submits its first
// attempt to the invocation quota.
func (b *Bus) enqueue(c core.MsgID, ri, ti int32) {
	var slot int32
	if n := len(b.free); n > 0 {
		slot = b.free[n-1]
		b.free = b.free[:n-1]
	} else {
		b.invs = append(b.invs, invocation{})
		slot = int32(len(b.invs) - 1)
	}
	inv := &b.invs[slot]
	inv.msg, inv.rule, inv.target, inv.attempts = c, ri, ti, 0
	inv.born = b.w.Now()
	inv.state = stQueued
	b.held++
	inc(b.rules[ri].m.created, b.m.created)
	b.quota.submit(b, slot, inv.gen)
}

func (b *Bus) release(slot int32) {
	inv := &b.invs[slot]
	inv.state = stFree
	inv.gen++
	inv.msg = core.NoMsg
	b.free = append(b.free, slot)
}

// attempt starts an attempt of invocation slot, admitted by the invocation quota. An
// event older than the target's MaximumEventAge fails instead (the wait for the quota
// counts toward its age).
func (b *Bus) attempt(slot int32, gen uint32) {
	inv := &b.invs[slot]
	if inv.gen != gen || inv.state == stFree {
		return
	}
	r := &b.rules[inv.rule]
	t := &r.targets[inv.target]
	if b.w.Now()-inv.born > t.maxAge {
		b.fail(slot, reasonAge)
		return
	}
	inv.attempts++
	inc(r.m.attempts, b.m.attempts)
	if inv.attempts > 1 {
		inc(r.m.retries, b.m.retries)
	}
	inv.state = stTransit
	b.held--
	if b.w.Tracing() {
		b.w.Tracef(b.id, inv.msg, "rule %s invoking target %s (attempt %d)", r.name, b.w.Component(t.to).Name(), inv.attempts)
	}
	lat := sim.SampleDuration(b.cfg.DeliveryLatency, b.rng)
	b.w.Send(inv.msg, t.to, lat, b.id, token(slot, gen))
}

// Done hears how an attempt or a DLQ send ended (core.Requester).
func (b *Bus) Done(tok int64, st core.Status) {
	slot, gen := untoken(tok)
	if slot < 0 || int(slot) >= len(b.invs) {
		return
	}
	inv := &b.invs[slot]
	if inv.gen != gen {
		return
	}
	r := &b.rules[inv.rule]
	switch inv.state {
	case stTransit:
		if st == core.OK {
			if b.w.Tracing() {
				b.w.Tracef(b.id, inv.msg, "delivered to target %s", b.w.Component(r.targets[inv.target].to).Name())
			}
			inc(r.m.successful, b.m.successful)
			inc(r.m.invocations, b.m.invocations)
			b.m.latency.Record(b.w.Now() - inv.born)
			b.release(slot)
			return
		}
		b.held++ // refused: the copy is back with the bus
		if b.w.Tracing() {
			b.w.Tracef(b.id, inv.msg, "target %s: %s", b.w.Component(r.targets[inv.target].to).Name(), st)
		}
		if st == core.Rejected {
			b.fail(slot, reasonRejected)
			return
		}
		b.retry(slot)
	case stDLQ:
		if st == core.OK {
			inc(r.m.toDLQ, b.m.toDLQ)
			b.w.Ledger.DeadLettered++
			b.release(slot)
			return
		}
		b.held++
		inc(r.m.dlqFailed, b.m.dlqFailed)
		inc(r.m.deadLetter, b.m.deadLetter)
		b.drop(slot, reasonDLQRefused)
	}
}

// retry schedules the next attempt after a retriable failure (throttled, failed, timed
// out) with exponential backoff and full jitter (note 20), or fails the invocation when
// its retries are spent or the next attempt would come after its MaximumEventAge.
func (b *Bus) retry(slot int32) {
	inv := &b.invs[slot]
	t := &b.rules[inv.rule].targets[inv.target]
	k := int(inv.attempts) // this is retry number k
	if k > t.maxRetries {
		b.fail(slot, reasonRetries)
		return
	}
	d := b.backoff(k)
	if b.w.Now()+d-inv.born > t.maxAge {
		b.fail(slot, reasonAge)
		return
	}
	inv.state = stBackoff
	if b.w.Tracing() {
		b.w.Tracef(b.id, inv.msg, "retry %d of target %s in %.3f s", k, b.w.Component(t.to).Name(), d.Seconds())
	}
	b.w.Eng.After(d, b.h, evRetry, int64(slot), int64(inv.gen))
}

// backoff is the wait before retry k (k ≥ 1): uniform in [0, min(cap, base·2^(k-1))], or
// exactly that bound with NoJitter.
func (b *Bus) backoff(k int) time.Duration {
	bo := core.Backoff{Base: b.cfg.RetryBase, Cap: b.cfg.RetryCap}
	if b.cfg.NoJitter {
		return bo.Delay(k, 1)
	}
	return bo.Delay(k, b.rng.Float64())
}

// fail ends an invocation for good (FailedInvocations): to the target's DLQ if it has
// one, otherwise dropped for the counted reason (DeadLetterInvocations).
func (b *Bus) fail(slot int32, reason int) {
	inv := &b.invs[slot]
	r := &b.rules[inv.rule]
	t := &r.targets[inv.target]
	inc(r.m.failed, b.m.failed)
	inc(r.m.invocations, b.m.invocations)
	if t.dlq == core.None {
		inc(r.m.deadLetter, b.m.deadLetter)
		b.drop(slot, reason)
		return
	}
	inv.state = stDLQ
	b.held--
	if b.w.Tracing() {
		b.w.Tracef(b.id, inv.msg, "giving up on target %s: %s; sent to DLQ %s", b.w.Component(t.to).Name(),
			dropReasons[reason], b.w.Component(t.dlq).Name())
	}
	b.w.Send(inv.msg, t.dlq, b.w.SendLatency(t.dlq, b.rng), b.id, token(slot, inv.gen))
}

func (b *Bus) drop(slot int32, reason int) {
	inv := &b.invs[slot]
	b.w.Drop(inv.msg, b.rules[inv.rule].drops[reason])
	b.held--
	b.release(slot)
}
