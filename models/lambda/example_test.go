package lambda_test

import (
	"fmt"
	"time"

	"msgsim/models/core"
	"msgsim/models/lambda"
	"msgsim/models/sqs"
	"msgsim/sim"
)

// A function triggered by a queue: 100 messages are processed in batches and deleted.
func Example() {
	w := core.NewWorld(core.Config{Seed: 1, Duration: time.Minute})
	q, _ := sqs.New(w, sqs.DefaultConfig("orders", false))
	cfg := lambda.DefaultConfig("inventory")
	cfg.Memory = 512
	cfg.Steps = []lambda.Step{{Kind: lambda.Compute, Duration: sim.Constant(0.005)}}
	cfg.Triggers = []lambda.ESMConfig{{Queue: q, BatchSize: 10}}
	cfg.Sink = true
	fn, err := lambda.New(w, lambda.NewAccount(0), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	producer := w.Paths().AddProducer("shoppers")
	for i := 0; i < 100; i++ {
		q.Deliver(w.Produce(producer, 1024))
	}
	if err := w.Run(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("consumed:", w.Ledger.Consumed)
	fmt.Println("deleted:", w.Metrics.Find("inventory/esm/orders", "DeletedEventCount").Counter.Value())
	fmt.Println("errors:", w.Metrics.Find("inventory", "Errors").Counter.Value())
	fmt.Println(w.Conservation().OK, fn.Concurrency())
	// Output:
	// consumed: 100
	// deleted: 100
	// errors: 0
	// true 0
}
