package main

import (
	"bytes"
	"strings"
	"testing"

	"msgsim/results"
	"msgsim/scenarios"
)

// The built-in scenarios are the specification of the language in use (issue 4): each
// must validate, run with every message accounted for, and pass its own thresholds.

// builtinCases are every built-in and each of its variants ("" is the base).
func builtinCases(t *testing.T) []struct{ name, variant string } {
	t.Helper()
	var out []struct{ name, variant string }
	for _, b := range scenarios.Builtins() {
		out = append(out, struct{ name, variant string }{b.Name, ""})
		l, err := loadScenario(b.Name, "", nil)
		if err != nil {
			t.Fatalf("%s does not load:\n%v", b.Name, err)
		}
		for _, v := range l.file.Variants.Keys() {
			out = append(out, struct{ name, variant string }{b.Name, v})
		}
	}
	return out
}

// teaching lists the teaching scenarios of issue 4; each shows one trade-off.
var teaching = []string{
	"ecommerce-order-flow", "mobile-backend", "user-registration-fanout", "messaging-choice",
	"fifo-vs-standard", "poison-message-dlq", "spike-sync-vs-queued", "visibility-timeout-too-short",
	"cold-starts-provisioned",
}

func TestTeachingBuiltinsHaveDescriptionLearnAndThresholds(t *testing.T) {
	for _, name := range teaching {
		b, ok := scenarios.Builtin(name)
		if !ok {
			t.Errorf("no built-in %q", name)
			continue
		}
		l, err := loadScenario(b.Name, "", nil)
		if err != nil {
			t.Fatalf("%s:\n%v", b.Name, err)
		}
		f := l.file
		if f.Name != b.Name {
			t.Errorf("%s: name is %q, want the file name", b.Name, f.Name)
		}
		if f.Description == "" || strings.TrimSpace(f.Learn) == "" || len(f.Thresholds) == 0 {
			t.Errorf("%s: needs a description, a learn block and thresholds", b.Name)
		}
	}
}

func TestBuiltinsRunShortWithMessageConservation(t *testing.T) {
	for _, c := range builtinCases(t) {
		t.Run(c.name+"/"+c.variant, func(t *testing.T) {
			t.Parallel()
			l, err := loadScenario(c.name, c.variant, []string{"duration=20s", "warmup=0s", "replications=2"})
			if err != nil {
				t.Fatal(err)
			}
			runs, err := runReplications(l, 0, 2, 1)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range runs {
				if !r.Conservation.OK {
					t.Errorf("replication %d: conservation fails: %+v", i, r.Conservation)
				}
				if r.Conservation.Produced == 0 {
					t.Errorf("replication %d: nothing produced", i)
				}
			}
		})
	}
}

// TestBuiltinsPassTheirThresholds runs every built-in base scenario as shipped (its own
// duration, seed and replications). It takes a few seconds, so -short skips it.
func TestBuiltinsPassTheirThresholds(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every built-in at its full duration")
	}
	for _, b := range scenarios.Builtins() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			l, err := loadScenario(b.Name, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			runs, err := runReplications(l, 0, l.file.Replications, 1)
			if err != nil {
				t.Fatal(err)
			}
			s := results.Aggregate(runs)
			for _, r := range runs {
				if !r.Conservation.OK {
					t.Errorf("conservation fails: %+v", r.Conservation)
				}
			}
			if results.Failed(s.Thresholds) {
				var buf bytes.Buffer
				if err := results.WriteText(&buf, s, results.TextOptions{}); err != nil {
					t.Fatal(err)
				}
				t.Errorf("thresholds failed:\n%s", buf.String())
			}
		})
	}
}

func TestSetOverridesLandInTheResolvedScenario(t *testing.T) {
	l, err := loadScenario("poison-message-dlq", "", []string{"duration=40s", "warmup=0s",
		"resources.order-queue.visibility_timeout=7s", "producers.orders.arrival.rate=20/s"})
	if err != nil {
		t.Fatal(err)
	}
	// l.resolved is what `run` writes as the run directory's scenario.yaml.
	f, err := scenarios.Load("scenario.yaml", l.resolved, scenarios.Types(), nil)
	if err != nil {
		t.Fatalf("the resolved scenario does not load:\n%v\n%s", err, l.resolved)
	}
	if f.Duration.String() != "40s" || f.Warmup != 0 {
		t.Errorf("duration %s, warmup %s; want 40s and 0s", f.Duration, f.Warmup)
	}
	q, _ := f.Resources.Get("order-queue")
	if vt := q.Settings.(*scenarios.SQSSettings).VisibilityTimeout.String(); vt != "7s" {
		t.Errorf("visibility_timeout %s, want 7s", vt)
	}
	p, _ := f.Producers.Get("orders")
	if r := p.Arrival.Spec.(*scenarios.PoissonArrival).Rate.PerSecond(); r != 20 {
		t.Errorf("arrival rate %v/s, want 20/s", r)
	}
	// Untouched settings keep the built-in's values.
	if f.Seed != 7 {
		t.Errorf("seed %d, want the built-in's 7", f.Seed)
	}
}
