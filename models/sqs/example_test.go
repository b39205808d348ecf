package sqs_test

import (
	"fmt"
	"time"

	"msgsim/models/core"
	"msgsim/models/sqs"
	"msgsim/sim"
)

// printer is a consumer that deletes what it receives and says so.
type printer struct {
	w  *core.World
	q  *sqs.Queue
	id core.ComponentID
}

func (p *printer) Name() string { return "worker" }
func (p *printer) Holding() int { return 0 }

func (p *printer) Received(_ int64, batch []sqs.Received) {
	for _, r := range batch {
		fmt.Printf("%v: got message with %d bytes, receive count %d\n", p.w.Now(), p.w.Msg(r.Msg).Size, r.ReceiveCount)
		p.q.Delete(r.Handle, p.id, true)
	}
}

// A queue with a 2 s delay, a long poll waiting for its message, and a delete.
func Example() {
	w := core.NewWorld(core.Config{Seed: 1, Duration: time.Minute})
	w.Paths().AddProducer("client")
	cfg := sqs.DefaultConfig("orders", false)
	cfg.Delay = 2 * time.Second
	cfg.APILatency = sim.Constant(0.010) // 10 ms per call
	q, err := sqs.New(w, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	p := &printer{w: w, q: q}
	p.id = w.Add(p)

	q.Deliver(w.Produce(0, 512)) // SendMessage at 0 s
	q.Receive(sqs.ReceiveRequest{Max: 10, Wait: 20 * time.Second, Visibility: -1}, p, 0)
	fmt.Println("delayed:", q.Delayed())
	_ = w.Eng.RunUntil(5 * time.Second)
	fmt.Println("held:", q.Holding(), w.Conservation())
	// Output:
	// delayed: 1
	// 2.01s: got message with 512 bytes, receive count 1
	// held: 0 produced 1 + derived 0 = consumed 1 + dropped 0 + in DLQ 0 + in flight 0 ✓
}
