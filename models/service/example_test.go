package service_test

import (
	"fmt"

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
