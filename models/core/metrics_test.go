package core

import (
	"testing"
	"time"

	"msgsim/sim"
)

func TestSamplerBuildsCounterAndGaugeSeriesAndWarmupExcludesTotals(t *testing.T) {
	w := NewWorld(Config{Seed: 1, Warmup: 2 * time.Second, Duration: 8 * time.Second, SampleEvery: time.Second})
	c := w.Metrics.Counter("q", "NumberOfMessagesSent", "messages")
	g := w.Metrics.Gauge("q", "ApproximateNumberOfMessagesVisible", "messages")
	// one count every 100 ms; the gauge is 0 in [0,5s) and 4 from 5 s on
	h := w.Eng.Register(sim.HandlerFunc(func(ev sim.Event) {
		c.Inc()
		if ev.At == 5*time.Second {
			g.Set(ev.At, 4)
		}
	}))
	for at := 100 * time.Millisecond; at <= 10*time.Second; at += 100 * time.Millisecond {
		w.Eng.After(at, h, 0, 0, 0)
	}
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	m := w.Metrics.Find("q", "NumberOfMessagesSent")
	if m.Total() != 80 { // 100 events, 20 of them in the 2 s warm-up
		t.Fatalf("total after warm-up %d, want 80", m.Total())
	}
	s := m.Series[0].Series
	if s.Len() != 10 {
		t.Fatalf("buckets %d", s.Len())
	}
	for i := 0; i < 10; i++ {
		if _, v := s.At(i); v != 10 {
			t.Fatalf("bucket %d: %v counts, want 10", i, v)
		}
	}
	gm := w.Metrics.Find("q", "ApproximateNumberOfMessagesVisible")
	if _, v := gm.Series[0].Series.At(4); v != 0 {
		t.Fatalf("gauge mean in [4s,5s) = %v", v)
	}
	if _, v := gm.Series[0].Series.At(5); v != 4 {
		t.Fatalf("gauge mean in [5s,6s) = %v", v)
	}
	// time-weighted mean after warm-up: 0 for 3 s, 4 for 5 s over 8 s = 2.5
	if mean := g.Mean(10 * time.Second); mean != 2.5 {
		t.Fatalf("gauge mean after warm-up %v, want 2.5", mean)
	}
}
