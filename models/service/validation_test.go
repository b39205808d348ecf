package service

// Validation of the station against queueing theory, through the real engine: a Poisson
// producer (models/producer) sends into a Service in a core.World, exactly as a scenario
// would run it.
//
// How the tolerances are set (never tuned):
//
//   - Warm-up: the first 5% of customers in arrival order are discarded (as the SimPy peer
//     models do); the World's warm-up, used for the metrics, is 5% of the run's time.
//   - Means (sojourn, wait, P(wait > 0), blocking): the per-customer values, in arrival
//     order, go into sim.BatchMeans with a target of 30 batches (so 30–59 batches of equal
//     size). The check passes when the theoretical value lies inside the batch-means
//     Student-t interval at level 1 − 1e-4: |estimate − theory| ≤ t_{1−0.5e-4, b−1}·s_B/√b
//     (t = 4.18–4.51 for b = 59..30), i.e. about 4 batch-means standard errors. A correct
//     simulator fails one check with probability about 1e-4 (a little more if the batches
//     are not quite independent: at ρ = 0.9 the 2e5-customer run has batches of 3,300+
//     customers, ten times the correlation length of the M/M/1 waiting time). A wrong
//     discipline or a broken event order moves the estimates by many standard errors.
//   - Percentiles: the p-quantile q̂ of n customers has, by the Bahadur representation,
//     q̂ − q ≈ (p − F̂(q))/f(q): its standard error is the order-statistic one,
//     √(p(1−p)/n)/f(q), for independent customers, inflated by √r where r is the ratio of
//     the batch-means variance of the indicator 1{X ≤ q} to its binomial variance p(1−p)/n
//     (the autocorrelation of successive customers). So the tolerance is the batch-means
//     half-width (same level) of those indicators divided by the density f(q); the test log
//     shows r.
//   - Blocking probability (M/M/c/K): the fraction of arrivals refused, same batch-means
//     rule over the per-arrival refusal indicators; the log shows the binomial standard
//     error √(p(1−p)/n) and the inflation r (successive arrivals see correlated states).
//   - Sample path (exact, no tolerance): no customer starts service before it arrives or
//     ends before it starts, and in a FIFO line service starts in arrival order.
//   - Little's law L = λW holds on every sample path up to edge effects, so it is checked
//     deterministically: with L the time-weighted mean of the InSystem gauge over the
//     measured window [T0, T1] of length T, λ = completions in the window / T and W their
//     mean sojourn, |L − λW| ≤ (A0 + A1)/T, where A0 and A1 are the time the customers in
//     the system at T0 and at T1 had spent in it (since T0 for A1): the only customer-time
//     that one side counts and the other does not. Plus 1e-9 relative for float rounding.
//
// The fast variant (2e5 customers, seconds; 5e4 under -race) runs always; the long one
// (2e6–5e6 customers) runs when MSGSIM_VALIDATE=1 (make validate), else it is skipped.

import (
	"fmt"
	"math"
	"os"
	"slices"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"msgsim/sim"
)

const (
	checkLevel     = 1 - 1e-4 // confidence level of every statistical check
	targetBatches  = 30       // sim.BatchMeans target: 30–59 batches
	warmupFraction = 0.05     // customers discarded at the start, in arrival order
)

// size is one variant of a validation run.
type size struct {
	name      string
	customers int64
	seed      uint64
	long      bool
}

// sizes returns the fast and the long variant, the latter with longCustomers customers.
// Under the race detector the fast variant is 50,000 customers (the tolerances follow
// from the sample size, so they widen accordingly).
func sizes(longCustomers int64) []size {
	fast := int64(200_000)
	if raceDetector {
		fast = 50_000
	}
	return []size{
		{"fast", fast, 1, false},
		{"long", longCustomers, 2, true},
	}
}

func (s size) skipUnlessEnabled(t *testing.T) {
	if s.long && os.Getenv("MSGSIM_VALIDATE") != "1" {
		t.Skipf("long validation (%d customers) runs only with MSGSIM_VALIDATE=1 (make validate)", s.customers)
	}
}

// validationRun is a finished single-station run and its customers in arrival order.
type validationRun struct {
	m       *mmc
	served  []completion // after the warm-up, in arrival order
	blocked []float64    // 1 for each refused arrival, 0 for an admitted one, arrival order
	little  check
	// sample-path violations over every customer: a service that starts before the
	// arrival or ends before it starts (acausal), and one that starts before the service
	// of an earlier arrival (overtaken: impossible in a FIFO line)
	acausal, overtaken int
}

// expectFIFOPath checks the sample path: no acausal customer, and service starts in
// arrival order. Both are exact properties of a FIFO station, so any count is an error.
func expectFIFOPath(t *testing.T, r *validationRun) {
	t.Helper()
	if r.acausal != 0 || r.overtaken != 0 {
		t.Errorf("sample path: %d customers served before arriving or done before starting, "+
			"%d served before an earlier arrival (FIFO)", r.acausal, r.overtaken)
		return
	}
	t.Logf("%-22s every customer served in arrival order, none before its arrival", "sample path")
}

// runStation runs cfg with an Observer, checks conservation and Little's law, and returns
// the customers after the warm-up in arrival order.
func runStation(t *testing.T, cfg MMcConfig) *validationRun {
	t.Helper()
	rec := &recorder{seen: make([]completion, 0, cfg.Customers+cfg.Customers/20)}
	cfg.Observer = rec
	m, err := buildMMc(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Capture the customer-time already spent in the station when the window opens. This
	// event is scheduled before World.Run schedules the warm-up, so at T0 it fires first.
	t0 := m.w.Config().Warmup
	var a0 time.Duration
	h := m.w.Eng.Register(sim.HandlerFunc(func(sim.Event) { a0 = m.svc.ageSum(t0, 0) }))
	if err := m.w.Eng.Schedule(sim.Event{At: t0, Target: sim.Target{Handler: h}}); err != nil {
		t.Fatal(err)
	}
	if err := m.w.Run(); err != nil {
		t.Fatal(err)
	}
	checkConservation(t, m.w)
	a1 := m.svc.ageSum(m.w.Now(), t0)

	r := &validationRun{m: m}
	r.little = littleCheck(m, a0, a1)
	seen := rec.seen
	slices.SortStableFunc(seen, func(a, b completion) int {
		switch {
		case a.arrival < b.arrival:
			return -1
		case a.arrival > b.arrival:
			return 1
		}
		return 0
	})
	var lastStart time.Duration
	for _, c := range seen {
		if c.end < 0 {
			continue
		}
		if c.start < c.arrival || c.end < c.start {
			r.acausal++
		}
		if c.start < lastStart {
			r.overtaken++
		}
		lastStart = max(lastStart, c.start)
	}
	seen = seen[len(seen)*int(warmupFraction*1000)/1000:]
	r.blocked = make([]float64, len(seen))
	for i, c := range seen {
		if c.end < 0 {
			r.blocked[i] = 1
			continue
		}
		r.served = append(r.served, c)
	}
	t.Logf("%d customers after the warm-up, %d events", len(seen), m.w.Eng.Fired())
	return r
}

func (r *validationRun) sojourns() []float64 {
	xs := make([]float64, len(r.served))
	for i, c := range r.served {
		xs[i] = (c.end - c.arrival).Seconds()
	}
	return xs
}

func (r *validationRun) waits() []float64 {
	xs := make([]float64, len(r.served))
	for i, c := range r.served {
		xs[i] = (c.start - c.arrival).Seconds()
	}
	return xs
}

// check is one comparison of an estimate with theory.
type check struct {
	name                  string
	estimate, theory, tol float64
	note                  string
}

func (c check) ok() bool { return math.Abs(c.estimate-c.theory) <= c.tol }

func (c check) String() string {
	verdict := "ok"
	if !c.ok() {
		verdict = "FAIL"
	}
	return fmt.Sprintf("%-22s estimate %.6f theory %.6f tolerance ±%.6f (%.2f%%) %s  %s",
		c.name, c.estimate, c.theory, c.tol, 100*c.tol/math.Abs(c.theory), verdict, c.note)
}

// expect reports c: a log line when it holds, an error when it does not.
func expect(t *testing.T, c check) {
	t.Helper()
	if c.ok() {
		t.Log(c)
	} else {
		t.Error(c)
	}
}

// batchMeans returns the mean of xs (in order) and the half-width of its batch-means
// interval at checkLevel, with the number of batches used.
func batchMeans(xs []float64) (mean, halfWidth float64, batches int) {
	bm, err := sim.NewBatchMeans(targetBatches)
	if err != nil {
		panic(err)
	}
	for _, x := range xs {
		bm.Add(x)
	}
	return bm.Mean(), bm.HalfWidth(checkLevel), bm.Batches()
}

// tQuantile is the Student-t quantile the batch-means half-width uses.
func tQuantile(batches int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(batches - 1)}.Quantile((1 + checkLevel) / 2)
}

// meanCheck compares the batch-means estimate of the mean of xs with theory.
func meanCheck(name string, xs []float64, theory float64) check {
	mean, hw, b := batchMeans(xs)
	return check{name: name, estimate: mean, theory: theory, tol: hw,
		note: fmt.Sprintf("(%d batches of %d)", b, len(xs)/b)}
}

// proportionCheck compares a fraction (mean of 0/1 indicators) with theory, and notes the
// binomial standard error and the batch-means variance inflation r over it.
func proportionCheck(name string, ind []float64, theory float64) check {
	mean, hw, b := batchMeans(ind)
	binom := math.Sqrt(theory * (1 - theory) / float64(len(ind)))
	r := math.Pow(hw/tQuantile(b)/binom, 2)
	return check{name: name, estimate: mean, theory: theory, tol: hw,
		note: fmt.Sprintf("(binomial SE %.2g, batch-means variance ratio r = %.1f)", binom, r)}
}

// quantileCheck compares the empirical p-quantile of xs with the theoretical q, whose
// density is f: tolerance = batch-means half-width of 1{x ≤ q} / f(q) (see the top).
func quantileCheck(name string, xs []float64, p, q, f float64) check {
	ind := make([]float64, len(xs))
	for i, x := range xs {
		if x <= q {
			ind[i] = 1
		}
	}
	_, hw, b := batchMeans(ind)
	n := float64(len(xs))
	iid := math.Sqrt(p*(1-p)/n) / f
	r := math.Pow(hw/tQuantile(b)/f/iid, 2)
	return check{name: name, estimate: quantile(xs, p), theory: q, tol: hw / f,
		note: fmt.Sprintf("(order-statistic SE %.3g inflated by √r, r = %.1f)", iid, r)}
}

// quantile is the p-quantile of xs by linear interpolation between order statistics (the
// peers' and numpy's default definition). xs is not modified.
func quantile(xs []float64, p float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	h := p * float64(len(s)-1)
	i := int(h)
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (h-float64(i))*(s[i+1]-s[i])
}

// littleCheck compares L with λW over the measured window (see the top for the bound).
func littleCheck(m *mmc, a0, a1 time.Duration) check {
	s, now := m.svc, m.w.Now()
	window := m.w.Config().Duration.Seconds()
	L := s.inSystem.Mean(now)
	done := float64(m.w.Metrics.Find(mmcName, "Completed").Total())
	W := s.sojourn.Total.Mean() / 1e9
	lw := done / window * W
	return check{name: "Little's law L = λW", estimate: L, theory: lw,
		tol: (a0+a1).Seconds()/window + 1e-9*L,
		note: fmt.Sprintf("(λ = %.4f/s, W = %.4f s, edge customer-time %.1f s over %.0f s)",
			done/window, W, (a0 + a1).Seconds(), window)}
}

// mmckMeanSojourn is the mean sojourn of admitted customers in M/M/c/K: with the
// birth–death probabilities p_n, L = Σ n·p_n and, by Little's law over admitted customers,
// W = L / (λ(1 − p_K)).
func mmckMeanSojourn(lambda, mu float64, c, k int) float64 {
	p := make([]float64, k+1)
	p[0] = 1
	sum := 1.0
	for n := 1; n <= k; n++ {
		p[n] = p[n-1] * lambda / (float64(min(n, c)) * mu)
		sum += p[n]
	}
	var L float64
	for n := range p {
		L += float64(n) * p[n] / sum
	}
	return L / (lambda * (1 - p[k]/sum))
}

func waited(r *validationRun) []float64 {
	ind := make([]float64, len(r.served))
	for i, c := range r.served {
		if c.start > c.arrival {
			ind[i] = 1
		}
	}
	return ind
}

func TestValidationMM1(t *testing.T) {
	// M/M/1 at ρ = 0.9: the sojourn is exponential with rate μ − λ = 0.1, so its mean is
	// 10 s and its p-quantile is −10·ln(1 − p): p50 6.9315, p95 29.957, p99 46.052.
	q := MMc{Lambda: 0.9, Mu: 1, Servers: 1}
	for _, sz := range sizes(5_000_000) {
		t.Run(sz.name, func(t *testing.T) {
			sz.skipUnlessEnabled(t)
			r := runStation(t, MMcConfig{ArrivalRate: q.Lambda, Servers: 1, Service: sim.Exponential(1 / q.Mu),
				QueueLimit: -1, Customers: sz.customers, Seed: sz.seed})
			soj := r.sojourns()
			expect(t, meanCheck("mean sojourn", soj, q.MeanSojourn()))
			expect(t, meanCheck("mean wait", r.waits(), q.MeanWait()))
			for _, p := range []float64{0.50, 0.95, 0.99} {
				x := q.SojournQuantile(p)
				expect(t, quantileCheck(fmt.Sprintf("sojourn p%02.0f", 100*p), soj, p, x, q.SojournDensity(x)))
			}
			expect(t, r.little)
			expectFIFOPath(t, r)
		})
	}
}

func TestValidationMM10(t *testing.T) {
	// M/M/10 at λ = 8, μ = 1: Erlang C = 0.409180, mean wait 0.204590, mean sojourn
	// 1.204590; sojourn p50/p95/p99 0.912145/3.328275/4.946111 (the SimPy peer's values).
	q := MMc{Lambda: 8, Mu: 1, Servers: 10}
	for _, sz := range sizes(2_000_000) {
		t.Run(sz.name, func(t *testing.T) {
			sz.skipUnlessEnabled(t)
			r := runStation(t, MMcConfig{ArrivalRate: q.Lambda, Servers: q.Servers, Service: sim.Exponential(1 / q.Mu),
				QueueLimit: -1, Customers: sz.customers, Seed: sz.seed})
			soj := r.sojourns()
			expect(t, proportionCheck("P(wait > 0) = Erlang C", waited(r), q.ErlangC()))
			expect(t, meanCheck("mean wait", r.waits(), q.MeanWait()))
			expect(t, meanCheck("mean sojourn", soj, q.MeanSojourn()))
			for _, p := range []float64{0.50, 0.95, 0.99} {
				x := q.SojournQuantile(p)
				expect(t, quantileCheck(fmt.Sprintf("sojourn p%02.0f", 100*p), soj, p, x, q.SojournDensity(x)))
			}
			expect(t, r.little)
			expectFIFOPath(t, r)
		})
	}
}

func TestValidationMD1(t *testing.T) {
	// M/D/1 at ρ = 0.8 (λ = 0.8, service exactly 1 s): Pollaczek–Khinchine gives the mean
	// wait ρ/(2μ(1 − ρ)) = 2 s, so the mean sojourn is 3 s; an arrival waits with
	// probability ρ (M/G/1).
	const lambda, service = 0.8, 1.0
	wq := MG1Wait(lambda, service, 0)
	for _, sz := range sizes(2_000_000) {
		t.Run(sz.name, func(t *testing.T) {
			sz.skipUnlessEnabled(t)
			r := runStation(t, MMcConfig{ArrivalRate: lambda, Servers: 1, Service: sim.Constant(service),
				QueueLimit: -1, Customers: sz.customers, Seed: sz.seed})
			expect(t, meanCheck("mean wait (P-K)", r.waits(), wq))
			expect(t, meanCheck("mean sojourn", r.sojourns(), wq+service))
			expect(t, proportionCheck("P(wait > 0) = ρ", waited(r), lambda*service))
			expect(t, r.little)
			expectFIFOPath(t, r)
		})
	}
}

func TestValidationMMcK(t *testing.T) {
	// M/M/3/5 (3 servers, at most 5 in the system: a line of 2) at λ = 3, μ = 1: the
	// birth–death chain has p_n ∝ 1, 3, 4.5, 4.5, 4.5, 4.5, so an arrival is refused with
	// probability 4.5/22 = 0.204545, and admitted customers stay W = L/(λ(1 − p_5)).
	const lambda, mu, c, k = 3.0, 1.0, 3, 5
	for _, sz := range sizes(2_000_000) {
		t.Run(sz.name, func(t *testing.T) {
			sz.skipUnlessEnabled(t)
			r := runStation(t, MMcConfig{ArrivalRate: lambda, Servers: c, Service: sim.Exponential(1 / mu),
				QueueLimit: k - c, Customers: sz.customers, Seed: sz.seed})
			expect(t, proportionCheck("blocking probability", r.blocked, MMcKBlocking(lambda, mu, c, k)))
			expect(t, meanCheck("mean sojourn (admitted)", r.sojourns(), mmckMeanSojourn(lambda, mu, c, k)))
			expect(t, r.little)
			expectFIFOPath(t, r)
		})
	}
}

func TestValidationCatchesLIFOService(t *testing.T) {
	// Serving the newest waiting customer first leaves the mean wait unchanged (the work in
	// the system does not depend on the order), so the mean checks cannot see it; but it
	// spreads the sojourn times far wider, and the percentile checks must fail. This shows
	// the validation above would catch a broken discipline (or an engine that fires events
	// out of order, which scrambles the line the same way).
	q := MMc{Lambda: 0.9, Mu: 1, Servers: 1}
	r := runStation(t, MMcConfig{ArrivalRate: q.Lambda, Servers: 1, Service: sim.Exponential(1 / q.Mu),
		QueueLimit: -1, Customers: sizes(0)[0].customers, Seed: 1, lifo: true})
	soj := r.sojourns()
	mean := meanCheck("mean sojourn", soj, q.MeanSojourn())
	t.Logf("LIFO: %v", mean)
	for _, p := range []float64{0.50, 0.99} {
		x := q.SojournQuantile(p)
		c := quantileCheck(fmt.Sprintf("sojourn p%02.0f", 100*p), soj, p, x, q.SojournDensity(x))
		t.Logf("LIFO: %v", c)
		if c.ok() {
			t.Errorf("the p%.0f check passed under LIFO service; it must catch the wrong discipline", 100*p)
		}
	}
	t.Logf("LIFO: %d customers served before an earlier arrival", r.overtaken)
	if r.overtaken == 0 {
		t.Error("the FIFO sample-path check saw no overtaking under LIFO service")
	}
}
