package service

import (
	"math"
	"testing"
)

func TestClosedFormsMatchPublishedValues(t *testing.T) {
	mm10 := MMc{Lambda: 8, Mu: 1, Servers: 10}
	mm1 := MMc{Lambda: 0.9, Mu: 1, Servers: 1}
	// Each value is compared to its rounding in the source: |got − want| ≤ half a unit in
	// the last printed digit (the peers print 6 decimals).
	tests := []struct {
		name      string
		got, want float64
		digits    int
	}{
		{"Erlang C of M/M/10 at λ=8", mm10.ErlangC(), 0.409180, 6},
		{"mean wait of M/M/10", mm10.MeanWait(), 0.204590, 6},
		{"mean sojourn of M/M/10", mm10.MeanSojourn(), 1.204590, 6},
		{"sojourn p50 of M/M/10 (SimPy peer)", mm10.SojournQuantile(0.50), 0.912145, 6},
		{"sojourn p95 of M/M/10 (SimPy peer)", mm10.SojournQuantile(0.95), 3.328275, 6},
		{"sojourn p99 of M/M/10 (SimPy peer)", mm10.SojournQuantile(0.99), 4.946111, 6},
		{"Erlang C of M/M/1 is ρ", mm1.ErlangC(), 0.9, 12},
		{"mean sojourn of M/M/1 is 1/(μ−λ)", mm1.MeanSojourn(), 10, 9},
		{"sojourn p99 of M/M/1 is ln(100)/(μ−λ)", mm1.SojournQuantile(0.99), 10 * math.Log(100), 9},
		{"sojourn density of M/M/1 at 0 is μ−λ", mm1.SojournDensity(0), 0.1, 12},
		{"M/M/3/5 blocking at λ=3, μ=1 is 4.5/22", MMcKBlocking(3, 1, 3, 5), 4.5 / 22, 12},
		{"Erlang B of M/M/1/1 is a/(1+a)", MMcKBlocking(2, 1, 1, 1), 2.0 / 3, 12},
		{"M/D/1 wait at ρ=0.8 is ρ/(2μ(1−ρ))", MG1Wait(0.8, 1, 0), 2, 12},
		{"M/M/1 wait by P-K is ρ/(μ−λ)", MG1Wait(0.9, 1, 1), 9, 9},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tol := 0.5 * math.Pow(10, -float64(tc.digits)); math.Abs(tc.got-tc.want) > tol {
				t.Errorf("got %.9f, want %.9f ± %g", tc.got, tc.want, tol)
			}
		})
	}
}

func TestSojournDensityIsTheDerivativeOfTheTail(t *testing.T) {
	q := MMc{Lambda: 8, Mu: 1, Servers: 10}
	for _, x := range []float64{0.1, 0.9, 3.3, 5} {
		const h = 1e-6
		// central difference: truncation O(h²) ≈ 1e-12 plus rounding ≈ 1e-16/h = 1e-10, far
		// below the 1e-8 allowed
		numeric := (q.SojournTail(x-h) - q.SojournTail(x+h)) / (2 * h)
		if d := q.SojournDensity(x); math.Abs(d-numeric) > 1e-8 {
			t.Errorf("density at %v: %v, numeric derivative %v", x, d, numeric)
		}
	}
}

func TestUnstableOrInvalidQueuesAreReported(t *testing.T) {
	for _, q := range []MMc{{8, 1, 8}, {0, 1, 1}, {1, 0, 1}, {1, 1, 0}} {
		if q.Check() == nil {
			t.Errorf("%+v accepted", q)
		}
	}
	if err := (MMc{8, 1, 10}).Check(); err != nil {
		t.Error(err)
	}
	if !math.IsNaN(MMcKBlocking(1, 1, 3, 2)) || !math.IsInf(MG1Wait(1, 1, 0), 1) {
		t.Error("K < c must give NaN and ρ ≥ 1 an infinite wait")
	}
}
