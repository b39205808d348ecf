package sim_test

import (
	"fmt"
	"time"

	"msgsim/sim"
)

// A latency given the way services publish it, by median and 99th percentile. The lognormal
// with those two percentiles has mu = ln p50 and sigma = (ln p99 - ln p50)/z₀.₉₉, and its
// mean sits above the median because of the long right tail.
func Example_lognormalP50P99() {
	d, err := sim.NewDist(sim.DistSpec{Kind: "lognormal", Params: map[string]float64{"p50": 0.004, "p99": 0.020}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d)
	fmt.Printf("mean %.2f ms\n", d.Mean()*1000)

	// Durations for the engine: draws are in seconds, SampleDuration rounds to nanoseconds.
	r := sim.NewStream(42, 0, "stock-table")
	var total time.Duration
	const n = 100000
	for range n {
		total += sim.SampleDuration(d, r)
	}
	fmt.Printf("sample mean %.1f ms\n", (total/n).Seconds()*1000)
	// Output:
	// lognormal(p50=0.004, p99=0.02)
	// mean 5.08 ms
	// sample mean 5.1 ms
}

// "99% of calls are fast, 1% take the slow path": a mixture's mean is the weighted mean of
// its components', here 0.99·5 ms + 0.01·2 s = 24.95 ms, five times the typical call.
func Example_mixture() {
	d, err := sim.NewDist(sim.DistSpec{Kind: "mixture", Components: []sim.MixtureComponent{
		{Weight: 99, Dist: sim.DistSpec{Kind: "exponential", Params: map[string]float64{"mean": 0.005}}},
		{Weight: 1, Dist: sim.DistSpec{Kind: "constant", Params: map[string]float64{"value": 2}}},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d)
	fmt.Printf("mean %.2f ms\n", d.Mean()*1000)
	// Output:
	// mixture(0.99: exponential(mean=0.005), 0.01: constant(value=2))
	// mean 24.95 ms
}

// A latency profile exported from monitoring, as a percentile table from P=0 (the fastest
// call) to P=100 (the slowest). Values between rows are interpolated linearly.
func Example_empirical() {
	d, err := sim.NewDist(sim.DistSpec{Kind: "empirical", Percentiles: []sim.PercentilePoint{
		{P: 0, Value: 0.001}, {P: 50, Value: 0.004}, {P: 90, Value: 0.010}, {P: 99, Value: 0.050}, {P: 100, Value: 0.200},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d)
	fmt.Printf("mean %.3f ms\n", d.Mean()*1000)
	// Output:
	// empirical(p0=0.001, p50=0.004, p90=0.01, p99=0.05, p100=0.2)
	// mean 8.000 ms
}

// The normal distribution is truncated at zero so that durations are never negative; Mean
// and Variance are those of the truncated distribution. Truncated at its own mean (the
// half-normal), the mean is stddev·sqrt(2/π).
func Example_truncatedNormal() {
	d, err := sim.NewDist(sim.DistSpec{Kind: "normal", Params: map[string]float64{"mean": 0, "stddev": 1}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d)
	fmt.Printf("mean %.4f, variance %.4f\n", d.Mean(), d.Variance())
	// Output:
	// normal(mean=0, stddev=1, truncated at 0)
	// mean 0.7979, variance 0.3634
}

// Invalid specifications return an error that names the parameter and the problem; every
// problem is reported, not just the first.
func ExampleNewDist_errors() {
	_, err := sim.NewDist(sim.DistSpec{Kind: "lognormal", Params: map[string]float64{"mean": 0.04, "stddev": -1}})
	fmt.Println(err)
	_, err = sim.NewDist(sim.DistSpec{Kind: "exponential", Params: map[string]float64{"meen": 0.04}})
	fmt.Println(err)
	_, err = sim.NewDist(sim.DistSpec{Kind: "lognorm"})
	fmt.Println(err)
	// Output:
	// lognormal: stddev must be > 0, got -1
	// unknown parameter "meen" for exponential (want mean or rate); exponential: give mean or rate
	// unknown distribution "lognorm" (want one of constant, exponential, uniform, normal, lognormal, gamma, weibull, pareto, empirical, mixture)
}

// Common random numbers: two variants of a scenario that both have a component named
// "payments" draw the same numbers there, so the difference between their results comes
// from the design change, not from luck. Another name, seed or replication gives another
// stream.
func ExampleNewStream() {
	service := sim.Exponential(0.1)
	baseline := sim.NewStream(42, 0, "payments")
	variant := sim.NewStream(42, 0, "payments")
	other := sim.NewStream(42, 1, "payments")
	same, differ := true, false
	for range 1000 {
		a, b, c := service.Sample(baseline), service.Sample(variant), service.Sample(other)
		same = same && a == b
		differ = differ || a != c
	}
	fmt.Println("same name, same draws:", same)
	fmt.Println("next replication differs:", differ)
	// Output:
	// same name, same draws: true
	// next replication differs: true
}

// SampleDuration turns a draw in seconds into a time.Duration for the engine.
func ExampleSampleDuration() {
	r := sim.NewStream(1, 0, "example")
	fmt.Println(sim.SampleDuration(sim.Constant(0.0405), r))
	// Output:
	// 40.5ms
}
