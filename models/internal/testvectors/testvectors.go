// Package testvectors reads the AWS-recorded test vectors of ../shared/testdata (one JSON
// object per line) for the matcher tests of models/sns/filter and
// models/eventbridge/pattern, so both read them the same way.
package testvectors

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// Path returns the path of a vector file in shared/testdata beside the repository root
// (the directory holding go.mod), found by walking up from the test's directory.
func Path(t *testing.T, name string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "testdata", name)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

// SkipIfAbsent skips the test with a clear message when the vector file is not there yet
// (never a silent pass).
func SkipIfAbsent(t *testing.T, path, fallback string) {
	t.Helper()
	if _, err := os.Stat(path); os.IsNotExist(err) {
		t.Skipf("SKIPPED: AWS test vectors %s are not present yet; %s", path, fallback)
	} else if err != nil {
		t.Fatal(err)
	}
}

// Lines calls fn for every non-blank line of a JSONL file, with its 1-based line number.
func Lines(t *testing.T, path string, fn func(line int, text []byte)) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	for line := 1; sc.Scan(); line++ {
		if text := bytes.TrimSpace(sc.Bytes()); len(text) > 0 {
			fn(line, text)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

// JSONText returns the JSON text a vector field holds: the field itself, or, when it is a
// JSON string, the string's contents (so that malformed JSON can be recorded).
func JSONText(raw json.RawMessage) []byte {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return []byte(s)
		}
	}
	return raw
}
