package results

import (
	"math/rand/v2"
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/models/producer"
	"msgsim/sim"
)

// A tiny deterministic pipeline built only on models/core and models/producer, so the
// tests do not depend on the models being written: shoppers -> order-queue (kind sqs) ->
// inventory (kind lambda, 512 MB, arm64) -> warehouse (kind service, the sink). The
// components register the CloudWatch names of the real models.

// testQueue holds each message for an exponential time, then hands it to the function.
type testQueue struct {
	w     *core.World
	name  string
	id    core.ComponentID
	h     sim.HandlerID
	rng   *rand.Rand
	fn    *testFunc
	held  int
	depth *sim.Gauge
	age   *sim.Gauge

	sent, received, deleted, requests, dlq *core.Counter
	queueTime                              *core.Latency
	expired                                core.DropKey
}

func newTestQueue(w *core.World, name string, fn *testFunc) *testQueue {
	q := &testQueue{w: w, name: name, fn: fn, rng: w.Stream("sqs/" + name)}
	q.id = w.Add(q)
	q.h = w.Eng.Register(q)
	r := w.Metrics
	q.sent = r.Counter(name, "NumberOfMessagesSent", "messages")
	q.received = r.Counter(name, "NumberOfMessagesReceived", "messages")
	q.deleted = r.Counter(name, "NumberOfMessagesDeleted", "messages")
	q.depth = r.Gauge(name, "ApproximateNumberOfMessagesVisible", "messages")
	q.age = r.Gauge(name, "ApproximateAgeOfOldestMessage", "s")
	q.dlq = r.Counter(name, "NumberOfMessagesMovedToDLQ", "messages")
	q.requests = r.Counter(name, "Requests", "requests")
	q.queueTime = r.Latency(name, "QueueTime")
	q.expired = w.DropReason(name, "expired")
	return q
}

func (q *testQueue) Name() string   { return q.name }
func (q *testQueue) Kind() string   { return core.KindSQS }
func (q *testQueue) Holding() int   { return q.held }
func (q *testQueue) handOver() bool { return q.rng.Float64() < 0.99 }

func (q *testQueue) Deliver(m core.MsgID) core.Status {
	q.sent.Inc()
	q.requests.Inc()
	q.held++
	q.depth.Add(q.w.Now(), 1)
	q.w.Msg(m).Entered = q.w.Now()
	d := sim.SampleDuration(sim.Exponential(0.05), q.rng)
	q.age.Set(q.w.Now(), d.Seconds())
	q.w.Eng.After(d, q.h, 0, int64(m), 0)
	return core.OK
}

func (q *testQueue) Fire(ev sim.Event) {
	m := core.MsgID(ev.A)
	q.held--
	q.depth.Add(q.w.Now(), -1)
	q.requests.Add(2) // receive and delete
	if !q.handOver() {
		q.w.Drop(m, q.expired)
		return
	}
	q.received.Inc()
	q.deleted.Inc()
	q.queueTime.Record(core.Since(q.w.Now(), q.w.Msg(m).Entered))
	q.fn.invoke(m)
}

// testFunc runs each message for 100 ms plus an exponential time, fails 2% of them, and
// sends the others to the warehouse.
type testFunc struct {
	w      *core.World
	name   string
	id     core.ComponentID
	h      sim.HandlerID
	rng    *rand.Rand
	to     core.ComponentID
	busy   int
	warm   int
	failed core.DropKey

	invocations, errors, throttles, coldStarts, billed *core.Counter
	concurrent                                         *sim.Gauge
	duration                                           *core.Latency
}

func newTestFunc(w *core.World, name string) *testFunc {
	f := &testFunc{w: w, name: name, rng: w.Stream("lambda/" + name)}
	f.id = w.Add(f)
	f.h = w.Eng.Register(f)
	r := w.Metrics
	f.invocations = r.Counter(name, "Invocations", "count")
	f.errors = r.Counter(name, "Errors", "count")
	f.throttles = r.Counter(name, "Throttles", "count")
	f.duration = r.Latency(name, "Duration")
	f.concurrent = r.Gauge(name, "ConcurrentExecutions", "count")
	f.coldStarts = r.Counter(name, "ColdStarts", "count")
	f.billed = r.Counter(name, "BilledGBSeconds", "MB-ms")
	f.failed = w.DropReason(name, "function error")
	return f
}

func (f *testFunc) Name() string         { return f.name }
func (f *testFunc) Kind() string         { return core.KindLambda }
func (f *testFunc) Architecture() string { return "arm64" }
func (f *testFunc) Holding() int         { return f.busy }

func (f *testFunc) invoke(m core.MsgID) {
	f.invocations.Inc()
	if f.busy >= f.warm {
		f.coldStarts.Inc()
		f.warm++
	}
	f.busy++
	f.concurrent.Add(f.w.Now(), 1)
	d := 100*time.Millisecond + sim.SampleDuration(sim.Exponential(0.02), f.rng)
	f.w.Eng.After(d, f.h, 0, int64(m), int64(d))
}

func (f *testFunc) Fire(ev sim.Event) {
	m := core.MsgID(ev.A)
	d := time.Duration(ev.B)
	f.busy--
	f.concurrent.Add(f.w.Now(), -1)
	f.duration.Record(d)
	ms := uint64((d + time.Millisecond - 1) / time.Millisecond)
	f.billed.Add(ms * 512)
	if f.rng.Float64() < 0.02 {
		f.errors.Inc()
		f.w.Drop(m, f.failed)
		return
	}
	f.w.Send(m, f.to, 10*time.Millisecond, core.None, 0)
}

// testService completes each request after an exponential time; it is the sink.
type testService struct {
	w    *core.World
	name string
	id   core.ComponentID
	h    sim.HandlerID
	rng  *rand.Rand
	held int

	requests, completed, rejected, errs *core.Counter
	sojourn                             *core.Latency
}

func newTestService(w *core.World, name string) *testService {
	s := &testService{w: w, name: name, rng: w.Stream("service/" + name)}
	s.id = w.Add(s)
	s.h = w.Eng.Register(s)
	r := w.Metrics
	s.requests = r.Counter(name, "Requests", "requests")
	s.completed = r.Counter(name, "Completed", "requests")
	s.rejected = r.Counter(name, "Rejected", "requests")
	s.errs = r.Counter(name, "Errors", "requests")
	s.sojourn = r.Latency(name, "SojournTime")
	return s
}

func (s *testService) Name() string { return s.name }
func (s *testService) Kind() string { return core.KindService }
func (s *testService) Holding() int { return s.held }

func (s *testService) Deliver(m core.MsgID) core.Status {
	s.requests.Inc()
	s.held++
	d := sim.SampleDuration(sim.Exponential(0.02), s.rng)
	s.w.Eng.After(d, s.h, 0, int64(m), int64(d))
	return core.OK
}

func (s *testService) Fire(ev sim.Event) {
	s.held--
	s.completed.Inc()
	s.sojourn.Record(time.Duration(ev.B))
	s.w.Consume(core.MsgID(ev.A), s.id, true)
}

// pipelineRun builds and runs the pipeline for one replication and summarises it.
func pipelineRun(t testing.TB, seed uint64, rep int, thresholds ...string) *Run {
	t.Helper()
	w := core.NewWorld(core.Config{Seed: seed, Replication: rep, Warmup: 2 * time.Second,
		Duration: 20 * time.Second, SampleEvery: time.Second})
	fn := newTestFunc(w, "inventory")
	q := newTestQueue(w, "order-queue", fn)
	wh := newTestService(w, "warehouse")
	fn.to = wh.id
	producer.New(w, producer.Config{Name: "shoppers", Target: q.id, Arrival: producer.Poisson{PerSecond: 50}})
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if err := w.CheckConservation(); err != nil {
		t.Fatal(err)
	}
	var ts []Threshold
	for _, s := range thresholds {
		th, err := ParseThreshold(s)
		if err != nil {
			t.Fatal(err)
		}
		ts = append(ts, th)
	}
	return FromWorld(w, Meta{Scenario: "pipeline", Description: "a test pipeline", WallSeconds: 0.5, Thresholds: ts})
}
