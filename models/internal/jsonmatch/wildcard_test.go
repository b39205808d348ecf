package jsonmatch

import "testing"

func TestWildcardMatch(t *testing.T) {
	for _, tc := range []struct {
		name, pattern, s string
		want             bool
	}{
		{"no star is equality", "abc", "abc", true},
		{"no star rejects longer", "abc", "abcd", false},
		{"empty pattern matches empty", "", "", true},
		{"empty pattern rejects text", "", "a", false},
		{"star alone matches empty", "*", "", true},
		{"star alone matches text", "*", "anything", true},
		{"leading star", "*.png", "cat.png", true},
		{"leading star mismatch", "*.png", "cat.jpg", false},
		{"trailing star", "arn:*", "arn:aws", true},
		{"middle star empty run", "a*b", "ab", true},
		{"several stars in order", "a*b*c", "axxbyyc", true},
		{"several stars out of order", "a*b*c", "acb", false},
		{"prefix and suffix overlap", "ab*ba", "aba", false},
		{"repeated middle part", "*ab*ab*", "xabyab", true},
		{"repeated middle part once", "*ab*ab*", "xaby", false},
		{"greedy choice does not matter", "*a*a", "aaa", true},
		{"escaped star literal", `a\*b`, "a*b", true},
		{"escaped star not a wildcard", `a\*b`, "axb", false},
		{"escaped backslash", `a\\b`, `a\b`, true},
		{"escaped backslash then star", `a\\*`, `a\xyz`, true},
		{"escaped star then star", `\**`, "*x", true},
		{"multibyte text", "é*ü", "éaaü", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, why := parseWildcard(tc.pattern)
			if w == nil {
				t.Fatalf("parseWildcard(%q): %s", tc.pattern, why)
			}
			if got := w.match(tc.s); got != tc.want {
				t.Errorf("%q matching %q = %v, want %v", tc.pattern, tc.s, got, tc.want)
			}
		})
	}
}

func TestWildcardRejects(t *testing.T) {
	for _, p := range []string{"a**b", "**", `a\b`, `a\`, `\`} {
		if w, _ := parseWildcard(p); w != nil {
			t.Errorf("parseWildcard(%q) accepted", p)
		}
	}
}
