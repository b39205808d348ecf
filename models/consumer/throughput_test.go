package consumer

import (
	"math"
	"testing"
	"time"

	"msgsim/models/sqs"
)

func TestThroughputEqualsTheArrivalRate(t *testing.T) {
	const (
		rate     = 2.0 // messages per second
		duration = 20 * time.Minute
		workers  = 4
	)
	tests := []struct {
		name string
		wait time.Duration
	}{
		{"short polling", 0},
		{"long polling", 20 * time.Second},
	}
	empties := map[string]uint64{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(0, duration)
			q := mustQueue(t, w, sqs.DefaultConfig("q", false))
			produce(w, "orders", q, producerPoisson(rate), 0, 0)
			cfg := DefaultConfig("workers", q)
			cfg.Workers = workers
			cfg.MaxMessages = 10
			cfg.Wait = tt.wait
			mustConsumer(t, w, cfg)
			run(t, w)
			c := w.Conservation()
			processed := total(t, w, "workers", "Processed")
			// Every message processed is deleted and ends at the consumer: none fails.
			if processed != c.Consumed || total(t, w, "workers", "Failed") != 0 {
				t.Errorf("processed %d, consumed %d: want equal, and no failure", processed, c.Consumed)
			}
			// What was produced and not consumed is at most what arrived in the last
			// moments (a batch being processed, a send or answer on its way): a few.
			if c.Produced-c.Consumed > 10 {
				t.Errorf("produced %d, consumed %d: the workers fall behind", c.Produced, c.Consumed)
			}
			// Poisson arrivals: mean λT, standard deviation sqrt(λT); 4 standard deviations.
			mean := rate * duration.Seconds()
			if tol := 4 * math.Sqrt(mean); math.Abs(float64(processed)-mean) > tol+10 {
				t.Errorf("processed %d in %v, want %.0f ± %.0f (the arrival rate)", processed, duration, mean, tol+10)
			}
			empties[tt.name] = total(t, w, "workers", "EmptyReceives")
			checkConservation(t, w)
		})
	}
	// Short polling: each of 4 workers polls about once per 15 ms round trip (≈ 64,000
	// polls in 20 min each), nearly all empty at 2 messages/s. Long polling: a worker
	// answers empty only after 20 s without any message, rare when 4 workers share 2/s.
	short, long := empties["short polling"], empties["long polling"]
	if short < 100*max(long, 1) {
		t.Errorf("empty receives: short polling %d, long polling %d; want short ≥ 100 × long", short, long)
	}
	t.Logf("empty receives in %v: short polling %d, long polling %d", duration, short, long)
}
