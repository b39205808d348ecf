package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"msgsim/scenarios"
)

// brokenScenarios are the files under testdata/broken: one per class of error a scenario
// can have, each with the golden text `msgsim validate` prints for it.
var brokenScenarios = []struct {
	name string // the behaviour the golden output shows
	file string
}{
	{"a YAML syntax error is reported at its line", "yaml-syntax"},
	{"an unknown field suggests the closest known one", "unknown-field"},
	{"a value of the wrong type names the type wanted", "wrong-type"},
	{"an out-of-range value names the range", "out-of-range"},
	{"a missing required field is reported at its parent", "missing-required"},
	{"a bad unit lists the units known", "bad-unit"},
	{"a distribution with impossible parameters is refused", "bad-distribution"},
	{"an unknown resource type lists the known types", "unknown-resource-type"},
	{"a dangling reference suggests the closest resource name", "dangling-reference"},
	{"a producer cannot be a step's target", "producer-as-target"},
	{"a lambda cannot be a dead-letter queue", "lambda-as-dlq"},
	{"a standard queue cannot have a FIFO dead-letter queue", "fifo-dlq-mismatch"},
	{"a cycle with no dead-letter queue has no way out", "cycle"},
	{"a threshold that does not parse names its column", "bad-threshold"},
	{"several errors in one file are all reported, in position order", "several-errors"},
}

func TestValidateReportsEachErrorClassWithItsPosition(t *testing.T) {
	for _, tc := range brokenScenarios {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join("testdata", "broken", tc.file+".yaml")
			r := runCLI("validate", path)
			if r.code != exitUsage {
				t.Errorf("exit code %d, want %d", r.code, exitUsage)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
			if !strings.HasPrefix(r.stderr, path+":") {
				t.Errorf("stderr does not start with the file's position:\n%s", r.stderr)
			}
			checkGolden(t, filepath.Join("validate", tc.file+".golden"), r.stderr)
		})
	}
}

func TestEveryBrokenScenarioHasACase(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "broken", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, tc := range brokenScenarios {
		covered[tc.file] = true
	}
	for _, f := range files {
		if name := strings.TrimSuffix(filepath.Base(f), ".yaml"); !covered[name] {
			t.Errorf("%s has no case in brokenScenarios", f)
		}
	}
	if len(files) != len(brokenScenarios) {
		t.Errorf("%d files under testdata/broken, %d cases", len(files), len(brokenScenarios))
	}
}

func TestValidateAcceptsEveryBuiltin(t *testing.T) {
	for _, b := range scenarios.Builtins() {
		t.Run(b.Name, func(t *testing.T) {
			r := runCLI("validate", b.Name)
			if r.code != exitOK || r.stdout != b.Name+": ok\n" || r.stderr != "" {
				t.Fatalf("exit %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
			}
		})
	}
}

func TestValidateChecksEveryFileBeforeFailing(t *testing.T) {
	good := filepath.Join("testdata", "trace", "small.yaml")
	bad := filepath.Join("testdata", "broken", "unknown-field.yaml")
	r := runCLI("validate", bad, good)
	if r.code != exitUsage {
		t.Errorf("exit code %d, want %d", r.code, exitUsage)
	}
	if r.stdout != good+": ok\n" {
		t.Errorf("stdout %q, want the good file reported ok", r.stdout)
	}
	if !strings.Contains(r.stderr, bad+":9:5:") || !strings.Contains(r.stderr, "msgsim: 1 of 2 scenario(s) have problems") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

func TestValidateReportsAMissingFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.yaml")
	r := runCLI("validate", missing)
	if r.code != exitUsage || !strings.Contains(r.stderr, "no such file") {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Fatal("validate created the file")
	}
}

func TestValidateChecksSetOverrides(t *testing.T) {
	r := runCLI("validate", "poison-message-dlq", "--set", "resources.processor.trigger.batch_size=0")
	want := "--set:1:40: resources.processor.trigger.batch_size: 0 is out of range 1..10000\n"
	if r.code != exitUsage || !strings.HasPrefix(r.stderr, want) {
		t.Fatalf("exit %d, stderr:\n%s\nwant it to start with:\n%s", r.code, r.stderr, want)
	}
}
