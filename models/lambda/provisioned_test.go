package lambda

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/sim"
)

// seqDist returns its durations (seconds) in turn, then the last one forever: a handler
// whose successive invocations take hand-picked times.
type seqDist struct {
	secs []float64
	i    int
}

func (d *seqDist) Sample(*rand.Rand) float64 {
	v := d.secs[min(d.i, len(d.secs)-1)]
	d.i++
	return v
}
func (d *seqDist) Mean() float64     { return d.secs[0] }
func (d *seqDist) Variance() float64 { return 0 }
func (d *seqDist) String() string    { return "seq" }

// provFn is fixedFn with n provisioned environments.
func provFn(n int, init, dur time.Duration) Config {
	cfg := fixedFn("f", init, dur)
	cfg.ProvisionedConcurrency = n
	return cfg
}

// replyTimes are the times of the replies, in order.
func replyTimes(rs []reply) []time.Duration {
	out := make([]time.Duration, len(rs))
	for i, r := range rs {
		out[i] = r.at
	}
	return out
}

// wantCounters checks the raw values of function f's counters.
func wantCounters(t *testing.T, w *core.World, want map[string]uint64) {
	t.Helper()
	names := make([]string, 0, len(want))
	for k := range want {
		names = append(names, k)
	}
	slices.Sort(names) // a stable order of messages
	for _, name := range names {
		if got := counter(t, w, "f", name); got != want[name] {
			t.Errorf("%s = %d, want %d", name, got, want[name])
		}
	}
}

func TestProvisionedEnvironments(t *testing.T) {
	const (
		init = 400 * time.Millisecond
		dur  = 100 * time.Millisecond
	)
	s := time.Second
	tests := []struct {
		name    string
		prov    int
		calls   []time.Duration
		replies []time.Duration // every reply is OK
		want    map[string]uint64
	}{
		{
			name:  "no cold start while concurrent demand stays within the provisioned environments",
			prov:  3,
			calls: []time.Duration{s, s, s, 2 * s, 2 * s, 2 * s},
			replies: []time.Duration{s + dur, s + dur, s + dur,
				2*s + dur, 2*s + dur, 2*s + dur},
			want: map[string]uint64{"ColdStarts": 0, "Invocations": 6,
				"ProvisionedConcurrencyInvocations": 6, "ProvisionedConcurrencySpilloverInvocations": 0},
		},
		{
			name:    "a third overlapping invoke on two provisioned environments spills over and starts cold",
			prov:    2,
			calls:   []time.Duration{s, s, s},
			replies: []time.Duration{s + dur, s + dur, s + init + dur},
			want: map[string]uint64{"ColdStarts": 1, "Invocations": 3,
				"ProvisionedConcurrencyInvocations": 2, "ProvisionedConcurrencySpilloverInvocations": 1},
		},
		{
			name: "a freed provisioned environment is preferred to a warm on-demand one",
			prov: 1,
			// at 1 s: provisioned + a cold spillover; at 2 s one invoke: the provisioned
			// environment, though the on-demand one is idle and warm
			calls:   []time.Duration{s, s, 2 * s},
			replies: []time.Duration{s + dur, s + init + dur, 2*s + dur},
			want: map[string]uint64{"ColdStarts": 1, "Invocations": 3,
				"ProvisionedConcurrencyInvocations": 2, "ProvisionedConcurrencySpilloverInvocations": 1},
		},
		{
			name: "spillover reuses warm on-demand environments",
			prov: 1,
			// two overlapping invokes twice: the second spillover finds the first one's
			// environment idle and warm
			calls:   []time.Duration{s, s, 2 * s, 2 * s},
			replies: []time.Duration{s + dur, s + init + dur, 2*s + dur, 2*s + dur},
			want: map[string]uint64{"ColdStarts": 1, "Invocations": 4,
				"ProvisionedConcurrencyInvocations": 2, "ProvisionedConcurrencySpilloverInvocations": 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(time.Minute)
			f := mustFn(t, w, NewAccount(0), provFn(tt.prov, init, dur))
			c := newCaller(w, "client", f.ID())
			c.at(tt.calls...)
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			if got := replyTimes(c.replies); !slices.Equal(got, tt.replies) {
				t.Errorf("reply times %v, want %v", got, tt.replies)
			}
			for i, r := range c.replies {
				if r.st != core.OK {
					t.Errorf("reply %d: %v, want OK", i, r.st)
				}
			}
			wantCounters(t, w, tt.want)
			if got := f.Environments(); got != tt.prov+int(tt.want["ColdStarts"]) {
				t.Errorf("Environments = %d, want %d provisioned + %d on-demand", got, tt.prov, tt.want["ColdStarts"])
			}
			checkConservation(t, w)
		})
	}
}

func TestProvisionedEnvironmentsTakeNoScalingTokens(t *testing.T) {
	w := newWorld(time.Minute)
	cfg := provFn(5, 300*time.Millisecond, time.Second)
	cfg.Scaling = Scaling{Burst: 1, PerSecond: 1e-6} // one new environment, then none
	f := mustFn(t, w, NewAccount(0), cfg)
	c := newCaller(w, "client", f.ID())
	for range 7 {
		c.at(time.Second)
	}
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	// 5 provisioned invokes, 1 spillover takes the only token, the 7th is throttled
	wantCounters(t, w, map[string]uint64{"ProvisionedConcurrencyInvocations": 5,
		"ProvisionedConcurrencySpilloverInvocations": 1, "ColdStarts": 1, "Throttles": 1, "Invocations": 6})
	checkConservation(t, w)
}

func TestProvisionedEnvironmentsAreNeverReclaimed(t *testing.T) {
	const (
		init = 400 * time.Millisecond
		dur  = 100 * time.Millisecond
	)
	w := newWorld(3 * time.Hour)
	f := mustFn(t, w, NewAccount(0), provFn(1, init, dur)) // idle lifetime 10 min
	c := newCaller(w, "client", f.ID())
	s := time.Second
	later := 2 * time.Hour // far beyond the idle lifetime
	c.at(s, s, later, later)
	var envsIdle int
	w.Eng.After(later-time.Minute, w.Eng.Register(probe(func() { envsIdle = f.Environments() })), 0, 0, 0)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{s + dur, s + init + dur, later + dur, later + init + dur}
	if got := replyTimes(c.replies); !slices.Equal(got, want) {
		t.Errorf("reply times %v, want %v: the provisioned environment warm, the on-demand one cold again", got, want)
	}
	if envsIdle != 1 {
		t.Errorf("after 2 h idle: %d environments, want 1 (the provisioned one; the on-demand one reclaimed)", envsIdle)
	}
	wantCounters(t, w, map[string]uint64{"ColdStarts": 2, "ProvisionedConcurrencyInvocations": 2,
		"ProvisionedConcurrencySpilloverInvocations": 2})
	checkConservation(t, w)
}

// probe is a handler that runs fn.
func probe(fn func()) sim.Handler { return sim.HandlerFunc(func(sim.Event) { fn() }) }

func TestReservedConcurrencyIncludesProvisioned(t *testing.T) {
	w := newWorld(time.Minute)
	cfg := provFn(2, 200*time.Millisecond, time.Second)
	cfg.ReservedConcurrency = 3
	f := mustFn(t, w, NewAccount(0), cfg)
	c := newCaller(w, "client", f.ID())
	for range 5 {
		c.at(time.Second)
	}
	c.at(1500*time.Millisecond, 2500*time.Millisecond) // 1.5 s: all 3 busy; 2.5 s: the
	// provisioned ones are free again (the spillover, cold, runs to 2.2 s)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	wantCounters(t, w, map[string]uint64{"ProvisionedConcurrencyInvocations": 3,
		"ProvisionedConcurrencySpilloverInvocations": 1, "Throttles": 3, "Invocations": 4})
	if g := w.Metrics.Find("f", "ConcurrentExecutions").Gauge; g.Max() != 3 {
		t.Errorf("max ConcurrentExecutions = %v, want 3 = reserved (provisioned included)", g.Max())
	}
	if g := w.Metrics.Find("f", "ProvisionedConcurrentExecutions").Gauge; g.Max() != 2 {
		t.Errorf("max ProvisionedConcurrentExecutions = %v, want 2", g.Max())
	}
	checkConservation(t, w)
}

func TestProvisionedConcurrencyIsClaimedFromTheAccountPool(t *testing.T) {
	w := newWorld(time.Minute)
	acct := NewAccount(200) // 100 may be reserved or provisioned
	p := fixedFn("p", 0, 2*time.Second)
	p.ProvisionedConcurrency = 60 // no reservation: claimed from the pool
	fp := mustFn(t, w, acct, p)
	if got := acct.Unreserved(); got != 140 {
		t.Errorf("unreserved pool = %d, want 200 − 60 = 140", got)
	}
	b := mustFn(t, w, acct, fixedFn("b", 0, 2*time.Second))
	cp, cb := newCaller(w, "cp", fp.ID()), newCaller(w, "cb", b.ID())
	for range 70 {
		cp.at(time.Second) // 60 provisioned + 10 spill over into the unreserved pool
	}
	for range 140 {
		cb.at(1500 * time.Millisecond) // 130 of the 140 left unreserved; 10 throttled
	}
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if got := counter(t, w, "p", "ProvisionedConcurrencySpilloverInvocations"); got != 10 {
		t.Errorf("p spillover = %d, want 10", got)
	}
	if got := counter(t, w, "b", "Throttles"); got != 10 {
		t.Errorf("b throttles = %d, want 10 (the unreserved pool is 140, p's spillover holds 10)", got)
	}
	greedy := fixedFn("greedy", 0, time.Second)
	greedy.ProvisionedConcurrency = 41
	if _, err := New(w, acct, greedy); err == nil {
		t.Error("provisioning 41 when 40 can be claimed: no error")
	}
	checkConservation(t, w)
}

func TestTimedOutProvisionedEnvironmentIsReinitialised(t *testing.T) {
	const init = 500 * time.Millisecond
	w := newWorld(time.Minute)
	cfg := provFn(1, init, 0)
	cfg.Timeout = time.Second
	cfg.Duration = &seqDist{secs: []float64{5, 0.1}} // the first invoke times out
	f := mustFn(t, w, NewAccount(0), cfg)
	c := newCaller(w, "client", f.ID())
	s := time.Second
	// 1 s: provisioned, times out at 2 s and re-initialises until 2.5 s; 2.2 s: it is
	// still busy, so the invoke spills over (cold); 2.6 s: provisioned again
	c.at(s, 2200*time.Millisecond, 2600*time.Millisecond)
	var busyAt2_4 int
	w.Eng.After(2400*time.Millisecond, w.Eng.Register(probe(func() { busyAt2_4 = f.ProvisionedBusy() })), 0, 0, 0)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	want := []reply{{2 * s, core.TimedOut}, {2700 * time.Millisecond, core.OK}, {2800 * time.Millisecond, core.OK}}
	if !slices.Equal(c.replies, want) {
		t.Errorf("replies %v, want %v", c.replies, want)
	}
	if busyAt2_4 != 1 {
		t.Errorf("provisioned busy while re-initialising = %d, want 1", busyAt2_4)
	}
	// billed: 1,000 ms (timeout) + 100 ms on the provisioned environment; 500 + 100 ms on
	// the cold spillover; the re-INIT is billed to no invocation. 128 MB.
	wantCounters(t, w, map[string]uint64{"ColdStarts": 1, "ProvisionedConcurrencyInvocations": 2,
		"ProvisionedConcurrencySpilloverInvocations": 1, "Errors": 1,
		"BilledGBSeconds": (1000 + 100 + 600) * 128, "ProvisionedBilledGBSeconds": (1000 + 100) * 128})
	checkConservation(t, w)
}

func TestProvisionedBillingCounters(t *testing.T) {
	// 1 min warm-up, 10 min measured; 2 provisioned environments of 1,024 MB.
	w := core.NewWorld(core.Config{Seed: testSeed(), Warmup: time.Minute, Duration: 10 * time.Minute})
	cfg := provFn(2, 300*time.Millisecond, 250*time.Millisecond)
	cfg.Memory = 1024
	f := mustFn(t, w, NewAccount(0), cfg)
	c := newCaller(w, "client", f.ID())
	// 30 s (warm-up, not counted); 2 min: two provisioned + one cold spillover; 5 min: one
	c.at(30*time.Second, 2*time.Minute, 2*time.Minute, 2*time.Minute, 5*time.Minute)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	total := func(name string) uint64 {
		t.Helper()
		m := w.Metrics.Find("f", name)
		if m == nil {
			t.Fatalf("no metric %s", name)
		}
		return m.Total()
	}
	for _, tt := range []struct {
		name string
		want uint64
	}{
		{"Invocations", 4},
		{"ProvisionedConcurrencyInvocations", 3},
		{"ProvisionedConcurrencySpilloverInvocations", 1},
		// 3 × 250 ms provisioned + (300 + 250) ms cold, × 1,024 MB
		{"BilledGBSeconds", (3*250 + 550) * 1024},
		{"ProvisionedBilledGBSeconds", 3 * 250 * 1024},
		// 2 environments × 1,024 MB × 600,000 ms = 1,200 GB-s; the warm-up is not counted
		{"ProvisionedConcurrencyGBSeconds", 2 * 1024 * 600_000},
	} {
		if got := total(tt.name); got != tt.want {
			t.Errorf("%s after the warm-up = %d, want %d", tt.name, got, tt.want)
		}
	}
	// time-weighted over the 600 s measured: 0.75 environment-seconds busy
	now := w.Now()
	if got, want := w.Metrics.Find("f", "ProvisionedConcurrentExecutions").Gauge.Mean(now), 0.75/600; math.Abs(got-want) > 1e-12 {
		t.Errorf("mean ProvisionedConcurrentExecutions = %v, want %v", got, want)
	}
	if got, want := w.Metrics.Find("f", "ProvisionedConcurrencyUtilization").Gauge.Mean(now), 0.75/2/600; math.Abs(got-want) > 1e-12 {
		t.Errorf("mean ProvisionedConcurrencyUtilization = %v, want %v", got, want)
	}
	if got := w.Metrics.Find("f", "ProvisionedConcurrencyUtilization").Gauge.Max(); got != 1 {
		t.Errorf("max ProvisionedConcurrencyUtilization = %v, want 1", got)
	}
	checkConservation(t, w)
}

func TestFunctionsWithoutProvisionedConcurrencyHaveNoProvisionedMetrics(t *testing.T) {
	w := newWorld(time.Minute)
	mustFn(t, w, NewAccount(0), fixedFn("f", 0, time.Millisecond))
	for _, m := range w.Metrics.Metrics() {
		if strings.HasPrefix(m.Name, "Provisioned") {
			t.Errorf("metric %s registered without provisioned concurrency", m.Name)
		}
	}
	checkConservation(t, w)
}
