package scenarios

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

func TestJSONSchemaIsValidStableAndComplete(t *testing.T) {
	out, err := JSONSchema(testTypes())
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("schema is not valid JSON: %v", err)
	}
	if doc["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v", doc["$schema"])
	}

	// Every registered resource type is a branch of the resource oneOf.
	defs := doc["$defs"].(map[string]any)
	res := defs["resource"].(map[string]any)
	var types []string
	for _, b := range res["oneOf"].([]any) {
		props := b.(map[string]any)["properties"].(map[string]any)
		types = append(types, props["type"].(map[string]any)["const"].(string))
	}
	if strings.Join(types, ",") != "function,queue" {
		t.Errorf("resource branches = %v, want function,queue", types)
	}

	// Every $ref points at a definition.
	for _, ref := range findRefs(doc) {
		name := strings.TrimPrefix(ref, "#/$defs/")
		if _, ok := defs[name]; !ok {
			t.Errorf("dangling $ref %s", ref)
		}
	}

	// Generating twice gives the same bytes, and they match the golden file.
	again, _ := JSONSchema(testTypes())
	if !bytes.Equal(out, again) {
		t.Error("two generations differ")
	}
	const golden = "testdata/schema.golden.json"
	if *update {
		if err := os.WriteFile(golden, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run JSONSchema -update to create it)", err)
	}
	if !bytes.Equal(out, want) {
		t.Errorf("schema differs from %s; if the change is intended, run go test ./scenarios -run JSONSchema -update", golden)
	}
}

func TestJSONSchemaCarriesTags(t *testing.T) {
	out, _ := JSONSchema(testTypes())
	var doc map[string]any
	_ = json.Unmarshal(out, &doc)
	props := doc["properties"].(map[string]any)
	rep := props["replications"].(map[string]any)
	if rep["minimum"] != 1.0 || rep["maximum"] != 10000.0 || rep["default"] != 1.0 || rep["type"] != "integer" {
		t.Errorf("replications = %v", rep)
	}
	dur := props["duration"].(map[string]any)
	if dur["$ref"] != "#/$defs/duration" || dur["default"] != "10m" || !strings.Contains(dur["description"].(string), "Minimum: 1ns.") {
		t.Errorf("duration = %v", dur)
	}
}

func findRefs(v any) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			if s, ok := c.(string); ok && k == "$ref" {
				out = append(out, s)
			}
			out = append(out, findRefs(c)...)
		}
	case []any:
		for _, c := range x {
			out = append(out, findRefs(c)...)
		}
	}
	return out
}
