package sim

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// ErrPast is returned (and recorded by the engine) when an event is scheduled before the
// current simulated time. It always indicates a bug in a model, never bad user input:
// scenario values are validated before a run starts.
var ErrPast = errors.New("sim: event scheduled in the past")

// ErrOrder is recorded if the event queue ever returns an event earlier than the clock: a
// bug in the queue, checked on every event (one predictable comparison) so that it stops
// the run instead of silently corrupting its results.
var ErrOrder = errors.New("sim: event out of time order")

// ErrTooManyEvents is recorded when more than 16,777,216 events are pending at once.
var ErrTooManyEvents = errors.New("sim: too many pending events")

// maxSlots is the most events that can be pending at once (see ErrTooManyEvents).
const maxSlots = 1 << 24

// Engine is a single-threaded discrete-event simulator. The clock is an integer number of
// nanoseconds since the start of the run; events at equal times fire in the order they were
// scheduled, except immediate events (see Immediately), which fire as soon as the handler
// that queued them returns. An Engine is not safe for concurrent use: parallel replications each own one.
type Engine struct {
	now      time.Duration
	q        engineQueue
	slab     []slabEntry
	free     []uint32 // free slab slots
	handlers []Handler
	asap     []Event // events queued by Immediately, fired from asapHead on
	asapHead int

	sink      uint32 // keeps the early load of run from being optimised away
	fired     uint64
	cancelled uint64
	stopped   bool
	err       error
}

// NewEngine returns an engine at time zero with room for about capacity pending events
// before its event slab has to grow. (The queue's buckets reach their working sizes early
// in a run; after that, scheduling and firing allocate nothing.)
func NewEngine(capacity int) *Engine {
	if capacity < 16 {
		capacity = 16
	}
	return &Engine{
		q:    newEngineQueue(capacity),
		slab: make([]slabEntry, 0, capacity),
		free: make([]uint32, 0, capacity),
	}
}

// Register adds a handler and returns the id that events use to name it.
func (e *Engine) Register(h Handler) HandlerID {
	e.handlers = append(e.handlers, h)
	return HandlerID(len(e.handlers) - 1)
}

// Now is the current simulated time.
func (e *Engine) Now() time.Duration { return e.now }

// Pending is the number of events in the queue, including cancelled ones not yet skipped.
func (e *Engine) Pending() int { return e.q.len() + len(e.asap) - e.asapHead }

// Fired is the number of events fired so far (cancelled events are not counted).
func (e *Engine) Fired() uint64 { return e.fired }

// Cancelled is the number of cancelled events skipped so far.
func (e *Engine) Cancelled() uint64 { return e.cancelled }

// Err is the first scheduling error of the run, or nil. A run stops at its first error.
func (e *Engine) Err() error { return e.err }

// Schedule queues ev to fire at ev.At. An ev.At earlier than Now is an error: the event is
// not queued, the error is recorded (see Err) and the run stops.
func (e *Engine) Schedule(ev Event) error {
	_, err := e.schedule(ev)
	return err
}

// After schedules an event d from now for handler h. A negative d is a model bug: it is
// recorded as the run's error (see Err) and the run stops.
func (e *Engine) After(d time.Duration, h HandlerID, kind int32, a, b int64) {
	_, _ = e.schedule(Event{At: e.now + d, Target: Target{Handler: h, Kind: kind}, A: a, B: b})
}

// Immediately queues an event at the current time for handler h that fires as soon as the
// handler now firing returns: before every event in the queue, those already scheduled for
// Now included. Immediate events fire in the order queued, each counted as fired. It is
// for zero-delay notifications, such as a reply delivered at once, which need an event of
// their own so that the receiver does not run inside the sender's handler, but no place
// among the pending events: they skip the queue's insertion and removal (a fifth of the
// e-commerce scenario's events). Immediate events cannot be cancelled; queued outside a
// run, they fire first when the next run starts.
func (e *Engine) Immediately(h HandlerID, kind int32, a, b int64) {
	e.asap = append(e.asap, Event{At: e.now, Target: Target{Handler: h, Kind: kind}, A: a, B: b})
}

// ScheduleTimer queues ev like Schedule and returns a Timer that can cancel it. Cancelling
// is O(1): the event stays queued and is skipped when it comes up (lazy cancellation by
// generation), so a cancelled event costs what a fired one does, minus its handler.
func (e *Engine) ScheduleTimer(ev Event) (Timer, error) {
	slot, err := e.schedule(ev)
	if err != nil {
		return Timer{}, err
	}
	return Timer{slot: slot + 1, gen: e.slab[slot].gen}, nil
}

// AfterTimer is After returning a Timer.
func (e *Engine) AfterTimer(d time.Duration, h HandlerID, kind int32, a, b int64) Timer {
	t, _ := e.ScheduleTimer(Event{At: e.now + d, Target: Target{Handler: h, Kind: kind}, A: a, B: b})
	return t
}

// schedule queues ev and returns its slab slot (see ScheduleTimer). Its common case takes
// a free slot; the rest is in scheduleSlow, so that no call but push's comes between
// receiving ev and storing it, and ev can stay in registers.
func (e *Engine) schedule(ev Event) (uint32, error) {
	n := len(e.free)
	if ev.At < e.now || n == 0 {
		return e.scheduleSlow(ev)
	}
	slot := e.free[n-1]
	e.free = e.free[:n-1]
	s := &e.slab[slot]
	// The time stays in the queue's item (see slabEntry).
	s.handler, s.kind, s.a, s.b, s.dead = ev.Handler, ev.Kind, ev.A, ev.B, false
	e.q.push(item{at: ev.At, slot: slot}, e.now)
	return slot, nil
}

// scheduleSlow is schedule refusing an event in the past, or growing the slab by a slot
// when none is free.
func (e *Engine) scheduleSlow(ev Event) (uint32, error) {
	if ev.At < e.now {
		return 0, e.refusePast(ev)
	}
	if len(e.slab) >= maxSlots {
		return 0, e.refuseFull()
	}
	e.free = append(e.free, uint32(len(e.slab)))
	e.slab = append(e.slab, slabEntry{})
	return e.schedule(ev)
}

// Cancel stops a timer's event from firing. It reports whether the event was still
// pending; cancelling a fired, cancelled or zero Timer does nothing.
func (e *Engine) Cancel(t Timer) bool {
	if !e.Active(t) {
		return false
	}
	e.slab[t.slot-1].dead = true
	return true
}

// Active reports whether a timer's event is still pending.
func (e *Engine) Active(t Timer) bool {
	if t.slot == 0 || int(t.slot) > len(e.slab) {
		return false
	}
	// A released slot had its generation bumped, so a matching generation means pending.
	s := &e.slab[t.slot-1]
	return s.gen == t.gen && !s.dead
}

// Stop makes Run return after the event being fired. Pending events stay queued, so a
// later Run continues where this one stopped.
func (e *Engine) Stop() { e.stopped = true }

// Run fires events until none remain, Stop is called, or a scheduling error occurs.
func (e *Engine) Run() error { return e.run(-1, -1) }

// RunUntil fires every event with At ≤ until, then advances the clock to until (unless
// stopped earlier). Events after until stay queued.
func (e *Engine) RunUntil(until time.Duration) error {
	if until < e.now {
		return fmt.Errorf("%w: run until %v, now %v", ErrPast, until, e.now)
	}
	return e.run(until, -1)
}

// Step fires at most n events (cancelled events skipped on the way are not counted) and
// reports how many fired. It is for tests and debuggers that walk a run event by event.
func (e *Engine) Step(n int) int {
	before := e.fired
	_ = e.run(-1, n)
	return int(e.fired - before)
}

// run is the hot loop. until < 0 means no time limit; limit < 0 means no count limit.
//
// The queue needs its pivot to stay at or before Now while events are pending (see
// eventQueue.refill). Cancelled events popped here move the pivot without moving Now, but
// the loop only ever stops right after a fired event, when the queue is empty, or at a
// time limit that Now then advances to, so the pivot never stays ahead of Now.
func (e *Engine) run(until time.Duration, limit int) error {
	e.stopped = false
	horizon := time.Duration(math.MaxInt64)
	if until >= 0 {
		horizon = until
	}
	for !e.stopped && limit != 0 {
		if len(e.asap) != 0 { // immediate events: at Now, before the queue's
			limit = e.fireImmediate(limit)
			continue
		}
		k, ok := e.q.popBottom(horizon) // next's common case, inlined
		if !ok {
			if k, ok = e.q.next(horizon); !ok {
				break
			}
		}
		slot := k.slot
		if next, ok := e.q.peekSlot(); ok {
			// Load the next event's slab entry now, while this one fires: the slab is read
			// at random, and the miss then overlaps with the handler's work.
			e.sink += e.slab[next].gen
		}
		s := &e.slab[slot]
		ev := Event{At: k.at, Target: Target{Handler: s.handler, Kind: s.kind}, A: s.a, B: s.b}
		dead := s.dead
		s.gen++ // the Timer of this event goes stale now that it has left the queue
		e.free = append(e.free, slot)
		if dead {
			e.cancelled++
			continue
		}
		if ev.At < e.now {
			// Never true unless the queue is broken; checked because an event out of
			// order would otherwise run silently with the clock going backwards.
			e.failOrder(ev.At)
			break
		}
		e.now = ev.At
		e.fired++
		limit--
		e.handlers[ev.Handler].Fire(ev)
	}
	if until >= 0 && !e.stopped && e.now < until {
		e.now = until
	}
	return e.err
}

// fireImmediate fires queued immediate events (see Immediately), those they queue in
// turn included, until none is left, Stop is called or limit (< 0: none) events have fired,
// and returns what is left of limit. It is a function of its own, never inlined, so that
// run's loop stays as small as it was without immediate events: inline, its body made the
// loop keep more of its state in memory (+10% of run's instructions on the hold benchmark).
//
//go:noinline
func (e *Engine) fireImmediate(limit int) int {
	for e.asapHead < len(e.asap) && !e.stopped && limit != 0 {
		ev := e.asap[e.asapHead]
		e.asapHead++
		e.fired++
		limit--
		e.handlers[ev.Handler].Fire(ev)
	}
	if e.asapHead == len(e.asap) {
		e.asap, e.asapHead = e.asap[:0], 0
	}
	return limit
}

// refusePast, refuseFull and failOrder record the run's errors. They are functions of
// their own so that the hot paths they are called from do not carry the error's
// formatting: inline, it made schedule keep its arguments in memory.
func (e *Engine) refusePast(ev Event) error {
	e.fail(fmt.Errorf("%w: at %v, now %v (handler %d kind %d)", ErrPast, ev.At, e.now, ev.Handler, ev.Kind))
	return e.err
}

func (e *Engine) refuseFull() error {
	e.fail(fmt.Errorf("%w: more than %d", ErrTooManyEvents, maxSlots))
	return e.err
}

func (e *Engine) failOrder(at time.Duration) {
	e.fail(fmt.Errorf("%w: the queue returned an event at %v with the clock at %v", ErrOrder, at, e.now))
}

func (e *Engine) fail(err error) {
	if e.err == nil {
		e.err = err
	}
	e.stopped = true
}
