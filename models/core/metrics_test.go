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

// TestSamplerBuildsLatencySeriesPerBucket checks a latency's series: per bucket the count
// of its values and their p50 and p99, each bucket holding only its own values, and a
// warm-up that empties the run-long histogram but not the bucket it ends in.
func TestSamplerBuildsLatencySeriesPerBucket(t *testing.T) {
	w := NewWorld(Config{Seed: 1, Warmup: 2500 * time.Millisecond, Duration: 2500 * time.Millisecond, SampleEvery: time.Second})
	l := w.Metrics.Latency("fn", "Duration")
	// 10 values per second; in second k they are k+1 ms (p50 and p99 exact at these sizes)
	h := w.Eng.Register(sim.HandlerFunc(func(ev sim.Event) {
		l.Record(time.Duration(ev.At/time.Second+1) * time.Millisecond)
	}))
	for at := 50 * time.Millisecond; at < 5*time.Second; at += 100 * time.Millisecond {
		w.Eng.After(at, h, 0, 0, 0)
	}
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	m := w.Metrics.Find("fn", "Duration")
	for k := range 5 {
		want := time.Duration(k+1) * time.Millisecond
		for j, stat := range []struct {
			name string
			want float64
		}{{"count", 10}, {"p50", want.Seconds()}, {"p99", want.Seconds()}} {
			if _, v := m.Series[j].Series.At(k); v != stat.want {
				t.Errorf("bucket %d: %s %v, want %v", k, stat.name, v, stat.want)
			}
		}
	}
	if n := l.Total.Count(); n != 25 { // the values from 2.5 s on
		t.Errorf("run-long count after the warm-up %d, want 25", n)
	}
}
