package sns_test

import (
	"fmt"
	"time"

	"msgsim/models/core"
	"msgsim/models/endpoint"
	"msgsim/models/producer"
	"msgsim/models/sns"
	"msgsim/models/sqs"
)

// A topic fans orders out to an audit queue (every message) and to a webhook that only
// wants refunds; the webhook is down for the first 90 s, so its copies are retried by the
// HTTP/S default policy (3 retries, 20 s apart): refunds published in the first 30 s
// still fail after the last retry and land in the subscription's dead-letter queue.
func Example() {
	w := core.NewWorld(core.Config{Seed: 1, Duration: 2 * time.Minute})
	audit, _ := sqs.New(w, sqs.DefaultConfig("audit", false))
	dlq, _ := sqs.New(w, sqs.DefaultConfig("webhook-dlq", false))
	hook, _ := endpoint.New(w, endpoint.Config{Name: "webhook", Protocol: endpoint.HTTPS,
		Outages: []endpoint.Window{{From: 0, To: 90 * time.Second}}})
	topic := w.Reserve("orders")
	producer.New(w, producer.Config{Name: "shop", Target: topic, Arrival: producer.Constant{PerSecond: 1}, Limit: 60,
		Attrs: []producer.Attr{{Name: "type", Values: []string{"order", "refund"}, Weights: []float64{3, 1}}}})
	_, err := sns.New(w, sns.Config{Name: "orders", Subscriptions: []sns.Subscription{
		{Protocol: sns.ProtocolSQS, Target: audit.ID(), DLQ: core.None, RawMessageDelivery: true},
		{Protocol: sns.ProtocolHTTPS, Target: hook.ID(), DLQ: dlq.ID(), FilterPolicy: []byte(`{"type":["refund"]}`)},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := w.Run(); err != nil {
		fmt.Println(err)
		return
	}
	get := func(name string) uint64 { return w.Metrics.Find("orders", name).Counter.Value() }
	fmt.Println("published", get("NumberOfMessagesPublished"), "audit holds", audit.Visible())
	fmt.Println("refunds delivered", get("NumberOfNotificationsDelivered")-uint64(audit.Visible()),
		"filtered out", get("NumberOfNotificationsFilteredOut"), "redriven", get("NumberOfNotificationsRedrivenToDlq"))
	fmt.Println(w.Conservation())
	// Output:
	// published 60 audit holds 60
	// refunds delivered 9 filtered out 45 redriven 6
	// produced 60 + derived 75 = consumed 69 + dropped 0 + in DLQ 0 + in flight 66 ✓
}
