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

// TestSendToAWaitingPollIsHandedOver checks handOver and placePart: a message sent to a
// standard queue with no visible message, while long polls wait, goes to the oldest
// waiting poll without entering a partition, and gets its partition only if it becomes
// visible again, where a receive finds it as before.
func TestSendToAWaitingPollIsHandedOver(t *testing.T) {
	const latency = 10 * time.Millisecond
	cases := []struct {
		name     string
		vis      time.Duration // visibility timeout of the first receive
		returned bool          // the message times out and a third poll receives it
	}{
		{"the oldest waiting poll gets the message, which enters no partition", time.Minute, false},
		{"a handed-over message that times out returns to its partition", time.Second, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := world(time.Hour)
			cfg := DefaultConfig("q", false)
			cfg.APILatency = sim.Constant(latency.Seconds())
			q := mustQueue(t, w, cfg)
			first, second, third := &recorder{w: w}, &recorder{w: w}, &recorder{w: w}
			q.Receive(ReceiveRequest{Max: 10, Wait: 20 * time.Second, Visibility: tc.vis}, first, 0)
			q.Receive(ReceiveRequest{Max: 10, Wait: 5 * time.Second, Visibility: tc.vis}, second, 0)
			sendAt(w, q, time.Second, 100, -1, 0, nil)
			_ = w.Eng.RunUntil(time.Second)
			if q.partsNonEmpty != 0 || q.InFlight() != 1 || q.Visible() != 0 {
				t.Fatalf("after the send: partitions %b, %d in flight, %d visible; want none, 1, 0",
					q.partsNonEmpty, q.InFlight(), q.Visible())
			}
			s, _ := unpack(q.age.front())
			if r := &q.recs[s]; r.flags&flPart != 0 {
				t.Errorf("the handed-over message has its partition already (%d)", r.part)
			}
			_ = w.Eng.RunUntil(time.Second + latency)
			if len(first.batches) != 1 || len(first.last()) != 1 || first.times[0] != time.Second+latency {
				t.Fatalf("first poll: answers %v at %v, want one of 1 message at %v", first.batches, first.times, time.Second+latency)
			}
			if !tc.returned {
				_ = w.Eng.RunUntil(6 * time.Second)
				if len(second.batches) != 1 || len(second.last()) != 0 {
					t.Errorf("second poll: answers %v, want one empty answer at the end of its wait", second.batches)
				}
				return
			}
			_ = w.Eng.RunUntil(2*time.Second + latency) // the timeout: the second poll, still waiting, gets it
			r := &q.recs[s]
			if r.flags&flPart == 0 || r.part != q.partitionOf(r.msg) {
				t.Errorf("returned message: partition %d (flag %v), want %d", r.part, r.flags&flPart != 0, q.partitionOf(r.msg))
			}
			if len(second.batches) != 1 || len(second.last()) != 1 || second.last()[0].ReceiveCount != 2 {
				t.Fatalf("second poll: answers %v, want the message, received twice", second.batches)
			}
			_ = w.Eng.RunUntil(4 * time.Second) // it times out again, with no poll waiting
			if q.Visible() != 1 || q.partsNonEmpty != 1<<r.part {
				t.Fatalf("after the second timeout: %d visible, partitions %b; want 1 in partition %d", q.Visible(), q.partsNonEmpty, r.part)
			}
			q.Receive(ReceiveRequest{Max: 10, Wait: time.Second, Visibility: -1}, third, 0)
			_ = w.Eng.RunUntil(4*time.Second + latency)
			if len(third.last()) != 1 || third.last()[0].ReceiveCount != 3 {
				t.Errorf("third poll: answers %v, want the message, received three times", third.batches)
			}
		})
	}
}
