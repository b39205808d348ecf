package pattern

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// vectorFile is the shared file of patterns and events with answers recorded from AWS
// (/work/shared/testdata/README.md).
const vectorFile = "eventbridge-patterns.jsonl"

// vector is one line of vectorFile.
type vector struct {
	Name    string          `json:"name"`
	Pattern json.RawMessage `json:"pattern"`
	Event   json.RawMessage `json:"event"`
	Match   bool            `json:"match"`
	Invalid bool            `json:"invalid"`
	Error   string          `json:"error"`
	Source  string          `json:"source"`
}

// sharedTestdata finds shared/testdata beside the repository root (the directory holding
// go.mod), walking up from the test's working directory, the package directory.
func sharedTestdata(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "testdata")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

// jsonText returns the JSON text a vector field holds: the field itself, or, when it is
// a JSON string, the string's contents (so that malformed patterns can be recorded).
func jsonText(raw json.RawMessage) []byte {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return []byte(s)
		}
	}
	return raw
}

func TestVectors(t *testing.T) {
	path := filepath.Join(sharedTestdata(t), vectorFile)
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		t.Skipf("SKIPPED: AWS test vectors %s are not present yet; matcher tested only against the reference examples", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	runVectors(t, path)
}

func TestVectorRunnerOnSample(t *testing.T) {
	path := filepath.Join(t.TempDir(), vectorFile)
	if err := os.WriteFile(path, []byte(sampleVectors), 0o644); err != nil {
		t.Fatal(err)
	}
	runVectors(t, path)
}

// runVectors checks every vector of a JSONL file, one subtest per line.
func runVectors(t *testing.T, path string) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	n := 0
	for line := 1; sc.Scan(); line++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		var v vector
		if err := json.Unmarshal(text, &v); err != nil {
			t.Fatalf("%s:%d: %v", path, line, err)
		}
		n++
		t.Run(v.Name, func(t *testing.T) {
			p, err := Compile(jsonText(v.Pattern))
			if v.Invalid {
				if err == nil {
					t.Errorf("%s:%d (%s): pattern %s compiled, AWS rejects it: %s", path, line, v.Source, v.Pattern, v.Error)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s:%d (%s): pattern %s rejected, AWS accepts it: %v", path, line, v.Source, v.Pattern, err)
			}
			got, err := p.Match(jsonText(v.Event))
			if err != nil {
				t.Fatalf("%s:%d: event: %v", path, line, err)
			}
			if got != v.Match {
				t.Errorf("%s:%d (%s): pattern %s on event %s: got %v, AWS %v", path, line, v.Source, v.Pattern, v.Event, got, v.Match)
			}
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatalf("%s holds no vectors", path)
	}
}

// sampleVectors exercise the runner itself on the documented schema, with patterns and
// events given both as JSON values and as JSON text, while the real file is absent.
const sampleVectors = `{"name":"exact","pattern":{"source":["aws.ec2"]},"event":{"source":"aws.ec2"},"match":true,"invalid":false,"error":"","source":"sample"}
{"name":"as text","pattern":"{\"source\":[\"aws.s3\"]}","event":"{\"source\":\"aws.ec2\"}","match":false,"invalid":false,"error":"","source":"sample"}

{"name":"bare leaf","pattern":{"source":"aws.ec2"},"event":{},"match":false,"invalid":true,"error":"Event pattern is not valid.","source":"sample"}
`
