package sim

import (
	"errors"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"
)

// recorder is a handler that logs the A argument of every event it fires, with the time.
type recorder struct {
	e     *Engine
	fired []int64
	at    []time.Duration
	then  func(ev Event) // optional reaction, called after logging
}

func (r *recorder) Fire(ev Event) {
	if ev.At != r.e.Now() {
		panic("handler fired with the clock not at the event's time")
	}
	r.fired = append(r.fired, ev.A)
	r.at = append(r.at, ev.At)
	if r.then != nil {
		r.then(ev)
	}
}

func newRecorder() (*Engine, *recorder, HandlerID) {
	e := NewEngine(0)
	r := &recorder{e: e}
	return e, r, e.Register(r)
}

// checkPivot asserts the invariant the engine's queue relies on between runs (see
// invariantErr of each queue: for the radix heap, its pivot is not ahead of Now).
func checkPivot(t *testing.T, e *Engine) {
	t.Helper()
	if err := e.q.invariantErr(e.now); err != nil {
		t.Fatal(err)
	}
}

// scheduled is one event of the property test, in scheduling order.
type scheduled struct {
	id    int64
	at    time.Duration
	timer Timer
}

// randomDelay draws delays at every scale the queue distinguishes, with many exact ties:
// zero (ties at Now), a few small values, and spreads up to an hour.
func randomDelay(rng *rand.Rand) time.Duration {
	switch rng.IntN(8) {
	case 0, 1:
		return 0
	case 2:
		return time.Duration(rng.IntN(4))
	case 3:
		return time.Duration(rng.IntN(4)) * time.Millisecond
	case 4:
		return time.Duration(rng.Int64N(1000))
	case 5:
		return time.Duration(rng.Int64N(int64(time.Second)))
	case 6:
		return time.Duration(rng.Int64N(int64(time.Hour)))
	default:
		return time.Duration(rng.IntN(50)) * time.Second
	}
}

// TestEventsFireInTimeThenSchedulingOrder is the property test of the queue: random
// schedules — many ties, events scheduled from handlers (at Now too), timers cancelled at
// random, runs interleaving Step, RunUntil and Run — fire exactly in the order of a stable
// sort of all scheduled, non-cancelled events by time.
func TestEventsFireInTimeThenSchedulingOrder(t *testing.T) {
	for seed := uint64(1); seed <= 8; seed++ {
		rng := rand.New(rand.NewPCG(seed, 99))
		e, r, id := newRecorder()
		var all []scheduled
		cancelled := map[int64]bool{}
		schedule := func() {
			s := scheduled{id: int64(len(all)), at: e.Now() + randomDelay(rng)}
			ev := Event{At: s.at, Target: Target{Handler: id}, A: s.id}
			if rng.IntN(3) == 0 {
				tm, err := e.ScheduleTimer(ev)
				if err != nil {
					t.Fatal(err)
				}
				s.timer = tm
			} else if err := e.Schedule(ev); err != nil {
				t.Fatal(err)
			}
			all = append(all, s)
		}
		r.then = func(Event) {
			if len(all) < 6000 {
				for n := rng.IntN(3); n > 0; n-- {
					schedule()
				}
			}
			if rng.IntN(4) == 0 && len(all) > 0 {
				victim := all[rng.IntN(len(all))]
				if e.Cancel(victim.timer) {
					cancelled[victim.id] = true
				}
			}
		}
		for range 300 {
			schedule()
		}
		for e.Pending() > 0 {
			switch rng.IntN(4) {
			case 0:
				e.Step(1 + rng.IntN(50))
			case 1:
				if err := e.RunUntil(e.Now() + randomDelay(rng)); err != nil {
					t.Fatal(err)
				}
			case 2:
				for range rng.IntN(20) { // scheduled from outside between runs
					schedule()
				}
			default:
				if rng.IntN(20) == 0 {
					_ = e.Run()
				} else {
					e.Step(1)
				}
			}
			checkPivot(t, e)
		}
		if len(all) < 3000 {
			t.Fatalf("seed %d: only %d events scheduled, want thousands", seed, len(all))
		}
		want := slices.Clone(all)
		sort.SliceStable(want, func(i, j int) bool { return want[i].at < want[j].at })
		var wantIDs []int64
		for _, s := range want {
			if !cancelled[s.id] {
				wantIDs = append(wantIDs, s.id)
			}
		}
		if !slices.Equal(r.fired, wantIDs) {
			i := 0
			for i < len(r.fired) && i < len(wantIDs) && r.fired[i] == wantIDs[i] {
				i++
			}
			t.Fatalf("seed %d: firing order differs from stable sort at position %d of %d (fired %d, want %d)",
				seed, i, len(wantIDs), len(r.fired), len(wantIDs))
		}
		if got := e.Fired() + e.Cancelled(); got != uint64(len(all)) {
			t.Errorf("seed %d: fired %d + cancelled %d != scheduled %d", seed, e.Fired(), e.Cancelled(), len(all))
		}
	}
}

func TestEqualTimesFireInSchedulingOrder(t *testing.T) {
	tests := []struct {
		name  string
		setup func(e *Engine, r *recorder, id HandlerID)
		want  []int64
	}{
		{
			name: "events scheduled before the run, interleaved with other times",
			setup: func(e *Engine, _ *recorder, id HandlerID) {
				for i, at := range []time.Duration{5, 3, 5, 3, 5, 0, 3} {
					e.After(at, id, 0, int64(i), 0)
				}
			},
			want: []int64{5, 1, 3, 6, 0, 2, 4},
		},
		{
			name: "events at Now from a handler fire after those already pending at Now",
			setup: func(e *Engine, r *recorder, id HandlerID) {
				e.After(7, id, 0, 0, 0)
				e.After(7, id, 0, 1, 0)
				e.After(8, id, 0, 2, 0)
				r.then = func(ev Event) {
					if ev.A == 0 {
						e.After(0, id, 0, 10, 0)
						e.After(0, id, 0, 11, 0)
					}
					if ev.A == 10 {
						e.After(0, id, 0, 12, 0)
					}
				}
			},
			want: []int64{0, 1, 10, 11, 12, 2},
		},
		{
			name: "a chain at Now longer than any buffer keeps its order",
			setup: func(e *Engine, r *recorder, id HandlerID) {
				e.After(time.Second, id, 0, 0, 0)
				e.After(time.Second, id, 0, 1, 0)
				r.then = func(ev Event) {
					if ev.A < 5000 {
						e.After(0, id, 0, ev.A+2, 0)
					}
				}
			},
			want: func() []int64 {
				var w []int64
				for i := int64(0); i <= 5001; i++ {
					w = append(w, i)
				}
				return w
			}(),
		},
		{
			name: "ties far in the future scheduled at different times of the run",
			setup: func(e *Engine, r *recorder, id HandlerID) {
				e.Schedule(Event{At: time.Hour, Target: Target{Handler: id}, A: 0})
				e.After(time.Millisecond, id, 0, 1, 0)
				r.then = func(ev Event) {
					if ev.A == 1 {
						e.Schedule(Event{At: time.Hour, Target: Target{Handler: id}, A: 2})
						e.After(time.Hour-2*time.Millisecond, id, 0, 3, 0)
					}
				}
			},
			want: []int64{1, 3, 0, 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, r, id := newRecorder()
			tt.setup(e, r, id)
			if err := e.Run(); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(r.fired, tt.want) {
				t.Errorf("fired %v, want %v", r.fired, tt.want)
			}
		})
	}
}

// TestWideBottomBurstKeepsOrder schedules a long burst of events in decreasing time order
// into the range of a lone far event, the case in which the queue spills its sorted bottom
// into a new rung; order must be exact and bottom must stay small.
func TestWideBottomBurstKeepsOrder(t *testing.T) {
	tests := []struct {
		name  string
		first time.Duration // time of the event whose handler schedules the burst
		lone  time.Duration // time of the lone far event
		step  time.Duration // spacing of the burst
	}{
		{"a burst within a millisecond-wide bottom spills into a rung", 1<<39 + 5, 1 << 40, 1000},
		{"a burst over an hour in a bottom of days spills into a rung",
			1 << 45, 1<<45 + 1<<44, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, r, id := newRecorder()
			e.Schedule(Event{At: tt.lone, Target: Target{Handler: id}, A: -1})
			e.Schedule(Event{At: tt.first, Target: Target{Handler: id}, A: -2}) // fires first: schedules the burst
			var want []scheduled
			r.then = func(ev Event) {
				if ev.A != -2 {
					return
				}
				for i := int64(0); i < 3000; i++ {
					at := e.Now() + time.Duration(3000-i)*tt.step + time.Duration(i%3)*tt.step // ties too
					e.Schedule(Event{At: at, Target: Target{Handler: id}, A: i})
					want = append(want, scheduled{id: i, at: at})
					// Insertions spill beyond spillAbove; appends (rare here) may add a few.
					if n := e.q.frontLen(); n > 2*spillAbove {
						t.Fatalf("bottom holds %d events, want at most %d", n, 2*spillAbove)
					}
				}
			}
			if err := e.Run(); err != nil {
				t.Fatal(err)
			}
			sort.SliceStable(want, func(i, j int) bool { return want[i].at < want[j].at })
			wantIDs := []int64{-2}
			for _, s := range want {
				wantIDs = append(wantIDs, s.id)
			}
			wantIDs = append(wantIDs, -1)
			if !slices.Equal(r.fired, wantIDs) {
				t.Errorf("burst fired out of order")
			}
		})
	}
}

func TestCancel(t *testing.T) {
	t.Run("cancelled timers never fire and Active follows the event", func(t *testing.T) {
		e, r, id := newRecorder()
		a := e.AfterTimer(10, id, 0, 1, 0)
		b := e.AfterTimer(10, id, 0, 2, 0)
		c := e.AfterTimer(20, id, 0, 3, 0)
		if !e.Active(a) || !e.Active(b) || !e.Active(c) {
			t.Fatal("new timers should be active")
		}
		if !e.Cancel(b) {
			t.Error("Cancel of a pending timer returned false")
		}
		if e.Active(b) {
			t.Error("cancelled timer still active")
		}
		if e.Cancel(b) {
			t.Error("second Cancel returned true")
		}
		e.Step(1)
		if e.Active(a) {
			t.Error("fired timer still active")
		}
		if e.Cancel(a) {
			t.Error("Cancel after fire returned true")
		}
		_ = e.Run()
		if !slices.Equal(r.fired, []int64{1, 3}) {
			t.Errorf("fired %v, want [1 3]", r.fired)
		}
		if e.Fired() != 2 || e.Cancelled() != 1 {
			t.Errorf("Fired %d Cancelled %d, want 2 and 1", e.Fired(), e.Cancelled())
		}
	})
	t.Run("the zero Timer cancels nothing", func(t *testing.T) {
		e, r, id := newRecorder()
		e.After(1, id, 0, 1, 0)
		if e.Active(Timer{}) || e.Cancel(Timer{}) {
			t.Error("zero Timer reported active or cancelled")
		}
		if e.Cancel(Timer{slot: 1 << 20, gen: 0}) {
			t.Error("Timer with an unknown slot cancelled something")
		}
		_ = e.Run()
		if len(r.fired) != 1 {
			t.Errorf("fired %v, want [1]", r.fired)
		}
	})
	t.Run("a stale Timer cannot cancel the event that reused its slot", func(t *testing.T) {
		e, r, id := newRecorder()
		old := e.AfterTimer(1, id, 0, 1, 0)
		e.Step(1)
		fresh := e.AfterTimer(1, id, 0, 2, 0)
		if fresh.slot != old.slot {
			t.Fatalf("slot not reused (old %d, new %d): test does not test reuse", old.slot, fresh.slot)
		}
		if e.Cancel(old) {
			t.Error("stale Timer cancelled the new event")
		}
		if !e.Active(fresh) {
			t.Error("new event not active")
		}
		cancelledOld := e.AfterTimer(2, id, 0, 3, 0)
		e.Cancel(cancelledOld)
		_ = e.Run() // skips it, releasing its slot
		reuse := e.AfterTimer(1, id, 0, 4, 0)
		if reuse.slot != cancelledOld.slot {
			t.Fatalf("slot of the cancelled event not reused")
		}
		if e.Active(cancelledOld) || e.Cancel(cancelledOld) {
			t.Error("Timer of a skipped cancelled event acts on the slot's new event")
		}
		_ = e.Run()
		if !slices.Equal(r.fired, []int64{1, 2, 4}) {
			t.Errorf("fired %v, want [1 2 4]", r.fired)
		}
	})
}

func TestSchedulingInThePast(t *testing.T) {
	e, r, id := newRecorder()
	e.After(10, id, 0, 1, 0)
	e.After(20, id, 0, 2, 0)
	e.After(30, id, 0, 3, 0)
	var schedErr error
	r.then = func(ev Event) {
		if ev.A == 2 {
			schedErr = e.Schedule(Event{At: 5, Target: Target{Handler: id}, A: 99})
		}
	}
	err := e.Run()
	if !errors.Is(schedErr, ErrPast) {
		t.Errorf("Schedule in the past returned %v, want ErrPast", schedErr)
	}
	if !errors.Is(err, ErrPast) || !errors.Is(e.Err(), ErrPast) {
		t.Errorf("Run returned %v and Err %v, want ErrPast", err, e.Err())
	}
	if !slices.Equal(r.fired, []int64{1, 2}) {
		t.Errorf("fired %v, want the run to stop after the failing handler: [1 2]", r.fired)
	}
	if e.Pending() != 1 {
		t.Errorf("Pending %d, want 1 (the event in the past is not queued)", e.Pending())
	}
	e.After(-1, id, 0, 98, 0)
	if !errors.Is(e.Err(), ErrPast) || e.Pending() != 1 {
		t.Errorf("negative After: Err %v Pending %d", e.Err(), e.Pending())
	}
	if err := e.RunUntil(e.Now() - 1); !errors.Is(err, ErrPast) {
		t.Errorf("RunUntil before Now returned %v, want ErrPast", err)
	}
}

func TestRunUntil(t *testing.T) {
	e, r, id := newRecorder()
	for i, at := range []time.Duration{10, 20, 20, 21, 40} {
		e.After(at, id, 0, int64(i), 0)
	}
	if err := e.RunUntil(20); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.fired, []int64{0, 1, 2}) {
		t.Errorf("fired %v, want events at or before 20: [0 1 2]", r.fired)
	}
	if e.Now() != 20 || e.Pending() != 2 {
		t.Errorf("Now %v Pending %d, want 20 and 2", e.Now(), e.Pending())
	}
	if err := e.RunUntil(30); err != nil {
		t.Fatal(err)
	}
	if e.Now() != 30 {
		t.Errorf("Now %v, want the clock advanced to until (30)", e.Now())
	}
	e.After(0, id, 0, 5, 0) // at Now, which is after the last fired event
	e.After(5, id, 0, 6, 0)
	if err := e.Run(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.fired, []int64{0, 1, 2, 3, 5, 6, 4}) {
		t.Errorf("fired %v, want [0 1 2 3 5 6 4]", r.fired)
	}
	if err := e.RunUntil(100); err != nil || e.Now() != 100 {
		t.Errorf("RunUntil on an empty queue: err %v Now %v, want nil and 100", err, e.Now())
	}
}

func TestRunUntilSkipsCancelledEventsAndKeepsSchedulingAtNow(t *testing.T) {
	e, r, id := newRecorder()
	var timers []Timer
	for i := range 100 { // a bucket too big to sort: it is split, moving the pivot
		timers = append(timers, e.AfterTimer(time.Duration(50+i%7), id, 0, int64(i), 0))
	}
	for _, tm := range timers {
		e.Cancel(tm)
	}
	e.After(1000, id, 0, 500, 0)
	if err := e.RunUntil(60); err != nil {
		t.Fatal(err)
	}
	checkPivot(t, e)
	e.After(0, id, 0, 501, 0) // at Now = 60, before and after cancelled events' times
	e.After(1, id, 0, 502, 0)
	_ = e.Run()
	if !slices.Equal(r.fired, []int64{501, 502, 500}) {
		t.Errorf("fired %v, want [501 502 500]", r.fired)
	}
	// Every event cancelled: the run ends with the queue empty and Now unchanged.
	tm := e.AfterTimer(10, id, 0, 600, 0)
	e.Cancel(tm)
	now := e.Now()
	_ = e.Run()
	if e.Now() != now {
		t.Errorf("skipping a cancelled event moved Now from %v to %v", now, e.Now())
	}
	e.After(0, id, 0, 601, 0)
	_ = e.Run()
	if r.fired[len(r.fired)-1] != 601 || e.Now() != now {
		t.Errorf("event at Now after skipping: fired %v Now %v", r.fired, e.Now())
	}
}

func TestStopAndStep(t *testing.T) {
	e, r, id := newRecorder()
	for i := range 10 {
		e.After(time.Duration(i), id, 0, int64(i), 0)
	}
	r.then = func(ev Event) {
		if ev.A == 3 {
			e.Stop()
		}
	}
	if err := e.Run(); err != nil {
		t.Fatal(err)
	}
	if len(r.fired) != 4 || e.Now() != 3 || e.Pending() != 6 {
		t.Fatalf("after Stop: fired %v Now %v Pending %d, want 4 events, Now 3, 6 pending",
			r.fired, e.Now(), e.Pending())
	}
	e.Cancel(e.AfterTimer(0, id, 0, 100, 0)) // skipped by Step, not counted
	if n := e.Step(2); n != 2 || len(r.fired) != 6 {
		t.Errorf("Step(2) = %d with %d fired, want 2 and 6", n, len(r.fired))
	}
	if n := e.Step(0); n != 0 {
		t.Errorf("Step(0) = %d, want 0", n)
	}
	if n := e.Step(100); n != 4 {
		t.Errorf("Step(100) with 4 pending = %d, want 4", n)
	}
	if !slices.Equal(r.fired, []int64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
		t.Errorf("fired %v", r.fired)
	}
	if err := e.RunUntil(5); err == nil {
		t.Error("RunUntil before Now (9) succeeded")
	}
	if err := e.RunUntil(20); err != nil || e.Now() != 20 {
		t.Errorf("RunUntil(20): %v, Now %v", err, e.Now())
	}
	r.then = func(Event) { e.Stop() }
	e.After(1, id, 0, 10, 0)
	e.After(2, id, 0, 11, 0)
	if err := e.RunUntil(30); err != nil {
		t.Fatal(err)
	}
	if e.Now() != 21 {
		t.Errorf("RunUntil stopped by a handler: Now %v, want 21 (not advanced to until)", e.Now())
	}
}

func TestSteadyStateAllocatesNothing(t *testing.T) {
	const pending = 500
	e := NewEngine(pending)
	m := &holdModel{e: e, rng: rand.New(rand.NewPCG(3, 4)), timers: true}
	m.id = e.Register(m)
	m.start(pending)
	// Buckets grow by doubling, or borrow the storage of empty buckets, so allocations
	// stop early in a run. The run crosses 2^40 ns, where a bucket is used for the first
	// time, during the measurement.
	e.Step(1000 * pending)
	if allocs := testing.AllocsPerRun(10, func() { e.Step(10 * pending) }); allocs != 0 {
		t.Errorf("%v allocations per %d events, want 0", allocs, 10*pending)
	}
}
