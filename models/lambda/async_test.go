package lambda

import (
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/models/sqs"
	"msgsim/sim"
)

// recorder is a callee that answers OK at once and records when it was called.
type recorder struct {
	fakeService
	times  []time.Duration
	traces []uint64
	groups []int32
}

func newRecorder(w *core.World) *recorder {
	r := &recorder{fakeService: fakeService{w: w, st: core.OK}}
	r.id = w.Add(r)
	r.h = w.Eng.Register(r)
	return r
}

func (r *recorder) Call(c core.CallID) {
	m := r.w.Msg(r.w.CallMsg(c))
	r.times = append(r.times, r.w.Now())
	r.traces = append(r.traces, m.Trace)
	r.groups = append(r.groups, m.Group)
	r.w.Eng.After(0, r.h, 0, int64(c), 0)
}

func (r *recorder) Fire(ev sim.Event) { r.w.Reply(core.CallID(ev.A), core.OK) }

func TestAsyncRetriesAfter60And120Seconds(t *testing.T) {
	for _, tt := range []struct {
		name       string
		maxRetries int
		attempts   []time.Duration
	}{
		// each attempt computes 100 ms, calls the recorder (which answers at once) and
		// fails. The first starts at 1 s with a cold start (INIT 200 ms): call at 1.3 s,
		// failure at 1.3 s. The retry starts 60 s after that failure, warm: 61.3 s, call at
		// 61.4 s; the second retry 120 s after the second failure: 181.4 s, call 181.5 s.
		{"two retries", 2, []time.Duration{1300 * time.Millisecond, 61400 * time.Millisecond, 181500 * time.Millisecond}},
		{"one retry", 1, []time.Duration{1300 * time.Millisecond, 61400 * time.Millisecond}},
		{"no retries", 0, []time.Duration{1300 * time.Millisecond}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(10 * time.Minute)
			rec := newRecorder(w)
			cfg := fixedFn("f", 200*time.Millisecond, 100*time.Millisecond)
			cfg.Steps = []Step{{Kind: Call, Target: rec.id}, {Kind: Fail, Probability: 1}}
			cfg.Async.MaxRetries = tt.maxRetries
			f := mustFn(t, w, NewAccount(0), cfg)
			newInjector(w, "client", f.ID()).at(time.Second)
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			if len(rec.times) != len(tt.attempts) {
				t.Fatalf("attempts at %v, want %v", rec.times, tt.attempts)
			}
			for i := range tt.attempts {
				if rec.times[i] != tt.attempts[i] {
					t.Errorf("attempt %d at %v, want %v", i, rec.times[i], tt.attempts[i])
				}
			}
			if got := counter(t, w, "f", "AsyncEventsDropped"); got != 1 {
				t.Errorf("AsyncEventsDropped = %d, want 1", got)
			}
			if got := w.Dropped(f.dropRetries); got != 1 {
				t.Errorf(`drops "async: retries exhausted" = %d, want 1`, got)
			}
			if got := counter(t, w, "f", "Errors"); got != uint64(len(tt.attempts)) {
				t.Errorf("Errors = %d, want %d", got, len(tt.attempts))
			}
			checkConservation(t, w)
		})
	}
}

func TestAsyncSuccessConsumesEvent(t *testing.T) {
	w := newWorld(time.Minute)
	cfg := fixedFn("f", 0, 10*time.Millisecond)
	cfg.Sink = true
	f := mustFn(t, w, NewAccount(0), cfg)
	newInjector(w, "client", f.ID()).at(time.Second, 2*time.Second, 3*time.Second)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if w.Ledger.Consumed != 3 || counter(t, w, "f", "AsyncEventsReceived") != 3 {
		t.Errorf("consumed %d, received %d; want 3 and 3", w.Ledger.Consumed, counter(t, w, "f", "AsyncEventsReceived"))
	}
	if l := w.Paths().Latency(core.PathKey{Producer: 0, Sink: f.ID()}); l == nil || l.Total.Count() != 3 {
		t.Errorf("end-to-end latency not recorded for 3 events")
	}
	checkConservation(t, w)
}

func TestAsyncMaxEventAge(t *testing.T) {
	// A disabled function (reserved 0) throttles every attempt: retries at +1, +2, +4,
	// +8, +16, +32 s after the event arrived at 1 s; at 64 s it is 63 s old, past the
	// 60 s maximum age, and fails for good without a seventh attempt.
	for _, toQueue := range []bool{false, true} {
		name := "dropped with a count"
		if toQueue {
			name = "sent to the on-failure destination"
		}
		t.Run(name, func(t *testing.T) {
			w := newWorld(10 * time.Minute)
			var dlq *sqs.Queue
			cfg := fixedFn("f", 0, 10*time.Millisecond)
			cfg.ReservedConcurrency = 0
			cfg.Async.MaxEventAge = time.Minute
			if toQueue {
				dlq = mustQueue(t, w, sqs.DefaultConfig("failures", false))
				cfg.Async.OnFailure = dlq.ID()
			}
			f := mustFn(t, w, NewAccount(0), cfg)
			newInjector(w, "client", f.ID()).at(time.Second)
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			if got := counter(t, w, "f", "Throttles"); got != 6 {
				t.Errorf("Throttles = %d, want 6", got)
			}
			wantDrops := uint64(1)
			if toQueue {
				wantDrops = 0
				if dlq.Holding() != 1 {
					t.Errorf("destination holds %d, want 1", dlq.Holding())
				}
			}
			if got := w.Dropped(f.dropAge); got != wantDrops {
				t.Errorf(`drops "async: max event age" = %d, want %d`, got, wantDrops)
			}
			if got := counter(t, w, "f", "AsyncEventsDropped"); got != wantDrops {
				t.Errorf("AsyncEventsDropped = %d, want %d", got, wantDrops)
			}
			if f.Holding() != 0 {
				t.Errorf("function still holds %d events", f.Holding())
			}
			checkConservation(t, w)
		})
	}
}

func TestAsyncQueueWaitsForConcurrency(t *testing.T) {
	// 50 events at once on a function limited to 2: the queue drains 2 at a time, with
	// no event lost; throttled starts back off and AsyncEventAge grows with the wait.
	w := newWorld(10 * time.Minute)
	cfg := fixedFn("f", 0, time.Second)
	cfg.ReservedConcurrency = 2
	f := mustFn(t, w, NewAccount(0), cfg)
	in := newInjector(w, "client", f.ID())
	for i := 0; i < 50; i++ {
		in.at(time.Second)
	}
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if w.Ledger.Consumed != 50 {
		t.Errorf("consumed %d, want 50", w.Ledger.Consumed)
	}
	if g := w.Metrics.Find("f", "ConcurrentExecutions").Gauge; g.Max() != 2 {
		t.Errorf("max concurrency %v, want 2", g.Max())
	}
	if age := w.Metrics.Find("f", "AsyncEventAge").Latency.Total; age.Quantile(1) < int64(24*time.Second) {
		t.Errorf("oldest AsyncEventAge %v, want ≥ 24 s (50 events, 2 at a time, 1 s each)", time.Duration(age.Quantile(1)))
	}
	checkConservation(t, w)
}

func TestAsyncRejectsLargePayload(t *testing.T) {
	w := newWorld(time.Minute)
	cfg := fixedFn("f", 0, time.Millisecond)
	cfg.Async.MaxPayload = 1000
	f := mustFn(t, w, NewAccount(0), cfg)
	in := newInjector(w, "client", f.ID())
	in.size = 1001
	in.at(time.Second)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if counter(t, w, "f", "AsyncEventsReceived") != 0 || w.Ledger.Dropped() != 1 {
		t.Errorf("received %d, dropped %d; want 0 and 1 (refused)", counter(t, w, "f", "AsyncEventsReceived"), w.Ledger.Dropped())
	}
	checkConservation(t, w)
}
