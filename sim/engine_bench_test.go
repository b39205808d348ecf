package sim

import (
	"math/rand/v2"
	"testing"
	"time"
)

// Figures on the 2-core AMD EPYC dev machine (Go 1.26, 2026-11), ns per fired event;
// events/s counts cancelled ones too.
//
// Ladder in front of the radix heap (heap.go, ladder.go) against the radix heap alone: 5
// rounds of the whole Engine benchmark set alternating the two builds, best / median, and
// the median of the 5 per-round ratios now/before. The machine was shared: load average
// 0.7-1.2 inside the VM, and its host was busy (the radix heap's hold ran at 79-81 ns on
// a quiet machine the same day, 90-117 ns here), so the ratios are the reliable part:
//
//	                    radix heap (before)        ladder + radix (now)      now/before
//	EngineHold           90 / 117 ns  11.1 M/s      61 /  81 ns  16.5 M/s     0.64
//	EngineHoldCancel     97 / 138 ns  10.8 M/s      68 /  95 ns  15.5 M/s     0.68
//	EngineHoldDraw      115 / 142 ns   8.7 M/s      69 /  84 ns  14.4 M/s     0.67
//	EngineHoldLarge     405 / 421 ns   2.5 M/s     343 / 372 ns   2.9 M/s     0.90
//	EngineHoldSmall      41 /  47 ns  24.6 M/s      47 /  57 ns  21.3 M/s     1.22 *
//	EngineBurst          45 /  55 ns  22.5 M/s      35 /  47 ns  28.6 M/s     0.78
//
// * Noise: 12 alternating pairs of EngineHoldSmall alone then gave a median ratio of
// 1.03, and the final push (which calls place directly) 0.92 of that build in 10 more
// pairs; an earlier round of 5 gave 0.96. In a quieter hour an earlier build of the
// ladder (before the sorting network, which made the hold benchmark ~6% faster by the
// median of 10 pairs) ran the hold benchmark at 53 ns best, 19.0 M events/s, against 86
// ns for the radix heap (0.61), and EngineHoldLarge at 236 against 313 ns (0.75). All 0
// allocs/op and 0 B/op but EngineHoldLarge: 2-3 B/op (radix heap alone 13-19), its
// storage still growing to its peak during the short warm-up. At the radix heap's quiet
// 79-81 ns, the ratios put the hold benchmark at 48-52 ns, about 20 M events/s.
//
// Where the time goes now (pprof, hold): the append of each new event to a random rung
// bucket ~23% and the random read of each event's slab entry ~16% (loaded one event
// ahead, see Engine.run), cache misses mostly; sorting buckets ~12%; moves within the
// radix heap ~5%; the rest is the handler call, scheduling and bookkeeping. The same
// loop with a FIFO standing in for the queue (wrong order, no queue cost, and the slab
// read in order) ran at 21-26 ns/event.
//
// Earlier, the 4-ary heap the design describes against the radix heap (best of 3-5
// interleaved runs, load average ~10): EngineHold 186 → 83 ns, EngineHoldCancel 182 → 85
// ns, EngineHoldDraw 192 → 120 ns.
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
// order, which the processor prefetches. So the engine kept the radix heap, and now puts
// a ladder of at most maxFanout buckets in front of it, which has the calendar queue's
// single move per event where that is cheap and the radix heap's order beyond.

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
// queue's storage to reach its final size, hence a few B/op of growth.)
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
	_ = m.e.Schedule(Event{At: m.next[g], Target: Target{Handler: m.id}, A: g})
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
			_ = e.Schedule(Event{At: at, Target: Target{Handler: m.id}, A: int64(g)})
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
