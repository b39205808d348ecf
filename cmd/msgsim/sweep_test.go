package main

import (
	"math"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestParseParam(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		path string
		vals []string
		err  bool
	}{
		{"a list of values", "producers.p.arrival.rate=50/s, 100/s,200/s", "producers.p.arrival.rate", []string{"50/s", "100/s", "200/s"}, false},
		{"a range with units", "x=50/s..200/s:50/s", "x", []string{"50/s", "100/s", "150/s", "200/s"}, false},
		{"a range whose step omits the unit", "x=1s..2s:0.5", "x", []string{"1s", "1.5s", "2s"}, false},
		{"a range of decimals does not drift", "x=0.1..0.5:0.1", "x", []string{"0.1", "0.2", "0.3", "0.4", "0.5"}, false},
		{"a range stops before passing its end", "x=1..10:4", "x", []string{"1", "5", "9"}, false},
		{"one value", "x=true", "x", []string{"true"}, false},
		{"no value", "x=", "", nil, true},
		{"no path", "=1,2", "", nil, true},
		{"a range without a step", "x=1..5", "", nil, true},
		{"a range with mixed units", "x=1s..5m:1s", "", nil, true},
		{"a backward range", "x=5..1:1", "", nil, true},
		{"a zero step", "x=1..5:0", "", nil, true},
		{"an empty list item", "x=1,,2", "", nil, true},
		{"too many values", "x=0..1e9:1", "", nil, true},
	} {
		p, err := parseParam(tc.in)
		if (err != nil) != tc.err {
			t.Errorf("%s: parseParam(%q) error = %v", tc.name, tc.in, err)
			continue
		}
		if !tc.err && (p.path != tc.path || !reflect.DeepEqual(p.values, tc.vals)) {
			t.Errorf("%s: parseParam(%q) = %q %q, want %q %q", tc.name, tc.in, p.path, p.values, tc.path, tc.vals)
		}
	}
}

func TestGridIsTheCartesianProductFirstParameterSlowest(t *testing.T) {
	got := grid([]sweepParam{{"a", []string{"1", "2"}}, {"b", []string{"x", "y", "z"}}})
	want := [][]string{{"1", "x"}, {"1", "y"}, {"1", "z"}, {"2", "x"}, {"2", "y"}, {"2", "z"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("grid = %v, want %v", got, want)
	}
}

func TestBisectFindsTheLargestPassingValue(t *testing.T) {
	for _, tc := range []struct {
		name      string
		limit     float64 // pass(x) ⇔ x ≤ limit
		lo, hi    float64
		found     bool
		wantAbove float64 // best ∈ [wantAbove, limit]
	}{
		{"limit inside the bracket", 7.3, 0, 10, true, 7.3 - 0.01},
		{"everything passes", 20, 0, 10, true, 10},
		{"nothing passes", -1, 0, 10, false, 0},
	} {
		var probes []float64
		best, found, err := bisect(tc.lo, tc.hi, 0.01, func(x float64) (bool, error) {
			probes = append(probes, x)
			return x <= tc.limit, nil
		})
		if err != nil || found != tc.found {
			t.Errorf("%s: found = %v, err = %v", tc.name, found, err)
			continue
		}
		if found && (best < tc.wantAbove || best > math.Min(tc.limit, tc.hi)) {
			t.Errorf("%s: best = %v, want in [%v, %v]", tc.name, best, tc.wantAbove, tc.limit)
		}
		// log2(10/0.01) = 10 halvings after the two ends.
		if len(probes) > 12 {
			t.Errorf("%s: %d probes, want at most 12", tc.name, len(probes))
		}
	}
	if _, _, err := bisect(5, 1, 0.1, func(float64) (bool, error) { return true, nil }); err == nil {
		t.Error("min > max: no error")
	}
}

// The station in testdata is M/M/1: Poisson arrivals at rate λ, one server with
// exponential service of rate μ = 100/s. Its sojourn time is exponential with rate μ − λ,
// so its p99 is ln(100)/(μ − λ), and `p99 < 250ms` holds while λ < λ* = 100 − ln(100)/0.25
// = 81.58/s.
//
// Tolerance. At each probe the p99 is estimated from R = 5 replications of T = 120 s. The
// standard error of a sample p-quantile of n independent observations is
// √(p(1−p)/n)/f(q_p); for the exponential, f(q_0.99) = 0.01θ with θ = μ − λ, so the
// relative error of q_0.99 = ln(100)/θ is √(0.0099/n)/(0.01·ln 100) = 2.16/√n. Successive
// sojourn times are correlated over the queue's relaxation time τ ≈ 4μ/θ² (M/M/1 near
// saturation, Morse), which divides n by ≈ 2λτ: n_eff = λTR/(2λτ) = TRθ²/(8μ). A relative
// error ε in the p99 moves the root by Δλ = θε (since q ∝ 1/θ), so
// σ_λ ≈ θ · 2.16 · √(8μ/(TRθ²)) = 2.16 · √(8μ/(TR)) = 2.16 · √(800/600) = 2.49/s,
// independent of θ. The answer must lie within 3σ_λ plus the bisection tolerance (0.5/s)
// plus the histogram's 0.78% relative quantile error (θ* · 0.0078 = 0.14/s) of λ*.
func TestFindMaxBracketsTheMM1Answer(t *testing.T) {
	if testing.Short() {
		t.Skip("runs ~9 probes of 5 replications")
	}
	out := t.TempDir()
	r := runCLI("sweep", filepath.Join("testdata", "station.yaml"), "--find-max", "producers.load.arrival.rate",
		"--min", "40/s", "--max", "99/s", "--tolerance", "0.5", "-o", out)
	if r.code != 0 {
		t.Fatalf("exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
	m := regexp.MustCompile(`largest producers.load.arrival.rate meeting all thresholds: ([0-9.]+)/s`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no answer in:\n%s", r.stdout)
	}
	got, _ := strconv.ParseFloat(m[1], 64)
	lambdaStar := 100 - math.Log(100)/0.25
	sigma := 2.16 * math.Sqrt(8*100/(120.0*5))
	bound := 3*sigma + 0.5 + 0.0078*(100-lambdaStar)
	if math.Abs(got-lambdaStar) > bound {
		t.Errorf("find-max = %.3f/s, want %.2f ± %.2f/s", got, lambdaStar, bound)
	}
	if n := strings.Count(r.stdout, "probe "); n < 3 || n > 10 {
		t.Errorf("%d probes printed, want 3..10:\n%s", n, r.stdout)
	}
	t.Logf("find-max %.3f/s, analytic %.3f/s, bound ±%.2f/s", got, lambdaStar, bound)
}

func TestFindMaxRefusesBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"sweep", "poison-message-dlq", "--find-max", "producers.orders.arrival.rate", "--min", "fast", "--max", "10/s"},
		{"sweep", "poison-message-dlq", "--find-max", "producers.orders.arrival.rate", "--min", "1/s", "--max", "10s"},
		{"sweep", "poison-message-dlq", "--find-max", "x", "--min", "1", "--max", "2", "--param", "y=1,2"},
		{"sweep", "poison-message-dlq"},
	} {
		if r := runCLI(args...); r.code != exitUsage || r.stderr == "" {
			t.Errorf("%v: exit %d, stderr %q; want %d and a message", args, r.code, r.stderr, exitUsage)
		}
	}
}
