package pattern

import (
	"encoding/json"
	"testing"
)

// fuzzEvents are events every compiled pattern is matched against in FuzzCompile.
var fuzzEvents = []string{
	ec2Event,
	employeesEvent,
	`{}`, `[]`, `null`, `"x"`, `5`,
	`{"a":[1,"x",null,true,{"b":[]},[[{"c":"d"}]]],"n":-1e300,"s":"10.0.0.1"}`,
}

func seedPatterns(f *testing.F) {
	for _, tc := range matchCases {
		f.Add([]byte(tc.pattern))
	}
	for _, tc := range invalidCases {
		f.Add([]byte(tc.pattern))
	}
}

// FuzzCompile checks that any input either fails to compile or yields a pattern whose
// Match never panics and agrees with MatchValue.
func FuzzCompile(f *testing.F) {
	seedPatterns(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := Compile(src)
		if err != nil {
			if p != nil {
				t.Fatal("Compile returned both a pattern and an error")
			}
			return
		}
		for _, ev := range fuzzEvents {
			got, err := p.Match([]byte(ev))
			if err != nil {
				t.Fatalf("Match(%s): %v", ev, err)
			}
			var v any
			_ = json.Unmarshal([]byte(ev), &v)
			if p.MatchValue(v) != got {
				t.Fatalf("Match and MatchValue disagree on %s", ev)
			}
		}
	})
}

// FuzzMatch matches arbitrary events against arbitrary patterns: no input may panic.
func FuzzMatch(f *testing.F) {
	for _, tc := range matchCases {
		ev := tc.event
		if ev == "" {
			ev = ec2Event
		}
		f.Add([]byte(tc.pattern), []byte(ev))
	}
	f.Fuzz(func(t *testing.T, pattern, event []byte) {
		p, err := Compile(pattern)
		if err != nil {
			return
		}
		_, _ = p.Match(event)
	})
}
