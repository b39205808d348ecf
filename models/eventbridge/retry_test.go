package eventbridge

import (
	"math"
	"slices"
	"testing"
	"time"

	"msgsim/models/core"
)

// retrySetup is one bus with one rule and one target answering with respond, and a DLQ
// if withDLQ. Deliveries take 100 ms; one event is put at time 0.
type retrySetup struct {
	w       *core.World
	bus     *Bus
	target  *fakeTarget
	dlq     *fakeTarget
	emitter *emitter
}

func newRetrySetup(t *testing.T, policy *RetryPolicy, withDLQ, noJitter bool, respond func(int) core.Status) *retrySetup {
	t.Helper()
	s := &retrySetup{w: newWorld(48 * time.Hour)}
	s.emitter = newEmitter(s.w, "p")
	s.target = newFake(s.w, "target")
	s.target.respond = respond
	tg := NewTarget(s.target.id)
	tg.Retry = policy
	if withDLQ {
		s.dlq = newFake(s.w, "dlq")
		tg.DLQ = s.dlq.id
	}
	s.bus = mustBus(t, s.w, Config{Name: "bus", DeliveryLatency: fixed(0.1), NoJitter: noJitter,
		Rules: []Rule{{Name: "r", Pattern: `{"source":["p"]}`, Targets: []Target{tg}}}})
	s.emitter.to = s.bus.ID()
	return s
}

func always(st core.Status) func(int) core.Status { return func(int) core.Status { return st } }

func secondsList(ds []time.Duration) []float64 {
	out := make([]float64, len(ds))
	for i, d := range ds {
		out[i] = math.Round(d.Seconds()*1e6) / 1e6
	}
	return out
}

// With no jitter, retry k waits exactly min(980 s, 2^(k-1) s) after attempt k's failure;
// after MaximumRetryAttempts retries the copy goes to the DLQ, or is dropped and counted.
func TestRetriesStopAtMaximumRetryAttempts(t *testing.T) {
	for _, withDLQ := range []bool{true, false} {
		name := map[bool]string{true: "then the DLQ", false: "then dropped"}[withDLQ]
		t.Run(name, func(t *testing.T) {
			s := newRetrySetup(t, &RetryPolicy{MaximumRetryAttempts: 3, MaximumEventAge: time.Hour}, withDLQ, true, always(core.Failed))
			s.emitter.at(0, 10)
			run(t, s.w)
			// attempt arrivals: 0.1; +1 s backoff +0.1 → 1.2; +2 → 3.3; +4 → 7.4
			if got, want := secondsList(s.target.times()), []float64{0.1, 1.2, 3.3, 7.4}; !slices.Equal(got, want) {
				t.Errorf("attempts at %v s, want %v", got, want)
			}
			want := map[string]uint64{
				"InvocationAttempts": 4, "RetryInvocationAttempts": 3, "FailedInvocations": 1,
				"Invocations": 1, "SuccessfulInvocationAttempts": 0,
			}
			if withDLQ {
				want["InvocationsSentToDlq"], want["DeadLetterInvocations"] = 1, 0
				if got := secondsList(s.dlq.times()); !slices.Equal(got, []float64{7.4}) {
					t.Errorf("DLQ deliveries at %v s, want [7.4]", got)
				}
			} else {
				want["InvocationsSentToDlq"], want["DeadLetterInvocations"] = 0, 1
				if n := s.w.Ledger.Dropped(); n != 1 {
					t.Errorf("dropped %d, want 1", n)
				}
			}
			for _, c := range []string{"bus", "bus/r"} {
				for metric, v := range want {
					if got := counter(t, s.w, c, metric); got != v {
						t.Errorf("%s %s = %d, want %d", c, metric, got, v)
					}
				}
			}
			conserve(t, s.w)
		})
	}
}

// Retries stop when the next attempt would come after MaximumEventAge: with 60 s and no
// jitter, attempts start at 0, 1.1, 3.2, 7.3, 15.4, 31.5 s; the next would start at
// 63.6 s > 60 s, so the copy fails when attempt 6 fails at 31.6 s.
func TestRetriesStopAtMaximumEventAge(t *testing.T) {
	s := newRetrySetup(t, &RetryPolicy{MaximumRetryAttempts: 185, MaximumEventAge: time.Minute}, true, true, always(core.Throttled))
	s.emitter.at(0, 10)
	run(t, s.w)
	if got, want := secondsList(s.target.times()), []float64{0.1, 1.2, 3.3, 7.4, 15.5, 31.6}; !slices.Equal(got, want) {
		t.Errorf("attempts at %v s, want %v", got, want)
	}
	if got := secondsList(s.dlq.times()); !slices.Equal(got, []float64{31.6}) {
		t.Errorf("DLQ deliveries at %v s, want [31.6]", got)
	}
	if got := counter(t, s.w, "bus", "FailedInvocations"); got != 1 {
		t.Errorf("FailedInvocations = %d, want 1", got)
	}
	conserve(t, s.w)
}

// A non-retriable error (Rejected) goes straight to the DLQ after one attempt.
func TestNonRetriableGoesStraightToDLQ(t *testing.T) {
	s := newRetrySetup(t, nil, true, false, always(core.Rejected))
	s.emitter.at(0, 10)
	run(t, s.w)
	if len(s.target.log) != 1 || len(s.dlq.accepted()) != 1 || s.dlq.log[0].at != s.target.log[0].at {
		t.Errorf("target attempts %v, DLQ %v: want one attempt, then the DLQ at once", s.target.times(), s.dlq.times())
	}
	if got := counter(t, s.w, "bus", "RetryInvocationAttempts"); got != 0 {
		t.Errorf("RetryInvocationAttempts = %d, want 0", got)
	}
	conserve(t, s.w)
}

// A DLQ that refuses the copy: it is dropped and counted as lost.
func TestRefusingDLQDropsAndCounts(t *testing.T) {
	s := newRetrySetup(t, nil, true, false, always(core.Rejected))
	s.dlq.respond = always(core.Rejected)
	s.emitter.at(0, 10)
	run(t, s.w)
	if got := counter(t, s.w, "bus", "InvocationsFailedToBeSentToDlq"); got != 1 {
		t.Errorf("InvocationsFailedToBeSentToDlq = %d, want 1", got)
	}
	if got := counter(t, s.w, "bus", "DeadLetterInvocations"); got != 1 || s.w.Ledger.Dropped() != 1 {
		t.Errorf("DeadLetterInvocations = %d, dropped %d; want 1, 1", got, s.w.Ledger.Dropped())
	}
	conserve(t, s.w)
}

// A target that fails twice, then accepts: one invocation, delivered, no failure.
func TestRetrySucceeds(t *testing.T) {
	s := newRetrySetup(t, nil, true, true, func(n int) core.Status {
		if n < 2 {
			return core.TimedOut
		}
		return core.OK
	})
	s.emitter.at(0, 10)
	run(t, s.w)
	if len(s.target.accepted()) != 1 || len(s.target.log) != 3 || len(s.dlq.log) != 0 {
		t.Errorf("attempts %d, accepted %d, DLQ %d; want 3, 1, 0", len(s.target.log), len(s.target.accepted()), len(s.dlq.log))
	}
	if got := counter(t, s.w, "bus", "FailedInvocations"); got != 0 {
		t.Errorf("FailedInvocations = %d", got)
	}
	conserve(t, s.w)
}

// With full jitter, the wait before retry k is uniform on [0, min(980 s, 2^(k-1) s)]:
// every observed wait lies in its bounds, and the waits divided by their bounds average
// 1/2. For n = events × retries uniform draws the mean has standard deviation
// sqrt(1/12/n); the tolerance is 5 standard deviations (a false failure with probability
// < 1e-6).
func TestJitteredBackoffWithinBounds(t *testing.T) {
	const events, retries = 200, 12
	s := newRetrySetup(t, &RetryPolicy{MaximumRetryAttempts: retries, MaximumEventAge: 24 * time.Hour}, false, false, always(core.Failed))
	for i := 0; i < events; i++ {
		s.emitter.at(time.Duration(i)*time.Millisecond, 10)
	}
	run(t, s.w)
	byTrace := map[uint64][]time.Duration{}
	for _, d := range s.target.log {
		byTrace[d.trace] = append(byTrace[d.trace], d.at)
	}
	if len(byTrace) != events {
		t.Fatalf("%d events attempted, want %d", len(byTrace), events)
	}
	sum, n := 0.0, 0
	for trace, at := range byTrace {
		if len(at) != retries+1 {
			t.Fatalf("trace %d: %d attempts, want %d", trace, len(at), retries+1)
		}
		for k := 1; k < len(at); k++ {
			bound := math.Min(980, math.Pow(2, float64(k-1)))
			wait := (at[k] - at[k-1] - 100*time.Millisecond).Seconds()
			if wait < -1e-9 || wait > bound+1e-9 {
				t.Fatalf("trace %d retry %d waited %.6f s, outside [0, %v]", trace, k, wait, bound)
			}
			sum += wait / bound
			n++
		}
	}
	mean := sum / float64(n)
	if tol := 5 * math.Sqrt(1.0/12/float64(n)); math.Abs(mean-0.5) > tol {
		t.Errorf("mean wait/bound %.4f, want 0.5 ± %.4f", mean, tol)
	}
	if got := counter(t, s.w, "bus", "DeadLetterInvocations"); got != events {
		t.Errorf("DeadLetterInvocations = %d, want %d", got, events)
	}
	conserve(t, s.w)
}

// Conservation holds at every moment while copies wait for the quota, travel, back off
// and move to the DLQ: the bus's Holding counts the copies it owns.
func TestConservationHoldsMidFlight(t *testing.T) {
	w := newWorld(time.Hour)
	e := newEmitter(w, "p")
	a, c, dlq := newFake(w, "a"), newFake(w, "c"), newFake(w, "dlq")
	c.respond = func(n int) core.Status { return []core.Status{core.Failed, core.Throttled, core.OK}[n%3] }
	tc := NewTarget(c.id)
	tc.DLQ = dlq.id
	tc.Retry = &RetryPolicy{MaximumRetryAttempts: 1, MaximumEventAge: time.Hour}
	b := mustBus(t, w, Config{Name: "bus", InvocationRate: 20, DeliveryLatency: fixed(0.05),
		Rules: []Rule{
			{Name: "r1", Pattern: `{"version":["0"]}`, Targets: []Target{NewTarget(a.id), tc}},
			{Name: "r2", Pattern: `{"source":["p"]}`, Targets: []Target{NewTarget(a.id)}},
		}})
	e.to = b.ID()
	for i := 0; i < 100; i++ {
		e.at(time.Duration(i)*10*time.Millisecond, 10)
	}
	sawHeld := false
	for at := time.Duration(0); at <= 30*time.Second; at += 37 * time.Millisecond {
		if err := w.Eng.RunUntil(at); err != nil {
			t.Fatal(err)
		}
		sawHeld = sawHeld || b.Holding() > 0
		if err := w.CheckConservation(); err != nil {
			t.Fatalf("at %v: %v", at, err)
		}
	}
	if !sawHeld {
		t.Error("the bus never held a copy: the check did not cover waiting copies")
	}
	if w.Ledger.Derived != 300 || len(a.accepted()) != 200 {
		t.Errorf("derived %d, a got %d; want 3 copies per event, 2 of them to a", w.Ledger.Derived, len(a.accepted()))
	}
	if got := len(c.accepted()) + len(dlq.accepted()); got != 100 {
		t.Errorf("c accepted %d + DLQ %d, want 100 in all", len(c.accepted()), len(dlq.accepted()))
	}
	conserve(t, w)
}
