package producer

import (
	"testing"
	"time"

	"msgsim/models/core"
)

// batchCollector is a target with a batch API that keeps what it accepts, records every
// call, and throttles every throttleEvery-th call whole (0: never).
type batchCollector struct {
	w             *core.World
	held          []core.MsgID
	sizes         []int           // entries per call
	waits         []time.Duration // per call: now − Entered of its first entry
	throttleEvery int
}

func (c *batchCollector) Name() string { return "batch collector" }
func (c *batchCollector) Holding() int { return len(c.held) }
func (c *batchCollector) Deliver(m core.MsgID) core.Status {
	c.held = append(c.held, m)
	return core.OK
}

func (c *batchCollector) DeliverBatch(ms []core.MsgID, st []core.Status) {
	c.sizes = append(c.sizes, len(ms))
	c.waits = append(c.waits, c.w.Now()-c.w.Msg(ms[0]).Entered)
	throttle := c.throttleEvery > 0 && len(c.sizes)%c.throttleEvery == 0
	for i, m := range ms {
		if throttle {
			st[i] = core.Throttled
			continue
		}
		st[i] = c.Deliver(m)
	}
}

func TestBatchingGathersSendsIntoCalls(t *testing.T) {
	const secs = 100
	cases := []struct {
		name          string
		rate          float64
		batch         int
		linger        time.Duration
		throttleEvery int
		wantSize      int           // every call has this many entries (0: not checked)
		wantWait      time.Duration // every call's first entry waited this long (-1: not checked)
	}{
		// 1,000 messages/s fill 10 entries in 10 ms, well before the 1 s linger
		{"full batches leave at once", 1000, 10, time.Second, 0, 10, -1},
		// one message per second never fills a batch: each leaves alone after the linger
		{"the linger sends a partial batch", 1, 10, 100 * time.Millisecond, 0, 1, 100 * time.Millisecond},
		{"a batch size above ten is ten", 1000, 50, time.Second, 0, 10, -1},
		// every other call is throttled; its entries join later calls and get in
		{"throttled entries are retried in later calls", 1000, 10, 10 * time.Millisecond, 2, 0, -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := core.NewWorld(core.Config{Seed: 5, Duration: secs * time.Second})
			c := &batchCollector{w: w, throttleEvery: tc.throttleEvery}
			to := w.Add(c)
			// enough attempts that no message runs out of them (an entry meets a
			// throttled call with probability about 1/2 per attempt: 2⁻⁶⁰ for all 60)
			retry := core.Backoff{Base: 25 * time.Millisecond, Cap: time.Second, MaxAttempts: 60}
			p := New(w, Config{Name: "p", Target: to, Arrival: Constant{PerSecond: tc.rate}, Batch: tc.batch, Linger: tc.linger, Retry: retry})
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			for i, n := range c.sizes {
				if n < 1 || n > MaxBatch || (tc.wantSize > 0 && n != tc.wantSize) {
					t.Fatalf("call %d has %d entries, want %d (1..%d)", i, n, tc.wantSize, MaxBatch)
				}
				if tc.wantWait >= 0 && c.waits[i] != tc.wantWait {
					t.Fatalf("call %d left %v after its first message, want %v", i, c.waits[i], tc.wantWait)
				}
			}
			retries := w.Metrics.Find("p", "SendRetries").Counter.Value()
			if (retries > 0) != (tc.throttleEvery > 0) {
				t.Errorf("%d retries, want some only when calls are throttled", retries)
			}
			// what was emitted is accepted or still with the producer (pending or
			// waiting for a retry): nothing is lost
			if got := int64(len(c.held) + p.Holding()); got != p.Emitted() {
				t.Errorf("accepted %d + held %d, emitted %d", len(c.held), p.Holding(), p.Emitted())
			}
			// the calls' buffers are reused: with no API latency one call is in
			// transit at a time
			if n := p.batch.sender.Buffers(); n > 1 {
				t.Errorf("%d batch buffers, want 1 reused", n)
			}
			if err := w.CheckConservation(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestTargetsWithoutBatchAPIGetOneSendPerMessage(t *testing.T) {
	w := core.NewWorld(core.Config{Seed: 5, Duration: 10 * time.Second})
	c := &collector{}
	to := w.Add(c)
	p := New(w, Config{Name: "p", Target: to, Arrival: Constant{PerSecond: 100}, Batch: 10, Linger: time.Second})
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if p.batch.size > 1 || int64(len(c.held)) != p.Emitted() {
		t.Errorf("batching %d; accepted %d of %d", p.batch.size, len(c.held), p.Emitted())
	}
	if err := w.CheckConservation(); err != nil {
		t.Fatal(err)
	}
}

// batchSink consumes every message of every call at once.
type batchSink struct {
	w  *core.World
	id core.ComponentID
}

func (s *batchSink) Name() string { return "batch sink" }
func (s *batchSink) Holding() int { return 0 }
func (s *batchSink) Deliver(m core.MsgID) core.Status {
	s.w.Consume(m, s.id, false)
	return core.OK
}

func (s *batchSink) DeliverBatch(ms []core.MsgID, st []core.Status) {
	for i, m := range ms {
		st[i] = s.Deliver(m)
	}
}

// BenchmarkBatchedSends measures a producer sending batches of 10 into a target that
// consumes them: b.N messages, with allocations per message in steady state.
func BenchmarkBatchedSends(b *testing.B) {
	w := core.NewWorld(core.Config{Seed: 1, Duration: time.Duration(b.N) * time.Millisecond})
	s := &batchSink{w: w}
	s.id = w.Add(s)
	New(w, Config{Name: "p", Target: s.id, Arrival: Constant{PerSecond: 1000}, Batch: 10, Linger: time.Second})
	b.ReportAllocs()
	b.ResetTimer()
	if err := w.Run(); err != nil {
		b.Fatal(err)
	}
}
