package scenarios

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// The JSON Schema (draft 2020-12) of the scenario language is generated from the same Go
// types and tags the decoder uses, so editors can complete and check scenario files and
// the schema never drifts from the loader: `doc` becomes description, `default`, `enum`
// and `range` (minimum/maximum for plain numbers; stated in the description for unit
// types, whose bounds are strings), units become regular-expression patterns, and
// resources are a oneOf discriminated by `type`. The output is deterministic
// (encoding/json sorts object keys).
//
// The decoder remains the authority: the schema is slightly looser in places (the forms
// of a distribution) and cannot express cross-field checks.

// SchemaProvider is implemented by types whose YAML form is their own (the NodeDecoders):
// JSONSchema returns the schema of that form, using g for nested types and shared
// definitions. It is called on a pointer to the zero value.
type SchemaProvider interface {
	JSONSchema(g *SchemaGen) map[string]any
}

// SchemaGen builds a schema, collecting shared definitions under $defs.
type SchemaGen struct {
	// Types are the resource types, each a branch of the resource oneOf.
	Types ResourceTypes
	defs  map[string]any
}

// JSONSchema returns the indented JSON Schema of scenario files using types.
func JSONSchema(types ResourceTypes) ([]byte, error) {
	g := &SchemaGen{Types: types, defs: map[string]any{}}
	root := g.Of(reflect.TypeFor[File]())
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["$id"] = "https://msgsim.dev/schema/scenario.json"
	root["title"] = "msgsim scenario"
	root["$defs"] = g.defs
	out, err := json.MarshalIndent(root, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("scenario schema: %w", err)
	}
	return append(out, '\n'), nil
}

// Def registers a shared definition built by build (once; recursion is allowed) and
// returns a reference to it.
func (g *SchemaGen) Def(name string, build func() map[string]any) map[string]any {
	if _, ok := g.defs[name]; !ok {
		g.defs[name] = map[string]any{} // placeholder, so recursive references terminate
		g.defs[name] = build()
	}
	return map[string]any{"$ref": "#/$defs/" + name}
}

// Of returns the schema of Go type t.
func (g *SchemaGen) Of(t reflect.Type) map[string]any {
	if t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(reflect.TypeFor[SchemaProvider]()) {
		return reflect.New(t).Interface().(SchemaProvider).JSONSchema(g)
	}
	if t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(reflect.TypeFor[NodeDecoder]()) {
		return map[string]any{} // a custom form without a schema: anything
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.Of(t.Elem())
	case reflect.Struct:
		return g.structSchema(t, "", "")
	case reflect.Slice:
		return map[string]any{"type": "array", "items": g.Of(t.Elem())}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return map[string]any{"type": "integer"}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer", "minimum": 0}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	}
	return map[string]any{}
}

// structSchema is the object schema of struct t; if key is not empty, the object also has
// key (a discriminator) fixed to value.
func (g *SchemaGen) structSchema(t reflect.Type, key, value string) map[string]any {
	props := map[string]any{}
	required := []string{}
	if key != "" {
		props[key] = map[string]any{"const": value}
		required = append(required, key)
	}
	for _, f := range structFields(t) {
		props[f.name] = g.field(f)
		if f.required && f.def == "" {
			required = append(required, f.name)
		}
	}
	s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

// field is a field's schema with its tags applied.
func (g *SchemaGen) field(f fieldInfo) map[string]any {
	s := map[string]any{}
	for k, v := range g.Of(f.typ) {
		s[k] = v
	}
	desc := f.doc
	if f.def != "" {
		var v any
		if err := yaml.Unmarshal([]byte(f.def), &v); err == nil {
			s["default"] = v
		}
	}
	if len(f.enum) > 0 {
		s["enum"] = slices.Clone(f.enum)
	}
	if f.rng != "" {
		lo, hi, _ := strings.Cut(f.rng, "..")
		plain := !reflect.PointerTo(f.typ).Implements(reflect.TypeFor[NodeDecoder]())
		if _, isNum := numeric(reflect.New(f.typ).Elem()); plain && isNum {
			var x any
			if lo != "" && yaml.Unmarshal([]byte(lo), &x) == nil {
				s["minimum"] = x
			}
			if hi != "" && yaml.Unmarshal([]byte(hi), &x) == nil {
				s["maximum"] = x
			}
		} else {
			switch {
			case lo == "":
				desc += " Maximum: " + hi + "."
			case hi == "":
				desc += " Minimum: " + lo + "."
			default:
				desc += " Range: " + f.rng + "."
			}
			desc = strings.TrimSpace(desc)
		}
	}
	if desc != "" {
		s["description"] = desc
	}
	return s
}

// unitSchema is a string matching spec's pattern, or also the bare forms in extra.
func unitSchema(spec unitSpec, desc string, extra ...map[string]any) map[string]any {
	str := map[string]any{"type": "string", "pattern": spec.pattern}
	s := map[string]any{"description": desc}
	if len(extra) == 0 {
		for k, v := range str {
			s[k] = v
		}
		return s
	}
	alts := []any{str}
	for _, e := range extra {
		alts = append(alts, e)
	}
	s["anyOf"] = alts
	return s
}

// JSONSchema of Duration.
func (*Duration) JSONSchema(g *SchemaGen) map[string]any {
	return g.Def("duration", func() map[string]any {
		return unitSchema(durationSpec, "A duration: 150ms, 30s, 5m, 1h, 1d, 1h30m, or 0. Units: "+durationSpec.units+".",
			map[string]any{"const": 0})
	})
}

// JSONSchema of Rate.
func (*Rate) JSONSchema(g *SchemaGen) map[string]any {
	return g.Def("rate", func() map[string]any {
		return unitSchema(rateSpec, "Events per unit of time: 200/s, 12000/min, 5/h, 1/d.")
	})
}

// JSONSchema of Size.
func (*Size) JSONSchema(g *SchemaGen) map[string]any {
	return g.Def("size", func() map[string]any {
		return unitSchema(sizeSpec, "A size in bytes: 512B, 2KB, 1.5MB. KB, MB and GB are binary (KB = KiB = 1024 bytes), as in AWS quotas.",
			map[string]any{"const": 0})
	})
}

// JSONSchema of Percent.
func (*Percent) JSONSchema(g *SchemaGen) map[string]any {
	return g.Def("percent", func() map[string]any {
		return unitSchema(percentSpec, "A percentage (0.1%) or a fraction in 0..1 (0.001).",
			map[string]any{"type": "number", "minimum": 0, "maximum": 1})
	})
}

// JSONSchema of Memory.
func (*Memory) JSONSchema(g *SchemaGen) map[string]any {
	return g.Def("memory", func() map[string]any {
		return unitSchema(memorySpec, "Lambda memory: 512MB, 1GB (= 1024MB), or a bare number of MB.",
			map[string]any{"type": "integer", "minimum": 1})
	})
}

// JSONSchema of Ref.
func (*Ref) JSONSchema(*SchemaGen) map[string]any {
	return map[string]any{"type": "string", "minLength": 1}
}

// JSONSchema of Text.
func (*Text) JSONSchema(*SchemaGen) map[string]any { return map[string]any{"type": "string"} }

// JSONSchema of Threshold: a string, or the one-key mapping that an unquoted
// `p99(latency: a -> b) < 2s` parses as.
func (*Threshold) JSONSchema(*SchemaGen) map[string]any {
	return map[string]any{"anyOf": []any{
		map[string]any{"type": "string"},
		map[string]any{"type": "object", "minProperties": 1, "maxProperties": 1,
			"propertyNames": map[string]any{"pattern": `\(`}, "additionalProperties": map[string]any{"type": "string"}},
	}}
}

// JSONSchema of Raw: any value.
func (*Raw) JSONSchema(*SchemaGen) map[string]any { return map[string]any{} }

// JSONSchema of OrderedMap: an object whose values all have V's schema.
func (*OrderedMap[V]) JSONSchema(g *SchemaGen) map[string]any {
	return map[string]any{"type": "object", "additionalProperties": g.Of(reflect.TypeFor[V]())}
}

// unionSchema is the oneOf of kinds' structs, discriminated by key.
func (g *SchemaGen) unionSchema(key string, kinds Kinds) map[string]any {
	names := kinds.names()
	branches := make([]any, 0, len(names))
	for _, name := range names {
		t := reflect.TypeOf(kinds[name]())
		var b map[string]any
		if t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct && !t.Implements(reflect.TypeFor[SchemaProvider]()) {
			b = g.structSchema(t.Elem(), key, name)
		} else {
			b = g.Of(t)
		}
		branches = append(branches, b)
	}
	return map[string]any{
		"type":       "object",
		"required":   []string{key},
		"properties": map[string]any{key: map[string]any{"enum": names}},
		"oneOf":      branches,
	}
}

// JSONSchema of Resource: a oneOf over the registered types.
func (*Resource) JSONSchema(g *SchemaGen) map[string]any {
	return g.Def("resource", func() map[string]any { return g.unionSchema("type", Kinds(g.Types)) })
}

// JSONSchema of Arrival: a oneOf over the arrival processes.
func (*Arrival) JSONSchema(g *SchemaGen) map[string]any {
	return g.Def("arrival", func() map[string]any { return g.unionSchema("process", ArrivalProcesses()) })
}

// JSONSchema of Attribute: categorical weights or a number distribution.
func (*Attribute) JSONSchema(g *SchemaGen) map[string]any {
	return map[string]any{"anyOf": []any{
		map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "number", "minimum": 0},
			"description": "Categorical weights: value -> relative weight."},
		g.Of(reflect.TypeFor[NumberDist]()),
	}}
}

// distSchema is the schema of a distribution whose values have schema value.
func (g *SchemaGen) distSchema(name string, value map[string]any) map[string]any {
	return g.Def(name, func() map[string]any {
		self := map[string]any{"$ref": "#/$defs/" + name}
		params := map[string]any{
			"dist":        map[string]any{"enum": slices.Clone(distKinds)},
			"shape":       map[string]any{"type": "number"},
			"alpha":       map[string]any{"type": "number"},
			"percentiles": map[string]any{"type": "object", "additionalProperties": value, "propertyNames": map[string]any{"pattern": `^(min|max|p?[0-9]+(\.[0-9]+)?)$`}},
		}
		for _, p := range []string{"value", "mean", "stddev", "p50", "p99", "min", "max", "scale", "xm"} {
			params[p] = value
		}
		if name == "duration_dist" {
			params["rate"] = g.Of(reflect.TypeFor[Rate]())
		} else {
			params["rate"] = map[string]any{"type": "number"}
		}
		component := map[string]any{"type": "object", "required": []string{"weight"}, "properties": map[string]any{}}
		cprops := component["properties"].(map[string]any)
		for k, v := range params {
			cprops[k] = v
		}
		cprops["dist"] = map[string]any{"anyOf": []any{map[string]any{"enum": slices.Clone(distKinds)}, self}}
		cprops["weight"] = map[string]any{"anyOf": []any{
			map[string]any{"type": "number", "exclusiveMinimum": 0},
			map[string]any{"type": "string", "pattern": percentSpec.pattern},
		}}
		params["of"] = map[string]any{"type": "array", "items": component}
		return map[string]any{
			"description": "A constant, or {dist: KIND, params...}: constant{value}, exponential{mean|rate}, uniform{min,max}, normal{mean,stddev}, lognormal{mean,stddev|p50,p99}, gamma{shape,scale|mean,stddev}, weibull{shape,scale}, pareto{alpha,xm}, empirical{percentiles}, mixture{of}.",
			"anyOf": []any{
				value,
				map[string]any{"type": "object", "required": []string{"dist"}, "properties": params, "additionalProperties": false},
			},
		}
	})
}

// JSONSchema of DurationDist.
func (*DurationDist) JSONSchema(g *SchemaGen) map[string]any {
	return g.distSchema("duration_dist", g.Of(reflect.TypeFor[Duration]()))
}

// JSONSchema of NumberDist.
func (*NumberDist) JSONSchema(g *SchemaGen) map[string]any {
	return g.distSchema("number_dist", map[string]any{"type": "number"})
}
