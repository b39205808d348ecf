package main

import (
	"path/filepath"
	"strings"
	"testing"
)

var smallScenario = filepath.Join("testdata", "trace", "small.yaml")

func TestTraceNarratesTheFirstEventsAndStops(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		golden string
	}{
		{"the first 40 events, then the run stops", []string{"--limit", "40"}, "trace/small-40.golden"},
		{"--follow a label shows one poison message's life into the DLQ", []string{"--follow", "orders-6"}, "trace/small-follow-orders-6.golden"},
		{"--follow a trace number is the same message", []string{"--follow", "6"}, "trace/small-follow-orders-6.golden"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(append([]string{"trace", smallScenario}, tc.args...)...)
			if r.code != exitOK || r.stderr != "" {
				t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
			}
			checkGolden(t, tc.golden, r.stdout)
		})
	}
}

func TestTraceIsReproducible(t *testing.T) {
	a := runCLI("trace", smallScenario, "--limit", "200")
	b := runCLI("trace", smallScenario, "--limit", "200")
	if a.stdout != b.stdout {
		t.Fatal("two traces of the same scenario and seed differ")
	}
	if n := strings.Count(a.stdout, "\n"); n != 202 { // header, 200 events, footer
		t.Fatalf("%d lines, want 202:\n%s", n, a.stdout)
	}
}

func TestTraceOfAMessageThatNeverExistsSaysSo(t *testing.T) {
	r := runCLI("trace", smallScenario, "--follow", "orders-100000")
	if r.code != exitOK || !strings.Contains(r.stdout, "no event of message orders-100000 before the end of the run (30.000 s)") {
		t.Fatalf("exit %d, stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
}

func TestTraceRefusesBadInput(t *testing.T) {
	tests := []struct {
		name, want string
		args       []string
	}{
		{"a limit below 1", "--limit must be at least 1", []string{"trace", smallScenario, "--limit", "0"}},
		{"a broken scenario", "unknown field", []string{"trace", filepath.Join("testdata", "broken", "unknown-field.yaml")}},
		{"no scenario", "accepts 1 arg", []string{"trace"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(tc.args...)
			if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
				t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
			}
		})
	}
}
