package sqs

import (
	"math/rand/v2"
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/sim"
)

// delivery is one message a test poller received.
type delivery struct {
	at    time.Duration
	msg   core.MsgID
	trace uint64
	group int32
	count int
	sent  time.Duration
	ok    bool // the poller deleted it
}

// poller is the test consumer: it polls a queue in a loop and deletes each message it
// receives unless decide says the processing failed.
type poller struct {
	name   string
	w      *core.World
	q      *Queue
	id     core.ComponentID
	h      sim.HandlerID
	req    ReceiveRequest
	decide func(d delivery) bool // nil: every message succeeds
	// stopOnFailure processes a batch in order and leaves the rest of the batch alone
	// after the first failure (the FIFO consumer contract).
	stopOnFailure bool
	noDelete      bool          // never delete (a consumer that always fails)
	gap           time.Duration // pause between polls
	stopAt        time.Duration // stop polling at this time (0: never)

	log               []delivery
	polls, empties    int
	emptyWhileVisible int
	visibleAtPoll     bool
}

func newPoller(t testing.TB, w *core.World, q *Queue, name string, req ReceiveRequest) *poller {
	t.Helper()
	p := &poller{name: name, w: w, q: q, req: req}
	p.id = w.Add(p)
	p.h = w.Eng.Register(p)
	return p
}

func (p *poller) Name() string { return p.name }
func (p *poller) Holding() int { return 0 }
func (p *poller) Start()       { p.poll() }
func (p *poller) Fire(sim.Event) {
	p.poll()
}

func (p *poller) poll() {
	if p.stopAt > 0 && p.w.Now() >= p.stopAt {
		return
	}
	p.polls++
	p.visibleAtPoll = p.q.Visible() > 0
	p.q.Receive(p.req, p, 0)
}

func (p *poller) Received(_ int64, batch []Received) {
	if len(batch) == 0 {
		p.empties++
		if p.visibleAtPoll {
			p.emptyWhileVisible++
		}
	}
	failed := false
	for _, r := range batch {
		m := p.w.Msg(r.Msg)
		d := delivery{at: p.w.Now(), msg: r.Msg, trace: m.Trace, group: r.GroupID, count: r.ReceiveCount, sent: r.SentAt}
		if !p.noDelete && !(failed && p.stopOnFailure) {
			d.ok = p.decide == nil || p.decide(d)
			if d.ok {
				if !p.q.Delete(r.Handle, p.id, true) {
					d.ok = false
				}
			} else {
				failed = true
			}
		}
		p.log = append(p.log, d)
	}
	if p.gap > 0 {
		p.w.Eng.After(p.gap, p.h, 0, 0, 0)
		return
	}
	p.poll()
}

// recorder is a consumer that only keeps what it gets, for tests that drive a queue by
// hand.
type recorder struct {
	w       *core.World
	batches [][]Received
	times   []time.Duration
}

func (r *recorder) Received(_ int64, batch []Received) {
	r.batches = append(r.batches, append([]Received(nil), batch...))
	r.times = append(r.times, r.w.Now())
}

func (r *recorder) last() []Received {
	if len(r.batches) == 0 {
		return nil
	}
	return r.batches[len(r.batches)-1]
}

// sink is a component that consumes what tests delete by hand.
type sink struct{}

func (sink) Name() string { return "sink" }
func (sink) Holding() int { return 0 }

// world returns a world for a test run of d.
func world(d time.Duration) *core.World {
	w := core.NewWorld(core.Config{Seed: 7, Duration: d})
	w.Paths().AddProducer("test") // producer index 0 of the messages tests make by hand
	return w
}

// zeroLatency is an API latency of 0, for tests that check exact times.
var zeroLatency = sim.Constant(0)

// mustQueue builds a queue or fails the test.
func mustQueue(t testing.TB, w *core.World, cfg Config) *Queue {
	t.Helper()
	q, err := New(w, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// sendAt sends one new message of size bytes to q at time at (group g, dedup id dedup).
func sendAt(w *core.World, q *Queue, at time.Duration, size int32, g int32, dedup uint64, st *[]core.Status) {
	h := w.Eng.Register(sim.HandlerFunc(func(sim.Event) {
		m := w.Produce(0, size)
		w.Msg(m).Group = g
		w.Msg(m).Dedup = dedup
		s := q.Deliver(m)
		if s != core.OK {
			w.Drop(m, w.DropReason("test", "refused"))
		}
		if st != nil {
			*st = append(*st, s)
		}
	}))
	_ = w.Eng.Schedule(sim.Event{At: at, Target: sim.Target{Handler: h}})
}

// counter returns a counter metric of a queue.
func counter(t testing.TB, w *core.World, q *Queue, name string) uint64 {
	t.Helper()
	m := w.Metrics.Find(q.Name(), name)
	if m == nil || m.Counter == nil {
		t.Fatalf("no counter %s of %s", name, q.Name())
	}
	return m.Counter.Value()
}

func conserve(t testing.TB, w *core.World) {
	t.Helper()
	if err := w.CheckConservation(); err != nil {
		t.Fatal(err)
	}
}

func testRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 99)) }

// quick reports whether the long statistical tests should use their small sizes (under
// -short, or under the race detector). Tolerances are computed from the size used.
func quick() bool { return testing.Short() || raceEnabled }
