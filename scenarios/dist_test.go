package scenarios

import (
	"math"
	"reflect"
	"testing"

	"msgsim/sim"
)

func decodeDurationDist(text string) (DurationDist, string) {
	var v DurationDist
	d := NewDecoder("u.yaml", nil)
	d.Decode(parseYAMLText(text), "latency", &v)
	return v, FormatErrors(d.Errors())
}

func TestDurationDistForms(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want sim.DistSpec
	}{
		{"a bare duration is a constant", "20ms",
			sim.DistSpec{Kind: "constant", Params: map[string]float64{"value": 0.02}}},
		{"exponential by mean", "{dist: exponential, mean: 5ms}",
			sim.DistSpec{Kind: "exponential", Params: map[string]float64{"mean": 0.005}}},
		{"exponential by rate", "{dist: exponential, rate: 200/s}",
			sim.DistSpec{Kind: "exponential", Params: map[string]float64{"rate": 200}}},
		{"lognormal by mean and stddev", "{dist: lognormal, mean: 40ms, stddev: 20ms}",
			sim.DistSpec{Kind: "lognormal", Params: map[string]float64{"mean": 0.04, "stddev": 0.02}}},
		{"lognormal by percentiles", "{dist: lognormal, p50: 4ms, p99: 20ms}",
			sim.DistSpec{Kind: "lognormal", Params: map[string]float64{"p50": 0.004, "p99": 0.02}}},
		{"gamma shape is a plain number", "{dist: gamma, shape: 2, scale: 10ms}",
			sim.DistSpec{Kind: "gamma", Params: map[string]float64{"shape": 2, "scale": 0.01}}},
		{"pareto alpha is a plain number", "{dist: pareto, alpha: 2.5, xm: 1ms}",
			sim.DistSpec{Kind: "pareto", Params: map[string]float64{"alpha": 2.5, "xm": 0.001}}},
		{"empirical table in document order, min/max/pNN keys", "{dist: empirical, percentiles: {min: 1ms, p50: 10ms, 90: 30ms, max: 200ms}}",
			sim.DistSpec{Kind: "empirical", Params: map[string]float64{},
				Percentiles: []sim.PercentilePoint{{P: 0, Value: 0.001}, {P: 50, Value: 0.01}, {P: 90, Value: 0.03}, {P: 100, Value: 0.2}}}},
		{"mixture with inline and nested components", "{dist: mixture, of: [{weight: 0.99, dist: exponential, mean: 5ms}, {weight: 1%, dist: 2s}]}",
			sim.DistSpec{Kind: "mixture", Params: map[string]float64{}, Components: []sim.MixtureComponent{
				{Weight: 0.99, Dist: sim.DistSpec{Kind: "exponential", Params: map[string]float64{"mean": 0.005}}},
				{Weight: 0.01, Dist: sim.DistSpec{Kind: "constant", Params: map[string]float64{"value": 2}}},
			}}},
		{"mixture component nested as a mapping", "{dist: mixture, of: [{weight: 1, dist: {dist: uniform, min: 1ms, max: 3ms}}]}",
			sim.DistSpec{Kind: "mixture", Params: map[string]float64{}, Components: []sim.MixtureComponent{
				{Weight: 1, Dist: sim.DistSpec{Kind: "uniform", Params: map[string]float64{"min": 0.001, "max": 0.003}}},
			}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := decodeDurationDist(tt.in)
			if errs != "" {
				t.Fatalf("unexpected errors: %s", errs)
			}
			if !reflect.DeepEqual(got.Spec, tt.want) {
				t.Errorf("spec\n got %+v\nwant %+v", got.Spec, tt.want)
			}
			if got.Dist == nil || math.IsNaN(got.Dist.Mean()) {
				t.Errorf("no usable Dist: %v", got.Dist)
			}
		})
	}
}

func TestDistErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"negative duration parameter", "{dist: exponential, mean: -5ms}",
			`u.yaml:1:27: latency.mean: want a duration like 30s, got "-5ms": must not be negative`},
		{"parameter set rejected by sim", "{dist: lognormal, mean: 40ms, p99: 20ms}",
			"u.yaml:1:1: latency: " + simError(sim.DistSpec{Kind: "lognormal", Params: map[string]float64{"mean": 0.04, "p99": 0.02}})},
		{"missing kind", "{mean: 5ms}",
			`u.yaml:1:1: latency.dist: required field is missing (one of constant, exponential, uniform, normal, lognormal, gamma, weibull, pareto, empirical, mixture)`},
		{"a list is neither a value nor a distribution", "[1ms, 2ms]",
			`u.yaml:1:1: latency: want a duration or a distribution like {dist: exponential, mean: 5ms}, got list`},
		{"empirical key that is not a percentile", "{dist: empirical, percentiles: {0: 1ms, median: 5ms, 100: 9ms}}",
			`u.yaml:1:41: latency.percentiles.median: want a percentile from 0 to 100 (or min, max, p99), got "median"`},
		{"empirical table without P=100 is rejected by sim", "{dist: empirical, percentiles: {0: 1ms, 50: 5ms}}",
			"u.yaml:1:1: latency: " + simError(sim.DistSpec{Kind: "empirical", Params: map[string]float64{},
				Percentiles: []sim.PercentilePoint{{P: 0, Value: 0.001}, {P: 50, Value: 0.005}}})},
		{"mixture weight must be positive", "{dist: mixture, of: [{weight: 0, dist: 1ms}]}",
			`u.yaml:1:31: latency.of.0.weight: weight must be > 0, got 0`},
		{"error inside a mixture component keeps its own path and position", "{dist: mixture, of: [{weight: 1, dist: exponential, mean: 5ms, sttdev: 1ms}]}",
			`u.yaml:1:64: latency.of.0.sttdev: unknown field "sttdev" for exponential (want mean, rate)`},
		{"mixture component missing its weight", "{dist: mixture, of: [{dist: 1ms}]}",
			`u.yaml:1:22: latency.of.0.weight: required field is missing`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := decodeDurationDist(tt.in)
			if errs != tt.want {
				t.Errorf("errors:\n got %s\nwant %s", errs, tt.want)
			}
		})
	}
}

func TestNumberDistTakesPlainNumbers(t *testing.T) {
	var v NumberDist
	d := NewDecoder("u.yaml", nil)
	d.Decode(parseYAMLText("{dist: lognormal, mean: 80, stddev: 40}"), "amount", &v)
	if errs := d.Errors(); len(errs) > 0 {
		t.Fatal(errs)
	}
	want := sim.DistSpec{Kind: "lognormal", Params: map[string]float64{"mean": 80, "stddev": 40}}
	if !reflect.DeepEqual(v.Spec, want) {
		t.Errorf("got %+v, want %+v", v.Spec, want)
	}
	d = NewDecoder("u.yaml", nil)
	d.Decode(parseYAMLText("{dist: exponential, mean: 5ms}"), "amount", &v)
	if got, want := FormatErrors(d.Errors()), `u.yaml:1:27: amount.mean: want a number, got "5ms"`; got != want {
		t.Errorf("errors:\n got %s\nwant %s", got, want)
	}
}

// simError is sim's complaint about spec: the loader reports it verbatim at the
// distribution's position.
func simError(spec sim.DistSpec) string {
	_, err := sim.NewDist(spec)
	if err == nil {
		return "<no error>"
	}
	return err.Error()
}
