package sns

import (
	"encoding/json"
	"slices"
	"testing"
)

// The renderer shows a policy only the attributes it names, so the keys it lists must be
// every top-level key a policy can look up, through "$or" too; a policy it cannot list
// makes the view show every attribute.
func TestPolicyKeysListEveryTopLevelKeyOrGiveUp(t *testing.T) {
	tests := []struct {
		name   string
		policy string
		keys   []string
		ok     bool
	}{
		{"fields", `{"type":["order"],"amount":[{"numeric":[">",50]}]}`, []string{"amount", "type"}, true},
		{"nested object names its top key", `{"order":{"store":[{"prefix":"eu-"}]}}`, []string{"order"}, true},
		{"or alternatives", `{"a":["x"],"$or":[{"b":["y"]},{"c":["z"],"$or":[{"d":[1]}]}]}`, []string{"a", "b", "c", "d"}, true},
		{"or not an array", `{"$or":{"b":["y"]}}`, nil, false},
		{"or alternative not an object", `{"$or":[["b"]]}`, nil, false},
		{"not an object", `["a"]`, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v any
			if err := json.Unmarshal([]byte(tt.policy), &v); err != nil {
				t.Fatal(err)
			}
			keys := map[string]bool{}
			ok := policyKeys(v, keys)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			var got []string
			for k := range keys {
				got = append(got, k)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.keys) {
				t.Errorf("keys = %v, want %v", got, tt.keys)
			}
		})
	}
}
