package sqs

import (
	"math"
	"testing"
	"time"

	"msgsim/sim"
)

func TestLongPollingOnAnIdleQueueIsOneEmptyReceivePerWait(t *testing.T) {
	const pollers = 3
	w := world(600 * time.Second)
	cfg := DefaultConfig("q", false)
	cfg.APILatency = sim.Constant(0.015)
	q := mustQueue(t, w, cfg)
	for i := range pollers {
		newPoller(t, w, q, "c"+string(rune('a'+i)), ReceiveRequest{Max: 10, Wait: 20 * time.Second, Visibility: -1})
	}
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	// each poller waits 20 s per call and calls again at once: 600 s / 20 s = 30 calls,
	// the 30th ending exactly at the end of the run
	if got := counter(t, w, q, "NumberOfEmptyReceives"); got != pollers*30 {
		t.Errorf("empty receives %d, want %d", got, pollers*30)
	}
	if got := counter(t, w, q, "Requests"); got != pollers*30 {
		t.Errorf("billed requests %d, want %d (every empty receive is billed)", got, pollers*30)
	}
	conserve(t, w)
}

func TestShortPollingOnAnIdleQueueBillsEveryCall(t *testing.T) {
	w := world(60 * time.Second)
	cfg := DefaultConfig("q", false)
	cfg.APILatency = sim.Constant(0.015)
	q := mustQueue(t, w, cfg)
	newPoller(t, w, q, "c", ReceiveRequest{Max: 10, Wait: 0, Visibility: -1})
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	// one call every 15 ms, at 0, 15 ms, ..., 60 s: 4001 calls, each an empty receive
	// (a short poll is counted when the queue answers it, at the call)
	if got := counter(t, w, q, "NumberOfEmptyReceives"); got != 4001 {
		t.Errorf("empty receives %d, want 4001", got)
	}
	conserve(t, w)
}

func TestShortPollingReturnsFalseEmpties(t *testing.T) {
	// One message that stays visible (visibility timeout 0 on every receive) in one of
	// K = 8 partitions. Short polls alternate: a sampled poll reads 4 of 8 partitions and
	// misses it with probability 1/2; the next poll reads all (fewer than 1,000 messages).
	// So a quarter of the polls are false empties; long polls never are.
	n := 4000
	w := world(time.Hour)
	cfg := DefaultConfig("q", false)
	cfg.APILatency = zeroLatency
	q := mustQueue(t, w, cfg)
	sendAt(w, q, 0, 100, -1, 0, nil)
	_ = w.Eng.RunUntil(0)
	rec := &recorder{w: w}
	for i := range 2 * n {
		wait := time.Duration(0)
		if i%2 == 1 {
			wait = time.Second // a long poll between short polls resets nothing in the sampling
		}
		q.Receive(ReceiveRequest{Max: 1, Wait: wait, Visibility: 0}, rec, 0)
		_ = w.Eng.RunUntil(w.Now() + time.Millisecond)
		if q.Visible() != 1 {
			t.Fatalf("message not visible again")
		}
	}
	var shortEmpty, longEmpty int
	for i, b := range rec.batches {
		if len(b) == 0 {
			if i%2 == 0 {
				shortEmpty++
			} else {
				longEmpty++
			}
		}
	}
	if longEmpty != 0 {
		t.Errorf("%d long polls came back empty while a message was visible", longEmpty)
	}
	want := 0.25
	got := float64(shortEmpty) / float64(n)
	// binomial proportion: standard error sqrt(p(1-p)/n), 4 of them
	tol := 4 * math.Sqrt(want*(1-want)/float64(n))
	if math.Abs(got-want) > tol {
		t.Errorf("false-empty fraction of short polls %.4f, want %.2f ± %.4f", got, want, tol)
	}
	if got := counter(t, w, q, "NumberOfEmptyReceives"); got != uint64(shortEmpty) {
		t.Errorf("NumberOfEmptyReceives %d, want %d", got, shortEmpty)
	}
	conserve(t, w)
}

func TestLongPollReturnsAsSoonAsAMessageIsVisible(t *testing.T) {
	w := world(time.Minute)
	cfg := DefaultConfig("q", false)
	cfg.APILatency = sim.Constant(0.010)
	q := mustQueue(t, w, cfg)
	rec := &recorder{w: w}
	q.Receive(ReceiveRequest{Max: 10, Wait: 20 * time.Second, Visibility: -1}, rec, 0)
	sendAt(w, q, 7*time.Second, 100, -1, 0, nil)
	sendAt(w, q, 7*time.Second+time.Millisecond, 100, -1, 0, nil)
	_ = w.Eng.RunUntil(30 * time.Second)
	// served at 7 s with the one message visible then; the answer takes one latency (10 ms)
	if len(rec.batches) != 1 || len(rec.batches[0]) != 1 || rec.times[0] != 7*time.Second+10*time.Millisecond {
		t.Errorf("batches %v at %v, want one message at 7.01s", rec.batches, rec.times)
	}
	conserve(t, w)
}
