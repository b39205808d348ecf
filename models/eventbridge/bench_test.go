package eventbridge

import (
	"testing"
	"time"

	"msgsim/models/core"
)

// sinkTarget consumes whatever it is sent (a benchmark target that keeps nothing).
type sinkTarget struct {
	w  *core.World
	id core.ComponentID
	n  int
}

func (s *sinkTarget) Name() string { return "sink" }
func (s *sinkTarget) Holding() int { return 0 }
func (s *sinkTarget) Deliver(m core.MsgID) core.Status {
	s.n++
	s.w.Consume(m, s.id, false)
	return core.OK
}

// benchBus is a bus with three pattern rules (two match the benchmark's event, one does
// not), one target each, no quotas and no delivery latency.
func benchBus(b *testing.B, input Input) (*core.World, *Bus, *emitter, *sinkTarget) {
	w := core.NewWorld(core.Config{Seed: 1, Duration: time.Hour})
	e := newEmitter(w, "shop", "type", "status", "region")
	s := &sinkTarget{w: w}
	s.id = w.Add(s)
	tg := NewTarget(s.id)
	tg.Input = input
	bus, err := New(w, Config{Name: "bus", PutEventsRate: -1, InvocationRate: -1, DeliveryLatency: fixed(0), Rules: []Rule{
		{Name: "orders", Pattern: `{"source":["shop"],"detail":{"type":["order"]}}`, Targets: []Target{tg}},
		{Name: "eu", Pattern: `{"detail":{"region":[{"prefix":"eu-"}],"status":[{"anything-but":"test"}]}}`, Targets: []Target{tg}},
		{Name: "refunds", Pattern: `{"detail":{"type":["refund"]}}`, Targets: []Target{tg}},
	}})
	if err != nil {
		b.Fatal(err)
	}
	e.to = bus.ID()
	return w, bus, e, s
}

func benchmarkRoute(b *testing.B, input Input) {
	w, bus, e, s := benchBus(b, input)
	typ, status, region := w.Strings.ID("order"), w.Strings.ID("paid"), w.Strings.ID("eu-west-1")
	route := func() {
		m := w.Produce(e.idx, 512)
		attrs := w.Attrs(m)
		for i := range attrs {
			attrs[i].Str = core.AttrAbsent
		}
		attrs[0].Str, attrs[1].Str, attrs[2].Str = typ, status, region
		if st := bus.Deliver(m); st != core.OK {
			b.Fatalf("put: %v", st)
		}
		if err := w.Eng.Run(); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < 100; i++ { // warm the pools
		route()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		route()
	}
	b.StopTimer()
	if s.n != 2*(b.N+100) {
		b.Fatalf("delivered %d, want 2 per event", s.n)
	}
	if err := w.CheckConservation(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkRoute puts one event through a bus with three rules (two match): matching,
// two copies, two deliveries through the invocation quota and the transit queue.
func BenchmarkRoute(b *testing.B) { benchmarkRoute(b, Input{}) }

// BenchmarkRouteTransformer is BenchmarkRoute with an input transformer on each target.
func BenchmarkRouteTransformer(b *testing.B) {
	benchmarkRoute(b, Input{Kind: InputTransformer, PathsMap: map[string]string{"t": "$.detail.type", "s": "$.detail.status"},
		Template: `{"order": <t>, "status": "now <s>", "rule": <aws.events.rule-name>}`})
}
