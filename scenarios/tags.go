package scenarios

import (
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Struct tags drive decoding and the JSON Schema; see Decoder for the list. This file
// reads them and applies the `enum` and `range` checks.

// fieldInfo is a struct field's YAML key and tags.
type fieldInfo struct {
	name     string
	index    []int
	typ      reflect.Type
	doc      string
	def      string
	rng      string
	enum     []string
	required bool
}

// structFields lists the decodable fields of struct type t in declaration order, with
// the fields of yaml:",inline" embedded structs in place.
func structFields(t reflect.Type) []fieldInfo {
	var out []fieldInfo
	for i := range t.NumField() {
		sf := t.Field(i)
		tag, hasTag := sf.Tag.Lookup("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if !hasTag || name == "-" {
			continue
		}
		if opts == "inline" && sf.Type.Kind() == reflect.Struct {
			for _, f := range structFields(sf.Type) {
				f.index = append([]int{i}, f.index...)
				out = append(out, f)
			}
			continue
		}
		if !sf.IsExported() || name == "" {
			continue
		}
		f := fieldInfo{
			name:     name,
			index:    []int{i},
			typ:      sf.Type,
			doc:      sf.Tag.Get("doc"),
			def:      sf.Tag.Get("default"),
			rng:      sf.Tag.Get("range"),
			required: sf.Tag.Get("required") == "true",
		}
		if e := sf.Tag.Get("enum"); e != "" {
			f.enum = strings.Split(e, ",")
		}
		out = append(out, f)
	}
	return out
}

func (d *Decoder) checkEnum(n *yaml.Node, path string, v reflect.Value, f fieldInfo) {
	if len(f.enum) == 0 || v.Kind() != reflect.String {
		return
	}
	s := v.String()
	if !slices.Contains(f.enum, s) {
		d.Errorf(Resolve(n), path, "%q is not one of %s%s", s, strings.Join(f.enum, ", "), didYouMean(s, f.enum))
	}
}

func (d *Decoder) checkRange(n *yaml.Node, path string, v reflect.Value, f fieldInfo) {
	if f.rng == "" {
		return
	}
	x, ok := numeric(v)
	if !ok {
		return
	}
	lo, hi, err := d.parseRange(f.rng, v.Type())
	if err != "" {
		d.Errorf(n, path, "internal error: bad range tag %q: %s", f.rng, err)
		return
	}
	r := Resolve(n)
	text := r.Value
	switch {
	case lo != nil && hi != nil && (x < *lo || x > *hi):
		d.Errorf(r, path, "%s is out of range %s", text, f.rng)
	case lo != nil && hi == nil && x < *lo:
		d.Errorf(r, path, "%s is below the minimum %s", text, strings.TrimSuffix(f.rng, ".."))
	case lo == nil && hi != nil && x > *hi:
		d.Errorf(r, path, "%s is above the maximum %s", text, strings.TrimPrefix(f.rng, ".."))
	}
}

// parseRange decodes the bounds of a range tag with the field's own decoder, so bounds
// are written in the field's units.
func (d *Decoder) parseRange(rng string, t reflect.Type) (lo, hi *float64, err string) {
	key := rangeKey{rng, t}
	if r, ok := d.ranges[key]; ok {
		return r.lo, r.hi, r.err
	}
	lo, hi, err = d.parseRangeUncached(rng, t)
	if d.ranges == nil {
		d.ranges = map[rangeKey]rangeBounds{}
	}
	d.ranges[key] = rangeBounds{lo, hi, err}
	return lo, hi, err
}

// rangeKey and rangeBounds cache parsed range tags for the life of a Decoder.
type rangeKey struct {
	tag string
	typ reflect.Type
}

type rangeBounds struct {
	lo, hi *float64
	err    string
}

func (d *Decoder) parseRangeUncached(rng string, t reflect.Type) (lo, hi *float64, err string) {
	a, b, ok := strings.Cut(rng, "..")
	if !ok {
		return nil, nil, "want LO..HI"
	}
	bound := func(s string) (*float64, string) {
		if s == "" {
			return nil, ""
		}
		sub := &Decoder{File: d.File}
		v := reflect.New(t).Elem()
		sub.decodeValue(parseYAMLText(s), "", v)
		if len(sub.errs) > 0 {
			return nil, sub.errs[0].Message
		}
		x, _ := numeric(v)
		return &x, ""
	}
	if lo, err = bound(a); err != "" {
		return
	}
	hi, err = bound(b)
	return
}

// numeric converts integer and float kinds (including the unit types built on them) to
// float64 for range checks.
func numeric(v reflect.Value) (float64, bool) {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(v.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(v.Uint()), true
	case reflect.Float32, reflect.Float64:
		return v.Float(), true
	}
	return 0, false
}
