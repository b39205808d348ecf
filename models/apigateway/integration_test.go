package apigateway_test

// Integration tests through the real lambda and sqs packages.

import (
	"testing"
	"time"

	"msgsim/models/apigateway"
	"msgsim/models/core"
	"msgsim/models/lambda"
	"msgsim/models/producer"
	"msgsim/models/sqs"
	"msgsim/sim"
)

func drops(w *core.World, component, reason string) uint64 {
	for _, d := range w.Ledger.Drops() {
		if d.Component == component && d.Reason == reason {
			return d.N
		}
	}
	return 0
}

func fn(t testing.TB, w *core.World, name string, reserved int, dur, timeout time.Duration) *lambda.Function {
	t.Helper()
	cfg := lambda.DefaultConfig(name)
	cfg.ReservedConcurrency = reserved
	cfg.InitDuration = sim.Constant(0.1)
	cfg.Duration = sim.Constant(dur.Seconds())
	cfg.Timeout = timeout
	f, err := lambda.New(w, lambda.NewAccount(0), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func api(t testing.TB, w *core.World, cfg apigateway.Config) *apigateway.API {
	t.Helper()
	a, err := apigateway.New(w, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// burst sends n requests to the API at the start of the run, 1 ns apart.
func burst(w *core.World, to core.ComponentID, n int) {
	producer.New(w, producer.Config{Name: "clients", Target: to, Arrival: producer.Constant{PerSecond: 1e9},
		Limit: int64(n), Retry: core.Backoff{MaxAttempts: 1}})
}

func TestLambdaThrottleBecomesA429(t *testing.T) {
	// A function with reserved concurrency 1 and a 1 s duration gets two requests at
	// once: one runs (200), the other is throttled by Lambda (429 to the client).
	w := core.NewWorld(core.Config{Seed: 1, Duration: time.Minute})
	f := fn(t, w, "fn", 1, time.Second, 3*time.Second)
	a := api(t, w, apigateway.Config{Name: "api", Flavor: apigateway.HTTP, Target: f.ID(), Sink: true})
	burst(w, a.ID(), 2)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if w.Ledger.Consumed != 1 || drops(w, "api", "429 backend throttled") != 1 {
		t.Errorf("consumed %d, Lambda 429s %d; want 1, 1", w.Ledger.Consumed, drops(w, "api", "429 backend throttled"))
	}
	if n := w.Metrics.Find("fn", "Throttles").Counter.Value(); n != 1 {
		t.Errorf("Lambda Throttles %d, want 1", n)
	}
	if err := w.CheckConservation(); err != nil {
		t.Fatal(err)
	}
}

func TestIntegrationTimeoutLeavesTheFunctionRunningAndBilled(t *testing.T) {
	// API timeout 1 s, function duration 5 s (timeout 10 s): the client gets 504 at the
	// timeout, the function runs on to 5.1 s (with its 0.1 s INIT) and is billed for it.
	w := core.NewWorld(core.Config{Seed: 1, Duration: time.Minute})
	f := fn(t, w, "fn", -1, 5*time.Second, 10*time.Second)
	a := api(t, w, apigateway.Config{Name: "api", Target: f.ID(), Timeout: time.Second})
	burst(w, a.ID(), 1)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if drops(w, "api", "504 integration timeout") != 1 {
		t.Errorf("504s %d, want 1", drops(w, "api", "504 integration timeout"))
	}
	if gbs, want := f.BilledGBSeconds(), 5.1*128/1024; gbs < want-1e-9 || gbs > want+1e-9 {
		t.Errorf("billed %v GB-s, want %v (INIT + the full 5 s)", gbs, want)
	}
	if err := w.CheckConservation(); err != nil {
		t.Fatal(err)
	}
}

func TestDirectSQSIntegrationFillsTheQueue(t *testing.T) {
	// 100 requests/s for 10 s into an HTTP API with a direct SQS integration: every
	// request is a 200 and the queue holds every message, each delayed by the queue's
	// SendMessage latency (IntegrationLatency).
	w := core.NewWorld(core.Config{Seed: 1, Duration: 10 * time.Second})
	q, err := sqs.New(w, sqs.DefaultConfig("orders", false))
	if err != nil {
		t.Fatal(err)
	}
	a := api(t, w, apigateway.Config{Name: "api", Flavor: apigateway.HTTP, Integration: apigateway.Direct, Target: q.ID()})
	p := producer.New(w, producer.Config{Name: "clients", Target: a.ID(), Arrival: producer.Constant{PerSecond: 100}})
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	sent := w.Metrics.Find("orders", "NumberOfMessagesSent").Counter.Value()
	count := w.Metrics.Find("api", "Count").Counter.Value()
	inTransit := uint64(p.Emitted()) - sent
	if sent == 0 || uint64(q.Visible()) != sent || count != uint64(p.Emitted()) || inTransit > 10 {
		t.Errorf("emitted %d, API Count %d, queue got %d and holds %d", p.Emitted(), count, sent, q.Visible())
	}
	il := w.Metrics.Find("api", "IntegrationLatency").Latency.Total
	if il.Count() != sent || il.Quantile(0.5) < int64(10*time.Millisecond) || il.Quantile(0.5) > int64(20*time.Millisecond) {
		t.Errorf("IntegrationLatency %d × p50 %v, want %d × ≈15ms (SQS note 7)", il.Count(), time.Duration(il.Quantile(0.5)), sent)
	}
	if w.Metrics.Find("api", "5XXError").Counter.Value() != 0 {
		t.Error("5xx from a healthy queue")
	}
	if err := w.CheckConservation(); err != nil {
		t.Fatal(err)
	}
}
