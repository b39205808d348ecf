package sqs

import (
	"math"
	"testing"
	"time"

	"msgsim/models/producer"
)

func TestStandardDuplicatesAtTheConfiguredRate(t *testing.T) {
	const p = 0.05
	n := 40000
	if quick() {
		n = 10000
	}
	rate := 1000.0
	w := world(time.Duration(float64(n)/rate*float64(time.Second)) + 2*time.Minute)
	cfg := DefaultConfig("q", false)
	cfg.DuplicateProbability = p
	q := mustQueue(t, w, cfg)
	producer.New(w, producer.Config{Name: "prod", Target: q.ID(), Arrival: producer.Poisson{PerSecond: rate}, Limit: int64(n)})
	c := newPoller(t, w, q, "c", ReceiveRequest{Max: 10, Wait: 20 * time.Second, Visibility: -1})
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	dups := counter(t, w, q, "DuplicatesDelivered")
	// every original delete makes a copy with probability p (copies are not copied again):
	// a binomial count with mean n p and standard deviation sqrt(n p (1-p)); 4 of them
	want := float64(n) * p
	tol := 4 * math.Sqrt(float64(n)*p*(1-p))
	if math.Abs(float64(dups)-want) > tol {
		t.Errorf("duplicates delivered %d, want %.0f ± %.0f", dups, want, tol)
	}
	// a duplicate is a second delivery of the same produced message
	seen := map[uint64]int{}
	for _, d := range c.log {
		seen[d.trace]++
	}
	twice := 0
	for _, k := range seen {
		if k == 2 {
			twice++
		}
	}
	if uint64(twice) != dups || len(seen) != n {
		t.Errorf("%d traces delivered twice of %d, want %d of %d", twice, len(seen), dups, n)
	}
	if w.Ledger.Derived != dups {
		t.Errorf("ledger Derived %d, want %d (each duplicate is a new copy)", w.Ledger.Derived, dups)
	}
	conserve(t, w)
}

func TestStandardOrderIsBestEffort(t *testing.T) {
	cases := []struct {
		name      string
		consumers int
		failure   float64
		wantOOO   bool
	}{
		{"one consumer without failures receives in order", 1, 0, false},
		{"concurrent consumers with retries receive out of order", 4, 0.1, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := world(2 * time.Minute)
			cfg := DefaultConfig("q", false)
			cfg.VisibilityTimeout = 2 * time.Second
			q := mustQueue(t, w, cfg)
			producer.New(w, producer.Config{Name: "prod", Target: q.ID(), Arrival: producer.Poisson{PerSecond: 200}, Limit: 10000})
			rng := testRand(5)
			for i := range tc.consumers {
				c := newPoller(t, w, q, "c"+string(rune('a'+i)), ReceiveRequest{Max: 10, Wait: 20 * time.Second, Visibility: -1})
				c.decide = func(delivery) bool { return rng.Float64() >= tc.failure }
			}
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			ooo := counter(t, w, q, "OutOfOrderDeliveries")
			if (ooo > 0) != tc.wantOOO {
				t.Errorf("out-of-order deliveries %d, want any: %v", ooo, tc.wantOOO)
			}
			conserve(t, w)
		})
	}
}

func TestBackOfQueueRuleForMessagesReceivedThreeTimes(t *testing.T) {
	// A message received 3 times and not deleted goes behind the visible messages
	// (note 6) and leaves the age metric.
	w := world(time.Hour)
	cfg := DefaultConfig("q", false)
	cfg.APILatency = zeroLatency
	cfg.ShortPollPartitions = 1
	q := mustQueue(t, w, cfg)
	sendAt(w, q, 0, 100, -1, 0, nil)
	_ = w.Eng.RunUntil(0)
	rec := &recorder{w: w}
	var first uint64
	for i := range 3 {
		q.Receive(ReceiveRequest{Max: 1, Wait: time.Second, Visibility: time.Second}, rec, 0)
		if i == 2 { // sent while the message is in flight for the third time
			sendAt(w, q, w.Now()+time.Second/2, 100, -1, 0, nil)
		}
		_ = w.Eng.RunUntil(w.Now() + 2*time.Second) // received, then visible again
		if i == 0 {
			first = w.Msg(rec.last()[0].Msg).Trace
		}
	}
	// now 6 s: the new message was sent at 4.5 s, the poison pill returned at 5 s
	if age := q.OldestAge(); age != 1500*time.Millisecond {
		t.Errorf("age %v, want 1.5s: the older message is a poison pill and does not count", age)
	}
	q.Receive(ReceiveRequest{Max: 10, Wait: time.Second, Visibility: time.Second}, rec, 0)
	_ = w.Eng.RunUntil(w.Now())
	b := rec.last()
	if len(b) != 2 || w.Msg(b[1].Msg).Trace != first {
		t.Errorf("after its third receive the old message should come last, got %+v", b)
	}
	conserve(t, w)
}

func TestBillingCountsRequestsIn64KiBChunks(t *testing.T) {
	w := world(time.Minute)
	cfg := DefaultConfig("q", false)
	cfg.APILatency = zeroLatency
	q := mustQueue(t, w, cfg)
	sendAt(w, q, 0, 100*1024, -1, 0, nil) // 2 chunks
	sendAt(w, q, 0, 1024, -1, 0, nil)     // 1
	_ = w.Eng.RunUntil(0)
	rec := &recorder{w: w}
	q.Receive(ReceiveRequest{Max: 10, Wait: time.Second, Visibility: -1}, rec, 0) // 101 KiB: 2
	_ = w.Eng.RunUntil(0)
	var hs []Handle
	for _, r := range rec.last() {
		hs = append(hs, r.Handle)
	}
	if n := q.DeleteBatch(hs, w.Add(sink{}), false); n != 2 { // 1
		t.Fatalf("deleted %d", n)
	}
	q.Receive(ReceiveRequest{Max: 10, Wait: 0, Visibility: -1}, rec, 0) // empty: 1
	_ = w.Eng.RunUntil(time.Second)
	if got := counter(t, w, q, "Requests"); got != 2+1+2+1+1 {
		t.Errorf("billed requests %d, want 7", got)
	}
	conserve(t, w)
}
