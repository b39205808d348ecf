package jsonmatch

import "testing"

func TestFold(t *testing.T) {
	for _, tc := range []struct {
		name   string
		got    bool
		expect bool
	}{
		{"prefix ASCII", hasPrefixFold("Hello", "hE"), true},
		{"prefix longer than string", hasPrefixFold("He", "hello"), false},
		{"prefix Unicode", hasPrefixFold("Ärger", "äR"), true},
		{"prefix Kelvin sign folds to k", hasPrefixFold("\u212Aelvin", "ke"), true},
		{"suffix ASCII", hasSuffixFold("photo.PNG", ".png"), true},
		{"suffix mismatch", hasSuffixFold("photo.PNG", ".jpg"), false},
		{"suffix Unicode", hasSuffixFold("straßE", "SSE"), false},
		{"empty prefix", hasPrefixFold("x", ""), true},
	} {
		if tc.got != tc.expect {
			t.Errorf("%s: got %v, want %v", tc.name, tc.got, tc.expect)
		}
	}
}
