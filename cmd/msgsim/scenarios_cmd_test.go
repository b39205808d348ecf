package main

import (
	"strings"
	"testing"

	"msgsim/scenarios"
)

func TestScenariosListsEveryBuiltinWithItsDescription(t *testing.T) {
	r := runCLI("scenarios")
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	list := scenarios.Builtins()
	if len(lines) != len(list) {
		t.Fatalf("%d lines for %d built-ins:\n%s", len(lines), len(list), r.stdout)
	}
	column := -1
	for i, b := range list {
		name, desc, ok := strings.Cut(lines[i], " ")
		if !ok || name != b.Name || strings.TrimSpace(desc) != b.Description || b.Description == "" {
			t.Errorf("line %d %q, want %s and its description %q", i, lines[i], b.Name, b.Description)
			continue
		}
		at := strings.Index(lines[i], b.Description)
		if column >= 0 && at != column {
			t.Errorf("line %d: description at column %d, others at %d", i, at, column)
		}
		column = at
	}
}
