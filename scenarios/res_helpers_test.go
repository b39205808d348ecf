package scenarios

import (
	"strings"
	"testing"
)

// realErrors loads src as x.yaml with the real resource types and checks it, returning
// every problem rendered one per line ("" if none).
func realErrors(t *testing.T, src string) string {
	t.Helper()
	f, err := Load("x.yaml", []byte(src), Types(), nil)
	if err != nil {
		if _, ok := err.(ErrorList); !ok {
			t.Fatalf("Load returned %T, want ErrorList", err)
		}
		return err.Error()
	}
	_, errs := Check(f)
	return FormatErrors(errs)
}

// mustLoadReal loads src with the real resource types, failing the test on any problem.
func mustLoadReal(t *testing.T, src string) *File {
	t.Helper()
	f, err := Load("x.yaml", []byte(src), Types(), nil)
	if err != nil {
		t.Fatalf("load:\n%v", err)
	}
	if _, errs := Check(f); len(errs) > 0 {
		t.Fatalf("check:\n%v", errs)
	}
	return f
}

// runReal builds replication 0 of src, runs it and checks message conservation.
func runReal(t *testing.T, src string) *Model {
	t.Helper()
	m, err := Build(mustLoadReal(t, src), 0)
	if err != nil {
		t.Fatalf("build:\n%v", err)
	}
	if err := m.World.Run(); err != nil {
		t.Fatal(err)
	}
	if err := m.World.CheckConservation(); err != nil {
		t.Fatal(err)
	}
	return m
}

// counter returns the post-warm-up total of a counter metric, failing if it is missing.
func counter(t *testing.T, m *Model, component, name string) float64 {
	t.Helper()
	x := m.World.Metrics.Find(component, name)
	if x == nil || x.Counter == nil {
		t.Fatalf("no counter %s.%s", component, name)
	}
	return float64(x.Total())
}

// wantErrorLines checks that every line of want occurs in got (positions included).
func wantErrorLines(t *testing.T, got, want string) {
	t.Helper()
	for _, line := range strings.Split(want, "\n") {
		if !strings.Contains(got, line) {
			t.Errorf("errors lack\n  %s\ngot:\n%s", line, got)
		}
	}
}

func TestRealTypesHaveValidTags(t *testing.T) {
	if err := CheckTags(Types()); err != nil {
		t.Fatal(err)
	}
}

func TestRealTypesAppearInTheJSONSchema(t *testing.T) {
	out, err := JSONSchema(Types())
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range Kinds(Types()).names() {
		if !strings.Contains(string(out), `"const": "`+kind+`"`) {
			t.Errorf("resource type %q is not a branch of the schema", kind)
		}
	}
}

// FuzzLoadAndCheckRealTypes feeds the built-in scenarios, mutated, through decoding and
// checking with the real resource types: no input may panic them, and every problem is
// an ErrorList.
func FuzzLoadAndCheckRealTypes(f *testing.F) {
	// Small seeds: the mutator stalls on inputs of several kilobytes (observed with the
	// built-in files as seeds: 0 execs/s).
	f.Add([]byte("producers: {p: {target: t, arrival: {process: poisson, rate: 1/s}, attributes: {type: {a: 1}}}}\nresources:\n  t: {type: sns, subscriptions: [{protocol: sqs, endpoint: q, filter_policy: {type: [a]}, dlq: d}, {protocol: email, endpoint: e}]}\n  q: {type: sqs}\n  d: {type: sqs}\n  e: {type: endpoint, protocol: email, outages: [{from: 1s, to: 2s}]}\n"))
	f.Add([]byte("resources:\n  api: {type: apigateway, flavor: rest, target: fn, cache: {keys: 10}, throttle: {rate: 5/s}}\n  fn: {type: lambda, steps: [{call: s}, {call: t}]}\n  s: {type: service, preset: http-api, rate_limit: 10/s}\n  t: {type: dynamodb, billing_mode: PROVISIONED, read_capacity_units: 1, write_capacity_units: 1}\n"))
	f.Add([]byte("resources: {t: {type: sns, subscriptions: [{protocol: sqs, endpoint: t, filter_policy: {a: [{numeric: ['>', .nan]}]}}]}}"))
	f.Add([]byte("resources: {b: {type: eventbridge, rules: {r: {event_pattern: {$or: [{a: [1]}, {b: [2]}]}, targets: [{arn: b, input: [1, {x: null}]}]}}}}"))
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := Load("fuzz.yaml", src, Types(), nil)
		if err != nil {
			if _, ok := err.(ErrorList); !ok {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		Check(file)
	})
}
