package service_test

// An integration test through the real sqs and lambda packages: a fault in a downstream
// service shows in the metrics of the whole pipeline.

import (
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/models/fault"
	"msgsim/models/lambda"
	"msgsim/models/producer"
	"msgsim/models/service"
	"msgsim/models/sqs"
	"msgsim/sim"
)

// series returns the values of a metric's first time series (sum or mean).
func series(t *testing.T, w *core.World, component, name string) []float64 {
	t.Helper()
	m := w.Metrics.Find(component, name)
	if m == nil {
		t.Fatalf("no metric %s/%s", component, name)
	}
	s := m.Series[0].Series
	out := make([]float64, s.Len())
	for i := range out {
		_, out[i] = s.At(i)
	}
	return out
}

func TestOutageFillsTheDLQOnlyDuringItAndThePipelineRecovers(t *testing.T) {
	// Orders arrive at 20/s (Poisson) in a queue (visibility 5 s, DLQ after 2 receives)
	// consumed by a function (batch size 1) that calls a warehouse service (10 ms). The
	// warehouse is down (errors) over [60 s, 120 s). During the outage every call fails,
	// so each message comes back after 5 s, fails again and moves to the DLQ: moves
	// happen only in [65 s, 125 s] (a message first received just before 120 s succeeds
	// on its second receive at < 125 s). Messages in flight follow Little's law,
	// L = λ·W: about 20/s × ~10 ms ≈ 0.2–1 outside the outage, 20/s × 10 s (two
	// visibility timeouts) = 200 inside it.
	w := core.NewWorld(core.Config{Seed: 11, Duration: 240 * time.Second, SampleEvery: 10 * time.Second})
	wh, err := service.New(w, service.Config{Name: "warehouse", Concurrency: service.Unlimited,
		Latency: sim.Constant(0.010), Target: core.None,
		Faults: fault.Config{Outages: []fault.Outage{{From: 60 * time.Second, To: 120 * time.Second}}}})
	if err != nil {
		t.Fatal(err)
	}
	dlq, err := sqs.New(w, sqs.DefaultConfig("orders-dlq", false))
	if err != nil {
		t.Fatal(err)
	}
	qc := sqs.DefaultConfig("orders", false)
	qc.VisibilityTimeout = 5 * time.Second
	qc.ReceiveWait = 20 * time.Second
	qc.DLQ, qc.MaxReceiveCount = dlq, 2
	q, err := sqs.New(w, qc)
	if err != nil {
		t.Fatal(err)
	}
	fc := lambda.DefaultConfig("inventory")
	fc.Steps = []lambda.Step{{Kind: lambda.Call, Target: wh.ID()}}
	fc.Triggers = []lambda.ESMConfig{{Queue: q, BatchSize: 1}}
	fc.Sink = true
	if _, err := lambda.New(w, lambda.NewAccount(0), fc); err != nil {
		t.Fatal(err)
	}
	producer.New(w, producer.Config{Name: "shoppers", Target: q.ID(), Arrival: producer.Poisson{PerSecond: 20}})
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}

	errs := series(t, w, "warehouse", "Errors")
	moved := series(t, w, "orders", "NumberOfMessagesMovedToDLQ")
	inFlight := series(t, w, "orders", "ApproximateNumberOfMessagesNotVisible")
	for i := range moved {
		start := time.Duration(i) * 10 * time.Second
		switch {
		case start < 60*time.Second:
			if errs[i] != 0 || moved[i] != 0 || inFlight[i] > 5 {
				t.Errorf("before the outage, bucket %v: %v errors, %v moved to the DLQ, %v in flight", start, errs[i], moved[i], inFlight[i])
			}
		case start >= 70*time.Second && start < 120*time.Second:
			if errs[i] == 0 || moved[i] == 0 || inFlight[i] < 100 {
				t.Errorf("during the outage, bucket %v: %v errors, %v moved to the DLQ, %v in flight (want > 0, > 0, ≈ 200)",
					start, errs[i], moved[i], inFlight[i])
			}
		case start >= 130*time.Second:
			if errs[i] != 0 || moved[i] != 0 || inFlight[i] > 5 {
				t.Errorf("after the outage, bucket %v: %v errors, %v moved to the DLQ, %v in flight", start, errs[i], moved[i], inFlight[i])
			}
		}
	}
	var total float64
	for _, v := range moved {
		total += v
	}
	if got := dlq.HoldingDeadLetters(); got == 0 || float64(got) != total {
		t.Errorf("DLQ holds %d, moves %v", got, total)
	}
	t.Logf("in flight per 10 s: %v", inFlight)
	if err := w.CheckConservation(); err != nil {
		t.Fatal(err)
	}
}
