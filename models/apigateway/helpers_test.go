package apigateway

import (
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/sim"
)

// tclient is a test client that sends requests at hand-placed times (no send latency),
// each with a string attribute "client" (or none), and hears how each send ended. A
// refused request comes back to it and it drops it, counted.
type tclient struct {
	w       *core.World
	id      core.ComponentID
	h       sim.HandlerID
	index   int32
	to      core.ComponentID
	keys    []int32
	refused []core.Status
	drop    core.DropKey
}

func newClient(w *core.World, name string, to core.ComponentID) *tclient {
	c := &tclient{w: w, to: to}
	c.id = w.Add(c)
	c.h = w.Eng.Register(c)
	c.index = w.Paths().AddProducer(name)
	c.drop = w.DropReason(name, "refused")
	return c
}

func (c *tclient) Name() string        { return c.w.Paths().Producers()[c.index] }
func (c *tclient) Holding() int        { return 0 }
func (c *tclient) Index() int32        { return c.index }
func (c *tclient) AttrNames() []string { return []string{"client"} }

// at schedules one request at each time, carrying client key ("" for none).
func (c *tclient) at(key string, ts ...time.Duration) {
	k := core.AttrAbsent
	if key != "" {
		k = c.w.Strings.ID(key)
	}
	for _, t := range ts {
		_ = c.w.Eng.Schedule(sim.Event{At: t, Target: sim.Target{Handler: c.h}, A: int64(len(c.keys))})
		c.keys = append(c.keys, k)
	}
}

// every schedules n requests from start, one every gap.
func (c *tclient) every(key string, start, gap time.Duration, n int) {
	for i := 0; i < n; i++ {
		c.at(key, start+time.Duration(i)*gap)
	}
}

func (c *tclient) Fire(ev sim.Event) {
	m := c.w.Produce(c.index, 100)
	attrs := c.w.Attrs(m)
	for j := range attrs {
		attrs[j].Str = core.AttrAbsent
	}
	attrs[0].Str = c.keys[ev.A]
	c.w.Send(m, c.to, 0, c.id, int64(m))
}

func (c *tclient) Done(token int64, st core.Status) {
	if st != core.OK {
		c.refused = append(c.refused, st)
		c.w.Drop(core.MsgID(token), c.drop)
	}
}

// backend is a fake callee (a function or service) that answers every call with status
// after delay.
type backend struct {
	label   string
	w       *core.World
	id      core.ComponentID
	h       sim.HandlerID
	delay   time.Duration
	status  core.Status
	calls   int
	replies []time.Duration
}

func newBackend(w *core.World, name string, delay time.Duration, st core.Status) *backend {
	b := &backend{label: name, w: w, delay: delay, status: st}
	b.id = w.Add(b)
	b.h = w.Eng.Register(b)
	return b
}

func (b *backend) Name() string { return b.label }
func (b *backend) Holding() int { return 0 }
func (b *backend) Call(c core.CallID) {
	b.calls++
	b.w.Eng.After(b.delay, b.h, 0, int64(c), 0)
}
func (b *backend) Fire(ev sim.Event) {
	b.replies = append(b.replies, b.w.Now())
	b.w.Reply(core.CallID(ev.A), b.status)
}

// holder is a fake queue: it accepts (or refuses) sends and keeps what it accepts.
type holder struct {
	name   string
	held   []core.MsgID
	refuse core.Status
}

func (h *holder) Name() string { return h.name }
func (h *holder) Holding() int { return len(h.held) }
func (h *holder) Deliver(m core.MsgID) core.Status {
	if h.refuse != core.OK {
		return h.refuse
	}
	h.held = append(h.held, m)
	return core.OK
}

func newWorld(d time.Duration) *core.World {
	return core.NewWorld(core.Config{Seed: 5, Duration: d})
}

func mustAPI(t testing.TB, w *core.World, cfg Config) *API {
	t.Helper()
	a, err := New(w, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func checkConservation(t testing.TB, w *core.World) {
	t.Helper()
	if err := w.CheckConservation(); err != nil {
		t.Fatal(err)
	}
}

func counter(w *core.World, component, name string) uint64 {
	return w.Metrics.Find(component, name).Counter.Value()
}

func dropped(w *core.World, component, reason string) uint64 {
	for _, d := range w.Ledger.Drops() {
		if d.Component == component && d.Reason == reason {
			return d.N
		}
	}
	return 0
}

// fixed is a constant added latency of d.
func fixed(d time.Duration) sim.Dist { return sim.Constant(d.Seconds()) }
