package sns

import (
	"strings"
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/models/internal/tracelog"
)

// TestTopicNarratesPublishFilterRetryAndRedrive publishes one message to a topic with three
// subscriptions: one whose filter policy does not match, one that fails once and is
// retried, one that always fails and redrives to its DLQ.
func TestTopicNarratesPublishFilterRetryAndRedrive(t *testing.T) {
	w := newWorld()
	log := &tracelog.Log{}
	w.SetTracer(log)
	src := newSource(w, "type")
	refunds := newTarget(w, "refunds")
	flaky := newTarget(w, "flaky")
	flaky.script = func(n int, _ time.Duration) core.Status {
		if n == 1 {
			return core.Failed
		}
		return core.OK
	}
	broken := newTarget(w, "broken")
	broken.script = func(int, time.Duration) core.Status { return core.Failed }
	dlq := newQueue(w, "dlq", false)
	one := &RetryPolicy{Retries: 1, MinDelay: time.Second, MaxDelay: time.Second, Function: Linear}
	tp := mustNew(t, w, Config{Name: "orders", Jitter: NoJitter, Subscriptions: []Subscription{
		{Protocol: ProtocolLambda, Target: refunds.id, DLQ: core.None, DeliveryLatency: zero,
			FilterPolicy: []byte(`{"type":["refund"]}`)},
		{Protocol: ProtocolHTTP, Target: flaky.id, DLQ: core.None, DeliveryLatency: zero, RetryPolicy: one},
		{Protocol: ProtocolHTTP, Target: broken.id, DLQ: dlq.id, DeliveryLatency: zero, RetryPolicy: one},
	}})
	src.publish(tp.ID(), "order")
	if err := w.Eng.Run(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"0.000 s orders: message src-1 published; fanning out to 3 subscription(s)",
		"0.000 s orders: message src-1 filtered out for subscription refunds (lambda): its filter policy does not match",
		"0.000 s orders: message src-1 processed",
		"0.000 s orders: message src-1 delivery to flaky (http) failed; retry 1 in 1.000 s",
		"0.000 s orders: message src-1 delivery to broken (http) failed; retry 1 in 1.000 s",
		"1.000 s flaky: message src-1 processed: end of its path, 1.000 s after it was produced",
		"1.000 s orders: message src-1 delivered to subscription flaky (http)",
		"1.000 s orders: message src-1 delivery to broken (http) failed; giving up after 1 retries",
		"1.000 s dlq: message src-1 processed: end of its path, 1.000 s after it was produced",
		"1.000 s orders: message src-1 redriven to DLQ dlq",
	}
	if got := strings.Join(log.Lines, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("narration:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	conserve(t, w)
}
