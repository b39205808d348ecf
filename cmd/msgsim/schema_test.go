package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestSchemaCommandPrintsTheLanguage checks `msgsim schema` against its golden copy
// (testdata/msgsim.schema.json, the file the README links) and that it describes every
// resource type, with the fields a user reaches for.
func TestSchemaCommandPrintsTheLanguage(t *testing.T) {
	r := runCLI("schema")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	for _, want := range []string{`"const": "sqs"`, `"const": "lambda"`, `"const": "sns"`,
		`"const": "eventbridge"`, `"const": "apigateway"`, `"visibility_timeout"`,
		`"provisioned_concurrency"`, `"filter_policy"`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("schema lacks %s", want)
		}
	}
	checkGolden(t, "msgsim.schema.json", r.stdout)
}
