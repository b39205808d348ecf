package main

import (
	"math"
	"os"
	"testing"

	"msgsim/cmd/internal/peerbench"
	"msgsim/results"
)

// TestValidationScenarios runs the built-in validation-* scenarios — the four peer models
// of ../shared/peers/ — through the CLI's own path (loadScenario, runOne) and checks their
// figures against the peers' reference values.
//
// Size: 1e5 customers under -short (2e4 when the race detector is on: a smoke run whose
// tolerances widen by the same formula), 2e5 otherwise, and the scenarios exactly as
// shipped (1e6 customers, seed 1) when MSGSIM_VALIDATE=1 (make validate).
//
// Tolerances come from the run's own sample size n (customers measured after the warm-up):
// the peers README gives, for 1e6 customers (950,000 measured), a tolerance of about 3.5
// standard deviations of one run; a standard deviation of a mean falls as 1/√n, so
//
//	tol(n) = tol_README × √(950,000 / n)        (peerbench.Model.ToleranceFor)
//
// Receives per message R (1, 2 or 3 receives with probabilities 0.8, 0.16, 0.04) is a mean
// of n independent draws with standard deviation σ_R = √(E[R²] − E[R]²) = √(1.8 − 1.24²)
// = 0.5122, so its tolerance is 3.5 σ_R / √n (relative: ÷ 1.24).
func TestValidationScenarios(t *testing.T) {
	customers := int64(200_000)
	if testing.Short() {
		customers = 100_000
	}
	if raceDetector {
		customers = 20_000
	}
	full := os.Getenv("MSGSIM_VALIDATE") == "1"
	tests := []struct {
		name  string
		model string
	}{
		{"M-M-1 mean sojourn is 1 over (μ − λ) = 10 s", "mm1"},
		{"M-M-10 mean sojourn is Erlang C's 1.204590 s", "mm10"},
		{"tandem mean sojourn is the peers' 0.300770 s", "tandem"},
		{"retry-DLQ sends p³ = 0.8% to the DLQ after 1.24 receives per message", "retry-dlq"},
	}
	models := map[string]peerbench.Model{}
	for _, m := range peerbench.Models() {
		models[m.Name] = m
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := models[tc.model]
			var sets []string
			if !full {
				sets = m.Sets(customers, 1)
			}
			l, err := loadScenario(m.Scenario, "", sets)
			if err != nil {
				t.Fatal(err)
			}
			run, err := runOne(l, 0)
			if err != nil {
				t.Fatal(err)
			}
			if m.Receives > 0 {
				checkRetryDLQ(t, m, run)
				return
			}
			if len(run.Paths) != 1 {
				t.Fatalf("want one end-to-end path, got %d", len(run.Paths))
			}
			p := run.Paths[0]
			n := int64(p.Count)
			tol := m.ToleranceFor(n)
			if rel := p.Mean/m.Reference - 1; math.Abs(rel) > tol {
				t.Errorf("%s: mean sojourn %.6f s over %d customers, want %.6f s ± %.2f%% (off by %+.2f%%)",
					p.Name, p.Mean, n, m.Reference, 100*tol, 100*rel)
			}
		})
	}
}

// checkRetryDLQ checks the DLQ fraction and the receives per message of work-queue.
func checkRetryDLQ(t *testing.T, m peerbench.Model, run *results.Run) {
	t.Helper()
	q, ok := run.Component("work-queue")
	if !ok {
		t.Fatal("no component work-queue")
	}
	counter := func(name string) float64 {
		v, ok := q.CounterTotal(name)
		if !ok {
			t.Fatalf("work-queue has no counter %s", name)
		}
		return float64(v)
	}
	sent := counter("NumberOfMessagesSent")
	if sent == 0 {
		t.Fatal("no message sent")
	}
	n := int64(sent)
	frac := counter("NumberOfMessagesMovedToDLQ") / sent
	if tol := m.ToleranceFor(n); math.Abs(frac/m.Reference-1) > tol {
		t.Errorf("DLQ fraction %.6f over %d messages, want %.4f ± %.2f%%", frac, n, m.Reference, 100*tol)
	}
	const sigmaR = 0.5122 // √(1.8 − 1.24²), see the test's doc comment
	recv := counter("NumberOfMessagesReceived") / sent
	if tol := 3.5 * sigmaR / math.Sqrt(sent); math.Abs(recv-m.Receives) > tol {
		t.Errorf("receives per message %.5f over %d messages, want %.2f ± %.5f", recv, n, m.Receives, tol)
	}
}
