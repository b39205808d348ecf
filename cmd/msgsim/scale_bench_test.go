package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"msgsim/scenarios"
)

// scaleSetsFile holds the --set overrides that run ecommerce-order-flow at 1,000 orders/s
// in a steady state (see the file for why each is needed); scripts/bench-scale.sh reads
// it too.
const scaleSetsFile = "testdata/scale/ecommerce-1000.sets"

// readSets reads a sets file: one path=value per line; blank lines and # comments skipped.
func readSets(tb testing.TB, path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}

// scaleScenario is the scenario of the scale benchmarks: the e-commerce order flow at
// 1,000 orders/s (scaleSetsFile), or, if that built-in is missing, poison-message-dlq at
// 1,000 orders/s without its poison messages (with poison the event source mapping keeps
// halving its pollers after errors, as AWS does, and the queue grows without bound).
func scaleScenario(tb testing.TB, hours int) (*loaded, string) {
	name, sets := "ecommerce-order-flow", []string(nil)
	if _, ok := scenarios.Builtin(name); ok {
		sets = readSets(tb, scaleSetsFile)
	} else {
		name, sets = "poison-message-dlq", []string{"producers.orders.poison=0",
			"producers.orders.arrival={process: poisson, rate: 1000/s}", "warmup=0s"}
	}
	sets = append(sets, fmt.Sprintf("duration=%dh", hours), "replications=1")
	l, err := loadScenario(name, "", sets)
	if err != nil {
		tb.Fatal(err)
	}
	return l, name
}

// BenchmarkScale runs the e-commerce scenario at 1,000 orders/s for 1 and for 4 simulated
// hours (one op is one whole run). It reports the wall time of World.Run (engine-s), the
// CPU time the process used meanwhile (engine-cpu-s: on a machine shared with other work
// the wall clock also counts the time others held the core), the simulated messages
// (produced + derived) and engine events per wall second and per CPU second, and the
// high-water mark of the heap's live and unswept objects (peak-heap-MB, sampled every
// 10 ms through runtime/metrics, which does not stop the world) next to the memory the
// runtime holds from the OS at the end (sys-MB). The 4 h peak should be within 20% of the
// 1 h one: statistics are bounded whatever the run length. Building the model and the
// summary are left out (`make bench-scale` times the whole CLI run with /usr/bin/time).
func BenchmarkScale(b *testing.B) {
	for _, hours := range scaleHours() {
		b.Run(fmt.Sprintf("%dh", hours), func(b *testing.B) {
			l, name := scaleScenario(b, hours)
			b.Logf("scenario %s at 1,000 orders/s for %d h", name, hours)
			var engine, cpu, msgs, events, peak float64
			var sys uint64
			for b.Loop() {
				m, err := scenarios.Build(l.file, 0)
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				stop := sampleHeap()
				start, cpu0 := time.Now(), cpuTime()
				if err := m.World.Run(); err != nil {
					b.Fatal(err)
				}
				engine, cpu = time.Since(start).Seconds(), (cpuTime() - cpu0).Seconds()
				peak = float64(stop()) / (1 << 20)
				lg := m.World.Ledger
				msgs = float64(lg.Produced + lg.Derived)
				events = float64(m.World.Eng.Fired())
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				sys = ms.Sys
			}
			b.ReportMetric(engine, "engine-s")
			b.ReportMetric(cpu, "engine-cpu-s")
			if cpu > 0 {
				b.ReportMetric(events/cpu, "events/cpu-s")
			}
			b.ReportMetric(msgs/engine, "msgs/s")
			b.ReportMetric(events/engine, "events/s")
			b.ReportMetric(peak, "peak-heap-MB")
			b.ReportMetric(float64(sys)/(1<<20), "sys-MB")
		})
	}
}

// sampleHeap samples the heap's object bytes every 10 ms until the returned function is
// called; that function returns the largest sample.
func sampleHeap() func() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(s); return s[0].Value.Uint64() }
	var mu sync.Mutex
	peak := read()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				v := read()
				mu.Lock()
				peak = max(peak, v)
				mu.Unlock()
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		return max(peak, read())
	}
}

// scaleHours are the run lengths of BenchmarkScale: 1 and 4 simulated hours, or the
// comma-separated list in MSGSIM_SCALE_HOURS (e.g. "1" for a quicker profile).
func scaleHours() []int {
	v := os.Getenv("MSGSIM_SCALE_HOURS")
	if v == "" {
		return []int{1, 4}
	}
	var out []int
	for _, f := range strings.Split(v, ",") {
		if h, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && h > 0 {
			out = append(out, h)
		}
	}
	return out
}
