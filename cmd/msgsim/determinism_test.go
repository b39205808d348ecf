package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// runDir runs a scenario into a fresh directory and returns the files it wrote, except
// timing.json (wall-clock figures, the one thing allowed to differ between runs).
func runDir(t *testing.T, args ...string) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	res := runCLI(append([]string{"run", "-o", dir, "--workers", "2"}, args...)...)
	if res.code != 0 {
		t.Fatalf("run %v: exit %d\n%s", args, res.code, res.stderr)
	}
	files := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || e.Name() == "timing.json" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = b
	}
	return files
}

func TestSameSeedGivesByteIdenticalOutputsAndAnotherSeedDoesNot(t *testing.T) {
	args := []string{"poison-message-dlq", "--duration", "2m", "--replications", "2"}
	a := runDir(t, append(args, "--seed", "7")...)
	b := runDir(t, append(args, "--seed", "7")...)
	for _, name := range []string{"summary.json", "summary.txt", "timeseries.csv", "latency.csv", "scenario.yaml", "report.html"} {
		if _, ok := a[name]; !ok {
			t.Fatalf("%s not written", name)
		}
	}
	if len(a) != len(b) {
		t.Fatalf("%d files vs %d", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
	c := runDir(t, append(args, "--seed", "8")...)
	if bytes.Equal(a["summary.json"], c["summary.json"]) {
		t.Error("summary.json is the same with a different seed")
	}
}
