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
//
// The calendar queue of calendar.go (go test -tags calendarqueue) against the radix heap,
// ns per event, best and median of 5 interleaved runs (load average 4-6), and
// instructions per event counted by valgrind (cachegrind, repeatable; the hold rows include
// one warm-up per run, so these are per 2 events for the first five rows):
//
//	                    radix best/median   calendar best/median   Ir radix / calendar
//	EngineHold           117 / 198 ns         87 / 117 ns           1446 / 776
//	EngineHoldCancel     130 / 220 ns         79 / 116 ns
//	EngineHoldDraw       149 / 167 ns         78 / 162 ns
//	EngineHoldSmall       56 / 103 ns         45 /  64 ns            717 / 756
//	EngineBurst           66 /  83 ns         32 /  52 ns            855 / 714
//	EngineHoldLarge      478 / 820 ns        987 / 1379 ns
//
// The calendar queue is 1.3-1.7× faster with 10,000 pending events but twice as slow
// with 1,000,000: each event costs it a few accesses at random places in its bucket and
// node arrays (~32 MB then), where the radix heap moves events through its buckets in
// order, which the processor prefetches. So the engine keeps the radix heap.

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
func benchHold(b *testing.B, m *holdModel) { benchHoldN(b, m, 10000) }

// benchHoldN is benchHold with the given number of pending events.
func benchHoldN(b *testing.B, m *holdModel, pending int) {
	e := NewEngine(pending + 1)
	m.e = e
	m.rng = rand.New(rand.NewPCG(1, 2))
	m.id = e.Register(m)
	m.start(pending)
	// Warm the queue into a steady state: its buckets reach their working sizes.
	e.Step(max(min(pending*100, 1<<22), 1<<20))
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

// BenchmarkEngineHoldLarge is the hold model with 1,000,000 pending events, far more than
// fit in the processor's caches. (Its warm-up, 4 million events, is too short for the
// radix heap's buckets to reach their final sizes, hence a few B/op of bucket growth.)
func BenchmarkEngineHoldLarge(b *testing.B) { benchHoldN(b, &holdModel{}, 1000000) }

// BenchmarkEngineHoldSmall is the hold model with 10 pending events.
func BenchmarkEngineHoldSmall(b *testing.B) { benchHoldN(b, &holdModel{}, 10) }

// burstModel keeps groups of events that share a time: each of 10 groups of 1,000 events
// fires at one instant, and every member reschedules itself at the group's next time,
// now + Exp(mean 1 s) drawn by the group's first member to fire. The queue thus holds
// 10,000 events of which a thousand at a time are ties.
type burstModel struct {
	e     *Engine
	id    HandlerID
	rng   *rand.Rand
	next  [10]time.Duration // next time of each group
	fired [10]int           // members of each group fired at its current time
}

const burstSize = 1000

func (m *burstModel) Fire(ev Event) {
	g := ev.A
	if m.fired[g] == 0 {
		m.next[g] = m.e.Now() + time.Duration(m.rng.ExpFloat64()*float64(time.Second))
	}
	m.fired[g] = (m.fired[g] + 1) % burstSize
	_ = m.e.Schedule(Event{At: m.next[g], Handler: m.id, A: g})
}

// BenchmarkEngineBurst fires bursts of 1,000 events at the same time (see burstModel).
func BenchmarkEngineBurst(b *testing.B) {
	m := &burstModel{rng: rand.New(rand.NewPCG(5, 6))}
	e := NewEngine(len(m.next)*burstSize + 1)
	m.e = e
	m.id = e.Register(m)
	for g := range m.next {
		at := time.Duration(m.rng.ExpFloat64() * float64(time.Second))
		for range burstSize {
			_ = e.Schedule(Event{At: at, Handler: m.id, A: int64(g)})
		}
	}
	e.Step(1 << 20)
	before := e.Fired()
	b.ReportAllocs()
	b.ResetTimer()
	e.Step(b.N)
	b.StopTimer()
	b.ReportMetric(float64(e.Fired()-before)/b.Elapsed().Seconds(), "events/s")
}
