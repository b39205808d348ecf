package eventbridge_test

import (
	"fmt"
	"time"

	"msgsim/models/core"
	"msgsim/models/eventbridge"
	"msgsim/models/producer"
	"msgsim/models/sqs"
)

// A bus routes orders to a queue and refunds to another; each rule's pattern reads the
// producer's attribute "type" under detail.
func Example() {
	w := core.NewWorld(core.Config{Seed: 1, Duration: 10 * time.Second})
	orders, _ := sqs.New(w, sqs.DefaultConfig("orders", false))
	refunds, _ := sqs.New(w, sqs.DefaultConfig("refunds", false))
	bus := w.Reserve("shop-bus")
	producer.New(w, producer.Config{
		Name: "shop", Target: bus, Arrival: producer.Constant{PerSecond: 10}, Limit: 50,
		Attrs: []producer.Attr{{Name: "type", Values: []string{"order", "refund"}, Weights: []float64{3, 1}}},
	})
	_, err := eventbridge.New(w, eventbridge.Config{
		Name: "shop-bus",
		Rules: []eventbridge.Rule{
			{Name: "orders", Pattern: `{"source":["shop"],"detail":{"type":["order"]}}`,
				Targets: []eventbridge.Target{eventbridge.NewTarget(orders.ID())}},
			{Name: "refunds", Pattern: `{"detail":{"type":["refund"]}}`,
				Targets: []eventbridge.Target{eventbridge.NewTarget(refunds.ID())}},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := w.Run(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("events put:", w.Metrics.Find("shop-bus", "PutEventsApproximateSuccessCount").Counter.Value())
	fmt.Println("in queues:", orders.Visible()+refunds.Visible())
	fmt.Println(w.Conservation().OK)
	// Output:
	// events put: 50
	// in queues: 50
	// true
}
