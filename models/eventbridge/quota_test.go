package eventbridge

import (
	"testing"
	"time"

	"msgsim/models/core"
)

// The PutEvents quota is a token bucket: over any prefix [0, t] of a run it admits at
// most burst + rate·t entries, and an offered load far above the rate gets exactly that
// many (rounded down: tokens are whole entries).
func TestPutEventsThrottlingAdmitsRateTimesTPlusBurst(t *testing.T) {
	const rate, burst = 100.0, 50.0
	w := newWorld(time.Minute)
	e := newEmitter(w, "p")
	sink := newFake(w, "sink")
	sink.consume = true
	b := mustBus(t, w, Config{Name: "bus", PutEventsRate: rate, PutEventsBurst: burst, DeliveryLatency: fixed(0),
		Rules: []Rule{{Name: "r", Pattern: `{"source":["p"]}`, Targets: []Target{NewTarget(sink.id)}}}})
	e.to = b.ID()
	const offers = 2000 // one every ms for 2 s: 1,000/s, ten times the rate
	for i := 0; i < offers; i++ {
		e.at(time.Duration(i)*time.Millisecond, 10)
	}
	run(t, w)
	admitted := 0
	for i, st := range e.status {
		if st == core.OK {
			admitted++
		}
		at := float64(i) / 1000
		if limit := burst + rate*at; float64(admitted) > limit+1e-9 {
			t.Fatalf("by %.3f s admitted %d > burst + rate·t = %.1f", at, admitted, limit)
		}
	}
	last := float64(offers-1) / 1000
	if want := int(burst + rate*last); admitted != want {
		t.Errorf("admitted %d, want ⌊burst + rate·t⌋ = %d", admitted, want)
	}
	if got := counter(t, w, "bus", "ThrottledRules"); got != uint64(offers-admitted) {
		t.Errorf("ThrottledRules = %d, want %d", got, offers-admitted)
	}
	if got := len(sink.log); got != admitted {
		t.Errorf("delivered %d, want every admitted entry (%d)", got, admitted)
	}
	conserve(t, w)
}

// The invocation quota delays invocations and drops none: with 10/s and a burst of 10,
// 50 simultaneous events start at once (10), then one every 100 ms, in FIFO order.
func TestInvocationQuotaDelaysButDoesNotDrop(t *testing.T) {
	w := newWorld(time.Minute)
	e := newEmitter(w, "p")
	sink := newFake(w, "sink")
	b := mustBus(t, w, Config{Name: "bus", InvocationRate: 10, DeliveryLatency: fixed(0),
		Rules: []Rule{{Name: "r", Pattern: `{"source":["p"]}`, Targets: []Target{NewTarget(sink.id)}}}})
	e.to = b.ID()
	for i := 0; i < 50; i++ {
		e.at(0, 10)
	}
	e.at(2*time.Second, 10) // arrives when a token does: it must still wait its turn
	run(t, w)
	if len(sink.accepted()) != 51 {
		t.Fatalf("delivered %d of 51", len(sink.accepted()))
	}
	for k, d := range sink.log {
		want := time.Duration(0)
		if k >= 10 {
			want = time.Duration(k-9) * 100 * time.Millisecond
		}
		if diff := d.at - want; diff < 0 || diff > time.Microsecond {
			t.Errorf("invocation %d at %v, want %v", k, d.at, want)
		}
		if d.trace != uint64(k+1) {
			t.Errorf("invocation %d is trace %d: the quota must be FIFO", k, d.trace)
		}
	}
	if got := counter(t, w, "bus", "FailedInvocations"); got != 0 {
		t.Errorf("FailedInvocations = %d", got)
	}
	conserve(t, w)
}

// Time spent waiting for the invocation quota counts toward MaximumEventAge: at 1/s, of
// 100 simultaneous events the k-th starts at k s, so those that would start after 60 s
// (k = 61 … 99) fail.
func TestInvocationQuotaWaitCountsTowardAge(t *testing.T) {
	w := newWorld(10 * time.Minute)
	e := newEmitter(w, "p")
	sink := newFake(w, "sink")
	tg := NewTarget(sink.id)
	tg.Retry = &RetryPolicy{MaximumRetryAttempts: 185, MaximumEventAge: time.Minute}
	b := mustBus(t, w, Config{Name: "bus", InvocationRate: 1, DeliveryLatency: fixed(0),
		Rules: []Rule{{Name: "r", Pattern: `{"source":["p"]}`, Targets: []Target{tg}}}})
	e.to = b.ID()
	for i := 0; i < 100; i++ {
		e.at(0, 10)
	}
	run(t, w)
	if got := len(sink.accepted()); got != 61 {
		t.Errorf("delivered %d, want 61 (started at 0 … 60 s)", got)
	}
	if got := counter(t, w, "bus", "FailedInvocations"); got != 39 {
		t.Errorf("FailedInvocations = %d, want 39", got)
	}
	conserve(t, w)
}

// Buses of one Region share the Region's quotas: 2 × 10 simultaneous events share one
// invocation burst of 10, and 2 × 15 simultaneous puts share one PutEvents burst of 20.
func TestBusesShareRegionQuotas(t *testing.T) {
	w := newWorld(time.Minute)
	q := NewQuotas(w, 10, 20, 10)
	sink := newFake(w, "sink")
	var es []*emitter
	for _, name := range []string{"a", "b"} {
		e := newEmitter(w, "p-"+name)
		b := mustBus(t, w, Config{Name: name, Quotas: q, DeliveryLatency: fixed(0),
			Rules: []Rule{{Name: "r", Pattern: `{"version":["0"]}`, Targets: []Target{NewTarget(sink.id)}}}})
		e.to = b.ID()
		for i := 0; i < 15; i++ {
			e.at(0, 10)
		}
		es = append(es, e)
	}
	run(t, w)
	admitted := 0
	for _, e := range es {
		for _, st := range e.status {
			if st == core.OK {
				admitted++
			}
		}
	}
	if admitted != 20 {
		t.Errorf("admitted %d puts, want the shared burst of 20", admitted)
	}
	// 20 invocations at once share a burst of 10: the last starts at 1 s
	last := sink.log[len(sink.log)-1].at
	if n := len(sink.log); n != 20 || last < time.Second-time.Microsecond || last > time.Second+time.Microsecond {
		t.Errorf("deliveries %d, last at %v; want 20, the last at 1 s", n, last)
	}
	conserve(t, w)
}
