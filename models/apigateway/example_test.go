package apigateway_test

import (
	"fmt"
	"time"

	"msgsim/models/apigateway"
	"msgsim/models/core"
	"msgsim/models/lambda"
	"msgsim/models/producer"
	"msgsim/sim"
)

// An HTTP API throttled at 50 requests/s (burst 10) in front of a Lambda function, with
// clients sending 100 requests/s for a minute: about half the requests get 429.
func ExampleNew() {
	w := core.NewWorld(core.Config{Seed: 1, Duration: time.Minute})
	fc := lambda.DefaultConfig("checkout")
	fc.Duration = sim.Exponential(0.030)
	fn, _ := lambda.New(w, lambda.NewAccount(0), fc)
	api, err := apigateway.New(w, apigateway.Config{
		Name:   "shop-api",
		Flavor: apigateway.HTTP,
		Stage:  apigateway.Limit{Rate: 50, Burst: 10},
		Target: fn.ID(),
		Sink:   true, // the response ends the path: record end-to-end latency
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	producer.New(w, producer.Config{Name: "shoppers", Target: api.ID(), Arrival: producer.Constant{PerSecond: 100}})
	if err := w.Run(); err != nil {
		fmt.Println(err)
		return
	}
	count := w.Metrics.Find("shop-api", "Count").Total()
	throttled := api.ThrottledBy(apigateway.LevelStage)
	fmt.Printf("%s: %d requests, %d throttled at the stage\n", api.Kind(), count, throttled)
	fmt.Println(w.Conservation().OK)
	// Output:
	// apigateway-http: 6000 requests, 2991 throttled at the stage
	// true
}
