package service

import (
	"time"

	"msgsim/models/core"
)

// burst is a test client that, when the run starts, produces n messages and sends each to
// its target with no API latency and nobody waiting for the outcome (a refused message is
// dropped by the world as "refused (...)").
type burst struct {
	w      *core.World
	id     core.ComponentID
	index  int32
	n      int
	target core.ComponentID
}

func newBurst(w *core.World, name string, n int, target core.ComponentID) *burst {
	b := &burst{w: w, n: n, target: target}
	b.id = w.Add(b)
	b.index = w.Paths().AddProducer(name)
	return b
}

func (b *burst) Name() string { return "burst" }
func (b *burst) Holding() int { return 0 }
func (b *burst) Start() {
	for i := 0; i < b.n; i++ {
		b.w.Send(b.w.Produce(b.index, 100), b.target, 0, core.None, 0)
	}
}

// reply is what a caller heard about one call.
type reply struct {
	status core.Status
	at     time.Duration
}

// caller is a test client that makes n synchronous calls to its callee when the run
// starts. It owns each message until the reply, then consumes it.
type caller struct {
	w       *core.World
	id      core.ComponentID
	index   int32
	callee  core.ComponentID
	msgs    []core.MsgID
	replies []reply
	waiting int
}

func newCaller(w *core.World, n int, callee core.ComponentID) *caller {
	c := &caller{w: w, callee: callee, msgs: make([]core.MsgID, n), replies: make([]reply, n)}
	c.id = w.Add(c)
	c.index = w.Paths().AddProducer("caller")
	return c
}

func (c *caller) Name() string { return "caller" }
func (c *caller) Holding() int { return c.waiting }
func (c *caller) Start() {
	for i := range c.msgs {
		c.msgs[i] = c.w.Produce(c.index, 100)
		c.waiting++
		c.w.Call(c.id, int64(i), c.callee, c.msgs[i])
	}
}

func (c *caller) Done(token int64, st core.Status) {
	c.replies[token] = reply{status: st, at: c.w.Now()}
	c.waiting--
	c.w.Consume(c.msgs[token], c.id, false)
}

// completion is one request as an Observer saw it; end is -1 for a refused request.
type completion struct {
	arrival, start, end time.Duration
}

// recorder is an Observer that keeps every request it hears of.
type recorder struct{ seen []completion }

func (r *recorder) Completed(arrival, start, end time.Duration) {
	r.seen = append(r.seen, completion{arrival, start, end})
}

func (r *recorder) Rejected(arrival time.Duration) {
	r.seen = append(r.seen, completion{arrival, -1, -1})
}

// ageSum is Σ (now − max(arrival, since)) over the requests in the station now: the time
// they have spent in it since since. The Little's-law check bounds its edge effects by it.
func (s *Service) ageSum(now, since time.Duration) time.Duration {
	var sum time.Duration
	add := func(a time.Duration) { sum += now - max(a, since) }
	for i := range s.serving {
		if !s.isFree(int32(i)) {
			add(s.serving[i].arrival)
		}
	}
	for i := 0; i < s.line.len(); i++ {
		add(s.line.at(i).arrival)
	}
	return sum
}

func (s *Service) isFree(slot int32) bool {
	for _, f := range s.free {
		if f == slot {
			return true
		}
	}
	return false
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
