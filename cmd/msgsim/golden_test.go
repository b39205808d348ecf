package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// update rewrites the golden files under testdata/ with the output the tests produce:
// go test ./cmd/msgsim -update. Review the diff before committing it.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// cliResult is what one invocation of the command line printed and returned.
type cliResult struct {
	stdout, stderr string
	code           int
}

// runCLI runs msgsim with args, as main does, with buffers for stdout and stderr.
func runCLI(args ...string) cliResult {
	var out, errOut bytes.Buffer
	code := execute(args, &out, &errOut)
	return cliResult{stdout: out.String(), stderr: errOut.String(), code: code}
}

// checkGolden compares got with the golden file testdata/<name>, or rewrites the file
// with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/msgsim -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test ./cmd/msgsim -update rewrites it)\n--- got:\n%s\n--- want:\n%s", path, got, want)
	}
}
