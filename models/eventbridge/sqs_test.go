package eventbridge

import (
	"testing"
	"time"

	"msgsim/models/sqs"
)

// With real SQS queues: events land in the target queue; a copy the queue refuses as too
// large (non-retriable) lands in the target's dead-letter queue.
func TestRoutesIntoSQSQueueWithDLQ(t *testing.T) {
	w := newWorld(time.Minute)
	e := newEmitter(w, "shop", "type")
	cfg := sqs.DefaultConfig("orders", false)
	cfg.MaxMessageSize = 1024
	orders, err := sqs.New(w, cfg)
	if err != nil {
		t.Fatal(err)
	}
	dlq, err := sqs.New(w, sqs.DefaultConfig("orders-dlq", false))
	if err != nil {
		t.Fatal(err)
	}
	tg := NewTarget(orders.ID())
	tg.DLQ = dlq.ID()
	b := mustBus(t, w, Config{Name: "bus",
		Rules: []Rule{{Name: "orders", Pattern: `{"detail":{"type":["order"]}}`, Targets: []Target{tg}}}})
	e.to = b.ID()
	for i := 0; i < 10; i++ {
		e.at(time.Duration(i)*time.Second, 200, "order") // fits in 1 KiB with its envelope
	}
	e.at(11*time.Second, 900, "order")  // 900 + envelope > 1 KiB: rejected by the queue
	e.at(12*time.Second, 200, "refund") // matches nothing
	run(t, w)
	if orders.Visible() != 10 || dlq.Visible() != 1 {
		t.Errorf("orders holds %d, DLQ %d; want 10, 1", orders.Visible(), dlq.Visible())
	}
	for metric, want := range map[string]uint64{"Invocations": 11, "FailedInvocations": 1, "InvocationsSentToDlq": 1, "RetryInvocationAttempts": 0, "UnmatchedEvents": 1} {
		if got := counter(t, w, "bus", metric); got != want {
			t.Errorf("%s = %d, want %d", metric, got, want)
		}
	}
	conserve(t, w)
}
