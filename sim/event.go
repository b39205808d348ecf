package sim

import "time"

// HandlerID names a handler registered with an Engine. Events carry it instead of an
// interface value so that they stay small values that never point into the Go heap.
type HandlerID int32

// Event is one scheduled occurrence: the handler that fires it, a handler-defined Kind,
// and two integer arguments (typically a slab index and a generation). Events never point
// at heap-allocated data, so scheduling one allocates nothing.
//
// Handler and Kind are grouped in an embedded Target (they still read as ev.Handler and
// ev.Kind) so that Event has four fields, the most for which the Go compiler keeps a
// struct in registers: with five, every Event was stored to memory and loaded back on its
// way into the queue and again on its way to its handler (6% of the engine's instructions
// on the hold benchmark).
type Event struct {
	At time.Duration // simulated time since the start of the run
	Target
	A, B int64
}

// Target is the handler an event goes to and the handler-defined kind of event.
type Target struct {
	Handler HandlerID
	Kind    int32
}

// Handler reacts to events. Fire is called with the engine's clock already at ev.At.
// A handler may schedule further events, including at the current time.
type Handler interface {
	Fire(ev Event)
}

// HandlerFunc adapts a function to the Handler interface (for tests and small models;
// a closure captured once at registration costs nothing per event).
type HandlerFunc func(ev Event)

// Fire calls f(ev).
func (f HandlerFunc) Fire(ev Event) { f(ev) }

// Timer identifies a cancellable event. The zero Timer is valid and cancels nothing.
type Timer struct {
	slot uint32 // 1 + slab slot; 0 = none
	gen  uint32 // generation of the slot when the event was scheduled
}

// slabEntry is the payload of a pending event: the event without its time, which the queue
// holds. gen counts how many events have used the slot, so a Timer from an earlier use no
// longer matches; dead marks a cancelled event that is still queued and will be skipped
// when it comes up. At 32 bytes, two entries share a cache line and none straddles two:
// firing an event reads its entry at a random place in the slab, the one cache miss per
// event that the engine cannot avoid once the slab outgrows the caches.
type slabEntry struct {
	handler HandlerID
	kind    int32
	a, b    int64
	gen     uint32
	dead    bool
}
