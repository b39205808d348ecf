package apigateway_test

import (
	"testing"

	"msgsim/models/apigateway"
	"msgsim/models/core"
	"msgsim/models/lambda"
	"msgsim/models/producer"
	"msgsim/sim"
)

// BenchmarkAPIGatewayLambda runs Poisson clients at 1,000 requests/s into an HTTP API in
// front of a Lambda function (exponential 20 ms handler, no cold starts after the first
// seconds) through the real engine and World: one op is one request answered. The world
// is warmed up first so that pools, heap and slabs have reached their working size: the
// steady state must show 0 allocs/op.
func BenchmarkAPIGatewayLambda(b *testing.B) {
	w := core.NewWorld(core.Config{Seed: 1, Duration: 1 << 62})
	cfg := lambda.DefaultConfig("fn")
	cfg.Duration = sim.Exponential(0.020)
	f, err := lambda.New(w, lambda.NewAccount(0), cfg)
	if err != nil {
		b.Fatal(err)
	}
	a, err := apigateway.New(w, apigateway.Config{Name: "api", Flavor: apigateway.HTTP, Target: f.ID(), Sink: true})
	if err != nil {
		b.Fatal(err)
	}
	p := producer.New(w, producer.Config{Name: "clients", Target: a.ID(), Arrival: producer.Poisson{PerSecond: 1000}})
	p.Start()
	w.Eng.Step(500_000)
	answered := w.Metrics.Find("api", "Latency").Latency.Total
	start := answered.Count()
	target := start + uint64(b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for answered.Count() < target {
		w.Eng.Step(64)
	}
	b.StopTimer()
	if err := w.Eng.Err(); err != nil {
		b.Fatal(err)
	}
	if err := w.CheckConservation(); err != nil {
		b.Fatal(err)
	}
}
