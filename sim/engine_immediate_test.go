package sim

import (
	"slices"
	"testing"
	"time"
)

// Immediate events fire right after the handler that queued them, before events already
// scheduled for the same time, in the order queued, and their own immediate events after
// them (breadth first, like a FIFO).
func TestImmediateEventsFireBeforeQueuedEventsOfNow(t *testing.T) {
	e, r, id := newRecorder()
	e.After(5, id, 0, 1, 0)
	e.After(5, id, 0, 2, 0) // already queued for time 5 when event 1 fires
	e.After(6, id, 0, 3, 0)
	r.then = func(ev Event) {
		switch ev.A {
		case 1:
			e.Immediately(id, 0, 10, 0)
			e.After(0, id, 0, 12, 0) // zero delay through the queue: after event 2
			e.Immediately(id, 0, 11, 0)
		case 10:
			e.Immediately(id, 0, 100, 0) // queued by an immediate event: after 11
		}
	}
	if err := e.Run(); err != nil {
		t.Fatal(err)
	}
	want := []int64{1, 10, 11, 100, 2, 12, 3}
	if !slices.Equal(r.fired, want) {
		t.Errorf("fired %v, want %v", r.fired, want)
	}
	if wantAt := []time.Duration{5, 5, 5, 5, 5, 5, 6}; !slices.Equal(r.at, wantAt) {
		t.Errorf("fired at %v, want %v", r.at, wantAt)
	}
	if e.Fired() != uint64(len(want)) || e.Pending() != 0 {
		t.Errorf("Fired %d Pending %d, want %d and 0", e.Fired(), e.Pending(), len(want))
	}
}

// Immediate events count as pending and as fired, count against Step's limit, survive a
// Stop to fire first in the next run, and fire at the start of a run if queued outside one.
func TestImmediateEventsWithStopStepAndRunUntil(t *testing.T) {
	e, r, id := newRecorder()
	e.Immediately(id, 0, 1, 0) // outside a run: fires first, at Now (0)
	e.After(3, id, 0, 2, 0)
	if e.Pending() != 2 {
		t.Fatalf("Pending %d, want 2", e.Pending())
	}
	r.then = func(ev Event) {
		if ev.A == 2 {
			e.Immediately(id, 0, 3, 0)
			e.Immediately(id, 0, 4, 0)
			e.Stop()
		}
	}
	if err := e.Run(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.fired, []int64{1, 2}) || e.Now() != 3 || e.Pending() != 2 {
		t.Fatalf("after Stop: fired %v Now %v Pending %d, want [1 2], 3, 2", r.fired, e.Now(), e.Pending())
	}
	e.After(1, id, 0, 5, 0)
	if n := e.Step(1); n != 1 || !slices.Equal(r.fired, []int64{1, 2, 3}) {
		t.Errorf("Step(1) = %d, fired %v, want 1 and [1 2 3]", n, r.fired)
	}
	if err := e.RunUntil(10); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.fired, []int64{1, 2, 3, 4, 5}) || !slices.Equal(r.at, []time.Duration{0, 3, 3, 3, 4}) {
		t.Errorf("fired %v at %v, want [1 2 3 4 5] at [0 3 3 3 4]", r.fired, r.at)
	}
	if e.Now() != 10 || e.Pending() != 0 || e.Fired() != 5 {
		t.Errorf("Now %v Pending %d Fired %d, want 10, 0, 5", e.Now(), e.Pending(), e.Fired())
	}
}

// A handler that answers every event with an immediate one, as a reply does, runs without
// allocating once the immediate buffer has grown.
func TestImmediateEventsAllocateNothing(t *testing.T) {
	e := NewEngine(16)
	var id HandlerID
	id = e.Register(HandlerFunc(func(ev Event) {
		if ev.Kind == 0 {
			e.Immediately(id, 1, ev.A, 0)
			e.After(time.Duration(1+ev.A%7), id, 0, ev.A+1, 0)
		}
	}))
	for i := range 8 {
		e.After(time.Duration(i), id, 0, int64(i), 0)
	}
	e.Step(1000)
	if allocs := testing.AllocsPerRun(10, func() { e.Step(1000) }); allocs != 0 {
		t.Errorf("%v allocations per 1,000 events, want 0", allocs)
	}
}
