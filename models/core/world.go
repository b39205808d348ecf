package core

import (
	"fmt"
	"math/rand/v2"
	"time"

	"msgsim/sim"
)

// Config is what a World needs to know before components are added.
type Config struct {
	Seed        uint64
	Replication int
	Warmup      time.Duration // statistics before this time are discarded
	Duration    time.Duration // measured time after the warm-up; the run ends at Warmup+Duration
	// SampleEvery is the width of the time-series buckets; 0 picks about 500 buckets.
	SampleEvery time.Duration
}

// World is one replication of a scenario: the engine, the message pool and ledger, the
// components and the metrics. It is single-threaded; parallel replications each build
// their own World.
type World struct {
	Eng *sim.Engine

	// What sends, calls, replies and messages touch, together at the front: an event
	// of the world reads a few of these fields, and spread over the struct (the public
	// fields, the configuration and the build-time tables first) they were several cache
	// lines, each one more miss per event.
	msgs       pool
	calls      []call
	freeCalls  []int32
	targets    []Target
	requesters []Requester
	callees    []Callee
	sendLat    []sim.Dist // per component: its send API's latency (APILatency), or nil
	tracer     Tracer
	paths      *Paths
	handler    sim.HandlerID
	inTransit  int
	Ledger     Ledger
	nextTrace  uint64

	Metrics *Registry
	Strings Interner

	cfg        Config
	components []Component
	refused    []DropKey // per component: drop key for refused sends nobody waits for
}

// World event kinds. A reply with status st is an event of kind evReply + st (see
// Reply); a message in transit to component to is an event of kind evTransit + to (see
// Send): evTransit comes last.
const (
	evSample int32 = iota
	evWarmup
	evReply
	evTransit = evReply + 256 // after every Status
)

// NewWorld returns an empty world at time zero.
func NewWorld(cfg Config) *World {
	if cfg.SampleEvery <= 0 {
		cfg.SampleEvery = sim.BucketWidth(cfg.Warmup+cfg.Duration, 500)
	}
	w := &World{Eng: sim.NewEngine(1024), cfg: cfg}
	w.handler = w.Eng.Register(w)
	w.Metrics = newRegistry(w, cfg.SampleEvery, cfg.Warmup+cfg.Duration)
	w.paths = newPaths(w)
	return w
}

// Config returns the configuration the world was built with.
func (w *World) Config() Config { return w.cfg }

// End is the simulated time at which the run ends (warm-up plus duration).
func (w *World) End() time.Duration { return w.cfg.Warmup + w.cfg.Duration }

// Now is the current simulated time.
func (w *World) Now() time.Duration { return w.Eng.Now() }

// Stream returns the random stream of a named component: the same name sees the same
// numbers in every variant of a scenario (common random numbers).
func (w *World) Stream(name string) *rand.Rand {
	return sim.NewStream(w.cfg.Seed, w.cfg.Replication, name)
}

// Add registers a component and returns its id. Components that implement Target, Callee
// or Requester are reachable through sends, calls and replies. If the component's name was
// reserved (see Reserve), it takes the reserved id.
func (w *World) Add(c Component) ComponentID {
	for i, r := range w.components {
		if p, ok := r.(placeholder); ok && string(p) == c.Name() {
			w.bind(ComponentID(i), c)
			return ComponentID(i)
		}
	}
	id := ComponentID(len(w.components))
	w.components = append(w.components, nil)
	w.targets = append(w.targets, nil)
	w.callees = append(w.callees, nil)
	w.requesters = append(w.requesters, nil)
	w.refused = append(w.refused, -1)
	w.sendLat = append(w.sendLat, nil)
	w.bind(id, c)
	return id
}

func (w *World) bind(id ComponentID, c Component) {
	w.components[id] = c
	w.targets[id], _ = c.(Target)
	w.callees[id], _ = c.(Callee)
	w.requesters[id], _ = c.(Requester)
	w.sendLat[id] = nil
	if l, ok := c.(APILatency); ok {
		w.sendLat[id] = l.SendLatency()
	}
}

// Reserve gives a name its component id before the component exists, so that components
// which refer to each other (a function that publishes to a topic that invokes the
// function) can be built in any order. The component added later under that name takes the
// id. Reserving a name twice returns the same id.
func (w *World) Reserve(name string) ComponentID {
	if id, ok := w.Lookup(name); ok {
		return id
	}
	return w.Add(placeholder(name))
}

// Unbound returns the names reserved but never added (a model-building bug).
func (w *World) Unbound() []string {
	var names []string
	for _, c := range w.components {
		if p, ok := c.(placeholder); ok {
			names = append(names, string(p))
		}
	}
	return names
}

// placeholder stands for a reserved component until it is added.
type placeholder string

func (p placeholder) Name() string { return string(p) }
func (p placeholder) Holding() int { return 0 }

// Component returns a registered component.
func (w *World) Component(id ComponentID) Component { return w.components[id] }

// Components returns all registered components in registration order.
func (w *World) Components() []Component { return w.components }

// Lookup finds a component by name (model building only; never on the hot path).
func (w *World) Lookup(name string) (ComponentID, bool) {
	for i, c := range w.components {
		if c.Name() == name {
			return ComponentID(i), true
		}
	}
	return None, false
}

// Msg returns the message with the given id. The pointer is valid until the next
// allocation (the pool may grow); do not keep it across events.
func (w *World) Msg(id MsgID) *Message { return &w.msgs.msgs[id] }

// Attrs returns the attributes of the message with the given id; a new message has every
// slot zero, and its producer sets them before any copy is made: copies share them (see
// Attrs), so they are not to be changed after that. The pointer is valid until the next
// allocation, as for Msg.
func (w *World) Attrs(id MsgID) *Attrs { return &w.msgs.attrs[w.msgs.msgs[id].attrs] }

// RefOf returns a generation-checked reference to a live message.
func (w *World) RefOf(id MsgID) Ref { return Ref{ID: id, Gen: w.msgs.msgs[id].gen} }

// Resolve returns the message a Ref points to, or NoMsg if it has been finished since.
func (w *World) Resolve(r Ref) MsgID {
	if r.ID < 0 || int(r.ID) >= len(w.msgs.msgs) {
		return NoMsg
	}
	m := &w.msgs.msgs[r.ID]
	if !m.live || m.gen != r.Gen {
		return NoMsg
	}
	return r.ID
}

// Live is the number of messages in the pool.
func (w *World) Live() int { return w.msgs.live }

// Produce creates a message emitted by a producer now. The caller owns it.
func (w *World) Produce(producer int32, size int32) MsgID {
	id := w.msgs.alloc()
	m := &w.msgs.msgs[id]
	w.nextTrace++
	m.Trace = w.nextTrace
	m.Origin = w.Now()
	m.Entered = m.Origin
	m.Producer = producer
	m.Size = size
	w.Ledger.Produced++
	return id
}

// Derive creates a copy of message src (same trace, origin, producer, attributes, group)
// for a fan-out or a send by a function. The caller owns the copy.
func (w *World) Derive(src MsgID) MsgID {
	id := w.msgs.take()
	s := &w.msgs.msgs[src]
	m := &w.msgs.msgs[id]
	gen := m.gen
	*m = *s
	w.msgs.share(m)
	m.gen, m.live = gen, true
	m.Entered = w.Now()
	m.Hops = s.Hops + 1
	w.Ledger.Derived++
	return id
}

// Consume finishes a message that was processed to completion by component at. If the
// component is the end of a path (a sink), its end-to-end latency is recorded.
func (w *World) Consume(m MsgID, at ComponentID, sink bool) {
	if w.tracer != nil {
		text := "processed"
		if sink {
			text = fmt.Sprintf("processed: end of its path, %.3f s after it was produced", (w.Now() - w.msgs.msgs[m].Origin).Seconds())
		}
		w.Tracef(at, m, "%s", text)
	}
	if sink {
		w.paths.arrive(m, at)
	}
	w.Ledger.Consumed++
	w.msgs.release(m)
}

// Arrive records the end-to-end latency of m at sink without finishing it (a queue that
// is the end of a path keeps the message until someone consumes it).
func (w *World) Arrive(m MsgID, sink ComponentID) { w.paths.arrive(m, sink) }

// DropReason registers a counted reason for which component may drop messages.
func (w *World) DropReason(component, reason string) DropKey {
	for i, d := range w.Ledger.drops {
		if d.Component == component && d.Reason == reason {
			return DropKey(i)
		}
	}
	w.Ledger.drops = append(w.Ledger.drops, DropCount{Component: component, Reason: reason})
	return DropKey(len(w.Ledger.drops) - 1)
}

// Drop finishes a message for a counted reason.
func (w *World) Drop(m MsgID, k DropKey) {
	if w.tracer != nil {
		d := w.Ledger.drops[k]
		w.tracer.Trace(TraceEvent{At: w.Now(), Component: d.Component, Trace: w.msgs.msgs[m].Trace,
			Message: w.MsgLabel(m), Text: "dropped: " + d.Reason})
	}
	w.Ledger.drops[k].N++
	w.msgs.release(m)
}

// Dropped is the count of one drop reason so far.
func (w *World) Dropped(k DropKey) uint64 { return w.Ledger.drops[k].N }

// Paths returns the end-to-end latency recorder.
func (w *World) Paths() *Paths { return w.paths }

// Fire dispatches the world's own events.
func (w *World) Fire(ev sim.Event) {
	if ev.Kind >= evTransit {
		w.arriveTransit(ev)
		return
	}
	if ev.Kind >= evReply {
		w.fireReply(ev)
		return
	}
	switch ev.Kind {
	case evSample:
		w.Metrics.sample()
	case evWarmup:
		w.Metrics.markWarmup()
	}
}

// Run starts every Starter, runs the engine to the end of the run, and finishes every
// Finisher. It returns the engine's error, if any.
func (w *World) Run() error {
	if w.cfg.Warmup > 0 {
		w.Eng.After(w.cfg.Warmup, w.handler, evWarmup, 0, 0)
	}
	w.Metrics.start()
	for _, c := range w.components {
		if s, ok := c.(Starter); ok {
			s.Start()
		}
	}
	if err := w.Eng.RunUntil(w.End()); err != nil {
		return err
	}
	for _, c := range w.components {
		if f, ok := c.(Finisher); ok {
			f.Finish()
		}
	}
	w.Metrics.finish()
	return w.Eng.Err()
}

// Conservation checks the message-conservation identity now.
func (w *World) Conservation() Conservation {
	var held, dlq uint64
	for _, c := range w.components {
		held += uint64(c.Holding())
		if d, ok := c.(DeadLetterHolder); ok {
			dlq += uint64(d.HoldingDeadLetters())
		}
	}
	held += uint64(w.inTransit)
	l := &w.Ledger
	c := Conservation{
		Produced: l.Produced, Derived: l.Derived,
		Consumed: l.Consumed, Dropped: l.Dropped(),
		InDLQ: dlq, Held: held, Live: uint64(w.msgs.live),
	}
	if held >= dlq {
		c.InFlight = held - dlq
	}
	c.OK = held == c.Live && c.Produced+c.Derived == c.Consumed+c.Dropped+c.Live
	return c
}

// CheckConservation returns an error describing a broken identity, or nil.
func (w *World) CheckConservation() error {
	c := w.Conservation()
	if !c.OK {
		return fmt.Errorf("message conservation broken: %s", c)
	}
	return nil
}
