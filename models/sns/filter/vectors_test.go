package filter

import (
	"encoding/json"
	"fmt"
	"msgsim/models/internal/testvectors"
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
			a.Value = string(testvectors.JSONText(v))
		}
	}
	if a.Type == "" {
		return Attribute{}, fmt.Errorf("attribute %s has no Type or DataType", raw)
	}
	return a, nil
}

func TestVectors(t *testing.T) {
	path := testvectors.Path(t, vectorFile)
	testvectors.SkipIfAbsent(t, path, "filter tested only against the reference examples")
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
			where := fmt.Sprintf("%s:%d (%s)", path, line, v.Source)
			scope := MessageAttributes
			switch v.Scope {
			case "", "MessageAttributes":
			case "MessageBody":
				scope = MessageBody
			default:
				t.Fatalf("%s: unknown scope %q", where, v.Scope)
			}
			p, err := Compile(testvectors.JSONText(v.FilterPolicy), scope)
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
				got, err = p.MatchBody(testvectors.JSONText(v.MessageBody))
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
	})
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
