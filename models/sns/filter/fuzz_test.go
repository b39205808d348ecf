package filter

import (
	"encoding/json"
	"testing"
)

// fuzzAttrs are attribute sets every compiled policy is tested against in FuzzCompile.
var fuzzAttrs = []map[string]Attribute{
	nil,
	{"a": str("x"), "n": num("5"), "s": arr(`["x",1,null,true,{"o":1},[["y"]]]`)},
	{"a": num("not a number"), "b": arr("not json"), "c": {Type: "Binary", Value: "AA=="}},
}

// fuzzBodies are bodies every compiled policy is tested against in FuzzCompile.
var fuzzBodies = []string{
	`{}`, `[]`, `null`, `"x"`, `{"a":[1,"x",null,true,{"b":[]},[[{"c":"d"}]]],"n":-1e300,"s":"10.0.0.1"}`,
}

func seedPolicies(f *testing.F) {
	for _, tc := range attrCases {
		f.Add([]byte(tc.policy), false)
	}
	for _, tc := range bodyCases {
		f.Add([]byte(tc.policy), true)
	}
	for _, tc := range invalidCases {
		f.Add([]byte(tc.policy), tc.scope == MessageBody)
	}
}

func scopeOf(body bool) Scope {
	if body {
		return MessageBody
	}
	return MessageAttributes
}

// FuzzCompile checks that any input either fails to compile or yields a policy whose
// matching never panics.
func FuzzCompile(f *testing.F) {
	seedPolicies(f)
	f.Fuzz(func(t *testing.T, src []byte, body bool) {
		p, err := Compile(src, scopeOf(body))
		if err != nil {
			if p != nil {
				t.Fatal("Compile returned both a policy and an error")
			}
			return
		}
		for _, attrs := range fuzzAttrs {
			p.MatchAttributes(attrs)
		}
		for _, b := range fuzzBodies {
			got, err := p.MatchBody([]byte(b))
			if err != nil {
				t.Fatalf("MatchBody(%s): %v", b, err)
			}
			var v any
			_ = json.Unmarshal([]byte(b), &v)
			if p.MatchBodyValue(v) != got {
				t.Fatalf("MatchBody and MatchBodyValue disagree on %s", b)
			}
		}
	})
}

// FuzzMatch tests arbitrary bodies and attribute values against arbitrary policies: no
// input may panic.
func FuzzMatch(f *testing.F) {
	for _, tc := range bodyCases {
		f.Add([]byte(tc.policy), []byte(tc.body), "String.Array")
	}
	for _, tc := range attrCases {
		for _, a := range tc.attrs {
			f.Add([]byte(tc.policy), []byte(a.Value), a.Type)
		}
	}
	f.Fuzz(func(t *testing.T, policy, message []byte, typ string) {
		for _, scope := range []Scope{MessageAttributes, MessageBody} {
			p, err := Compile(policy, scope)
			if err != nil {
				continue
			}
			_, _ = p.MatchBody(message)
			attrs := map[string]Attribute{}
			for _, b := range p.p.Branches {
				for _, fl := range b.Fields {
					attrs[fl.Key] = Attribute{Type: typ, Value: string(message)}
				}
			}
			p.MatchAttributes(attrs)
		}
	})
}
