package pattern

import (
	"encoding/json"
	"msgsim/models/internal/testvectors"
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

func TestVectors(t *testing.T) {
	path := testvectors.Path(t, vectorFile)
	testvectors.SkipIfAbsent(t, path, "matcher tested only against the reference examples")
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
	n := 0
	testvectors.Lines(t, path, func(line int, text []byte) {
		var v vector
		if err := json.Unmarshal(text, &v); err != nil {
			t.Fatalf("%s:%d: %v", path, line, err)
		}
		n++
		t.Run(v.Name, func(t *testing.T) {
			p, err := Compile(testvectors.JSONText(v.Pattern))
			if v.Invalid {
				if err == nil {
					t.Errorf("%s:%d (%s): pattern %s compiled, AWS rejects it: %s", path, line, v.Source, v.Pattern, v.Error)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s:%d (%s): pattern %s rejected, AWS accepts it: %v", path, line, v.Source, v.Pattern, err)
			}
			got, err := p.Match(testvectors.JSONText(v.Event))
			if err != nil {
				t.Fatalf("%s:%d: event: %v", path, line, err)
			}
			if got != v.Match {
				t.Errorf("%s:%d (%s): pattern %s on event %s: got %v, AWS %v", path, line, v.Source, v.Pattern, v.Event, got, v.Match)
			}
		})
	})
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
