package sim_test

import (
	"encoding/json"
	"fmt"
	"time"

	"msgsim/sim"
)

// Latencies recorded in two shards, written as JSON and merged, give the same percentiles
// as one histogram. Quantiles are within 0.78% (p50 is exactly 500ms and p99 990ms here);
// min, max and mean are exact.
func ExampleHistogram() {
	a, b := sim.NewHistogram(), sim.NewHistogram()
	for i := int64(1); i <= 1000; i++ {
		lat := i * int64(time.Millisecond)
		if i%2 == 0 {
			a.Record(lat)
		} else {
			b.Record(lat)
		}
	}
	shard, _ := json.Marshal(b) // written to disk by one shard ...
	var back sim.Histogram      // ... and read by msgsim merge
	if err := json.Unmarshal(shard, &back); err != nil {
		fmt.Println(err)
		return
	}
	if err := a.Merge(&back); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("count", a.Count(), "min", time.Duration(a.Min()), "max", time.Duration(a.Max()))
	fmt.Println("mean", time.Duration(a.Mean()))
	fmt.Println("p50", time.Duration(a.Quantile(0.5)), "p99", time.Duration(a.Quantile(0.99)))
	// Output:
	// count 1000 min 1ms max 1s
	// mean 500.5ms
	// p50 501.219327ms p99 994.050047ms
}

// A queue holds 100 messages for the first second of a ten-second window and is empty
// after: its time-weighted mean depth is 10.
func ExampleGauge() {
	var depth sim.Gauge
	depth.Set(0, 100)
	depth.Set(time.Second, 0)
	fmt.Println(depth.Mean(10*time.Second), depth.Max())
	// Output: 10 100
}

// Batch means gives an interval for the mean of one long correlated run.
func ExampleBatchMeans() {
	bm, _ := sim.NewBatchMeans(20)
	for i := range 4096 {
		bm.Add(float64(i % 7))
	}
	fmt.Printf("%d batches of %d, mean %.3f\n", bm.Batches(), bm.BatchSize(), bm.Mean())
	// Output: 32 batches of 128, mean 2.999
}

// BucketWidth picks a round bucket width for plots: a 10-minute run at ~500 buckets gets
// 1-second buckets.
func ExampleBucketWidth() {
	w := sim.BucketWidth(10*time.Minute, 500)
	s, _ := sim.NewSeries(0, w, int(10*time.Minute/w))
	s.Add(1500*time.Millisecond, 1)
	t, v := s.At(1)
	fmt.Println(w, s.Len(), t, v)
	// Output: 1s 600 1s 1
}
