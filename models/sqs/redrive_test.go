package sqs

import (
	"math"
	"strings"
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/models/producer"
)

func TestRedriveAfterExactlyMaxReceiveCountReceives(t *testing.T) {
	for _, fifo := range []bool{false, true} {
		name := map[bool]string{false: "standard", true: "fifo"}[fifo]
		t.Run(name, func(t *testing.T) {
			w := world(200 * time.Second)
			dcfg := DefaultConfig("dlq", fifo)
			dcfg.APILatency = zeroLatency
			dlq := mustQueue(t, w, dcfg)
			cfg := DefaultConfig("q", fifo)
			cfg.APILatency = zeroLatency
			cfg.VisibilityTimeout = 10 * time.Second
			cfg.DLQ, cfg.MaxReceiveCount = dlq, 3
			cfg.ContentBasedDedup = fifo
			q := mustQueue(t, w, cfg)
			p := newPoller(t, w, q, "c", ReceiveRequest{Max: 10, Wait: 20 * time.Second, Visibility: -1})
			p.noDelete = true
			sendAt(w, q, 0, 100, w.Strings.ID("g"), 0, nil)
			p.Start()
			_ = w.Eng.RunUntil(25 * time.Second)
			if len(p.log) != 3 || q.Visible()+q.InFlight() != 1 {
				t.Fatalf("after 3 receives: %d deliveries, held %d", len(p.log), q.Holding())
			}
			// the fourth attempt at 30 s moves the message and returns nothing to the caller
			if err := w.Eng.RunUntil(200 * time.Second); err != nil {
				t.Fatal(err)
			}
			if len(p.log) != 3 {
				t.Errorf("%d deliveries, want 3 (the moving receive returns nothing)", len(p.log))
			}
			if q.Holding() != 0 || dlq.Holding() != 1 || dlq.HoldingDeadLetters() != 1 {
				t.Errorf("source holds %d, DLQ holds %d (%d dead letters), want 0, 1, 1", q.Holding(), dlq.Holding(), dlq.HoldingDeadLetters())
			}
			if got := counter(t, w, q, "NumberOfMessagesMovedToDLQ"); got != 1 {
				t.Errorf("NumberOfMessagesMovedToDLQ %d, want 1", got)
			}
			if got := counter(t, w, dlq, "NumberOfMessagesSent"); got != 0 {
				t.Errorf("DLQ NumberOfMessagesSent %d, want 0 (a move is not a send)", got)
			}
			if w.Ledger.DeadLettered != 1 {
				t.Errorf("ledger DeadLettered %d, want 1", w.Ledger.DeadLettered)
			}
			if age := dlq.OldestAge(); age != 170*time.Second {
				t.Errorf("DLQ age of oldest %v, want 170s (counted from the move at 30 s)", age)
			}
			// the receive count carries over into the DLQ
			rec := &recorder{w: w}
			dlq.Receive(ReceiveRequest{Max: 1, Wait: time.Second, Visibility: -1}, rec, 0)
			_ = w.Eng.RunUntil(w.Now() + time.Second)
			if b := rec.last(); len(b) != 1 || b[0].ReceiveCount != 4 {
				t.Errorf("DLQ receive %+v, want one message with receive count 4", b)
			}
			if c := w.Conservation(); c.InDLQ != 1 {
				t.Errorf("conservation counts %d in DLQ, want 1", c.InDLQ)
			}
			conserve(t, w)
		})
	}
}

func TestRedriveWaitsForAReceiveAttempt(t *testing.T) {
	w := world(time.Hour)
	dlq := mustQueue(t, w, DefaultConfig("dlq", false))
	cfg := DefaultConfig("q", false)
	cfg.APILatency = zeroLatency
	cfg.DLQ, cfg.MaxReceiveCount = dlq, 1
	q := mustQueue(t, w, cfg)
	sendAt(w, q, 0, 100, -1, 0, nil)
	rec := &recorder{w: w}
	_ = w.Eng.RunUntil(0)
	q.Receive(ReceiveRequest{Max: 1, Wait: time.Second, Visibility: time.Second}, rec, 0)
	_ = w.Eng.RunUntil(time.Hour)
	if q.Visible() != 1 || dlq.Holding() != 0 {
		t.Fatalf("without a receive attempt: visible %d, DLQ %d; want 1 and 0", q.Visible(), dlq.Holding())
	}
	q.Receive(ReceiveRequest{Max: 1, Wait: 0, Visibility: -1}, rec, 0)
	q.Receive(ReceiveRequest{Max: 1, Wait: 0, Visibility: -1}, rec, 0) // in case the first sampled other partitions
	_ = w.Eng.RunUntil(time.Hour + time.Second)
	if q.Holding() != 0 || dlq.HoldingDeadLetters() != 1 {
		t.Fatalf("after the attempt: source %d, DLQ %d", q.Holding(), dlq.HoldingDeadLetters())
	}
	conserve(t, w)
}

func TestDeadLetterFractionIsPToTheK(t *testing.T) {
	const p, k = 0.2, 3
	n := 200000
	if quick() {
		n = 20000
	}
	rate := 4000.0
	w := world(time.Duration(float64(n)/rate*float64(time.Second)) + 60*time.Second)
	dlq := mustQueue(t, w, DefaultConfig("dlq", false))
	cfg := DefaultConfig("q", false)
	cfg.VisibilityTimeout = time.Second
	cfg.DLQ, cfg.MaxReceiveCount = dlq, k
	q := mustQueue(t, w, cfg)
	producer.New(w, producer.Config{Name: "prod", Target: q.ID(), Arrival: producer.Poisson{PerSecond: rate}, Limit: int64(n)})
	rng := testRand(3)
	for i := range 12 {
		c := newPoller(t, w, q, "c"+string(rune('a'+i)), ReceiveRequest{Max: 10, Wait: 20 * time.Second, Visibility: -1})
		c.decide = func(delivery) bool { return rng.Float64() >= p }
	}
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if q.Holding() != 0 {
		t.Fatalf("source still holds %d messages", q.Holding())
	}
	want := math.Pow(p, k)
	got := float64(dlq.HoldingDeadLetters()) / float64(n)
	// each message lands in the DLQ independently with probability p^k: a binomial
	// proportion with standard error sqrt(p^k (1-p^k) / n); allow 4 of them
	tol := 4 * math.Sqrt(want*(1-want)/float64(n))
	t.Logf("DLQ fraction %.5f, want %.5f ± %.5f (n %d)", got, want, tol, n)
	if math.Abs(got-want) > tol {
		t.Errorf("DLQ fraction %.5f, want %.5f ± %.5f", got, want, tol)
	}
	conserve(t, w)
}

func TestDeadLetterQueueMustHaveTheSameType(t *testing.T) {
	for _, tc := range []struct{ src, dlq bool }{{false, true}, {true, false}} {
		w := world(time.Minute)
		dlq := mustQueue(t, w, DefaultConfig("dlq", tc.dlq))
		cfg := DefaultConfig("q", tc.src)
		cfg.DLQ, cfg.MaxReceiveCount = dlq, 3
		_, err := New(w, cfg)
		if err == nil || !strings.Contains(err.Error(), "same type") {
			t.Errorf("fifo %v with DLQ fifo %v: error %v, want a type mismatch", tc.src, tc.dlq, err)
		}
		conserve(t, w)
	}
}

func TestConfigErrorsAreAllReported(t *testing.T) {
	w := world(time.Minute)
	cfg := DefaultConfig("q", false)
	cfg.VisibilityTimeout = 13 * time.Hour
	cfg.Delay = 16 * time.Minute
	cfg.Retention = 30 * time.Second
	cfg.ReceiveWait = 21 * time.Second
	cfg.DuplicateProbability = 2
	cfg.HighThroughput = true
	_, err := New(w, cfg)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"visibility timeout", "delay", "retention", "receive wait", "duplicate probability", "FIFO queues only"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	conserve(t, w)
}

func TestDeadLetterQueueCountsEverySendAsADeadLetter(t *testing.T) {
	w := core.NewWorld(core.Config{Seed: 1, Duration: time.Minute})
	cfg := DefaultConfig("dlq", false)
	cfg.DeadLetterQueue = true
	q, err := New(w, cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := w.Paths().AddProducer("p")
	for i := 0; i < 3; i++ {
		w.Send(w.Produce(p, 100), q.ID(), 0, core.None, 0)
	}
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	c := w.Conservation()
	if q.HoldingDeadLetters() != 3 || c.InDLQ != 3 || c.InFlight != 0 || !c.OK {
		t.Fatalf("dead letters %d, conservation %s", q.HoldingDeadLetters(), c)
	}
}
