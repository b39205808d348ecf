package consumer

import (
	"testing"
	"time"

	"msgsim/models/sqs"
)

// BenchmarkConsumerLongPolling plays one simulated minute of 1,000 messages/s through a
// queue and 16 long-polling workers per iteration. Steady state allocates nothing per
// message: allocs/op is the world's setup.
func BenchmarkConsumerLongPolling(b *testing.B) {
	var msgs uint64
	for b.Loop() {
		w := newWorld(0, time.Minute)
		q := mustQueue(b, w, sqs.DefaultConfig("q", false))
		produce(w, "orders", q, producerPoisson(1000), 0, 0)
		cfg := DefaultConfig("workers", q)
		cfg.Workers, cfg.MaxMessages, cfg.Wait = 16, 10, 20*time.Second
		mustConsumer(b, w, cfg)
		run(b, w)
		msgs += total(b, w, "workers", "Processed")
		checkConservation(b, w)
	}
	b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "messages/s")
}

func TestSteadyStateAllocatesNothingPerMessage(t *testing.T) {
	if testing.Short() {
		t.Skip("measures allocations over a long run")
	}
	// Allocations of a run of 30 s and of 2 minutes: the difference is what 90 s more
	// of 1,000 messages/s (90,000 messages) cost. Allow a little for growth of
	// slabs and histograms that reach a new size.
	allocs := func(d time.Duration) float64 {
		return testing.AllocsPerRun(1, func() {
			w := newWorld(0, d)
			q := mustQueue(t, w, sqs.DefaultConfig("q", false))
			produce(w, "orders", q, producerPoisson(1000), 0, 0)
			cfg := DefaultConfig("workers", q)
			cfg.Workers, cfg.MaxMessages, cfg.Wait = 16, 10, 20*time.Second
			mustConsumer(t, w, cfg)
			run(t, w)
		})
	}
	short, long := allocs(30*time.Second), allocs(2*time.Minute)
	if extra := long - short; extra > 1000 {
		t.Errorf("%v more allocations for 90,000 more messages (%v vs %v)", extra, long, short)
	}
	t.Logf("allocations: 30 s %v, 2 min %v", short, long)
}
