package sqs

import (
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/sim"
)

// benchConsumer deletes every message it receives.
type benchConsumer struct {
	q  *Queue
	id core.ComponentID
	n  int
}

func (c *benchConsumer) Received(_ int64, batch []Received) {
	for _, r := range batch {
		c.q.Delete(r.Handle, c.id, false)
		c.n++
	}
}

// benchQueue drives one queue through b.N messages: 10 sends, one long-poll receive of
// 10, 10 deletes, then step of simulated time per round. It reports messages per wall-clock
// second; allocs/op is per message. The warm-up (20,000 rounds) lets slabs, heaps, the
// engine and — for FIFO, with step 20 ms, 400 s — the 5-minute dedup table reach their
// steady size.
func benchQueue(b *testing.B, fifo bool, step time.Duration) {
	w := world(time.Hour)
	cfg := DefaultConfig("q", fifo)
	cfg.APILatency = sim.Constant(0.001)
	cfg.ContentBasedDedup = fifo
	cfg.HighThroughput = fifo
	q := mustQueue(b, w, cfg)
	c := &benchConsumer{q: q, id: w.Add(sink{})}
	var groups [100]int32
	for i := range groups {
		groups[i] = w.Strings.ID("g" + string(rune('A'+i%26)) + string(rune('a'+i/26)))
	}
	req := ReceiveRequest{Max: 10, Wait: 20 * time.Second, Visibility: -1}
	round := func(k int) {
		for j := range 10 {
			m := w.Produce(0, 1024)
			w.Msg(m).Group = groups[(k*10+j)%len(groups)]
			if q.Deliver(m) != core.OK {
				b.Fatal("send refused")
			}
		}
		q.Receive(req, c, 0)
		_ = w.Eng.RunUntil(w.Now() + step)
	}
	for k := range 20000 {
		round(k)
	}
	b.ResetTimer()
	b.ReportAllocs()
	for k := 0; k*10 < b.N; k++ {
		round(k)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "messages/s")
	if c.n < b.N {
		b.Fatalf("deleted %d of %d", c.n, b.N)
	}
}

func BenchmarkQueueSendReceiveDelete(b *testing.B) { benchQueue(b, false, 2*time.Millisecond) }

func BenchmarkFIFOQueueSendReceiveDelete(b *testing.B) { benchQueue(b, true, 20*time.Millisecond) }
