package peerbench

import (
	"fmt"
	"math"
	"time"

	"msgsim/models/core"
	"msgsim/scenarios"
)

// Result is what one run of a model measured, in either tool.
type Result struct {
	Customers   int64   // customers (messages) that arrived, warm-up included
	Measured    int64   // customers measured after the warm-up
	MeanSojourn float64 // seconds, over measured customers that completed
	P99Sojourn  float64 // seconds
	DLQFraction float64 // retry/DLQ model: moved to the DLQ ÷ sent
	Receives    float64 // retry/DLQ model: receives ÷ sent
	Events      uint64  // engine events (SimPy: kernel events; not comparable across tools)
	Seconds     float64 // wall time of the simulation loop only (World.Run / env.run())
	// CPUSeconds is the CPU time of the simulation loop: msgsim's process CPU time over
	// World.Run; for SimPy an estimate, wall_s × (the child's CPU time ÷ its wall time),
	// since the peer programs report wall time only. On a machine shared with other work
	// it is the fairer clock: the wall clock also counts the time others held the core.
	CPUSeconds float64
}

// CustomersPerCPUSecond is the throughput of the simulation loop per CPU second.
func (r Result) CustomersPerCPUSecond() float64 {
	if r.CPUSeconds <= 0 {
		return 0
	}
	return float64(r.Customers) / r.CPUSeconds
}

// CustomersPerSecond is the throughput of the simulation loop in customers per wall second.
func (r Result) CustomersPerSecond() float64 {
	if r.Seconds <= 0 {
		return 0
	}
	return float64(r.Customers) / r.Seconds
}

// Sets returns the --set overrides that size model m's scenario to about customers
// arrivals, the first 5% of them in the warm-up (the peers' convention), with seed seed.
func (m Model) Sets(customers int64, seed int64) []string {
	total := float64(customers) / m.Rate // seconds
	warm := time.Duration(math.Round(0.05 * total * 1e3))
	dur := time.Duration(math.Round(0.95 * total * 1e3))
	return []string{
		fmt.Sprintf("warmup=%dms", warm),
		fmt.Sprintf("duration=%dms", dur),
		fmt.Sprintf("seed=%d", seed),
		"replications=1",
	}
}

// Build loads model m's built-in scenario sized to customers and builds replication 0,
// ready to run.
func (m Model) Build(customers int64, seed int64) (*scenarios.Model, error) {
	b, ok := scenarios.Builtin(m.Scenario)
	if !ok {
		return nil, fmt.Errorf("peerbench: no built-in scenario %q", m.Scenario)
	}
	f, err := scenarios.Load(b.Path, b.Source, scenarios.Types(), m.Sets(customers, seed))
	if err != nil {
		return nil, err
	}
	return scenarios.Build(f, 0)
}

// RunMsgsim runs model m in msgsim with about customers arrivals and reads its figures.
// Seconds times World.Run only: building the model and summarising are left out, as
// SimPy's wall_s leaves out its setup and numpy statistics.
func (m Model) RunMsgsim(customers int64, seed int64) (Result, error) {
	mod, err := m.Build(customers, seed)
	if err != nil {
		return Result{}, err
	}
	w := mod.World
	start, cpu0 := time.Now(), CPUTime()
	if err := w.Run(); err != nil {
		return Result{}, err
	}
	r := Result{Seconds: time.Since(start).Seconds(), CPUSeconds: (CPUTime() - cpu0).Seconds(),
		Events: w.Eng.Fired()}
	return m.figures(w, r), nil
}

// figures reads the model's figures from a finished world.
func (m Model) figures(w *core.World, r Result) Result {
	r.Customers = int64(total(w, "arrivals", "MessagesProduced", true))
	p := w.Paths()
	for _, k := range p.Keys() {
		if l := p.Latency(k); l != nil && l.Total.Count() > 0 {
			h := l.Total
			r.MeanSojourn = h.Mean() / 1e9
			r.P99Sojourn = float64(h.Quantile(0.99)) / 1e9
			if m.Receives == 0 {
				r.Measured = int64(h.Count())
			}
		}
	}
	if m.Receives > 0 {
		sent := float64(total(w, "work-queue", "NumberOfMessagesSent", false))
		r.Measured = int64(sent)
		if sent > 0 {
			r.DLQFraction = float64(total(w, "work-queue", "NumberOfMessagesMovedToDLQ", false)) / sent
			r.Receives = float64(total(w, "work-queue", "NumberOfMessagesReceived", false)) / sent
		}
	}
	return r
}

// total is a counter's count after the warm-up, or over the whole run when whole is set.
func total(w *core.World, component, name string, whole bool) uint64 {
	mt := w.Metrics.Find(component, name)
	if mt == nil {
		return 0
	}
	if whole {
		return mt.Counter.Value()
	}
	return mt.Total()
}

// Figure is the model's checked metric in r.
func (m Model) Figure(r Result) float64 {
	if m.Metric == "DLQ fraction" {
		return r.DLQFraction
	}
	return r.MeanSojourn
}
