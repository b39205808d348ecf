package sqs

import (
	"testing"
	"time"

	"msgsim/sim"
)

// TestAnswerLeavesOutMessagesThatLeftOnTheWay checks respond: an answer is one API
// latency on its way, and a message that left the queue meanwhile is not in it — whether
// or not anything could have made one leave since the answer was made (respond skips the
// check when nothing did).
func TestAnswerLeavesOutMessagesThatLeftOnTheWay(t *testing.T) {
	const latency = 10 * time.Millisecond
	cases := []struct {
		name      string
		retention time.Duration // 0: the default
		receiveAt time.Duration
		vis       time.Duration // visibility timeout of the receive
		redrive   bool          // a DLQ with maxReceiveCount 1, and a second consumer waiting
		want      int           // messages in the answer
	}{
		{"a message still held is answered", 0, time.Second, time.Minute, false, 1},
		{"a message that expires on the way is left out", time.Minute, time.Minute - latency/2, time.Minute, false, 0},
		{"a message visible again and moved to the DLQ on the way is left out", 0, time.Second, 0, true, 0},
		{"a message visible again but still held is answered", 0, time.Second, 0, false, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := world(time.Hour)
			cfg := DefaultConfig("q", false)
			cfg.APILatency = sim.Constant(latency.Seconds())
			cfg.Retention = tc.retention
			if tc.redrive {
				dlq := mustQueue(t, w, DefaultConfig("dlq", false))
				cfg.DLQ, cfg.MaxReceiveCount = dlq, 1
			}
			q := mustQueue(t, w, cfg)
			sendAt(w, q, 0, 100, -1, 0, nil)
			first, second := &recorder{w: w}, &recorder{w: w}
			_ = w.Eng.RunUntil(tc.receiveAt)
			q.Receive(ReceiveRequest{Max: 10, Wait: time.Second, Visibility: tc.vis}, first, 0) // long: a short poll may miss the partition
			if tc.redrive {
				q.Receive(ReceiveRequest{Max: 10, Wait: 20 * time.Second, Visibility: -1}, second, 0)
			}
			_ = w.Eng.RunUntil(tc.receiveAt + 2*latency)
			if len(first.batches) != 1 {
				t.Fatalf("%d answers, want 1", len(first.batches))
			}
			if got := len(first.last()); got != tc.want {
				t.Errorf("answer of %d messages, want %d", got, tc.want)
			}
			conserve(t, w)
		})
	}
}
