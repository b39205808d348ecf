package service

import (
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/models/fault"
	"msgsim/models/producer"
	"msgsim/sim"
)

func TestRateLimitAdmitsRateTimesTPlusBurstAndNoMore(t *testing.T) {
	// 10,000 calls/s offered for 2 s to a limit of 100/s with a burst of 50: a token
	// bucket admits rate × t + burst = 250 (one token arrives every 10 ms, and the offers
	// every 100 µs take each as soon as it exists).
	w := newWorld(3 * time.Second)
	s := mustNew(t, w, Config{Name: "api", Concurrency: Unlimited, Latency: sim.Constant(0.001),
		RateLimit: 100, RateBurst: 50, Target: core.None})
	c := newTimed(w, "c", s.ID(), false)
	c.every("", 0, 100*time.Microsecond, 20001) // 0 .. 2 s inclusive
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if ok, want := c.count(core.OK), 250; ok != want {
		t.Errorf("admitted %d, want %d", ok, want)
	}
	if thr := counter(w, "api", "Throttled"); thr != uint64(20001-250) || c.count(core.Throttled) != int(thr) {
		t.Errorf("throttled %d (replies %d), want %d", thr, c.count(core.Throttled), 20001-250)
	}
	checkConservation(t, w)
}

// errorsSeries returns the per-bucket Errors series of a service.
func errorsSeries(w *core.World, name string) []float64 {
	s := w.Metrics.Find(name, "Errors").Series[0].Series
	out := make([]float64, s.Len())
	for i := range out {
		_, out[i] = s.At(i)
	}
	return out
}

func TestOutageWindowProducesErrorsOnlyInsideIt(t *testing.T) {
	// Poisson requests at 50/s for 30 s, an error outage over [10 s, 20 s), no random
	// errors: the per-second Errors series is zero outside the window and positive in
	// every second inside it (P(no arrival in a second) = e^-50: never).
	for _, mode := range []fault.Mode{fault.ModeError, fault.ModeTimeout} {
		t.Run(mode.String(), func(t *testing.T) {
			w := core.NewWorld(core.Config{Seed: 3, Duration: 30 * time.Second, SampleEvery: time.Second})
			s := mustNew(t, w, Config{Name: "svc", Concurrency: 4, QueueLimit: -1, Latency: sim.Exponential(0.01),
				Target: core.None, OutageTimeout: 2 * time.Second,
				Faults: fault.Config{Outages: []fault.Outage{{From: 10 * time.Second, To: 20 * time.Second, Mode: mode}}}})
			producer.New(w, producer.Config{Name: "p", Target: s.ID(), Arrival: producer.Poisson{PerSecond: 50}})
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			for i, v := range errorsSeries(w, "svc") {
				inside := i >= 10 && i < 20
				if inside != (v > 0) {
					t.Errorf("second %d: %v errors (inside the outage: %v)", i, v, inside)
				}
			}
			if mode == fault.ModeTimeout {
				// requests that hung are dropped OutageTimeout after arriving
				if n := dropped(w, "svc", "timed out (outage)"); n != counter(w, "svc", "Errors") {
					t.Errorf("hung requests dropped %d, errors %d", n, counter(w, "svc", "Errors"))
				}
			}
			checkConservation(t, w)
		})
	}
}

func TestTimeoutOutageAnswersTimedOutAfterTheOutageTimeout(t *testing.T) {
	w := newWorld(time.Minute)
	s := mustNew(t, w, Config{Name: "svc", Concurrency: 1, QueueLimit: 0, Latency: sim.Constant(0.1),
		Target: core.None, OutageTimeout: 5 * time.Second,
		Faults: fault.Config{Outages: []fault.Outage{{From: time.Second, To: 2 * time.Second, Mode: fault.ModeTimeout}}}})
	c := newTimed(w, "c", s.ID(), false)
	c.at("", 0, 1500*time.Millisecond, 3*time.Second)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	want := []reply{{core.OK, 100 * time.Millisecond}, {core.TimedOut, 6500 * time.Millisecond}, {core.OK, 3100 * time.Millisecond}}
	for i, r := range c.replies {
		if r != want[i] {
			t.Errorf("request %d: %v at %v, want %v at %v", i, r.status, r.at, want[i].status, want[i].at)
		}
	}
	checkConservation(t, w)
}

func TestFaultChangesErrorRateLatencyAndRateLimitOverTime(t *testing.T) {
	w := newWorld(time.Minute)
	s := mustNew(t, w, Config{Name: "svc", Concurrency: Unlimited, Latency: sim.Constant(1), Target: core.None,
		Faults: fault.Config{
			ErrorRates:     []fault.Level{{At: 10 * time.Second, Value: 1}, {At: 20 * time.Second, Value: 0}},
			LatencyFactors: []fault.Level{{At: 30 * time.Second, Value: 3}},
			RateLimits:     []fault.Level{{At: 40 * time.Second, Value: 0}},
		}})
	c := newTimed(w, "c", s.ID(), false)
	c.at("", 0, 10*time.Second, 20*time.Second, 30*time.Second, 40*time.Second)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	want := []reply{
		{core.OK, time.Second},             // normal
		{core.Failed, 11 * time.Second},    // error rate 1 (decided at completion)
		{core.OK, 21 * time.Second},        // error rate back to 0
		{core.OK, 33 * time.Second},        // latency × 3
		{core.Throttled, 40 * time.Second}, // rate limit 0
	}
	for i, r := range c.replies {
		if r != want[i] {
			t.Errorf("request %d: %v at %v, want %v at %v", i, r.status, r.at, want[i].status, want[i].at)
		}
	}
	checkConservation(t, w)
}

func TestUnlimitedConcurrencyServesEveryRequestAtOnce(t *testing.T) {
	w := newWorld(time.Minute)
	s := mustNew(t, w, Config{Name: "svc", Concurrency: Unlimited, Latency: sim.Constant(2), Target: core.None})
	c := newTimed(w, "c", s.ID(), false)
	c.every("", 0, 0, 1000)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	for i, r := range c.replies {
		if r.status != core.OK || r.at != 2*time.Second {
			t.Fatalf("request %d: %v at %v, want ok at 2s", i, r.status, r.at)
		}
	}
	checkConservation(t, w)
}

func TestBadFaultsAndLimitsAreErrors(t *testing.T) {
	w := newWorld(time.Minute)
	_, err := New(w, Config{Name: "s", Concurrency: 1, Latency: sim.Constant(1), Target: core.None,
		RateLimit: -1, OutageTimeout: -time.Second,
		Faults:   fault.Config{Outages: []fault.Outage{{From: 2, To: 1}}},
		DynamoDB: &DynamoDB{Mode: Provisioned, ReadFraction: 2}})
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{"rate limit", "outage timeout", "faults: outages.0", "provisioned read and write capacity", "read fraction"} {
		if !contains(err.Error(), want) {
			t.Errorf("error does not mention %q: %v", want, err)
		}
	}
	checkConservation(t, w)
}
