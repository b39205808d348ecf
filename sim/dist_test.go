package sim

import (
	"math"
	"math/rand/v2"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// distParams is shorthand for a parameter map in the test tables.
type distParams = map[string]float64

// momentCases is one or more distributions of every kind, with parameters chosen to reach
// each code path (gamma shape < 1, heavy normal truncation, nested mixtures, ...).
var momentCases = []struct {
	name string
	spec DistSpec
}{
	{"constant", DistSpec{Kind: "constant", Params: distParams{"value": 0.25}}},
	{"exponential by mean", DistSpec{Kind: "exponential", Params: distParams{"mean": 0.05}}},
	{"exponential by rate", DistSpec{Kind: "exponential", Params: distParams{"rate": 200}}},
	{"uniform", DistSpec{Kind: "uniform", Params: distParams{"min": 0.01, "max": 0.03}}},
	{"normal barely truncated", DistSpec{Kind: "normal", Params: distParams{"mean": 0.1, "stddev": 0.02}}},
	{"normal truncated at its mean (half-normal)", DistSpec{Kind: "normal", Params: distParams{"mean": 0, "stddev": 1}}},
	{"normal truncated half a stddev below its mean", DistSpec{Kind: "normal", Params: distParams{"mean": 0.01, "stddev": 0.02}}},
	{"lognormal by mean and stddev", DistSpec{Kind: "lognormal", Params: distParams{"mean": 0.04, "stddev": 0.02}}},
	{"lognormal by p50 and p99", DistSpec{Kind: "lognormal", Params: distParams{"p50": 0.004, "p99": 0.02}}},
	{"gamma shape above 1", DistSpec{Kind: "gamma", Params: distParams{"shape": 2.5, "scale": 0.01}}},
	{"gamma shape below 1", DistSpec{Kind: "gamma", Params: distParams{"shape": 0.4, "scale": 1}}},
	{"gamma by mean and stddev", DistSpec{Kind: "gamma", Params: distParams{"mean": 0.1, "stddev": 0.05}}},
	{"weibull heavy (shape < 1)", DistSpec{Kind: "weibull", Params: distParams{"shape": 0.7, "scale": 0.1}}},
	{"weibull light (shape > 1)", DistSpec{Kind: "weibull", Params: distParams{"shape": 3, "scale": 2}}},
	{"pareto with finite fourth moment", DistSpec{Kind: "pareto", Params: distParams{"alpha": 5, "xm": 0.01}}},
	{"pareto with finite variance only", DistSpec{Kind: "pareto", Params: distParams{"alpha": 3, "xm": 1}}},
	{"empirical", DistSpec{Kind: "empirical", Percentiles: []PercentilePoint{
		{0, 0.001}, {50, 0.004}, {90, 0.01}, {99, 0.05}, {100, 0.2}}}},
	{"empirical with a point mass", DistSpec{Kind: "empirical", Percentiles: []PercentilePoint{
		{0, 1}, {40, 1}, {100, 3}}}},
	{"mixture fast and slow", DistSpec{Kind: "mixture", Components: []MixtureComponent{
		{99, DistSpec{Kind: "lognormal", Params: distParams{"mean": 0.005, "stddev": 0.002}}},
		{1, DistSpec{Kind: "constant", Params: distParams{"value": 2}}}}}},
	{"nested mixture", DistSpec{Kind: "mixture", Components: []MixtureComponent{
		{0.3, DistSpec{Kind: "mixture", Components: []MixtureComponent{
			{1, DistSpec{Kind: "exponential", Params: distParams{"mean": 1}}},
			{2, DistSpec{Kind: "uniform", Params: distParams{"min": 2, "max": 4}}}}}},
		{0.7, DistSpec{Kind: "gamma", Params: distParams{"shape": 4, "scale": 0.5}}}}}},
}

// rawMoments returns E[X^0..4] of the distribution spec describes, computed from textbook
// closed forms independently of the implementation, or +Inf where a moment is infinite.
func rawMoments(t *testing.T, spec DistSpec) [5]float64 {
	t.Helper()
	var m [5]float64
	p := spec.Params
	switch spec.Kind {
	case "constant":
		for n := range m {
			m[n] = math.Pow(p["value"], float64(n))
		}
	case "exponential": // E[X^n] = n!·mean^n
		mean := p["mean"]
		if r, ok := p["rate"]; ok {
			mean = 1 / r
		}
		for n := range m {
			m[n] = math.Gamma(float64(n+1)) * math.Pow(mean, float64(n))
		}
	case "uniform": // E[X^n] = (b^(n+1) - a^(n+1)) / ((n+1)(b - a))
		a, b := p["min"], p["max"]
		for n := range m {
			k := float64(n + 1)
			m[n] = (math.Pow(b, k) - math.Pow(a, k)) / (k * (b - a))
		}
	case "normal":
		// Z standard normal conditioned on Z > a: integrating z^k·φ(z) by parts gives
		// E[Z^k] = (k-1)·E[Z^(k-2)] + a^(k-1)·φ(a)/Q(a). Then X = mu + sigma·Z.
		mu, sigma := p["mean"], p["stddev"]
		a := -mu / sigma
		q := 0.5 * math.Erfc(a/math.Sqrt2)
		h := math.Exp(-a*a/2) / math.Sqrt(2*math.Pi) / q
		var z [5]float64
		z[0], z[1] = 1, h
		for k := 2; k <= 4; k++ {
			z[k] = float64(k-1)*z[k-2] + math.Pow(a, float64(k-1))*h
		}
		for n := range m {
			for j := 0; j <= n; j++ {
				m[n] += binomCoef(n, j) * math.Pow(mu, float64(n-j)) * math.Pow(sigma, float64(j)) * z[j]
			}
		}
	case "lognormal": // E[X^n] = exp(n·mu + n²·sigma²/2)
		var mu, sigma float64
		if p50, ok := p["p50"]; ok {
			mu = math.Log(p50)
			sigma = (math.Log(p["p99"]) - mu) / (math.Sqrt2 * math.Erfinv(2*0.99-1))
		} else {
			s2 := math.Log(1 + p["stddev"]*p["stddev"]/(p["mean"]*p["mean"]))
			mu, sigma = math.Log(p["mean"])-s2/2, math.Sqrt(s2)
		}
		for n := range m {
			k := float64(n)
			m[n] = math.Exp(k*mu + k*k*sigma*sigma/2)
		}
	case "gamma": // E[X^n] = θ^n·k(k+1)...(k+n-1)
		k, theta := p["shape"], p["scale"]
		if mean, ok := p["mean"]; ok {
			sd := p["stddev"]
			k, theta = mean*mean/(sd*sd), sd*sd/mean
		}
		m[0] = 1
		for n := 1; n < len(m); n++ {
			m[n] = m[n-1] * theta * (k + float64(n-1))
		}
	case "weibull": // E[X^n] = λ^n·Γ(1 + n/k)
		for n := range m {
			m[n] = math.Pow(p["scale"], float64(n)) * math.Gamma(1+float64(n)/p["shape"])
		}
	case "pareto": // E[X^n] = α·xm^n/(α - n) for α > n
		alpha, xm := p["alpha"], p["xm"]
		for n := range m {
			m[n] = math.Inf(1)
			if alpha > float64(n) {
				m[n] = alpha * math.Pow(xm, float64(n)) / (alpha - float64(n))
			}
		}
	case "empirical": // a mixture of uniforms (or points) on the segments
		pts := spec.Percentiles
		for i := 1; i < len(pts); i++ {
			w := (pts[i].P - pts[i-1].P) / 100
			seg := rawMoments(t, DistSpec{Kind: "uniform", Params: distParams{"min": pts[i-1].Value, "max": pts[i].Value}})
			if pts[i].Value == pts[i-1].Value {
				seg = rawMoments(t, DistSpec{Kind: "constant", Params: distParams{"value": pts[i].Value}})
			}
			for n := range m {
				m[n] += w * seg[n]
			}
		}
	case "mixture":
		var sum float64
		for _, c := range spec.Components {
			sum += c.Weight
		}
		for _, c := range spec.Components {
			sub := rawMoments(t, c.Dist)
			for n := range m {
				m[n] += c.Weight / sum * sub[n]
			}
		}
	default:
		t.Fatalf("no reference moments for %q", spec.Kind)
	}
	return m
}

// binomCoef is the binomial coefficient n choose k.
func binomCoef(n, k int) float64 {
	r := 1.0
	for i := 1; i <= k; i++ {
		r = r * float64(n-k+i) / float64(i)
	}
	return r
}

// centralMoments turns raw moments into the mean, the variance and the fourth central
// moment mu4 = E[X⁴] - 4·m1·E[X³] + 6·m1²·E[X²] - 3·m1⁴.
func centralMoments(m [5]float64) (mean, variance, mu4 float64) {
	mean = m[1]
	variance = m[2] - mean*mean
	mu4 = m[4] - 4*mean*m[3] + 6*mean*mean*m[2] - 3*mean*mean*mean*mean
	return mean, variance, mu4
}

// distSampleCount is the number of draws of the statistical tests: 1e6, or 2e5 under -short
// or -race. The race detector slows each draw about tenfold and finds nothing more in these
// single-goroutine loops after the first few draws; the tolerances below are computed from
// n, so a smaller n gives a weaker test, never a wrong one.
func distSampleCount() int {
	if testing.Short() || raceEnabled() {
		return 200_000
	}
	return 1_000_000
}

// raceEnabled reports whether the test binary was built with -race.
func raceEnabled() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// distCloseRel reports whether got and want agree to a relative tolerance. The moment tests
// compare two closed-form evaluations of the same quantity that differ only in rounding
// (a few ulps times condition numbers below 1e3 for these parameters, so under 1e-12);
// 1e-9 is that bound with margin, not a fitted value.
func distCloseRel(got, want float64) bool {
	if math.IsInf(want, 1) {
		return math.IsInf(got, 1)
	}
	return math.Abs(got-want) <= 1e-9*math.Abs(want)
}

func TestDistMomentsAreExact(t *testing.T) {
	for _, tc := range momentCases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := NewDist(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			mean, variance, _ := centralMoments(rawMoments(t, tc.spec))
			if !distCloseRel(d.Mean(), mean) {
				t.Errorf("%v: Mean() = %v, closed form gives %v", d, d.Mean(), mean)
			}
			if !distCloseRel(d.Variance(), variance) && !(variance < 1e-15*mean*mean && d.Variance() < 1e-15*mean*mean) {
				t.Errorf("%v: Variance() = %v, closed form gives %v", d, d.Variance(), variance)
			}
		})
	}
}

func TestDistSampleMomentsMatch(t *testing.T) {
	n := distSampleCount()
	for _, tc := range momentCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // each subtest owns its stream; the table is read-only
			d, err := NewDist(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			mean, variance := d.Mean(), d.Variance()
			_, _, mu4 := centralMoments(rawMoments(t, tc.spec))
			r := NewStream(1, 0, tc.name)
			// Sums of deviations from the true mean: sample mean = mean + s1/n, and the
			// sample variance about the sample mean is s2/n - (s1/n)².
			var s1, s2 float64
			for range n {
				x := d.Sample(r)
				if !(x >= 0) || math.IsInf(x, 0) {
					t.Fatalf("%v drew %v, want a finite value >= 0", d, x)
				}
				dx := x - mean
				s1 += dx
				s2 += dx * dx
			}
			fn := float64(n)
			sampleMean := mean + s1/fn
			sampleVar := s2/fn - (s1/fn)*(s1/fn)
			if variance == 0 {
				if s1 != 0 || s2 != 0 {
					t.Fatalf("%v has variance 0 but drew values other than %v", d, mean)
				}
				return
			}
			// The sample mean is approximately normal with standard error sqrt(σ²/n) (CLT, σ²
			// finite in every case here); 4 standard errors is a two-sided false-alarm rate of
			// 6.3e-5 per check (and the streams are seeded, so each run is reproducible).
			seMean := math.Sqrt(variance / fn)
			if math.Abs(sampleMean-mean) > 4*seMean {
				t.Errorf("%v: sample mean %.6g, want %.6g ± %.3g (4 SE)", d, sampleMean, mean, 4*seMean)
			}
			if math.IsInf(mu4, 1) {
				// The fourth moment is infinite (pareto alpha <= 4): the sample variance has
				// no finite standard error and converges too slowly to test this way.
				return
			}
			// Var(sample variance) ≈ (mu4 - σ⁴)/n, so its standard error is sqrt of that.
			seVar := math.Sqrt((mu4 - variance*variance) / fn)
			if math.Abs(sampleVar-variance) > 4*seVar {
				t.Errorf("%v: sample variance %.6g, want %.6g ± %.3g (4 SE)", d, sampleVar, variance, 4*seVar)
			}
		})
	}
}

func TestSamplersDoNotAllocate(t *testing.T) {
	for _, tc := range momentCases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := NewDist(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			r := NewStream(1, 0, tc.name)
			var sink float64
			if allocs := testing.AllocsPerRun(1000, func() { sink += d.Sample(r) }); allocs != 0 {
				t.Errorf("%v: Sample allocates %v times per call, want 0", d, allocs)
			}
			if allocs := testing.AllocsPerRun(1000, func() { sink += float64(SampleDuration(d, r)) }); allocs != 0 {
				t.Errorf("%v: SampleDuration allocates %v times per call, want 0", d, allocs)
			}
		})
	}
}

// checkQuantiles draws n values of d and checks, for each (p, x_p), that x_p is the
// p-quantile of the draws within binomial confidence bounds. The number of draws <= x_p is
// Binomial(n, p); the empirical p-quantile lies on the right side of x_p exactly when that
// count is on the right side of np, so we allow the count np ± 4·sqrt(np(1-p)) (normal
// approximation to the binomial, 4 standard deviations: a false alarm has probability about
// 6.3e-5 per point). Counting rather than sorting keeps the test fast under -race.
func checkQuantiles(t *testing.T, d Dist, n int, name string, quantiles [][2]float64) {
	t.Helper()
	r := NewStream(1, 0, name)
	counts := make([]int, len(quantiles))
	for range n {
		x := d.Sample(r)
		for i, q := range quantiles {
			if x <= q[1] {
				counts[i]++
			}
		}
	}
	fn := float64(n)
	for i, q := range quantiles {
		p := q[0]
		want, tol := fn*p, 4*math.Sqrt(fn*p*(1-p))
		if math.Abs(float64(counts[i])-want) > tol {
			t.Errorf("%v: %d of %d draws are <= %.6g, want %.0f ± %.0f for it to be the p%g",
				d, counts[i], n, q[1], want, tol, 100*p)
		}
	}
}

func TestQuantilesOfDrawsMatch(t *testing.T) {
	tests := []struct {
		name      string
		spec      DistSpec
		quantiles [][2]float64 // (p, true p-quantile)
	}{
		{
			name: "lognormal by p50 and p99 has those percentiles",
			spec: DistSpec{Kind: "lognormal", Params: distParams{"p50": 0.004, "p99": 0.02}},
			quantiles: [][2]float64{{0.5, 0.004}, {0.99, 0.02},
				// and p90 = exp(mu + sigma·z₀.₉) with z₀.₉ = 1.2815515655446004
				{0.9, math.Exp(math.Log(0.004) + (math.Log(0.02)-math.Log(0.004))/z99*1.2815515655446004)}},
		},
		{
			name:      "empirical draws have the table's percentiles",
			spec:      DistSpec{Kind: "empirical", Percentiles: []PercentilePoint{{0, 0.001}, {50, 0.004}, {90, 0.01}, {99, 0.05}, {100, 0.2}}},
			quantiles: [][2]float64{{0.5, 0.004}, {0.9, 0.01}, {0.99, 0.05}},
		},
		{
			name: "empirical interpolates linearly between rows",
			spec: DistSpec{Kind: "empirical", Percentiles: []PercentilePoint{{0, 0.001}, {50, 0.004}, {90, 0.01}, {99, 0.05}, {100, 0.2}}},
			// midpoints of each segment, in P and in value
			quantiles: [][2]float64{{0.25, 0.0025}, {0.7, 0.007}, {0.945, 0.03}, {0.995, 0.125}},
		},
		{
			// The mean is infinite, so only quantiles can be checked: x_p = xm·(1-p)^(-1/α).
			name:      "pareto with infinite mean has the right quantiles",
			spec:      DistSpec{Kind: "pareto", Params: distParams{"alpha": 0.8, "xm": 0.01}},
			quantiles: [][2]float64{{0.5, 0.01 * math.Pow(0.5, -1/0.8)}, {0.9, 0.01 * math.Pow(0.1, -1/0.8)}, {0.999, 0.01 * math.Pow(0.001, -1/0.8)}},
		},
		{
			name:      "pareto with infinite variance has the right quantiles",
			spec:      DistSpec{Kind: "pareto", Params: distParams{"alpha": 1.5, "xm": 2}},
			quantiles: [][2]float64{{0.5, 2 * math.Pow(0.5, -1/1.5)}, {0.99, 2 * math.Pow(0.01, -1/1.5)}},
		},
		{
			// Weibull quantile: x_p = λ·(-ln(1-p))^(1/k).
			name:      "weibull has the right quantiles",
			spec:      DistSpec{Kind: "weibull", Params: distParams{"shape": 0.7, "scale": 0.1}},
			quantiles: [][2]float64{{0.5, 0.1 * math.Pow(math.Ln2, 1/0.7)}, {0.99, 0.1 * math.Pow(math.Log(100), 1/0.7)}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // each subtest owns its stream; the table is read-only
			d, err := NewDist(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			checkQuantiles(t, d, distSampleCount(), tt.name, tt.quantiles)
		})
	}
}

func TestEmpiricalPointMassHasItsProbability(t *testing.T) {
	// A flat segment from P=0 to P=40 at value 1 is a point mass of probability 0.4. The
	// count of draws equal to 1 is Binomial(n, 0.4): allow 4 standard deviations.
	d, err := NewDist(DistSpec{Kind: "empirical", Percentiles: []PercentilePoint{{0, 1}, {40, 1}, {100, 3}}})
	if err != nil {
		t.Fatal(err)
	}
	n := distSampleCount()
	r := NewStream(1, 0, "point mass")
	ones := 0
	for range n {
		if d.Sample(r) == 1 {
			ones++
		}
	}
	want, tol := 0.4*float64(n), 4*math.Sqrt(float64(n)*0.4*0.6)
	if math.Abs(float64(ones)-want) > tol {
		t.Errorf("%d of %d draws are exactly 1, want %.0f ± %.0f", ones, n, want, tol)
	}
}

func TestMixtureIsTheWeightedMean(t *testing.T) {
	// Weights 3 and 1 are normalised to 0.75 and 0.25. The components do not overlap, so a
	// draw above 5 came from the second: their count is Binomial(n, 0.25), ± 4 SD allowed.
	d, err := NewDist(DistSpec{Kind: "mixture", Components: []MixtureComponent{
		{3, DistSpec{Kind: "uniform", Params: distParams{"min": 0, "max": 1}}},
		{1, DistSpec{Kind: "uniform", Params: distParams{"min": 10, "max": 11}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := 0.75*0.5 + 0.25*10.5; d.Mean() != want {
		t.Errorf("Mean() = %v, want the weighted mean %v", d.Mean(), want)
	}
	// Law of total variance: 0.75·(1/12) + 0.25·(1/12) + 0.75·0.25·(10.5-0.5)² = 1/12 + 18.75.
	if want := 1.0/12 + 18.75; !distCloseRel(d.Variance(), want) {
		t.Errorf("Variance() = %v, want %v", d.Variance(), want)
	}
	if got, want := d.String(), "mixture(0.75: uniform(min=0, max=1), 0.25: uniform(min=10, max=11))"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	n := distSampleCount()
	r := NewStream(1, 0, "mixture weights")
	slow := 0
	for range n {
		if d.Sample(r) > 5 {
			slow++
		}
	}
	want, tol := 0.25*float64(n), 4*math.Sqrt(float64(n)*0.25*0.75)
	if math.Abs(float64(slow)-want) > tol {
		t.Errorf("%d of %d draws from the second component, want %.0f ± %.0f", slow, n, want, tol)
	}
}

func TestInfiniteMomentsAreReported(t *testing.T) {
	tests := []struct {
		name           string
		spec           DistSpec
		mean, variance float64
	}{
		{"pareto alpha <= 1 has infinite mean and variance", DistSpec{Kind: "pareto", Params: distParams{"alpha": 1, "xm": 1}}, math.Inf(1), math.Inf(1)},
		{"pareto 1 < alpha <= 2 has finite mean, infinite variance", DistSpec{Kind: "pareto", Params: distParams{"alpha": 2, "xm": 1}}, 2, math.Inf(1)},
		{"a mixture with an infinite-mean component has infinite moments", DistSpec{Kind: "mixture", Components: []MixtureComponent{
			{0.999, DistSpec{Kind: "constant", Params: distParams{"value": 1}}},
			{0.001, DistSpec{Kind: "pareto", Params: distParams{"alpha": 0.5, "xm": 1}}}}}, math.Inf(1), math.Inf(1)},
		{"a mixture with an infinite-variance component has infinite variance", DistSpec{Kind: "mixture", Components: []MixtureComponent{
			{1, DistSpec{Kind: "constant", Params: distParams{"value": 1}}},
			{1, DistSpec{Kind: "pareto", Params: distParams{"alpha": 2, "xm": 1}}}}}, 1.5, math.Inf(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := NewDist(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			if d.Mean() != tt.mean || d.Variance() != tt.variance {
				t.Errorf("%v: mean %v, variance %v; want %v, %v", d, d.Mean(), d.Variance(), tt.mean, tt.variance)
			}
		})
	}
}

func TestNormalIsTruncatedAtZero(t *testing.T) {
	// Half-normal (mean 0 before truncation): mean σ·sqrt(2/π), variance σ²·(1 - 2/π).
	d, err := NewDist(DistSpec{Kind: "normal", Params: distParams{"mean": 0, "stddev": 2}})
	if err != nil {
		t.Fatal(err)
	}
	if want := 2 * math.Sqrt(2/math.Pi); !distCloseRel(d.Mean(), want) {
		t.Errorf("Mean() = %v, want the half-normal mean %v", d.Mean(), want)
	}
	if want := 4 * (1 - 2/math.Pi); !distCloseRel(d.Variance(), want) {
		t.Errorf("Variance() = %v, want the half-normal variance %v", d.Variance(), want)
	}
	r := NewStream(1, 0, "half-normal")
	for range 10000 {
		if x := d.Sample(r); x < 0 {
			t.Fatalf("drew %v < 0", x)
		}
	}
}

func TestLognormalZ99(t *testing.T) {
	if want := math.Sqrt2 * math.Erfinv(0.98); math.Abs(z99-want) > 1e-15 {
		t.Errorf("z99 = %v, want Φ⁻¹(0.99) = %v", z99, want)
	}
}

func TestDistString(t *testing.T) {
	tests := []struct {
		spec DistSpec
		want string
	}{
		{DistSpec{Kind: "constant", Params: distParams{"value": 0.5}}, "constant(value=0.5)"},
		{DistSpec{Kind: "exponential", Params: distParams{"mean": 0.005}}, "exponential(mean=0.005)"},
		{DistSpec{Kind: "exponential", Params: distParams{"rate": 200}}, "exponential(rate=200)"},
		{DistSpec{Kind: "exponential", Params: distParams{"rate": 3}}, "exponential(rate=3)"},
		{DistSpec{Kind: "uniform", Params: distParams{"min": 1, "max": 2}}, "uniform(min=1, max=2)"},
		{DistSpec{Kind: "normal", Params: distParams{"mean": 1, "stddev": 0.5}}, "normal(mean=1, stddev=0.5, truncated at 0)"},
		{DistSpec{Kind: "lognormal", Params: distParams{"mean": 0.04, "stddev": 0.02}}, "lognormal(mean=0.04, stddev=0.02)"},
		{DistSpec{Kind: "lognormal", Params: distParams{"p50": 0.004, "p99": 0.02}}, "lognormal(p50=0.004, p99=0.02)"},
		{DistSpec{Kind: "gamma", Params: distParams{"shape": 2, "scale": 0.5}}, "gamma(shape=2, scale=0.5)"},
		{DistSpec{Kind: "gamma", Params: distParams{"mean": 1, "stddev": 0.5}}, "gamma(mean=1, stddev=0.5)"},
		{DistSpec{Kind: "weibull", Params: distParams{"shape": 1.5, "scale": 3}}, "weibull(shape=1.5, scale=3)"},
		{DistSpec{Kind: "pareto", Params: distParams{"alpha": 2.5, "xm": 0.01}}, "pareto(alpha=2.5, xm=0.01)"},
		{DistSpec{Kind: "empirical", Percentiles: []PercentilePoint{{0, 1}, {99.9, 2}, {100, 5}}}, "empirical(p0=1, p99.9=2, p100=5)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			d, err := NewDist(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			if got := d.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNewDistErrors(t *testing.T) {
	lognormalBad := DistSpec{Kind: "lognormal", Params: distParams{"mean": 1, "stddev": -1}}
	tests := []struct {
		name string
		spec DistSpec
		want string
	}{
		{"unknown kind lists the known ones", DistSpec{Kind: "lognorm"},
			`unknown distribution "lognorm" (want one of constant, exponential, uniform, normal, lognormal, gamma, weibull, pareto, empirical, mixture)`},
		{"empty kind is unknown", DistSpec{},
			`unknown distribution "" (want one of constant, exponential, uniform, normal, lognormal, gamma, weibull, pareto, empirical, mixture)`},
		{"unknown parameter names the accepted ones", DistSpec{Kind: "exponential", Params: distParams{"meen": 1}},
			`unknown parameter "meen" for exponential (want mean or rate); exponential: give mean or rate`},
		{"unknown parameters are listed in sorted order", DistSpec{Kind: "constant", Params: distParams{"value": 1, "z": 1, "a": 1}},
			`unknown parameter "a" for constant (want value); unknown parameter "z" for constant (want value)`},
		{"percentiles on a non-empirical kind", DistSpec{Kind: "constant", Params: distParams{"value": 1}, Percentiles: []PercentilePoint{{0, 1}}},
			`constant: a percentile table is only for empirical`},
		{"components on a non-mixture kind", DistSpec{Kind: "constant", Params: distParams{"value": 1}, Components: []MixtureComponent{{1, DistSpec{}}}},
			`constant: components are only for mixture`},

		{"constant: missing value", DistSpec{Kind: "constant"}, `constant: value is required`},
		{"constant: negative value", DistSpec{Kind: "constant", Params: distParams{"value": -1}}, `constant: value must be >= 0, got -1`},
		{"constant: NaN value", DistSpec{Kind: "constant", Params: distParams{"value": math.NaN()}}, `constant: value must be finite, got NaN`},
		{"constant: infinite value", DistSpec{Kind: "constant", Params: distParams{"value": math.Inf(1)}}, `constant: value must be finite, got +Inf`},

		{"exponential: both mean and rate", DistSpec{Kind: "exponential", Params: distParams{"mean": 1, "rate": 1}}, `exponential: give either mean or rate, not both`},
		{"exponential: neither", DistSpec{Kind: "exponential"}, `exponential: give mean or rate`},
		{"exponential: zero mean", DistSpec{Kind: "exponential", Params: distParams{"mean": 0}}, `exponential: mean must be > 0, got 0`},
		{"exponential: negative rate", DistSpec{Kind: "exponential", Params: distParams{"rate": -2}}, `exponential: rate must be > 0, got -2`},
		{"exponential: rate so small the mean overflows", DistSpec{Kind: "exponential", Params: distParams{"rate": 1e-310}},
			`exponential: parameters too extreme: mean +Inf, variance +Inf (both must be finite)`},

		{"uniform: missing max", DistSpec{Kind: "uniform", Params: distParams{"min": 1}}, `uniform: max is required`},
		{"uniform: negative min", DistSpec{Kind: "uniform", Params: distParams{"min": -1, "max": 1}}, `uniform: min must be >= 0, got -1`},
		{"uniform: max below min", DistSpec{Kind: "uniform", Params: distParams{"min": 2, "max": 1}}, `uniform: max must be >= min 2, got 1`},
		{"uniform: variance overflows", DistSpec{Kind: "uniform", Params: distParams{"min": 0, "max": 1e300}},
			`uniform: parameters too extreme: mean 5e+299, variance +Inf (both must be finite)`},

		{"normal: negative mean", DistSpec{Kind: "normal", Params: distParams{"mean": -1, "stddev": 1}},
			`normal: mean must be >= 0, got -1 (the normal is truncated at 0; use a distribution of non-negative values)`},
		{"normal: zero stddev", DistSpec{Kind: "normal", Params: distParams{"mean": 1, "stddev": 0}}, `normal: stddev must be > 0, got 0`},
		{"normal: missing both", DistSpec{Kind: "normal"}, `normal: mean is required; normal: stddev is required`},

		{"lognormal: negative stddev", lognormalBad, `lognormal: stddev must be > 0, got -1`},
		{"lognormal: mixed forms", DistSpec{Kind: "lognormal", Params: distParams{"mean": 1, "p99": 2}}, `lognormal: give either mean and stddev, or p50 and p99, not both`},
		{"lognormal: p50 without p99", DistSpec{Kind: "lognormal", Params: distParams{"p50": 1}}, `lognormal: p99 is required`},
		{"lognormal: p99 not above p50", DistSpec{Kind: "lognormal", Params: distParams{"p50": 2, "p99": 2}}, `lognormal: p99 must be > p50 2, got 2`},
		{"lognormal: no parameters", DistSpec{Kind: "lognormal"}, `lognormal: give mean and stddev, or p50 and p99`},
		{"lognormal: unknown parameter", DistSpec{Kind: "lognormal", Params: distParams{"p95": 1, "p50": 1, "p99": 2}},
			`unknown parameter "p95" for lognormal (want mean and stddev, or p50 and p99)`},
		{"lognormal: moments overflow", DistSpec{Kind: "lognormal", Params: distParams{"p50": 1, "p99": 1e300}},
			`lognormal: parameters too extreme: mean +Inf, variance +Inf (both must be finite)`},

		{"gamma: zero shape", DistSpec{Kind: "gamma", Params: distParams{"shape": 0, "scale": 1}}, `gamma: shape must be > 0, got 0`},
		{"gamma: mixed forms", DistSpec{Kind: "gamma", Params: distParams{"shape": 1, "mean": 1}}, `gamma: give either shape and scale, or mean and stddev, not both`},
		{"gamma: stddev without mean", DistSpec{Kind: "gamma", Params: distParams{"stddev": 1}}, `gamma: mean is required`},
		{"gamma: no parameters", DistSpec{Kind: "gamma"}, `gamma: give shape and scale, or mean and stddev`},

		{"weibull: negative scale", DistSpec{Kind: "weibull", Params: distParams{"shape": 1, "scale": -3}}, `weibull: scale must be > 0, got -3`},
		{"weibull: shape so small the mean overflows", DistSpec{Kind: "weibull", Params: distParams{"shape": 0.001, "scale": 1}},
			`weibull: parameters too extreme: mean +Inf, variance +Inf (both must be finite)`},

		{"pareto: zero alpha", DistSpec{Kind: "pareto", Params: distParams{"alpha": 0, "xm": 1}}, `pareto: alpha must be > 0, got 0`},
		{"pareto: missing xm", DistSpec{Kind: "pareto", Params: distParams{"alpha": 2}}, `pareto: xm is required`},

		{"empirical: too few rows", DistSpec{Kind: "empirical", Percentiles: []PercentilePoint{{0, 1}}},
			`empirical: need a percentile table of at least 2 rows, from P=0 to P=100; got 1`},
		{"empirical: parameters are not accepted", DistSpec{Kind: "empirical", Params: distParams{"mean": 1}, Percentiles: []PercentilePoint{{0, 1}, {100, 2}}},
			`unknown parameter "mean" for empirical (want no parameters: give the percentile table)`},
		{"empirical: does not start at P=0", DistSpec{Kind: "empirical", Percentiles: []PercentilePoint{{50, 1}, {100, 2}}},
			`empirical: the table must start at P=0 (the minimum), got P=50 first`},
		{"empirical: does not end at P=100", DistSpec{Kind: "empirical", Percentiles: []PercentilePoint{{0, 1}, {99, 2}}},
			`empirical: the table must end at P=100 (the maximum), got P=99 last`},
		{"empirical: P not increasing", DistSpec{Kind: "empirical", Percentiles: []PercentilePoint{{0, 1}, {50, 2}, {50, 3}, {100, 4}}},
			`empirical: percentiles.2: P must be > the previous P 50, got 50`},
		{"empirical: value decreasing", DistSpec{Kind: "empirical", Percentiles: []PercentilePoint{{0, 1}, {50, 3}, {100, 2}}},
			`empirical: percentiles.2: value must be >= the previous value 3, got 2`},
		{"empirical: negative value and P out of range", DistSpec{Kind: "empirical", Percentiles: []PercentilePoint{{0, -1}, {100, 2}, {101, 3}}},
			`empirical: percentiles.0: value must be >= 0, got -1; empirical: percentiles.2: P must be in [0, 100], got 101; empirical: the table must end at P=100 (the maximum), got P=101 last`},

		{"mixture: no components", DistSpec{Kind: "mixture"}, `mixture: need at least one component`},
		{"mixture: zero weight", DistSpec{Kind: "mixture", Components: []MixtureComponent{{0, DistSpec{Kind: "constant", Params: distParams{"value": 1}}}}},
			`mixture: components.0: weight must be finite and > 0, got 0`},
		{"mixture: a bad component is named by index", DistSpec{Kind: "mixture", Components: []MixtureComponent{
			{1, DistSpec{Kind: "constant", Params: distParams{"value": 1}}}, {1, lognormalBad}}},
			`mixture: components.1: lognormal: stddev must be > 0, got -1`},
		{"mixture: nested too deep", nestedMixture(maxMixtureDepth + 1),
			`mixture: components.0: mixture: components.0: mixture: components.0: mixture: components.0: mixture: components.0: mixture: components.0: mixture: components.0: mixture: components.0: mixture: mixtures nested more than 8 deep`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := NewDist(tt.spec)
			if err == nil {
				t.Fatalf("NewDist succeeded with %v, want error %q", d, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %q\nwant %q", err, tt.want)
			}
		})
	}
}

// nestedMixture returns depth mixtures nested inside each other around a constant.
func nestedMixture(depth int) DistSpec {
	s := DistSpec{Kind: "constant", Params: distParams{"value": 1}}
	for range depth {
		s = DistSpec{Kind: "mixture", Components: []MixtureComponent{{1, s}}}
	}
	return s
}

func TestNestedMixtureWithinLimitIsAccepted(t *testing.T) {
	if _, err := NewDist(nestedMixture(maxMixtureDepth)); err != nil {
		t.Fatalf("%d nested mixtures: %v", maxMixtureDepth, err)
	}
}

// fixedDist is a Dist that always returns v, whatever v is (for SampleDuration's clamps).
type fixedDist float64

func (d fixedDist) Sample(*rand.Rand) float64 { return float64(d) }
func (d fixedDist) Mean() float64             { return float64(d) }
func (d fixedDist) Variance() float64         { return 0 }
func (d fixedDist) String() string            { return "fixed" }

func TestSampleDuration(t *testing.T) {
	tests := []struct {
		name string
		v    float64
		want time.Duration
	}{
		{"seconds become nanoseconds", 0.25, 250 * time.Millisecond},
		{"rounds to the nearest nanosecond", 1.4e-9, 1},
		{"rounds half away from zero", 2.5e-9, 3},
		{"zero stays zero", 0, 0},
		{"a negative draw is clamped to zero", -1, 0},
		{"NaN is clamped to zero", math.NaN(), 0},
		{"beyond the range of a Duration is clamped to the largest", 1e12, math.MaxInt64},
		{"+Inf is clamped to the largest", math.Inf(1), math.MaxInt64},
	}
	r := NewStream(1, 0, "duration")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SampleDuration(fixedDist(tt.v), r); got != tt.want {
				t.Errorf("SampleDuration(%v s) = %v, want %v", tt.v, got, tt.want)
			}
		})
	}
}

// TestSampleDurationRoundsAsMathRound checks that SampleDuration's rounding gives
// math.Round's result for every draw: near halves, at the ends of exact fractions (2^52
// ns) and integers (2^53 ns), and for draws spread over every magnitude.
func TestSampleDurationRoundsAsMathRound(t *testing.T) {
	ns := []float64{0.5, 1.5, 2.5, 0.49999999999999994, math.Nextafter(0.5, 1), 1e-300,
		math.Nextafter(1<<52, 0), 1<<52 - 0.5, 1 << 52, 1<<52 + 1, 1<<53 + 2,
		math.Nextafter(1<<63, 0), 123456789.5, 123456789.49999997}
	r := NewStream(1, 0, "rounding")
	for range 100000 {
		ns = append(ns, math.Ldexp(r.Float64(), r.IntN(64)))
	}
	for _, x := range ns {
		v := x / 1e9
		want := time.Duration(math.Round(v * 1e9))
		if got := SampleDuration(fixedDist(v), r); got != want {
			t.Fatalf("SampleDuration(%v s) = %d ns, math.Round gives %d", v, got, want)
		}
	}
}

func TestConvenienceConstructors(t *testing.T) {
	if d := Constant(0.5); d.Mean() != 0.5 || d.String() != "constant(value=0.5)" {
		t.Errorf("Constant(0.5) = %v with mean %v", d, d.Mean())
	}
	if d := Exponential(0.02); d.Mean() != 0.02 || d.Variance() != 0.0004 {
		t.Errorf("Exponential(0.02) = %v with mean %v, variance %v", d, d.Mean(), d.Variance())
	}
	for _, f := range []func(){func() { Constant(-1) }, func() { Exponential(0) }} {
		func() {
			defer func() {
				if e := recover(); e == nil || !strings.HasPrefix(e.(string), "sim: ") {
					t.Errorf("recovered %v, want a panic naming the problem", e)
				}
			}()
			f()
		}()
	}
}

func BenchmarkSample(b *testing.B) {
	for _, tc := range momentCases {
		b.Run(strings.ReplaceAll(tc.name, " ", "_"), func(b *testing.B) {
			d, err := NewDist(tc.spec)
			if err != nil {
				b.Fatal(err)
			}
			r := NewStream(1, 0, tc.name)
			var sink float64
			b.ReportAllocs()
			for b.Loop() {
				sink += d.Sample(r)
			}
			_ = sink
		})
	}
}
