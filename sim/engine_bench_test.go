package sim

import (
	"math/rand/v2"
	"testing"
	"time"
)

// Figures on the 2-core AMD EPYC dev machine (Go 1.26, 2026-11), best of 3-5 interleaved
// runs with other jobs loading the machine (load average ~10), so medians were up to 2×
// worse for both; ns per fired event, events/s counts cancelled ones too:
//
//	                    4-ary heap (before)      radix heap (now)
//	EngineHold          186 ns   5.4 M/s         83 ns  12.0 M/s
//	EngineHoldCancel    182 ns   5.8 M/s         85 ns  12.3 M/s
//	EngineHoldDraw      192 ns   5.2 M/s        120 ns   8.3 M/s
//
// All 0 B/op, 0 allocs/op. The same loop with a FIFO standing in for the queue (wrong
// order, no queue cost) ran at 21-26 ns/event: that floor is the handler call, the slab
// and the copies of each event, so the queue itself went from ~160 to ~60 ns/event.

// holdModel is the classic hold benchmark: every fired event schedules one more at
// now + Exp(mean 1 s), so the number of pending events stays constant.
//
// The increments are drawn up front (2^16 of them, cycled) so that the benchmark measures
// the engine rather than the random number generator; holdModel.draw switches to drawing
// each one with ExpFloat64 as a model would.
type holdModel struct {
	e    *Engine
	id   HandlerID
	rng  *rand.Rand
	inc  []time.Duration
	i    int
	draw bool

	// timers makes every 10th event a timer; every 20th event cancels the last timer if it
	// is still pending and schedules a plain event in its place, so about 5% of the
	// scheduled events are cancelled while the population stays constant.
	timers bool
	last   Timer
}

func (h *holdModel) delay() time.Duration {
	h.i++
	if h.draw {
		return time.Duration(h.rng.ExpFloat64() * float64(time.Second))
	}
	return h.inc[h.i&(len(h.inc)-1)]
}

func (h *holdModel) Fire(Event) {
	d := h.delay()
	if !h.timers {
		h.e.After(d, h.id, 0, 0, 0)
		return
	}
	switch {
	case h.i%20 == 0:
		if h.e.Cancel(h.last) {
			h.e.After(h.delay(), h.id, 0, 0, 0)
		}
		h.e.After(d, h.id, 0, 0, 0)
	case h.i%10 == 0:
		h.last = h.e.AfterTimer(d, h.id, 0, 0, 0)
	default:
		h.e.After(d, h.id, 0, 0, 0)
	}
}

// start draws the increments and schedules the initial population.
func (h *holdModel) start(pending int) {
	h.inc = make([]time.Duration, 1<<16)
	for i := range h.inc {
		h.inc[i] = time.Duration(h.rng.ExpFloat64() * float64(time.Second))
	}
	for range pending {
		h.e.After(time.Duration(h.rng.ExpFloat64()*float64(time.Second)), h.id, 0, 0, 0)
	}
}

// benchHold runs the hold model with 10,000 pending events: one op = one event fired and
// one scheduled. events/s counts every event leaving the queue, cancelled ones included.
func benchHold(b *testing.B, m *holdModel) {
	const pending = 10000
	e := NewEngine(pending + 1)
	m.e = e
	m.rng = rand.New(rand.NewPCG(1, 2))
	m.id = e.Register(m)
	m.start(pending)
	// Warm the queue into a steady state: its buckets reach their working sizes.
	e.Step(pending * 100)
	before := e.Fired() + e.Cancelled()
	b.ReportAllocs()
	b.ResetTimer()
	e.Step(b.N)
	b.StopTimer()
	b.ReportMetric(float64(e.Fired()+e.Cancelled()-before)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkEngineHold is the classic hold model.
func BenchmarkEngineHold(b *testing.B) { benchHold(b, &holdModel{}) }

// BenchmarkEngineHoldCancel is the hold model with 10% of events scheduled as timers and
// half of those cancelled: cancelled events cost what fired ones do, minus the handler.
func BenchmarkEngineHoldCancel(b *testing.B) { benchHold(b, &holdModel{timers: true}) }

// BenchmarkEngineHoldDraw is the hold model drawing each increment with ExpFloat64.
func BenchmarkEngineHoldDraw(b *testing.B) { benchHold(b, &holdModel{draw: true}) }
