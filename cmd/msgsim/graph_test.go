package main

import (
	"strings"
	"testing"
)

func TestGraphPrintsTheArchitectureAsDiagramSource(t *testing.T) {
	tests := []struct {
		name, format, golden string
	}{
		{"dot for Graphviz", "dot", "graph/poison-message-dlq.dot.golden"},
		{"mermaid for Markdown", "mermaid", "graph/poison-message-dlq.mmd.golden"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI("graph", "poison-message-dlq", "--format", tc.format)
			if r.code != exitOK || r.stderr != "" {
				t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
			}
			checkGolden(t, tc.golden, r.stdout)
		})
	}
}

func TestGraphRefusesAnUnknownFormat(t *testing.T) {
	r := runCLI("graph", "poison-message-dlq", "--format", "svg")
	if r.code != exitUsage || !strings.Contains(r.stderr, `--format "svg": want dot or mermaid`) {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
}
