package sns

import (
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/sim"
)

// source is a test publisher: a core.AttrSchema (so the topic can name its attributes)
// and a core.Requester that drops what the topic refuses, counting outcomes.
type source struct {
	w      *core.World
	id     core.ComponentID
	index  int32
	names  []string
	status map[core.Status]int
	refuse core.DropKey
}

func newSource(w *core.World, names ...string) *source {
	s := &source{w: w, names: names, status: make(map[core.Status]int)}
	s.index = w.Paths().AddProducer("src")
	s.id = w.Add(s)
	s.refuse = w.DropReason("src", "publish refused")
	return s
}

func (s *source) Name() string        { return "src" }
func (s *source) Holding() int        { return 0 }
func (s *source) Index() int32        { return s.index }
func (s *source) AttrNames() []string { return s.names }
func (s *source) Done(tok int64, st core.Status) {
	s.status[st]++
	if st != core.OK {
		s.w.Drop(core.MsgID(tok), s.refuse)
	}
}

// message builds a message whose attributes are vals in schema order: a string, a float64,
// or nil for absent.
func (s *source) message(vals ...any) core.MsgID {
	m := s.w.Produce(s.index, 100)
	attrs := s.w.Attrs(m)
	for i := range attrs {
		attrs[i].Str = core.AttrAbsent
	}
	for i, v := range vals {
		switch x := v.(type) {
		case string:
			attrs[i].Str = s.w.Strings.ID(x)
		case float64:
			attrs[i] = core.AttrValue{Str: core.AttrNumber, Num: x}
		}
	}
	return m
}

// publish sends a message to the topic now, with no API latency.
func (s *source) publish(topic core.ComponentID, vals ...any) core.MsgID {
	m := s.message(vals...)
	s.w.Send(m, topic, 0, s.id, int64(m))
	return m
}

// target is a fake subscriber: it answers each arrival with the status script gives
// (OK if nil), records the arrival times and traces, and consumes what it accepts at once.
type target struct {
	w      *core.World
	id     core.ComponentID
	name   string
	fifo   *bool
	script func(n int, now time.Duration) core.Status
	at     []time.Duration
	traces []uint64
	sizes  []int32
	got    []uint64 // traces accepted, in order
	ok     int
}

func newTarget(w *core.World, name string) *target {
	t := &target{w: w, name: name}
	t.id = w.Add(t)
	return t
}

func (t *target) Name() string { return t.name }
func (t *target) Holding() int { return 0 }
func (t *target) Deliver(m core.MsgID) core.Status {
	now := t.w.Now()
	t.at = append(t.at, now)
	t.traces = append(t.traces, t.w.Msg(m).Trace)
	t.sizes = append(t.sizes, t.w.Msg(m).Size)
	st := core.OK
	if t.script != nil {
		st = t.script(len(t.at), now)
	}
	if st == core.OK {
		t.ok++
		t.got = append(t.got, t.w.Msg(m).Trace)
		t.w.Consume(m, t.id, true)
	}
	return st
}

// fifoTarget is a fake queue that reports whether it is FIFO, as *sqs.Queue does.
type fifoTarget struct {
	*target
	isFIFO bool
}

func (f *fifoTarget) FIFO() bool { return f.isFIFO }

func newQueue(w *core.World, name string, fifo bool) *fifoTarget {
	f := &fifoTarget{target: &target{w: w, name: name}, isFIFO: fifo}
	f.id = w.Add(f)
	return f
}

func newWorld() *core.World {
	return core.NewWorld(core.Config{Seed: 1, Duration: 48 * time.Hour})
}

// zero is a delivery latency of exactly 0.
var zero = sim.Constant(0)

func counter(t *testing.T, w *core.World, topic, name string) uint64 {
	t.Helper()
	m := w.Metrics.Find(topic, name)
	if m == nil {
		t.Fatalf("no metric %s/%s", topic, name)
	}
	return m.Counter.Value()
}

func conserve(t *testing.T, w *core.World) {
	t.Helper()
	if err := w.CheckConservation(); err != nil {
		t.Fatal(err)
	}
}

func mustNew(t *testing.T, w *core.World, cfg Config) *Topic {
	t.Helper()
	tp, err := New(w, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tp
}

func dropped(w *core.World, component, reason string) uint64 {
	for _, d := range w.Ledger.Drops() {
		if d.Component == component && d.Reason == reason {
			return d.N
		}
	}
	return 0
}
