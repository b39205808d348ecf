package sns

import (
	"testing"

	"msgsim/models/core"
	"msgsim/models/sns/filter"
)

// sink consumes whatever it is sent, without recording anything.
type sink struct {
	w  *core.World
	id core.ComponentID
}

func (s *sink) Name() string { return "sink" }
func (s *sink) Holding() int { return 0 }
func (s *sink) Deliver(m core.MsgID) core.Status {
	s.w.Consume(m, s.id, true)
	return core.OK
}

// BenchmarkFanOut publishes one message to a topic with 3 filtered subscriptions (string
// attribute, numeric range, body prefix) and runs the copies to their targets: one op is a
// publish, its filtering and up to 3 deliveries.
func BenchmarkFanOut(b *testing.B) {
	w := newWorld()
	src := newSource(w, "type", "amount", "store")
	var subs []Subscription
	policies := []struct {
		p string
		s filter.Scope
	}{
		{`{"type":["order"]}`, filter.MessageAttributes},
		{`{"amount":[{"numeric":[">",50]}]}`, filter.MessageAttributes},
		{`{"store":[{"prefix":"eu-"}]}`, filter.MessageBody},
	}
	for _, p := range policies {
		s := &sink{w: w}
		s.id = w.Add(s)
		subs = append(subs, Subscription{Protocol: ProtocolLambda, Target: s.id, DLQ: core.None, DeliveryLatency: zero,
			FilterPolicy: []byte(p.p), FilterScope: p.s})
	}
	// unlimited quota: simulated time stands still at 0 while the benchmark runs
	tp, err := New(w, Config{Name: "t", PublishRate: -1, Subscriptions: subs})
	if err != nil {
		b.Fatal(err)
	}
	vals := [][]any{{"order", 80.0, "eu-west"}, {"refund", 20.0, "us-east"}, {"order", 10.0, "eu-north"}}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		v := vals[i%len(vals)]
		i++
		m := src.message(v...)
		w.Send(m, tp.ID(), 0, core.None, 0)
		if err := w.Eng.Run(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(w.Metrics.Find("t", "NumberOfNotificationsDelivered").Counter.Value())/float64(i), "copies/op")
	if err := w.CheckConservation(); err != nil {
		b.Fatal(err)
	}
}
