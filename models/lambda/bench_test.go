package lambda

import (
	"syscall"
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/models/producer"
	"msgsim/models/sqs"
	"msgsim/sim"
)

const (
	// benchRate is the producer's rate in BenchmarkSQSLambda: high enough that batches
	// fill, low enough that the ESM (ramping +5 batches/s) catches up within seconds.
	benchRate = 20000
	// benchWarmup is simulated time run before the timer starts: the ESM's ramp from 5
	// batches and the backlog it leaves (≈ 100,000 messages at 20,000/s) are a start-up
	// transient, not the steady state being measured.
	benchWarmup = 40 * time.Second
)

// BenchmarkSQSLambda runs a Poisson producer → standard queue → Lambda via an SQS event
// source mapping (batch size 10) whose function is the sink (one 1 ms Compute step). The
// timer starts after benchWarmup of simulated time; then about b.N messages are produced
// (b.N / benchRate seconds), so ns/op and allocs/op are per message. messages/s and
// events/s are per wall-clock second; cpu-ns/msg is process CPU time per message, which
// stays meaningful when other jobs share the machine.
func BenchmarkSQSLambda(b *testing.B) {
	w := core.NewWorld(core.Config{Seed: 1, Duration: benchWarmup + time.Duration(float64(b.N)/benchRate*float64(time.Second))})
	q := mustQueue(b, w, sqs.DefaultConfig("orders", false))
	cfg := DefaultConfig("sink")
	cfg.Steps = []Step{{Kind: Compute, Duration: constant(time.Millisecond)}}
	cfg.Triggers = []ESMConfig{{Queue: q, BatchSize: 10}}
	cfg.Sink = true
	fn := mustFn(b, w, NewAccount(0), cfg)
	p := producer.New(w, producer.Config{Name: "shoppers", Target: q.ID(), Arrival: producer.Poisson{PerSecond: benchRate}})
	var msgs0, events0, cancelled0, inv0 uint64
	var cpu0 time.Duration
	w.Eng.After(benchWarmup, w.Eng.Register(sim.HandlerFunc(func(sim.Event) {
		msgs0, events0, inv0 = uint64(p.Emitted()), w.Eng.Fired(), counter(b, w, "sink", "Invocations")
		cancelled0 = w.Eng.Cancelled()
		cpu0 = cpuTime()
		b.ResetTimer()
	})), 0, 0, 0)
	b.ReportAllocs()
	if err := w.Run(); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	cpu := cpuTime() - cpu0
	sec := b.Elapsed().Seconds()
	msgs := float64(uint64(p.Emitted()) - msgs0)
	events := float64(w.Eng.Fired() - events0)
	b.ReportMetric(msgs/sec, "messages/s")
	b.ReportMetric(events/sec, "events/s")
	b.ReportMetric(events/msgs, "events/msg")
	b.ReportMetric(float64(w.Eng.Cancelled()-cancelled0)/msgs, "cancelled/msg")
	b.ReportMetric(float64(cpu.Nanoseconds())/msgs, "cpu-ns/msg")
	b.ReportMetric(msgs/float64(counter(b, w, "sink", "Invocations")-inv0), "msgs/invoke")
	b.ReportMetric(float64(fn.ESMConcurrency(0)), "esm-conc")
	checkConservation(b, w)
}

// cpuTime is the CPU time (user + system) the process used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
