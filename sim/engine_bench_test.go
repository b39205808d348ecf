package sim

import (
	"math/rand/v2"
	"testing"
	"time"
)

// holdModel is the classic hold benchmark: every fired event schedules one more at
// now + Exp(mean 1 s), so the queue size stays constant.
type holdModel struct {
	e   *Engine
	id  HandlerID
	rng *rand.Rand
}

func (h *holdModel) Fire(ev Event) {
	d := time.Duration(h.rng.ExpFloat64() * float64(time.Second))
	h.e.After(d, h.id, 0, 0, 0)
}

// BenchmarkEngineHold measures the engine with 10,000 pending events: one op = one event
// popped and fired, one event pushed.
func BenchmarkEngineHold(b *testing.B) {
	const pending = 10000
	e := NewEngine(pending + 1)
	m := &holdModel{e: e, rng: rand.New(rand.NewPCG(1, 2))}
	m.id = e.Register(m)
	for i := 0; i < pending; i++ {
		e.After(time.Duration(m.rng.ExpFloat64()*float64(time.Second)), m.id, 0, 0, 0)
	}
	// warm the heap into a steady state
	e.Step(pending * 10)
	b.ReportAllocs()
	b.ResetTimer()
	e.Step(b.N)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
