package consumer

import (
	"math"
	"testing"
	"time"

	"msgsim/models/sqs"
	"msgsim/sim"
)

func TestPollingAnIdleQueue(t *testing.T) {
	tests := []struct {
		name     string
		wait     time.Duration
		pause    time.Duration
		duration time.Duration
		want     uint64 // empty receives
		open     uint64 // receives still open at the end
	}{
		// A long poll on an empty queue answers empty exactly at the end of its 20 s wait
		// and the worker polls again at once: 600 s / 20 s = 30 empty receives, the 30th
		// at the end of the run.
		{"a long-polling worker makes one empty receive per 20 s", 20 * time.Second, 0, 600 * time.Second, 30, 1},
		// A short poll answers after one API round trip (15 ms): polls at 0, 15 ms, ...,
		// 60 s, of which the answers at 15 ms ... 60 s (4,000) reach the worker in the run.
		{"a short-polling worker makes one empty receive per API round trip", 0, 0, 60 * time.Second, 4000, 1},
		// With a 1 s pause after each empty receive a cycle takes 1.015 s: answers at
		// 0.015 + 1.015 k s for k = 0 ... 59 (k = 59 at 59.9 s, k = 60 after the end); at
		// the end the worker is pausing, with no receive open.
		{"a pause after an empty receive spaces the polls", 0, time.Second, 60 * time.Second, 60, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(0, tt.duration)
			q := mustQueue(t, w, sqs.DefaultConfig("q", false))
			cfg := DefaultConfig("workers", q)
			cfg.Wait = tt.wait
			cfg.PollInterval = tt.pause
			mustConsumer(t, w, cfg)
			run(t, w)
			if got := total(t, w, "workers", "EmptyReceives"); got != tt.want {
				t.Errorf("EmptyReceives %d, want %d", got, tt.want)
			}
			// every receive but one still open at the end came back empty
			if got := total(t, w, "workers", "Receives"); got != tt.want+tt.open {
				t.Errorf("Receives %d, want %d", got, tt.want+tt.open)
			}
			checkConservation(t, w)
		})
	}
}

func TestShortPollingAnswersEmptyWhileAMessageIsVisible(t *testing.T) {
	// One message that the worker always fails, received with a visibility timeout of 0,
	// so it is visible at every poll. A standard queue spreads messages over K = 8
	// partitions and short polls alternate between a sample of 4 (which misses the
	// message's partition with probability 4/8 = 1/2) and all 8 (never misses, fewer than
	// 1,000 messages are visible): a quarter of the polls are false empties. The warm-up
	// (2 s) leaves out the polls before the message arrives at 1 s.
	w := newWorld(2*time.Second, 10*time.Minute)
	q := mustQueue(t, w, sqs.DefaultConfig("q", false))
	produce(w, "one", q, producerConstant(1), 0, 1)
	cfg := DefaultConfig("workers", q)
	cfg.Wait = 0
	cfg.Visibility = 0
	cfg.ErrorProbability = 1
	cfg.ProcessingTime = sim.Constant(0.001)
	mustConsumer(t, w, cfg)
	run(t, w)
	n := float64(total(t, w, "workers", "Receives"))
	empty := float64(total(t, w, "workers", "EmptyReceives"))
	// Sampled polls: n/2, each empty with probability 1/2: mean n/4, standard deviation
	// sqrt(n/2 · 1/2 · 1/2); allow 4 standard deviations (+1 for the poll in flight at
	// the end and the half-poll of rounding).
	mean, sd := n/4, math.Sqrt(n/2*0.25)
	if math.Abs(empty-mean) > 4*sd+2 {
		t.Errorf("%v empty receives of %v polls, want %.0f ± %.0f (a quarter: false empties)", empty, n, mean, 4*sd+2)
	}
	if empty == 0 {
		t.Errorf("no false empties")
	}
	checkConservation(t, w)
}
