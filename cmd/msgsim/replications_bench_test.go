package main

import (
	"runtime"
	"testing"
	"time"
)

// BenchmarkReplicationSpeedup runs the same 8 replications of a built-in scenario with one
// worker and then with two (runReplications, the path of `msgsim run --workers N`; the
// summary, files and plots are left out) and reports both throughputs in replications per
// second and their ratio, speedup = (reps/s with 2 workers) ÷ (reps/s with 1). Each
// replication owns its World, so the target on 2 cores is ≥ 1.8×; a machine busy with other
// work shows less. CPU-bound: GOMAXPROCS must be at least 2 for a speed-up.
func BenchmarkReplicationSpeedup(b *testing.B) {
	const reps = 8
	for _, name := range []string{"ecommerce-order-flow", "validation-mm10"} {
		b.Run(name, func(b *testing.B) {
			var sets []string
			if name == "validation-mm10" {
				sets = []string{"duration=12000s", "warmup=500s"} // 1e5 customers each
			}
			l, err := loadScenario(name, "", sets)
			if err != nil {
				b.Skip(err) // a built-in not there yet
			}
			var one, two, cpu1, cpu2 float64
			for b.Loop() {
				one, cpu1 = timeReps(b, l, reps, 1)
				two, cpu2 = timeReps(b, l, reps, 2)
			}
			b.ReportMetric(reps/one, "reps/s-1w")
			b.ReportMetric(reps/two, "reps/s-2w")
			b.ReportMetric(one/two, "speedup")
			// cores busy = CPU seconds ÷ wall seconds: near 2 with two workers unless other
			// processes hold the cores (then the speed-up says more about the machine)
			b.ReportMetric(cpu1/one, "cores-1w")
			b.ReportMetric(cpu2/two, "cores-2w")
			// work efficiency = CPU seconds with 1 worker ÷ with 2: 1 when two workers add no
			// overhead (no shared state, no contention for memory bandwidth or the GC), so
			// 2 × efficiency is the speed-up two otherwise idle cores would give
			if cpu2 > 0 {
				b.ReportMetric(cpu1/cpu2, "efficiency")
			}
			b.ReportMetric(float64(runtime.GOMAXPROCS(0)), "procs")
		})
	}
}

// timeReps runs n replications on workers goroutines and returns the wall and the CPU
// seconds they took.
func timeReps(b *testing.B, l *loaded, n, workers int) (wall, cpu float64) {
	runtime.GC()
	start, cpu0 := time.Now(), cpuTime()
	if _, err := runReplications(l, 0, n, workers); err != nil {
		b.Fatal(err)
	}
	return time.Since(start).Seconds(), (cpuTime() - cpu0).Seconds()
}
