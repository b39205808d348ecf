package main

import (
	"strings"
	"testing"
)

// FuzzParseParam: any --param either fails with an error or gives a path and at least
// one non-empty value, never panics, and never more values than the cap.
func FuzzParseParam(f *testing.F) {
	for _, s := range []string{"a=1,2", "x=50/s..200/s:50/s", "x=0.1..0.5:0.1", "x=1..", "=..:", "x=1e308..1e309:1e300", "x=-5..5:1e-300"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parseParam(s)
		if err != nil {
			return
		}
		if p.path == "" || len(p.values) == 0 || len(p.values) > maxSweepValues {
			t.Fatalf("parseParam(%q) = %q with %d values", s, p.path, len(p.values))
		}
		for _, v := range p.values {
			if strings.TrimSpace(v) == "" {
				t.Fatalf("parseParam(%q): empty value", s)
			}
		}
	})
}

// FuzzParseShard: a parsed shard always has 0 ≤ i < n.
func FuzzParseShard(f *testing.F) {
	for _, s := range []string{"0/1", "3/4", "auto/2", "9/3", "-1/2", "1/0", "x/y"} {
		f.Add(s, "1")
	}
	f.Fuzz(func(t *testing.T, s, env string) {
		sh, err := parseShard(s, func(string) string { return env })
		if err == nil && s != "" && (sh.n < 1 || sh.i < 0 || sh.i >= sh.n) {
			t.Fatalf("parseShard(%q) = %v", s, sh)
		}
	})
}
