package consumer_test

import (
	"fmt"
	"time"

	"msgsim/models/consumer"
	"msgsim/models/core"
	"msgsim/models/sqs"
)

// Two workers long-poll an idle queue for a minute: each waits 20 s per ReceiveMessage,
// so each makes 3 empty receives, and the queue bills 6 requests.
func Example() {
	w := core.NewWorld(core.Config{Seed: 1, Duration: time.Minute})
	q, err := sqs.New(w, sqs.DefaultConfig("orders", false))
	if err != nil {
		panic(err)
	}
	cfg := consumer.DefaultConfig("workers", q)
	cfg.Workers = 2
	cfg.MaxMessages = 10
	cfg.Wait = 20 * time.Second
	if _, err := consumer.New(w, cfg); err != nil {
		panic(err)
	}
	if err := w.Run(); err != nil {
		panic(err)
	}
	fmt.Println("empty receives:", w.Metrics.Find("workers", "EmptyReceives").Total())
	fmt.Println("billed requests:", w.Metrics.Find("orders", "Requests").Total())
	if err := w.CheckConservation(); err != nil {
		panic(err)
	}
	// Output:
	// empty receives: 6
	// billed requests: 6
}
