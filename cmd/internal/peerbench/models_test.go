package peerbench

import (
	"math"
	"testing"

	"msgsim/scenarios"
)

func TestBuiltinScenariosRunThePeersCustomerCount(t *testing.T) {
	for _, m := range Models() {
		t.Run(m.Name, func(t *testing.T) {
			b, ok := scenarios.Builtin(m.Scenario)
			if !ok {
				t.Fatalf("no built-in scenario %q", m.Scenario)
			}
			f, err := scenarios.Load(b.Path, b.Source, scenarios.Types(), nil)
			if err != nil {
				t.Fatal(err)
			}
			total := (f.Warmup.D() + f.Duration.D()).Seconds()
			if got := m.Rate * total; math.Abs(got-ReferenceCustomers) > 1 {
				t.Errorf("λ × (warmup + duration) = %.1f customers, want %d", got, ReferenceCustomers)
			}
			if frac := f.Warmup.D().Seconds() / total; math.Abs(frac-0.05) > 1e-4 {
				t.Errorf("warm-up is %.5f of the run, want the peers' 0.05", frac)
			}
			if f.Seed != 1 {
				t.Errorf("seed %d, want the peers' 1", f.Seed)
			}
		})
	}
}

func TestSetsSizeARunToTheCustomersAsked(t *testing.T) {
	m := Models()[1] // mm10, λ = 8/s
	got := m.Sets(100_000, 3)
	want := []string{"warmup=625000ms", "duration=11875000ms", "seed=3", "replications=1"}
	if len(got) != len(want) {
		t.Fatalf("Sets = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Sets[%d] = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestToleranceWidensAsOneOverRootN(t *testing.T) {
	m := Model{Tolerance: 0.014}
	tests := []struct {
		name string
		n    int64
		want float64
	}{
		{"the README's own size keeps its tolerance", ReferenceMeasured, 0.014},
		{"a hundredth of the customers widens it ten-fold", ReferenceMeasured / 100, 0.14},
		{"no customers accept nothing as evidence", 0, math.Inf(1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := m.ToleranceFor(tc.n); math.Abs(got-tc.want) > 1e-12 && got != tc.want {
				t.Errorf("ToleranceFor(%d) = %g, want %g", tc.n, got, tc.want)
			}
		})
	}
}
