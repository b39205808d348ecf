package service_test

import (
	"fmt"
	"time"

	"msgsim/models/service"
	"msgsim/sim"
)

// An M/M/10 station at 80% load, run through the engine and compared with Erlang C.
func ExampleRunMMc() {
	r, err := service.RunMMc(service.MMcConfig{
		ArrivalRate: 8,
		Servers:     10,
		Service:     sim.Exponential(1), // mean 1 s
		QueueLimit:  -1,                 // unbounded line
		Customers:   100_000,
		Seed:        1,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	q := service.MMc{Lambda: 8, Mu: 1, Servers: 10}
	fmt.Printf("theory: mean sojourn %.3f s, P(wait > 0) %.3f\n", q.MeanSojourn(), q.ErlangC())
	fmt.Printf("run: utilisation %.1f, throughput %.0f/s\n", r.Utilisation, r.Throughput)
	// Output:
	// theory: mean sojourn 1.205 s, P(wait > 0) 0.409
	// run: utilisation 0.8, throughput 8/s
}

// A circuit breaker in front of calls: three failures within a second open it; after
// 5 s one probe goes through, and its success closes the breaker again.
func ExampleBreaker() {
	b := &service.Breaker{Failures: 3, Window: time.Second, OpenFor: 5 * time.Second}
	for _, at := range []time.Duration{0, 100 * time.Millisecond, 200 * time.Millisecond} {
		if b.Allow(at) {
			b.Record(at, false) // the call failed
		}
	}
	fmt.Println(b.State(time.Second), b.Allow(time.Second))
	fmt.Println(b.Allow(6*time.Second), b.State(6*time.Second))
	b.Record(6*time.Second+20*time.Millisecond, true) // the probe succeeded
	fmt.Println(b.State(7 * time.Second))
	// Output:
	// open false
	// true half-open
	// closed
}
