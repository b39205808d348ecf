// Package peerbench runs the four peer reference models — M/M/1, M/M/10, a tandem of two
// stations and an SQS-like queue with retries and a DLQ — in msgsim (as the built-in
// validation-* scenarios) and in SimPy (the programs in ../shared/peers/simpy/), so that
// both tools can be timed and checked on identical work. `make bench-peers` and the
// validation tests use it; it never installs anything.
package peerbench

import "math"

// Model is one peer reference model: the built-in scenario that is its msgsim twin, the
// SimPy program and arguments that run it, and the reference values of the peers' README.
type Model struct {
	Name     string   // short name: mm1, mm10, tandem, retry-dlq
	Scenario string   // the built-in msgsim scenario
	Rate     float64  // arrival rate λ per second: customers = λ × (warm-up + duration)
	Script   string   // the SimPy program in the peers directory
	Args     []string // its arguments, without --customers and --seed

	// Metric names the figure checked against the reference: "mean sojourn" (seconds) or
	// "DLQ fraction".
	Metric string
	// Reference is the metric's reference value (peers README).
	Reference float64
	// Tolerance is the README's relative tolerance on Metric for one run of 1e6 customers
	// (about 3.5 standard deviations of one run, measured over 1,000 replications).
	Tolerance float64
	// Receives is the reference receives per message (retry/DLQ model only; 0 otherwise).
	Receives float64
}

// ReferenceCustomers is the run size the README's tolerances are stated for, and
// ReferenceMeasured the customers measured in such a run (the first 5% are warm-up).
const (
	ReferenceCustomers = 1_000_000
	ReferenceMeasured  = 950_000
)

// Models lists the four peer models in the README's order.
func Models() []Model {
	return []Model{
		{Name: "mm1", Scenario: "validation-mm1", Rate: 0.9, Script: "mm1.py",
			Args:   []string{"--lam", "0.9", "--mu", "1"},
			Metric: "mean sojourn", Reference: 10.0, Tolerance: 0.07},
		{Name: "mm10", Scenario: "validation-mm10", Rate: 8, Script: "mmc.py",
			Args:   []string{"--lam", "8", "--mu", "1", "--servers", "10"},
			Metric: "mean sojourn", Reference: 1.204590, Tolerance: 0.014},
		{Name: "tandem", Scenario: "validation-tandem", Rate: 50, Script: "tandem.py",
			Args: []string{"--lam", "50", "--servers", "20", "--a-mean", "0.2", "--a-sd", "0.1",
				"--b-servers", "10", "--b-mean", "0.1"},
			Metric: "mean sojourn", Reference: 0.300770, Tolerance: 0.002},
		{Name: "retry-dlq", Scenario: "validation-retry-dlq", Rate: 10, Script: "retry_dlq.py",
			Args: []string{"--lam", "10", "--servers", "5", "--svc-mean", "0.3", "--p-fail", "0.2",
				"--vt", "30", "--max-receive", "3"},
			Metric: "DLQ fraction", Reference: 0.008, Tolerance: 0.04, Receives: 1.24},
	}
}

// ToleranceFor scales the README's tolerance to a run that measured n customers. The
// tolerance is a fixed number of standard deviations of the run's estimate, and the
// standard deviation of a mean (or a fraction) over n roughly independent batches falls
// as 1/√n, so
//
//	tol(n) = Tolerance × √(ReferenceMeasured / n).
//
// For M/M/1 at ρ = 0.9 the 1/√n law holds only once n is well beyond the correlation time
// of the sojourns (a few hundred customers), which every size used here is.
func (m Model) ToleranceFor(n int64) float64 {
	if n <= 0 {
		return math.Inf(1)
	}
	return m.Tolerance * math.Sqrt(float64(ReferenceMeasured)/float64(n))
}
