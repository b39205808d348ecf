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

// TestRetentionClocksAreHeldOnceAndExact checks the invariant retention.go relies on: every
// held message's retention clock is in exactly one place — the heap (flExpHeap, keyed by
// its expiry), or read through the message's still-valid entry in the arrivals ring, where
// such clocks come in expiry order — and no held message outlives its clock. The run mixes
// sends, receives whose visibility runs out (back-of-queue poison pills after 3 receives,
// moves to a standard DLQ, which keeps the older enqueue time, after 5) and deletes that
// leave duplicate copies (note 1), under a 60 s retention.
func TestRetentionClocksAreHeldOnceAndExact(t *testing.T) {
	w := world(10 * time.Minute)
	dcfg := DefaultConfig("dlq", false)
	dcfg.APILatency = zeroLatency
	dcfg.Retention = MinRetention
	dlq := mustQueue(t, w, dcfg)
	cfg := DefaultConfig("q", false)
	cfg.APILatency = zeroLatency
	cfg.Retention = MinRetention
	cfg.VisibilityTimeout = 2 * time.Second
	cfg.DuplicateProbability = 0.3
	cfg.DLQ, cfg.MaxReceiveCount = dlq, 5
	q := mustQueue(t, w, cfg)
	c := w.Add(sink{})
	rng := testRand(7)
	rec := &recorder{w: w}
	pills := 0
	for step := range 5000 {
		now := time.Duration(step) * 100 * time.Millisecond
		_ = w.Eng.RunUntil(now)
		if rng.Float64() < 0.6 {
			q.Deliver(w.Produce(0, 100))
		}
		switch {
		case step/500%2 == 0: // receives keep up: messages come back until they move to the DLQ
			q.Receive(ReceiveRequest{Max: 3, Visibility: -1}, rec, 0)
		case rng.Float64() < 0.3: // they do not: a backlog builds up and expires
			q.Receive(ReceiveRequest{Max: 1, Visibility: -1}, rec, 0)
		}
		_ = w.Eng.RunUntil(now)
		for _, r := range rec.last() {
			if rng.Float64() < 0.4 { // the others come back when their visibility ends
				q.Delete(r.Handle, c, false)
			}
		}
		rec.batches, rec.times = rec.batches[:0], rec.times[:0]
		for _, qq := range []*Queue{q, dlq} {
			checkClocks(t, qq, step)
		}
		for s := range q.recs {
			if q.recs[s].state != stFree && q.recs[s].flags&flExcluded != 0 {
				pills++
			}
		}
	}
	expired := counter(t, w, q, "NumberOfMessagesExpired")
	dlqExpired := counter(t, w, dlq, "NumberOfMessagesExpired")
	dups := counter(t, w, q, "DuplicatesDelivered")
	if expired == 0 || dlqExpired == 0 || dups == 0 || pills == 0 {
		t.Errorf("expired %d, DLQ expired %d, duplicates %d, poison-pill sightings %d: want each > 0",
			expired, dlqExpired, dups, pills)
	}
}

// checkClocks fails unless every held message of q has exactly one retention clock (see
// TestRetentionClocksAreHeldOnceAndExact), the ring's in expiry order, and none is due.
func checkClocks(t *testing.T, q *Queue, step int) {
	t.Helper()
	inRing := map[int32]bool{}
	last := time.Duration(-1)
	for i := 0; i < q.age.len(); i++ {
		if s, ok := q.ringClock(q.age.at(i)); ok {
			at := q.recs[s].enqueued + q.cfg.Retention
			if at < last {
				t.Fatalf("%s step %d: ring clock of slot %d at %v after one at %v", q.Name(), step, s, at, last)
			}
			last = at
			inRing[s] = true
		}
	}
	inHeap := 0
	for i := range q.recs {
		s, r := int32(i), &q.recs[i]
		if r.state == stFree {
			continue
		}
		at := r.enqueued + q.cfg.Retention
		heap := r.flags&flExpHeap != 0
		if heap {
			inHeap++
			if !q.expiry.has(s) || q.expiry.items[q.expPos[s]].key != uint64(at) {
				t.Fatalf("%s step %d: slot %d marked in the heap, not there at %v", q.Name(), step, s, at)
			}
		}
		if heap == inRing[s] {
			t.Fatalf("%s step %d: slot %d has its clock in the heap: %v, in the ring: %v", q.Name(), step, s, heap, inRing[s])
		}
		if at <= q.w.Now() {
			t.Fatalf("%s step %d: slot %d held at %v, past its expiry at %v", q.Name(), step, s, q.w.Now(), at)
		}
	}
	if inHeap != q.expiry.len() {
		t.Fatalf("%s step %d: heap holds %d clocks for %d held messages marked in it", q.Name(), step, q.expiry.len(), inHeap)
	}
}
