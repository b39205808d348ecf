package results

import (
	"testing"
	"time"

	"msgsim/sim"
)

// counter, gauge and latency build metric summaries for constructed runs.
func counter(name string, total uint64) MetricSummary {
	return MetricSummary{Name: name, Unit: "count", Kind: MetricCounter, Counter: &CounterFigures{Total: total, Rate: float64(total) / 100}}
}

func gauge(name string, mean, max float64) MetricSummary {
	return MetricSummary{Name: name, Unit: "messages", Kind: MetricGauge, Gauge: &GaugeFigures{Mean: mean, Max: max}}
}

func latency(name string, ds ...time.Duration) MetricSummary {
	lf := histFigures(ds...)
	return MetricSummary{Name: name, Unit: "s", Kind: MetricLatency, Latency: &lf}
}

func histFigures(ds ...time.Duration) LatencyFigures {
	h := sim.NewHistogram()
	for _, d := range ds {
		h.Record(int64(d))
	}
	return figuresOf(h)
}

// constructedRun is a run of 100 s with a queue, a function and one path whose 100
// latencies are 10 ms, 20 ms, ..., 1 s.
func constructedRun() *Run {
	var lat []time.Duration
	for i := 1; i <= 100; i++ {
		lat = append(lat, time.Duration(i)*10*time.Millisecond)
	}
	r := &Run{SchemaVersion: SchemaVersion, Scenario: "constructed", DurationSeconds: 100,
		Paths: []PathSummary{{Name: "a -> b", Throughput: 1, LatencyFigures: histFigures(lat...)}},
		Components: []ComponentSummary{
			{Name: "q", Kind: "sqs", Metrics: []MetricSummary{
				counter("NumberOfMessagesSent", 1000), counter("NumberOfMessagesMovedToDLQ", 2),
				counter("NumberOfEmptyReceives", 150), counter("Requests", 1_000_000),
				gauge("ApproximateNumberOfMessagesVisible", 12.5, 50),
				gauge("ApproximateAgeOfOldestMessage", 1, 30)}},
			{Name: "fn", Kind: "lambda", Metrics: []MetricSummary{
				counter("Invocations", 1000), counter("Errors", 5), counter("Throttles", 0),
				latency("Duration", 100*time.Millisecond, 200*time.Millisecond)}},
			{Name: "svc", Kind: "service", Metrics: []MetricSummary{counter("Requests", 10)}},
		}}
	r.Cost = ComputeCost(r, DefaultPrices(), CostOptions{})
	return r
}

func TestThresholdsPassAndFailOnAConstructedRun(t *testing.T) {
	s := Aggregate([]*Run{constructedRun()})
	tests := []struct {
		expr     string
		ok       bool
		observed float64
	}{
		{"p99(latency: a -> b) < 2s", true, 0.99},
		{"p99(latency: a -> b) < 900ms", false, 0.99},
		{"p50(latency: a -> b) <= 0.51", true, 0.5},
		{"max(latency: a -> b) == 1s", true, 1},
		{"count(latency: a -> b) == 100", true, 100},
		{"throughput(latency: a -> b) >= 1/s", true, 1},
		{"max(depth: q) < 10000", true, 50},
		{"mean(depth: q) > 20", false, 12.5},
		{"max(age: q) < 1m", true, 30},
		{"rate(dlq: q) < 0.1%", false, 0.002},
		{"rate(dlq: q) < 1%", true, 0.002},
		{"sum(dlq: q) == 2", true, 2},
		{"rate(errors: fn) < 1%", true, 0.005},
		{"rate(errors: fn) < 0.4%", false, 0.005},
		{"sum(throttles: fn) == 0", true, 0},
		{"rate(throttles: fn) == 0", true, 0},
		{"sum(metric: q.NumberOfEmptyReceives) < 100", false, 150},
		{"throughput(metric: q.NumberOfEmptyReceives) == 1.5/s", true, 1.5},
		{"max(metric: q.ApproximateNumberOfMessagesVisible) != 50", false, 50},
		{"p99(latency: fn) < 1s", true, 0.2},
		{"cost(per_run) < 0.5", true, 0.4002}, // $0.40 for q, $0.0002 for fn
		{"cost(per_run) > $0.41", false, 0.4002},
		{"cost(per_run: q) == 0.4", true, 0.4},
		{"cost(per_run: svc) == 0", true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			th, err := ParseThreshold(tt.expr)
			if err != nil {
				t.Fatal(err)
			}
			r := Evaluate(th, s)
			if r.Error != "" {
				t.Fatalf("error: %s", r.Error)
			}
			// Histogram quantiles are within RelativeError (1/128) of the exact value.
			tol := 1e-12 + tt.observed*sim.NewHistogram().RelativeError()
			if r.OK != tt.ok || r.Observed < tt.observed-tol || r.Observed > tt.observed+tol {
				t.Errorf("ok %v observed %v (%s); want ok %v observed %v", r.OK, r.Observed, r.Detail, tt.ok, tt.observed)
			}
		})
	}
}

func TestThresholdsOnMissingThingsFailWithAnError(t *testing.T) {
	s := Aggregate([]*Run{constructedRun()})
	tests := []struct{ expr, want string }{
		{"p99(latency: a -> c) < 2s", `no path "a -> c" in this run (paths: a -> b)`},
		{"max(depth: nope) < 1", `no component "nope" in this run`},
		{"max(depth: fn) < 1", `component "fn" (kind "lambda") has no depth metric`},
		{"rate(errors: q) < 1%", `component "q" (kind "sqs") has no errors metric (Errors)`},
		{"sum(metric: q.Nope) < 1", `no metric "q.Nope" in this run (write component.MetricName)`},
		{"sum(metric: q.ApproximateNumberOfMessagesVisible) < 1", `sum(...) does not apply to q.ApproximateNumberOfMessagesVisible, a gauge`},
		{"cost(per_month: nope) < 1", `no component "nope" in this run`},
		{"p99(latency: svc) < 1s", `component "svc" has no single latency metric: use metric: svc.<name>`},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			th, err := ParseThreshold(tt.expr)
			if err != nil {
				t.Fatal(err)
			}
			r := Evaluate(th, s)
			if r.OK || r.Error != tt.want {
				t.Errorf("ok %v error %q; want a failure with %q", r.OK, r.Error, tt.want)
			}
		})
	}
	if !Failed(EvaluateAll([]Threshold{mustParse(t, "max(depth: nope) < 1")}, s)) {
		t.Error("Failed is false with a failing threshold")
	}
}

func mustParse(t *testing.T, s string) Threshold {
	t.Helper()
	th, err := ParseThreshold(s)
	if err != nil {
		t.Fatal(err)
	}
	return th
}
