package service

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/sim"
)

func newWorld(d time.Duration) *core.World {
	return core.NewWorld(core.Config{Seed: 7, Duration: d})
}

func mustNew(t *testing.T, w *core.World, cfg Config) *Service {
	t.Helper()
	s, err := New(w, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func checkConservation(t *testing.T, w *core.World) {
	t.Helper()
	if err := w.CheckConservation(); err != nil {
		t.Fatal(err)
	}
}

func TestLineAdmitsUpToItsLimitAndRejectsTheRest(t *testing.T) {
	// Five requests arrive together at a single server with a 1 s constant service time.
	tests := []struct {
		name     string
		limit    int
		served   int
		rejected int
	}{
		{"no line: a pure loss station serves only the first", 0, 1, 4},
		{"a line of two holds two more", 2, 3, 2},
		{"an unbounded line holds everyone", -1, 5, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(time.Minute)
			rec := &recorder{}
			s := mustNew(t, w, Config{Name: "api", Concurrency: 1, QueueLimit: tc.limit,
				Latency: sim.Constant(1), Target: core.None, Observer: rec})
			newBurst(w, "clients", 5, s.ID())
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			if got := counter(w, "api", "Completed"); got != uint64(tc.served) {
				t.Errorf("completed %d, want %d", got, tc.served)
			}
			if got := counter(w, "api", "Rejected"); got != uint64(tc.rejected) {
				t.Errorf("Rejected metric %d, want %d", got, tc.rejected)
			}
			if got := dropped(w, "api", "refused (rejected)"); got != uint64(tc.rejected) {
				t.Errorf("sender dropped %d as refused, want %d", got, tc.rejected)
			}
			if got := counter(w, "api", "Requests"); got != 5 {
				t.Errorf("Requests %d, want 5", got)
			}
			// FIFO with one server: the k-th served request ends at k seconds.
			var ends []time.Duration
			for _, c := range rec.seen {
				if c.end >= 0 {
					ends = append(ends, c.end)
				}
			}
			for k, e := range ends {
				if want := time.Duration(k+1) * time.Second; e != want {
					t.Errorf("completion %d at %v, want %v", k, e, want)
				}
			}
			if len(rec.seen)-len(ends) != tc.rejected {
				t.Errorf("observer heard of %d rejections, want %d", len(rec.seen)-len(ends), tc.rejected)
			}
			checkConservation(t, w)
		})
	}
}

func TestCallsAreAnsweredOKFailedOrThrottled(t *testing.T) {
	// Three calls at t=0 to one server (1 s service) with a line of one: the first is
	// served at once, the second waits, the third finds the line full.
	tests := []struct {
		name   string
		errP   float64
		want   []reply
		errors uint64
	}{
		{"served calls succeed, the overflow is throttled", 0,
			[]reply{{core.OK, time.Second}, {core.OK, 2 * time.Second}, {core.Throttled, 0}}, 0},
		{"with errors certain, served calls fail", 1,
			[]reply{{core.Failed, time.Second}, {core.Failed, 2 * time.Second}, {core.Throttled, 0}}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(time.Minute)
			s := mustNew(t, w, Config{Name: "table", Concurrency: 1, QueueLimit: 1,
				Latency: sim.Constant(1), ErrorProbability: tc.errP, Target: core.None})
			c := newCaller(w, 3, s.ID())
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(c.replies, tc.want) {
				t.Errorf("replies %v, want %v", c.replies, tc.want)
			}
			if got := counter(w, "table", "Errors"); got != tc.errors {
				t.Errorf("Errors %d, want %d", got, tc.errors)
			}
			if got := counter(w, "table", "Rejected"); got != 1 {
				t.Errorf("Rejected %d, want 1", got)
			}
			if s.Holding() != 0 {
				t.Errorf("a callee holds %d messages; calls leave them with the caller", s.Holding())
			}
			checkConservation(t, w)
		})
	}
}

func TestErrorsOccurAtTheConfiguredRate(t *testing.T) {
	// Each served request fails independently with probability p, so the error count of n
	// requests is binomial: |errors − np| ≤ 4·√(np(1−p)) fails with probability 6e-5.
	const p = 0.1
	w := newWorld(2 * time.Hour)
	s := mustNew(t, w, Config{Name: "api", Concurrency: 4, QueueLimit: -1,
		Latency: sim.Exponential(0.01), ErrorProbability: p, Target: core.None})
	newBurst(w, "clients", 50_000, s.ID())
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	n := float64(counter(w, "api", "Completed"))
	errs := float64(counter(w, "api", "Errors"))
	tol := 4 * math.Sqrt(n*p*(1-p))
	t.Logf("errors %v of %v, expected %v ± %.1f", errs, n, n*p, tol)
	if math.Abs(errs-n*p) > tol {
		t.Errorf("errors %v, want %v ± %.1f", errs, n*p, tol)
	}
	if got := dropped(w, "api", "request failed"); float64(got) != errs {
		t.Errorf("dropped as failed %d, want the %v errors", got, errs)
	}
	if got := float64(w.Ledger.Consumed); got != n-errs {
		t.Errorf("consumed %v, want the %v successes", got, n-errs)
	}
	checkConservation(t, w)
}

func TestCompletedRequestsGoOnToTheTarget(t *testing.T) {
	tests := []struct {
		name       string
		sinkAtA    bool
		pathsAtA   uint64
		pathsAtB   uint64
		completedB uint64
	}{
		{"a forwarding service is not the end of the path", false, 0, 4, 4},
		{"a forwarding service marked Sink records the path too", true, 4, 4, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(time.Minute)
			b := mustNew(t, w, Config{Name: "B", Concurrency: 1, QueueLimit: -1,
				Latency: sim.Constant(0.5), Target: core.None})
			a := mustNew(t, w, Config{Name: "A", Concurrency: 2, QueueLimit: -1,
				Latency: sim.Constant(1), Target: b.ID(), Sink: tc.sinkAtA})
			newBurst(w, "clients", 4, a.ID())
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			if got := counter(w, "B", "Completed"); got != tc.completedB {
				t.Errorf("B completed %d, want %d", got, tc.completedB)
			}
			count := func(sink string) uint64 {
				m := w.Metrics.Find("clients -> "+sink, "EndToEndLatency")
				if m == nil {
					return 0
				}
				return m.Latency.Total.Count()
			}
			if got := count("A"); got != tc.pathsAtA {
				t.Errorf("paths ending at A: %d, want %d", got, tc.pathsAtA)
			}
			if got := count("B"); got != tc.pathsAtB {
				t.Errorf("paths ending at B: %d, want %d", got, tc.pathsAtB)
			}
			// A serves two at a time (ends at 1 s, 1 s, 2 s, 2 s); B serves one at a time
			// from 1 s: ends at 1.5, 2, 2.5, 3 s, so the last end-to-end latency is 3 s.
			if m := w.Metrics.Find("clients -> B", "EndToEndLatency"); m != nil {
				if got := time.Duration(m.Latency.Total.Max()); got != 3*time.Second {
					t.Errorf("longest latency to B %v, want 3s", got)
				}
			}
			if w.Ledger.Consumed != 4 {
				t.Errorf("consumed %d, want 4 (each message once, at B)", w.Ledger.Consumed)
			}
			checkConservation(t, w)
		})
	}
}

func TestBadConfigurationsAreErrors(t *testing.T) {
	w := newWorld(time.Minute)
	other := mustNew(t, w, Config{Name: "ok", Concurrency: 1, Latency: sim.Constant(1), Target: core.None})
	caller := newCaller(w, 0, other.ID())
	good := Config{Name: "s", Concurrency: 1, QueueLimit: -1, Latency: sim.Constant(1), Target: core.None}
	tests := []struct {
		name  string
		edit  func(*Config)
		wants []string
	}{
		{"no name", func(c *Config) { c.Name = "" }, []string{"name is required"}},
		{"no servers", func(c *Config) { c.Concurrency = 0 }, []string{"concurrency must be >= 1, got 0"}},
		{"queue limit below -1", func(c *Config) { c.QueueLimit = -2 }, []string{"queue limit must be -1"}},
		{"no latency", func(c *Config) { c.Latency = nil }, []string{"latency distribution is required"}},
		{"error probability above 1", func(c *Config) { c.ErrorProbability = 1.5 }, []string{"error probability must be in [0, 1]"}},
		{"error probability NaN", func(c *Config) { c.ErrorProbability = math.NaN() }, []string{"error probability"}},
		{"unregistered target", func(c *Config) { c.Target = 99 }, []string{"target 99 is not a registered component"}},
		{"target that takes no sends", func(c *Config) { c.Target = caller.id }, []string{`target "caller" does not accept sends`}},
		{"every problem at once", func(c *Config) { c.Concurrency = -2; c.Latency = nil },
			[]string{"concurrency", "latency"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := good
			tc.edit(&cfg)
			s, err := New(w, cfg)
			if err == nil || s != nil {
				t.Fatalf("New accepted %+v", cfg)
			}
			for _, want := range tc.wants {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
		})
	}
	if err := other.SetTarget(other.ID()); err == nil {
		t.Error("a service may not target itself")
	}
	checkConservation(t, w)
}

func TestRunMMcRejectsBadRunLengths(t *testing.T) {
	base := MMcConfig{ArrivalRate: 1, Servers: 1, Service: sim.Exponential(0.5), QueueLimit: -1}
	tests := []struct {
		name string
		edit func(*MMcConfig)
	}{
		{"neither customers nor duration", func(c *MMcConfig) {}},
		{"both customers and duration", func(c *MMcConfig) { c.Customers = 10; c.Duration = time.Second }},
		{"zero arrival rate", func(c *MMcConfig) { c.ArrivalRate = 0; c.Customers = 10 }},
		{"no servers", func(c *MMcConfig) { c.Servers = 0; c.Customers = 10 }},
		{"warm-up longer than the run", func(c *MMcConfig) { c.Customers = 10; c.Warmup = time.Hour }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := base
			tc.edit(&cfg)
			if _, err := RunMMc(cfg); err == nil {
				t.Errorf("RunMMc accepted %+v", cfg)
			}
		})
	}
}

func TestRunMMcMeasuresAStation(t *testing.T) {
	// A smoke test of the convenience run: M/M/2 at λ = 1, μ = 1 (ρ = 0.5) for 20,000
	// customers; the fields are consistent with each other (the validation tests check
	// them against theory).
	r, err := RunMMc(MMcConfig{ArrivalRate: 1, Servers: 2, Service: sim.Exponential(1),
		QueueLimit: -1, Customers: 20_000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", r)
	if r.Customers < 18_000 || r.Customers > 20_000 {
		t.Errorf("customers %d, want about 19,000 after the warm-up", r.Customers)
	}
	if !(r.MeanSojourn > r.MeanWait && r.SojournP50 < r.SojournP95 && r.SojournP95 < r.SojournP99) {
		t.Errorf("inconsistent times %+v", r)
	}
	if math.Abs(r.Utilisation-0.5) > 0.05 || math.Abs(r.Throughput-1) > 0.05 {
		t.Errorf("utilisation %v and throughput %v, want about 0.5 and 1", r.Utilisation, r.Throughput)
	}
	if r.Rejected != 0 || r.Blocking != 0 || r.Events == 0 {
		t.Errorf("rejected %d, blocking %v, events %d", r.Rejected, r.Blocking, r.Events)
	}
}

func TestSteadyStateAllocatesNothingPerCustomer(t *testing.T) {
	m, err := buildMMc(MMcConfig{ArrivalRate: 8, Servers: 10, Service: sim.Exponential(1),
		QueueLimit: -1, Duration: 1000 * time.Hour, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	m.src.Start()
	m.w.Eng.Step(300_000) // grow the pools, the heap and the line to their working sizes
	before := m.w.Eng.Fired()
	allocs := testing.AllocsPerRun(20, func() { m.w.Eng.Step(10_000) })
	t.Logf("%.3f allocations per 10,000 events (%d events)", allocs, m.w.Eng.Fired()-before)
	if allocs != 0 {
		t.Errorf("steady state allocates %v times per 10,000 events, want 0", allocs)
	}
	checkConservation(t, m.w)
}
