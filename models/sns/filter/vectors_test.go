package filter

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// vectorFile is the shared file of policies and messages with answers recorded from AWS
// (/work/shared/testdata/README.md).
const vectorFile = "sns-filter-policies.jsonl"

// vector is one line of vectorFile.
type vector struct {
	Name              string                     `json:"name"`
	FilterPolicy      json.RawMessage            `json:"filter_policy"`
	Scope             string                     `json:"scope"`
	MessageAttributes map[string]json.RawMessage `json:"message_attributes"`
	MessageBody       json.RawMessage            `json:"message_body"`
	Match             bool                       `json:"match"`
	Invalid           bool                       `json:"invalid"`
	Error             string                     `json:"error"`
	Source            string                     `json:"source"`
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

// jsonText returns the text a vector field holds: the field itself, or, when it is a JSON
// string, the string's contents (a policy or body recorded as text).
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

// vectorAttribute reads an attribute written either as SNS's envelope shows it
// ({"Type","Value"}) or as the Publish API takes it ({"DataType","StringValue"|"BinaryValue"}).
// A value that is not a JSON string (a String.Array written as an array) is kept as text.
func vectorAttribute(raw json.RawMessage) (Attribute, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return Attribute{}, fmt.Errorf("attribute %s: %w", raw, err)
	}
	var a Attribute
	for _, k := range []string{"Type", "DataType"} {
		if t, ok := m[k]; ok {
			if err := json.Unmarshal(t, &a.Type); err != nil {
				return Attribute{}, fmt.Errorf("attribute type %s: %w", t, err)
			}
		}
	}
	for _, k := range []string{"Value", "StringValue", "BinaryValue"} {
		if v, ok := m[k]; ok {
			a.Value = string(jsonText(v))
		}
	}
	if a.Type == "" {
		return Attribute{}, fmt.Errorf("attribute %s has no Type or DataType", raw)
	}
	return a, nil
}

func TestVectors(t *testing.T) {
	path := filepath.Join(sharedTestdata(t), vectorFile)
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		t.Skipf("SKIPPED: AWS test vectors %s are not present yet; filter tested only against the reference examples", path)
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
			where := fmt.Sprintf("%s:%d (%s)", path, line, v.Source)
			scope := MessageAttributes
			switch v.Scope {
			case "", "MessageAttributes":
			case "MessageBody":
				scope = MessageBody
			default:
				t.Fatalf("%s: unknown scope %q", where, v.Scope)
			}
			p, err := Compile(jsonText(v.FilterPolicy), scope)
			if v.Invalid {
				if err == nil {
					t.Errorf("%s: policy %s compiled, AWS rejects it: %s", where, v.FilterPolicy, v.Error)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: policy %s rejected, AWS accepts it: %v", where, v.FilterPolicy, err)
			}
			var got bool
			if scope == MessageBody {
				got, err = p.MatchBody(jsonText(v.MessageBody))
				if err != nil {
					got = false // SNS filters out bodies that are not JSON
				}
			} else {
				attrs := make(map[string]Attribute, len(v.MessageAttributes))
				for k, raw := range v.MessageAttributes {
					a, err := vectorAttribute(raw)
					if err != nil {
						t.Fatalf("%s: %v", where, err)
					}
					attrs[k] = a
				}
				got = p.MatchAttributes(attrs)
			}
			if got != v.Match {
				t.Errorf("%s: policy %s: got %v, AWS %v", where, v.FilterPolicy, got, v.Match)
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

// sampleVectors exercise the runner itself on the documented schema (both attribute
// notations, body as value and as text, an invalid policy) while the real file is absent.
const sampleVectors = `{"name":"attr envelope form","filter_policy":{"a":["x"]},"scope":"MessageAttributes","message_attributes":{"a":{"Type":"String","Value":"x"}},"match":true,"invalid":false,"error":"","source":"sample"}
{"name":"attr API form","filter_policy":"{\"n\":[{\"numeric\":[\">\",1]}]}","message_attributes":{"n":{"DataType":"Number","StringValue":"0.5"}},"match":false,"invalid":false,"error":"","source":"sample"}
{"name":"string array as array","filter_policy":{"s":["b"]},"message_attributes":{"s":{"Type":"String.Array","Value":["a","b"]}},"match":true,"invalid":false,"error":"","source":"sample"}
{"name":"body","filter_policy":{"o":{"k":[1]}},"scope":"MessageBody","message_body":{"o":{"k":1}},"match":true,"invalid":false,"error":"","source":"sample"}
{"name":"body as text","filter_policy":{"o":{"k":[1]}},"scope":"MessageBody","message_body":"not json","match":false,"invalid":false,"error":"","source":"sample"}
{"name":"too many keys","filter_policy":{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]},"match":false,"invalid":true,"error":"Filter policy can not have more than 5 keys","source":"sample"}
`
