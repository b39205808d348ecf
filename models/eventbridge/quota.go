package eventbridge

import (
	"msgsim/models/core"
	"msgsim/sim"
)

// Quotas are an account's EventBridge quotas in one Region (§4.1), which every bus of
// the Region shares: the PutEvents quota (entries/s, a token bucket; over it PutEvents is
// throttled) and the invocation quota.
type Quotas struct {
	putEvents   core.TokenBucket
	Invocations *InvocationQuota
}

// NewQuotas returns the quotas of a Region with the given rates: PutEvents entries/s with
// burst putBurst (0: 1 s of rate), invocations/s with a burst of 1 s. Rates ≤ 0 mean
// unlimited; use PutEventsQuota and InvocationsQuota for a Region's defaults.
func NewQuotas(w *core.World, putRate, putBurst, invocationRate float64) *Quotas {
	return &Quotas{
		putEvents:   core.NewTokenBucket(putRate, putBurst),
		Invocations: NewInvocationQuota(w, invocationRate),
	}
}

// InvocationQuota is the Region-wide target-invocation quota (§4.1, note 21): a token
// bucket of rate invocations/s with a burst of 1 s of rate. An invocation that finds the
// bucket empty is delayed, not dropped: it waits in an unbounded FIFO shared by every bus
// of the Region until a token is available. Its age keeps counting toward the target's
// MaximumEventAge meanwhile.
//
// Buses of one Region share it through Config.Quotas; a bus without them gets its own. The quota holds no messages (the waiting invocations stay owned by
// their buses).
type InvocationQuota struct {
	w      *core.World
	h      sim.HandlerID
	bucket core.TokenBucket
	queue  []pending
	head   int
	armed  bool
}

type pending struct {
	b    *Bus
	slot int32
	gen  uint32
}

// NewInvocationQuota returns a quota of rate invocations/s (≤ 0: unlimited) with a burst
// of 1 s of rate.
func NewInvocationQuota(w *core.World, rate float64) *InvocationQuota {
	q := &InvocationQuota{w: w, bucket: core.NewTokenBucket(rate, rate)}
	q.h = w.Eng.Register(q)
	return q
}

// Waiting is the number of invocations delayed by the quota right now.
func (q *InvocationQuota) Waiting() int { return len(q.queue) - q.head }

// submit asks to start an attempt of invocation slot of bus b: at once when a token is
// free and nobody waits, otherwise in FIFO order as tokens arrive.
func (q *InvocationQuota) submit(b *Bus, slot int32, gen uint32) {
	if q.Waiting() == 0 && q.bucket.Take(q.w.Now(), 1) {
		b.attempt(slot, gen)
		return
	}
	q.queue = append(q.queue, pending{b: b, slot: slot, gen: gen})
	q.arm()
}

func (q *InvocationQuota) arm() {
	if q.armed || q.Waiting() == 0 {
		return
	}
	q.armed = true
	q.w.Eng.After(q.bucket.Wait(q.w.Now(), 1), q.h, 0, 0, 0)
}

// Fire starts the waiting invocations that the tokens now available admit.
func (q *InvocationQuota) Fire(sim.Event) {
	q.armed = false
	now := q.w.Now()
	for q.Waiting() > 0 && q.bucket.Take(now, 1) {
		p := q.queue[q.head]
		q.queue[q.head] = pending{}
		q.head++
		p.b.attempt(p.slot, p.gen)
	}
	if q.head == len(q.queue) {
		q.queue, q.head = q.queue[:0], 0
	} else if q.head > 1024 && q.head*2 > len(q.queue) {
		n := copy(q.queue, q.queue[q.head:])
		q.queue, q.head = q.queue[:n], 0
	}
	q.arm()
}
