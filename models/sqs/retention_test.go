package sqs

import (
	"testing"
	"time"
)

func TestRetentionExpiresMessagesInEveryState(t *testing.T) {
	w := world(time.Hour)
	cfg := DefaultConfig("q", false)
	cfg.APILatency = zeroLatency
	cfg.Retention = MinRetention
	q := mustQueue(t, w, cfg)
	sendAt(w, q, 0, 100, -1, 0, nil) // will be in flight
	_ = w.Eng.RunUntil(0)
	rec := &recorder{w: w}
	q.Receive(ReceiveRequest{Max: 1, Wait: time.Second, Visibility: MaxVisibilityTimeout}, rec, 0)
	_ = w.Eng.RunUntil(0)
	h := rec.last()[0].Handle
	sendAt(w, q, time.Second, 100, -1, 0, nil) // stays visible
	_ = w.Eng.RunUntil(2 * time.Second)
	m := w.Produce(0, 100)
	q.SendWithDelay(m, MaxDelay) // delayed beyond its retention
	if q.InFlight() != 1 || q.Visible() != 1 || q.Delayed() != 1 {
		t.Fatalf("in flight %d visible %d delayed %d, want 1 each", q.InFlight(), q.Visible(), q.Delayed())
	}
	expiries := []time.Duration{60 * time.Second, 61 * time.Second, 62 * time.Second}
	for i, at := range expiries {
		_ = w.Eng.RunUntil(at - 1)
		if got := counter(t, w, q, "NumberOfMessagesExpired"); got != uint64(i) {
			t.Fatalf("expired %d just before %v, want %d", got, at, i)
		}
		_ = w.Eng.RunUntil(at)
		if got := counter(t, w, q, "NumberOfMessagesExpired"); got != uint64(i+1) {
			t.Fatalf("expired %d at %v, want %d", got, at, i+1)
		}
	}
	if q.Holding() != 0 {
		t.Errorf("holds %d after expiry", q.Holding())
	}
	var dropped uint64
	for _, d := range w.Ledger.Drops() {
		if d.Component == "q" && d.Reason == "expired" {
			dropped = d.N
		}
	}
	if dropped != 3 {
		t.Errorf("drops counted as expired: %d, want 3", dropped)
	}
	if q.Delete(h, w.Add(sink{}), false) {
		t.Error("delete of an expired in-flight message succeeded")
	}
	conserve(t, w)
}

func TestDeadLetterRetentionClock(t *testing.T) {
	// A standard DLQ keeps the enqueue time of the source; a FIFO DLQ restarts it at the
	// move (§1.2). The message is sent at 0 and moved at 10 s into a DLQ with 60 s retention.
	for _, tc := range []struct {
		fifo   bool
		expiry time.Duration
	}{{false, 60 * time.Second}, {true, 70 * time.Second}} {
		w := world(time.Hour)
		dcfg := DefaultConfig("dlq", tc.fifo)
		dcfg.Retention = MinRetention
		dlq := mustQueue(t, w, dcfg)
		cfg := DefaultConfig("q", tc.fifo)
		cfg.APILatency = zeroLatency
		cfg.ContentBasedDedup = tc.fifo
		cfg.DLQ, cfg.MaxReceiveCount = dlq, 1
		q := mustQueue(t, w, cfg)
		sendAt(w, q, 0, 100, w.Strings.ID("g"), 0, nil)
		_ = w.Eng.RunUntil(0)
		rec := &recorder{w: w}
		q.Receive(ReceiveRequest{Max: 1, Wait: time.Second, Visibility: 5 * time.Second}, rec, 0)
		_ = w.Eng.RunUntil(10 * time.Second)
		q.Receive(ReceiveRequest{Max: 1, Wait: time.Second, Visibility: -1}, rec, 0)
		_ = w.Eng.RunUntil(10 * time.Second)
		if dlq.Holding() != 1 {
			t.Fatalf("fifo %v: DLQ holds %d after the move", tc.fifo, dlq.Holding())
		}
		_ = w.Eng.RunUntil(tc.expiry - 1)
		if dlq.Holding() != 1 {
			t.Errorf("fifo %v: expired before %v", tc.fifo, tc.expiry)
		}
		_ = w.Eng.RunUntil(tc.expiry)
		if dlq.Holding() != 0 || dlq.HoldingDeadLetters() != 0 {
			t.Errorf("fifo %v: not expired at %v", tc.fifo, tc.expiry)
		}
		conserve(t, w)
	}
}

func TestDelayQueue(t *testing.T) {
	w := world(time.Hour)
	cfg := DefaultConfig("q", false)
	cfg.APILatency = zeroLatency
	cfg.Delay = 5 * time.Second
	q := mustQueue(t, w, cfg)
	sendAt(w, q, time.Second, 100, -1, 0, nil)
	rec := &recorder{w: w}
	_ = w.Eng.RunUntil(time.Second)
	if q.Delayed() != 1 || q.Visible() != 0 {
		t.Fatalf("delayed %d visible %d, want 1 and 0", q.Delayed(), q.Visible())
	}
	m := w.Produce(0, 100)
	q.SendWithDelay(m, 2*time.Second) // the per-message timer overrides the queue delay
	q.Receive(ReceiveRequest{Max: 10, Wait: 20 * time.Second, Visibility: -1}, rec, 0)
	q.Receive(ReceiveRequest{Max: 10, Wait: 20 * time.Second, Visibility: -1}, rec, 0)
	_ = w.Eng.RunUntil(10 * time.Second)
	want := []time.Duration{3 * time.Second, 6 * time.Second}
	if len(rec.times) != 2 || rec.times[0] != want[0] || rec.times[1] != want[1] {
		t.Errorf("received at %v, want %v", rec.times, want)
	}
	fw := world(time.Minute)
	fcfg := DefaultConfig("f", true)
	fcfg.ContentBasedDedup = true
	fq := mustQueue(t, fw, fcfg)
	fm := fw.Produce(0, 100)
	fw.Msg(fm).Group = fw.Strings.ID("g")
	if st := fq.SendWithDelay(fm, time.Second); st.String() != "rejected" {
		t.Errorf("FIFO per-message delay: %v, want rejected", st)
	}
	fw.Drop(fm, fw.DropReason("test", "refused"))
	conserve(t, fw)
	conserve(t, w)
}

func TestAgeOfOldestMessage(t *testing.T) {
	w := world(100 * time.Second)
	cfg := DefaultConfig("q", false)
	cfg.APILatency = zeroLatency
	q := mustQueue(t, w, cfg)
	sendAt(w, q, 10*time.Second, 100, -1, 0, nil)
	sendAt(w, q, 20*time.Second, 100, -1, 0, nil)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if got := q.OldestAge(); got != 90*time.Second {
		t.Errorf("OldestAge %v, want 90s", got)
	}
	g := w.Metrics.Find("q", "ApproximateAgeOfOldestMessage").Gauge
	if g.Value() != 90 {
		t.Errorf("gauge %v at the end, want 90", g.Value())
	}
	conserve(t, w)
}
