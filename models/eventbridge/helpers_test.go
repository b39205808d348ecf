package eventbridge

import (
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/sim"
)

// fakeTarget is a test target: it answers each delivery with respond(n) (n counts
// deliveries from 0; nil: always OK), keeps what it accepts, and logs every delivery.
type fakeTarget struct {
	w       *core.World
	name    string
	id      core.ComponentID
	respond func(n int) core.Status
	consume bool // finish accepted messages at once instead of holding them
	held    []core.MsgID
	log     []delivery
}

type delivery struct {
	at    time.Duration
	trace uint64
	size  int32
	st    core.Status
}

func newFake(w *core.World, name string) *fakeTarget {
	f := &fakeTarget{w: w, name: name}
	f.id = w.Add(f)
	return f
}

func (f *fakeTarget) Name() string { return f.name }
func (f *fakeTarget) Holding() int { return len(f.held) }
func (f *fakeTarget) Deliver(m core.MsgID) core.Status {
	st := core.OK
	if f.respond != nil {
		st = f.respond(len(f.log))
	}
	msg := f.w.Msg(m)
	f.log = append(f.log, delivery{at: f.w.Now(), trace: msg.Trace, size: msg.Size, st: st})
	if st == core.OK {
		if f.consume {
			f.w.Consume(m, f.id, true)
		} else {
			f.held = append(f.held, m)
		}
	}
	return st
}

// accepted returns the traces the target accepted, in order.
func (f *fakeTarget) accepted() []uint64 {
	var out []uint64
	for _, d := range f.log {
		if d.st == core.OK {
			out = append(out, d.trace)
		}
	}
	return out
}

// times returns the times of every delivery (attempt) the target saw.
func (f *fakeTarget) times() []time.Duration {
	var out []time.Duration
	for _, d := range f.log {
		out = append(out, d.at)
	}
	return out
}

// emitter is a test producer with a declared attribute schema: it puts scripted events
// into a bus at scripted times (DeliverNow, no API latency) and records the outcomes;
// refused events are dropped with a counted reason.
type emitter struct {
	w       *core.World
	name    string
	id      core.ComponentID
	idx     int32
	h       sim.HandlerID
	names   []string
	to      core.ComponentID
	events  []emitted
	status  []core.Status
	refused core.DropKey
}

type emitted struct {
	at    time.Duration
	size  int32
	attrs []any // string, float64 or nil (absent), by schema position
}

func newEmitter(w *core.World, name string, names ...string) *emitter {
	e := &emitter{w: w, name: name, names: names}
	e.id = w.Add(e)
	e.idx = w.Paths().AddProducer(name)
	e.h = w.Eng.Register(e)
	e.refused = w.DropReason(name, "refused")
	return e
}

func (e *emitter) Name() string        { return e.name }
func (e *emitter) Holding() int        { return 0 }
func (e *emitter) Index() int32        { return e.idx }
func (e *emitter) AttrNames() []string { return e.names }

// at schedules an event at time t (call before the run).
func (e *emitter) at(t time.Duration, size int32, attrs ...any) {
	e.events = append(e.events, emitted{at: t, size: size, attrs: attrs})
	e.w.Eng.After(t, e.h, 0, int64(len(e.events)-1), 0)
}

func (e *emitter) Fire(ev sim.Event) {
	m := e.make(e.events[ev.A])
	st := e.w.DeliverNow(m, e.to)
	e.status = append(e.status, st)
	if st != core.OK {
		e.w.Drop(m, e.refused)
	}
}

// make produces the message of a scripted event.
func (e *emitter) make(ev emitted) core.MsgID {
	m := e.w.Produce(e.idx, ev.size)
	attrs := e.w.Attrs(m)
	for i := range attrs {
		attrs[i].Str = core.AttrAbsent
	}
	for i, a := range ev.attrs {
		switch v := a.(type) {
		case string:
			attrs[i].Str = e.w.Strings.ID(v)
		case float64:
			attrs[i] = core.AttrValue{Str: core.AttrNumber, Num: v}
		}
	}
	return m
}

func newWorld(d time.Duration) *core.World {
	return core.NewWorld(core.Config{Seed: 7, Duration: d})
}

// seconds is a duration of s seconds, exact to the nanosecond for decimal inputs.
func seconds(s float64) time.Duration { return time.Duration(s*1e9 + 0.5) }

// mustBus builds a bus or fails the test.
func mustBus(t testing.TB, w *core.World, cfg Config) *Bus {
	t.Helper()
	b, err := New(w, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func counter(t testing.TB, w *core.World, component, name string) uint64 {
	t.Helper()
	m := w.Metrics.Find(component, name)
	if m == nil {
		t.Fatalf("no metric %s %s", component, name)
	}
	return m.Counter.Value()
}

func run(t testing.TB, w *core.World) {
	t.Helper()
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
}

func conserve(t testing.TB, w *core.World) {
	t.Helper()
	if err := w.CheckConservation(); err != nil {
		t.Fatal(err)
	}
}

// fixed is a constant latency of s seconds.
func fixed(s float64) sim.Dist { return sim.Constant(s) }
