package sqs

import (
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/models/producer"
	"msgsim/sim"
)

func TestFIFOKeepsOrderWithinGroupsThroughFailuresRetriesAndRedrive(t *testing.T) {
	w := world(5 * time.Minute)
	dcfg := DefaultConfig("dlq", true)
	dlq := mustQueue(t, w, dcfg)
	cfg := DefaultConfig("q", true)
	cfg.APILatency = sim.Constant(0.02) // constant, so messages arrive in production order
	cfg.VisibilityTimeout = 2 * time.Second
	cfg.DLQ, cfg.MaxReceiveCount = dlq, 3
	cfg.ContentBasedDedup = true
	q := mustQueue(t, w, cfg)
	const n = 6000
	producer.New(w, producer.Config{Name: "prod", Target: q.ID(), Arrival: producer.Poisson{PerSecond: 100}, Groups: 20, Limit: n})
	rng := testRand(11)
	var cs []*poller
	for i := range 4 {
		c := newPoller(t, w, q, "c"+string(rune('a'+i)), ReceiveRequest{Max: 10, Wait: 20 * time.Second, Visibility: -1})
		c.stopOnFailure = true
		c.decide = func(delivery) bool { return rng.Float64() >= 0.3 }
		cs = append(cs, c)
	}
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	type ev struct {
		at    time.Duration
		trace uint64
	}
	byGroup := map[int32][]ev{}
	deleted := 0
	for _, c := range cs {
		for _, d := range c.log {
			if d.ok {
				byGroup[d.group] = append(byGroup[d.group], ev{d.at, d.trace})
				deleted++
			}
		}
	}
	for g, evs := range byGroup {
		// consumers delete during the answer, so deletes of one group never share a time
		// with another consumer's: sort by time and check the traces increase
		for i := 1; i < len(evs); i++ {
			for j := i; j > 0 && evs[j].at < evs[j-1].at; j-- {
				evs[j], evs[j-1] = evs[j-1], evs[j]
			}
		}
		for i := 1; i < len(evs); i++ {
			if evs[i].trace <= evs[i-1].trace {
				t.Fatalf("group %d: trace %d deleted after trace %d", g, evs[i].trace, evs[i-1].trace)
			}
		}
	}
	if got := counter(t, w, q, "OutOfOrderDeliveries"); got != 0 {
		t.Errorf("OutOfOrderDeliveries %d, want 0", got)
	}
	if dlq.HoldingDeadLetters() == 0 {
		t.Error("no message reached the DLQ: the test does not exercise redrive")
	}
	if deleted+dlq.HoldingDeadLetters() != n || q.Holding() != 0 {
		t.Errorf("deleted %d + DLQ %d != %d sent (source still holds %d)", deleted, dlq.HoldingDeadLetters(), n, q.Holding())
	}
	conserve(t, w)
}

func TestFIFOHeadOfLineBlockingShowsInTheGroupsLatency(t *testing.T) {
	w := world(2 * time.Minute)
	dlq := mustQueue(t, w, DefaultConfig("dlq", true))
	cfg := DefaultConfig("q", true)
	cfg.APILatency = zeroLatency
	cfg.VisibilityTimeout = 10 * time.Second
	cfg.DLQ, cfg.MaxReceiveCount = dlq, 3
	q := mustQueue(t, w, cfg)
	a, b := w.Strings.ID("a"), w.Strings.ID("b")
	sendAt(w, q, 0, 100, a, 1, nil) // the poison head of group a
	for i := 1; i <= 10; i++ {
		at := time.Duration(i) * 100 * time.Millisecond
		sendAt(w, q, at, 100, a, uint64(100+i), nil)
		sendAt(w, q, at, 100, b, uint64(200+i), nil)
	}
	c := newPoller(t, w, q, "c", ReceiveRequest{Max: 1, Wait: 20 * time.Second, Visibility: -1})
	c.stopOnFailure = true
	poison := uint64(1) // the first message produced
	c.decide = func(d delivery) bool { return d.trace != poison }
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	var minA, maxB time.Duration = time.Hour, 0
	for _, d := range c.log {
		if !d.ok {
			continue
		}
		lat := d.at - d.sent
		if d.group == a {
			minA = min(minA, lat)
		} else {
			maxB = max(maxB, lat)
		}
	}
	// group a waits for three 10 s visibility timeouts of its head before the move to the
	// DLQ at 30 s; group b flows
	if minA < 29*time.Second || maxB > time.Second {
		t.Errorf("group a waited at least %v (want ≥ 29s), group b at most %v (want ≤ 1s)", minA, maxB)
	}
	if dlq.HoldingDeadLetters() != 1 {
		t.Errorf("DLQ holds %d, want the poison message", dlq.HoldingDeadLetters())
	}
	conserve(t, w)
}

func TestFIFODeduplication(t *testing.T) {
	type send struct {
		at    time.Duration
		group string
		id    uint64 // 0: content (the message's trace) — the test then copies message 1
	}
	cases := []struct {
		name      string
		scope     string
		second    send
		deleteOne bool // receive and delete the first message before the second send
		dedup     bool
	}{
		{"queue scope: same id inside 5 min, other group", ScopeQueue, send{4*time.Minute + 59*time.Second, "g2", 42}, false, true},
		{"queue scope: same id after 5 min", ScopeQueue, send{5 * time.Minute, "g1", 42}, false, false},
		{"queue scope: other id", ScopeQueue, send{time.Second, "g1", 43}, false, false},
		{"group scope: same id, other group", ScopeMessageGroup, send{time.Second, "g2", 42}, false, false},
		{"group scope: same id, same group inside 5 min", ScopeMessageGroup, send{time.Minute, "g1", 42}, false, true},
		{"group scope: same id, same group after 5 min", ScopeMessageGroup, send{5*time.Minute + time.Second, "g1", 42}, false, false},
		{"the id is remembered after the first message was deleted", ScopeQueue, send{2 * time.Minute, "g1", 42}, true, true},
		{"content-based: a copy of the same message inside 5 min", ScopeQueue, send{time.Minute, "g1", 0}, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := world(10 * time.Minute)
			cfg := DefaultConfig("q", true)
			cfg.APILatency = zeroLatency
			cfg.DedupScope = tc.scope
			cfg.ContentBasedDedup = true
			q := mustQueue(t, w, cfg)
			m1 := w.Produce(0, 100)
			w.Msg(m1).Group = w.Strings.ID("g1")
			w.Msg(m1).Dedup = 42
			if st := q.Deliver(m1); st != core.OK {
				t.Fatalf("first send: %v", st)
			}
			if tc.deleteOne {
				rec := &recorder{w: w}
				q.Receive(ReceiveRequest{Max: 1, Wait: time.Second, Visibility: -1}, rec, 0)
				_ = w.Eng.RunUntil(time.Second)
				if !q.Delete(rec.last()[0].Handle, w.Add(sink{}), false) {
					t.Fatal("delete failed")
				}
			}
			_ = w.Eng.RunUntil(tc.second.at)
			var m2 core.MsgID
			if tc.second.id == 0 {
				m1 = w.Produce(0, 100) // a message whose content matches a copy made now
				m2 = w.Derive(m1)
				w.Msg(m2).Group = w.Strings.ID(tc.second.group)
				w.Msg(m1).Group = w.Strings.ID(tc.second.group)
				if st := q.Deliver(m1); st != core.OK {
					t.Fatalf("content send: %v", st)
				}
			} else {
				m2 = w.Produce(0, 100)
				w.Msg(m2).Group = w.Strings.ID(tc.second.group)
				w.Msg(m2).Dedup = tc.second.id
			}
			if st := q.Deliver(m2); st != core.OK {
				t.Fatalf("second send: %v, want ok whether deduplicated or not", st)
			}
			got := counter(t, w, q, "NumberOfDeduplicatedSentMessages")
			if (got == 1) != tc.dedup || got > 1 {
				t.Errorf("NumberOfDeduplicatedSentMessages %d, want deduplicated: %v", got, tc.dedup)
			}
			var drops uint64
			for _, d := range w.Ledger.Drops() {
				if d.Reason == "deduplicated" {
					drops += d.N
				}
			}
			if drops != got {
				t.Errorf("drops counted as deduplicated %d, want %d", drops, got)
			}
			conserve(t, w)
		})
	}
}

func TestFIFODedupTableForgetsOldIds(t *testing.T) {
	d := 15 * time.Minute
	if quick() {
		d = 7 * time.Minute
	}
	w := world(d)
	cfg := DefaultConfig("q", true)
	cfg.ContentBasedDedup = true
	cfg.HighThroughput = true
	q := mustQueue(t, w, cfg)
	producer.New(w, producer.Config{Name: "prod", Target: q.ID(), Arrival: producer.Constant{PerSecond: 100}, Groups: 100})
	newPoller(t, w, q, "c", ReceiveRequest{Max: 10, Wait: 20 * time.Second, Visibility: -1})
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	// 100 sends/s remembered for 5 min: about 30,000 ids (arrivals jitter with the send
	// latency, so a few more or fewer fall inside the window)
	if n := q.fifo.dedup.len(); n > 30100 || n < 29900 {
		t.Errorf("dedup table holds %d ids, want about 30,000", n)
	}
	if len(q.fifo.dedup.order)-q.fifo.dedup.head > 30100 || cap(q.fifo.dedup.order) > 4*30100 {
		t.Errorf("dedup order holds %d entries (cap %d)", len(q.fifo.dedup.order)-q.fifo.dedup.head, cap(q.fifo.dedup.order))
	}
	conserve(t, w)
}

func TestFIFOSendThrottlingAtTheQuota(t *testing.T) {
	secs := 60.0
	if quick() {
		secs = 15
	}
	cases := []struct {
		name       string
		high       bool
		groups     int
		maxSent    float64 // upper bound: burst + rate × T (T = secs)
		minSent    float64
		throttling bool
	}{
		// normal mode: a 300 TPS bucket with a 300 burst admits 300 + 300 × 60 sends
		{"normal mode caps sends at 300 TPS", false, 10, 300 + 300*secs, 300*secs - 10, true},
		// high throughput spreads 50 groups over the partitions: no throttling
		{"high throughput lifts the cap", true, 50, 1000 * secs, 0.99 * 1000 * secs, false}, // minus those in transit at the end
		// but one group is one partition: 300 TPS
		{"high throughput: one group stays at its partition's 300 TPS", true, 1, 300 + 300*secs, 300*secs - 10, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := world(time.Duration(secs) * time.Second)
			cfg := DefaultConfig("q", true)
			cfg.ContentBasedDedup = true
			cfg.HighThroughput = tc.high
			q := mustQueue(t, w, cfg)
			p := producer.New(w, producer.Config{Name: "prod", Target: q.ID(), Arrival: producer.Constant{PerSecond: 1000}, Groups: tc.groups})
			for i := range 10 {
				newPoller(t, w, q, "c"+string(rune('a'+i)), ReceiveRequest{Max: 10, Wait: 20 * time.Second, Visibility: -1})
			}
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			sent := float64(counter(t, w, q, "NumberOfMessagesSent"))
			throttled := counter(t, w, q, "ThrottledSends")
			retries := w.Metrics.Find("prod", "SendRetries").Counter.Value()
			if sent > tc.maxSent || sent < tc.minSent {
				t.Errorf("accepted %v sends in %v s, want %v..%v (emitted %d)", sent, secs, tc.minSent, tc.maxSent, p.Emitted())
			}
			if (throttled > 0) != tc.throttling || (retries > 0) != tc.throttling {
				t.Errorf("throttled %d, producer retries %d, want throttling: %v", throttled, retries, tc.throttling)
			}
			conserve(t, w)
		})
	}
}

func TestFIFORejectsMessagesWithoutGroupOrDedupID(t *testing.T) {
	w := world(time.Minute)
	q := mustQueue(t, w, DefaultConfig("q", true)) // no content-based deduplication
	k := w.DropReason("test", "refused")
	for _, tc := range []struct {
		group int32
		dedup uint64
		want  core.Status
	}{{core.NoGroup, 7, core.Rejected}, {w.Strings.ID("g"), 0, core.Rejected}, {w.Strings.ID("g"), 7, core.OK}} {
		m := w.Produce(0, 100)
		w.Msg(m).Group, w.Msg(m).Dedup = tc.group, tc.dedup
		st := q.Deliver(m)
		if st != tc.want {
			t.Errorf("group %d dedup %d: %v, want %v", tc.group, tc.dedup, st, tc.want)
		}
		if st != core.OK {
			w.Drop(m, k)
		}
	}
	if got := counter(t, w, q, "RejectedSends"); got != 2 {
		t.Errorf("RejectedSends %d, want 2", got)
	}
	conserve(t, w)
}

func TestInFlightCapStopsReceives(t *testing.T) {
	for _, fifo := range []bool{false, true} {
		w := world(time.Hour)
		cfg := DefaultConfig("q", fifo)
		cfg.APILatency = zeroLatency
		cfg.InFlightLimit = 5
		cfg.ContentBasedDedup = fifo
		cfg.ShortPollPartitions = 1
		q := mustQueue(t, w, cfg)
		for i := range 20 {
			sendAt(w, q, 0, 100, w.Strings.ID("g"+string(rune('a'+i))), 0, nil)
		}
		_ = w.Eng.RunUntil(0)
		rec := &recorder{w: w}
		q.Receive(ReceiveRequest{Max: 10, Wait: time.Second, Visibility: time.Hour}, rec, 0)
		_ = w.Eng.RunUntil(time.Second)
		if len(rec.last()) != 5 || q.InFlight() != 5 {
			t.Fatalf("fifo %v: received %d, in flight %d; want 5 (the cap)", fifo, len(rec.last()), q.InFlight())
		}
		if fifo {
			if g := w.Metrics.Find("q", "ApproximateNumberOfGroupsWithInflightMessages").Gauge.Value(); g != 5 {
				t.Errorf("groups with in-flight messages %v, want 5", g)
			}
		}
		h := rec.last()[0].Handle
		q.Receive(ReceiveRequest{Max: 10, Wait: 0, Visibility: time.Hour}, rec, 0)
		_ = w.Eng.RunUntil(2 * time.Second)
		if len(rec.last()) != 0 {
			t.Errorf("fifo %v: a short poll at the cap returned %d messages", fifo, len(rec.last()))
		}
		q.Receive(ReceiveRequest{Max: 10, Wait: 20 * time.Second, Visibility: time.Hour}, rec, 0)
		_ = w.Eng.RunUntil(3 * time.Second)
		if len(rec.batches) != 2 {
			t.Fatalf("fifo %v: the long poll at the cap answered", fifo)
		}
		q.Delete(h, w.Add(sink{}), false)
		_ = w.Eng.RunUntil(4 * time.Second)
		if len(rec.batches) != 3 || len(rec.last()) != 1 || rec.times[2] != 3*time.Second {
			t.Errorf("fifo %v: after a delete the waiting long poll got %d messages at %v, want 1 at 3s", fifo, len(rec.last()), rec.times)
		}
		conserve(t, w)
	}
}
