package handloop

import (
	"math"
	"testing"
)

// TestMMcMatchesErlangC checks the loop against the M/M/10 closed form (λ = 8, μ = 1:
// mean sojourn 1.204590 s). Tolerance: the README's ±1.4% for 1e6 customers (3.5 standard
// deviations of one run) scaled by sqrt(1e6/n) for a run of n customers.
func TestMMcMatchesErlangC(t *testing.T) {
	n := int64(1_000_000)
	if testing.Short() {
		n = 200_000
	}
	r := MMc(8, 1, 10, n, 1)
	tol := 0.014 * math.Sqrt(1e6/float64(n))
	if got, want := r.MeanSojourn, 1.204590; math.Abs(got-want) > tol*want {
		t.Errorf("mean sojourn %.6f, want %.6f ± %.2f%%", got, want, 100*tol)
	}
	if r.Customers != n || r.Measured != n-n/20 {
		t.Errorf("customers %d measured %d, want %d and %d", r.Customers, r.Measured, n, n-n/20)
	}
}

func BenchmarkMMc(b *testing.B) {
	for b.Loop() {
		MMc(8, 1, 10, 100_000, 1)
	}
	b.ReportMetric(float64(b.N)*1e5/b.Elapsed().Seconds(), "customers/s")
}
