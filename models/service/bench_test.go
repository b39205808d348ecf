package service

import (
	"testing"
	"time"

	"msgsim/sim"
)

// BenchmarkMMc runs a Poisson producer into an M/M/10 station at λ = 8, μ = 1 through the
// real engine and World (producer arrival, transit of the send, end of service: three
// events per customer). One op is one customer served; it reports events/s and
// customers/s. The world is warmed up first so that pools, heap and line have reached
// their working size: the steady state must show 0 allocs/op. events/cpu-s divides by the
// process's CPU time instead of the wall clock, for machines shared with other work.
func BenchmarkMMc(b *testing.B) {
	m, err := buildMMc(MMcConfig{ArrivalRate: 8, Servers: 10, Service: sim.Exponential(1),
		QueueLimit: -1, Duration: 1 << 62, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	m.src.Start()
	m.w.Eng.Step(300_000)
	done := m.svc.completed
	events0, served0 := m.w.Eng.Fired(), done.Value()
	target := served0 + uint64(b.N)
	b.ReportAllocs()
	b.ResetTimer()
	start, cpu0 := time.Now(), cpuTime()
	for done.Value() < target {
		m.w.Eng.Step(256)
	}
	elapsed, cpu := time.Since(start).Seconds(), (cpuTime() - cpu0).Seconds()
	b.StopTimer()
	if err := m.w.Eng.Err(); err != nil {
		b.Fatal(err)
	}
	events := float64(m.w.Eng.Fired() - events0)
	b.ReportMetric(events/elapsed, "events/s")
	b.ReportMetric(float64(done.Value()-served0)/elapsed, "customers/s")
	if cpu > 0 {
		b.ReportMetric(events/cpu, "events/cpu-s")
	}
}
