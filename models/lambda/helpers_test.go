package lambda

import (
	"os"
	"strconv"
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/models/sqs"
	"msgsim/sim"
)

// newWorld returns a world that runs for d.
func newWorld(d time.Duration) *core.World {
	return core.NewWorld(core.Config{Seed: testSeed(), Duration: d})
}

func mustFn(t testing.TB, w *core.World, acct *Account, cfg Config) *Function {
	t.Helper()
	f, err := New(w, acct, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func mustQueue(t testing.TB, w *core.World, cfg sqs.Config) *sqs.Queue {
	t.Helper()
	q, err := sqs.New(w, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func checkConservation(t testing.TB, w *core.World) {
	t.Helper()
	if err := w.CheckConservation(); err != nil {
		t.Fatal(err)
	}
}

func constant(d time.Duration) sim.Dist { return sim.Constant(d.Seconds()) }

// reply is one answer a caller heard.
type reply struct {
	at time.Duration
	st core.Status
}

// caller is a test client that makes synchronous calls at hand-placed times, owns the
// message of each call and consumes it when the reply comes.
type caller struct {
	w       *core.World
	id      core.ComponentID
	h       sim.HandlerID
	to      core.ComponentID
	prod    int32
	held    int
	replies []reply
	poison  bool
}

func newCaller(w *core.World, name string, to core.ComponentID) *caller {
	c := &caller{w: w, to: to}
	c.id = w.Add(c)
	c.h = w.Eng.Register(c)
	c.prod = w.Paths().AddProducer(name)
	return c
}

func (c *caller) Name() string { return "caller" }
func (c *caller) Holding() int { return c.held }

// at schedules a call at time t.
func (c *caller) at(ts ...time.Duration) {
	for _, t := range ts {
		_ = c.w.Eng.Schedule(sim.Event{At: t, Target: sim.Target{Handler: c.h}})
	}
}

func (c *caller) Fire(sim.Event) {
	m := c.w.Produce(c.prod, 100)
	c.w.Msg(m).Poison = c.poison
	c.held++
	c.w.Call(c.id, int64(m), c.to, m)
}

func (c *caller) Done(token int64, st core.Status) {
	c.replies = append(c.replies, reply{c.w.Now(), st})
	c.held--
	c.w.Consume(core.MsgID(token), c.id, false)
}

// injector sends messages to a target at hand-placed times (zero latency), dropping
// refused ones with the world's counted "refused" reason.
type injector struct {
	w           *core.World
	id          core.ComponentID
	h           sim.HandlerID
	to          core.ComponentID
	prod        int32
	size        int32
	n           int
	poisonEvery int     // every poisonEvery-th message (1-based) is poison; 0 = none
	groups      []int32 // FIFO groups, round robin
	traces      []uint64
}

func newInjector(w *core.World, name string, to core.ComponentID) *injector {
	in := &injector{w: w, to: to, size: 100}
	in.id = w.Add(in)
	in.h = w.Eng.Register(in)
	in.prod = w.Paths().AddProducer(name)
	return in
}

func (in *injector) Name() string { return "injector" }
func (in *injector) Holding() int { return 0 }

func (in *injector) at(ts ...time.Duration) {
	for _, t := range ts {
		_ = in.w.Eng.Schedule(sim.Event{At: t, Target: sim.Target{Handler: in.h}})
	}
}

func (in *injector) Fire(sim.Event) {
	m := in.w.Produce(in.prod, in.size)
	in.n++
	msg := in.w.Msg(m)
	msg.Poison = in.poisonEvery > 0 && in.n%in.poisonEvery == 0
	if len(in.groups) > 0 {
		msg.Group = in.groups[in.n%len(in.groups)]
	}
	in.traces = append(in.traces, msg.Trace)
	in.w.Send(m, in.to, 0, core.None, 0)
}

// fakeService is a callee that answers every call with status st after latency.
type fakeService struct {
	w       *core.World
	id      core.ComponentID
	h       sim.HandlerID
	latency time.Duration
	st      core.Status
	calls   int
}

func newService(w *core.World, latency time.Duration, st core.Status) *fakeService {
	s := &fakeService{w: w, latency: latency, st: st}
	s.id = w.Add(s)
	s.h = w.Eng.Register(s)
	return s
}

func (s *fakeService) Name() string       { return "service" }
func (s *fakeService) Holding() int       { return 0 }
func (s *fakeService) Call(c core.CallID) { s.calls++; s.w.Eng.After(s.latency, s.h, 0, int64(c), 0) }
func (s *fakeService) Fire(ev sim.Event)  { s.w.Reply(core.CallID(ev.A), s.st) }

// counter is the raw value of a function metric.
func counter(t testing.TB, w *core.World, comp, name string) uint64 {
	t.Helper()
	m := w.Metrics.Find(comp, name)
	if m == nil {
		t.Fatalf("no metric %s %s", comp, name)
	}
	return m.Counter.Value()
}

// testSeed is 7 unless LAMBDA_TEST_SEED is set (to check that tests hold for any seed).
func testSeed() uint64 {
	if s, err := strconv.ParseUint(os.Getenv("LAMBDA_TEST_SEED"), 10, 64); err == nil {
		return s
	}
	return 7
}
