package consumer

import (
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/models/producer"
	"msgsim/models/sqs"
	"msgsim/sim"
)

// newWorld returns a world that runs for d after a warm-up of warmup.
func newWorld(warmup, d time.Duration) *core.World {
	return core.NewWorld(core.Config{Seed: 7, Warmup: warmup, Duration: d})
}

// apiLatency is a constant API latency of 15 ms, so round trips can be counted exactly.
var apiLatency = sim.Constant(0.015)

func mustQueue(t testing.TB, w *core.World, cfg sqs.Config) *sqs.Queue {
	t.Helper()
	if cfg.APILatency == nil {
		cfg.APILatency = apiLatency
	}
	q, err := sqs.New(w, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func mustConsumer(t testing.TB, w *core.World, cfg Config) *Consumer {
	t.Helper()
	c, err := New(w, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func produce(w *core.World, name string, q *sqs.Queue, arrival producer.Arrival, poison float64, limit int64) {
	producer.New(w, producer.Config{Name: name, Target: q.ID(), Arrival: arrival, Poison: poison, Limit: limit})
}

// total is the post-warm-up total of counter component.name.
func total(t testing.TB, w *core.World, component, name string) uint64 {
	t.Helper()
	m := w.Metrics.Find(component, name)
	if m == nil || m.Counter == nil {
		t.Fatalf("no counter %s.%s", component, name)
	}
	return m.Total()
}

func run(t testing.TB, w *core.World) {
	t.Helper()
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
}

func checkConservation(t testing.TB, w *core.World) {
	t.Helper()
	if err := w.CheckConservation(); err != nil {
		t.Fatal(err)
	}
}

// narration records the narrated events of a run.
type narration struct{ events []core.TraceEvent }

func (n *narration) Trace(e core.TraceEvent) { n.events = append(n.events, e) }

func producerConstant(perSecond float64) producer.Arrival {
	return producer.Constant{PerSecond: perSecond}
}

func producerPoisson(perSecond float64) producer.Arrival {
	return producer.Poisson{PerSecond: perSecond}
}
