package scenarios

import (
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// NodeDecoder is implemented by types with a YAML form of their own: units (30s, 200/s),
// distributions, one-key steps (- call: stock-table), ordered maps. DecodeYAML is called
// on a pointer with a node that is neither nil, null nor an alias, and the dotted path of
// the value. It reports every problem with d.Errorf (or d.Want), at the node concerned,
// and never panics; on error it may leave the value partly set.
//
// Absent or null values never reach DecodeYAML: the field keeps its zero value or gets
// its `default` tag, decoded through DecodeYAML from the tag's text.
type NodeDecoder interface {
	DecodeYAML(d *Decoder, n *yaml.Node, path string)
}

// Validator is implemented by structs that check relations between their fields after
// decoding (min ≤ max, a FIFO queue's name ends in .fifo). ValidateYAML is called on a
// pointer once the mapping n has been decoded into it, even if some fields had errors;
// d.Field(n, key) gives the node of a field to point at.
type Validator interface {
	ValidateYAML(d *Decoder, n *yaml.Node, path string)
}

// Decoder turns a YAML node tree into Go values by reflection, strictly: unknown fields,
// wrong types, duplicate keys, missing required fields and out-of-range values are all
// collected as Errors with positions, never a panic and never a stop at the first.
//
// Struct fields are described by tags:
//
//	yaml:"batch_size"        the key (required for a field to be decoded; "-" skips;
//	                         yaml:",inline" on an embedded struct merges its fields)
//	default:"10"             YAML text decoded when the key is absent or null
//	required:"true"          absence is an error (unless there is a default)
//	range:"1..10000"         inclusive bounds, written in the field's own units
//	                         ("0s..12h", "128MB..10240MB"); either side may be empty
//	enum:"standard,fifo"     allowed values of a string
//	doc:"Messages per ..."   the description shown in the JSON Schema
//
// A Decoder is used for one document; it is not safe for concurrent use.
type Decoder struct {
	// File names the scenario in error positions.
	File string
	// Types maps a resource's `type` to a constructor of its settings struct.
	Types ResourceTypes

	errs    ErrorList
	origins map[*yaml.Node]string // nodes that came from elsewhere than File (--set)
	steps   int                   // values visited; bounded against alias expansion bombs
	stopped bool
	ranges  map[rangeKey]rangeBounds // parsed range tags
}

// maxSteps bounds the values one Load may visit (decoding the document and checking
// each variant on a copy), so that a few lines of nested aliases ("billion laughs") or
// thousands of variants cannot exhaust memory or time. Real scenarios have a few thousand
// values and a handful of variants.
const maxSteps = 250_000

// NewDecoder returns a Decoder reporting positions in file and decoding resources with
// types.
func NewDecoder(file string, types ResourceTypes) *Decoder {
	return &Decoder{File: file, Types: types}
}

// Errors returns the problems found so far, sorted by position.
func (d *Decoder) Errors() ErrorList {
	s := slices.Clone(d.errs)
	s.Sort()
	return s
}

// Loc returns the location of node n at path (the decoder's file, or "--set" for a node
// that came from a command-line override).
func (d *Decoder) Loc(n *yaml.Node, path string) Loc {
	l := Loc{File: d.File, Path: path, Line: 1, Column: 1}
	if n != nil {
		if f, ok := d.origins[n]; ok {
			l.File = f
		}
		if n.Line > 0 {
			l.Line, l.Column = n.Line, n.Column
		}
	}
	return l
}

// Errorf records a problem at node n (nil means the start of the document) and path.
func (d *Decoder) Errorf(n *yaml.Node, path, format string, args ...any) {
	d.errs.Add(d.Loc(n, path).Errorf(format, args...))
}

// Want records the standard wrong-type problem "want WHAT, got DESCRIPTION-OF-n".
func (d *Decoder) Want(n *yaml.Node, path, what string) {
	d.Errorf(n, path, "want %s, got %s", what, Describe(n))
}

// Describe names what a node holds for error messages: mapping, list, or the scalar's
// text (quoted if it is a string).
func Describe(n *yaml.Node) string {
	switch {
	case n == nil:
		return "nothing"
	case n.Kind == yaml.MappingNode:
		return "mapping"
	case n.Kind == yaml.SequenceNode:
		return "list"
	case n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null":
		return "nothing"
	case n.Kind == yaml.ScalarNode:
		v := n.Value
		if len(v) > 40 {
			v = v[:37] + "..."
		}
		if n.ShortTag() == "!!str" {
			return strconv.Quote(v)
		}
		return v
	}
	return "unknown node"
}

// Resolve follows document wrappers and aliases to the node that holds the value; nil
// for an empty document.
func Resolve(n *yaml.Node) *yaml.Node {
	for range 64 {
		if n == nil {
			return nil
		}
		switch n.Kind {
		case yaml.DocumentNode:
			if len(n.Content) == 0 {
				return nil
			}
			n = n.Content[0]
		case yaml.AliasNode:
			n = n.Alias
		default:
			return n
		}
	}
	return nil
}

// IsNull reports whether n is absent or an explicit null (`key:` with no value, `~`).
func IsNull(n *yaml.Node) bool {
	n = Resolve(n)
	return n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// JoinPath appends a key or list index to a dotted field path.
func JoinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// Decode decodes n into out, which must be a non-nil pointer, reporting problems under
// path. A null or absent n applies defaults.
func (d *Decoder) Decode(n *yaml.Node, path string, out any) {
	v := reflect.ValueOf(out)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		d.Errorf(n, path, "internal error: Decode needs a non-nil pointer, got %T", out)
		return
	}
	d.decodeValue(n, path, v.Elem())
}

// tick counts one visited value and reports false once the document is too large.
func (d *Decoder) tick(n *yaml.Node, path string) bool {
	d.steps++
	if d.steps <= maxSteps {
		return true
	}
	if !d.stopped {
		d.stopped = true
		d.Errorf(n, path, "document too large: more than %d values to check (aliases expanded, each variant checked on a copy)", maxSteps)
	}
	return false
}

func (d *Decoder) decodeValue(n *yaml.Node, path string, v reflect.Value) {
	orig := n
	n = Resolve(n)
	if !d.tick(orig, path) {
		return
	}
	if n == nil || IsNull(n) {
		d.absent(orig, path, v)
		return
	}
	if v.CanAddr() {
		if nd, ok := v.Addr().Interface().(NodeDecoder); ok {
			nd.DecodeYAML(d, n, path)
			return
		}
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.decodeValue(n, path, v.Elem())
	case reflect.Struct:
		pairs, ok := d.Pairs(n, path)
		if ok {
			d.decodeStruct(n, path, v, pairs, "")
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.Want(n, path, "a list")
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			d.decodeValue(item, JoinPath(path, strconv.Itoa(i)), s.Index(i))
		}
		v.Set(s)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.Want(n, path, "a string")
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		var b bool
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
			d.Want(n, path, "true or false")
			return
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		var i int64
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(&i) != nil {
			d.Want(n, path, "an integer")
			return
		}
		if v.OverflowInt(i) {
			d.Errorf(n, path, "%s does not fit in %s", n.Value, v.Type())
			return
		}
		v.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		var i uint64
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(&i) != nil {
			d.Want(n, path, "a non-negative integer")
			return
		}
		if v.OverflowUint(i) {
			d.Errorf(n, path, "%s does not fit in %s", n.Value, v.Type())
			return
		}
		v.SetUint(i)
	case reflect.Float32, reflect.Float64:
		f, ok := d.Number(n, path)
		if ok {
			v.SetFloat(f)
		}
	default:
		d.Errorf(n, path, "internal error: cannot decode into %s", v.Type())
	}
}

// Number decodes a finite YAML number (integer or float), reporting a problem otherwise.
func (d *Decoder) Number(n *yaml.Node, path string) (float64, bool) {
	n = Resolve(n)
	var f float64
	if n == nil || n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!int" && n.ShortTag() != "!!float") || n.Decode(&f) != nil {
		d.Want(n, path, "a number")
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		d.Want(n, path, "a finite number")
		return 0, false
	}
	return f, true
}

// absent gives v its value when the document does not set it: nested structs get their
// defaults (and report their missing required fields at node at); everything else
// keeps its zero value.
func (d *Decoder) absent(at *yaml.Node, path string, v reflect.Value) {
	if v.Kind() != reflect.Struct {
		return
	}
	if v.CanAddr() {
		if _, ok := v.Addr().Interface().(NodeDecoder); ok {
			return
		}
	}
	for _, f := range structFields(v.Type()) {
		d.absentField(at, JoinPath(path, f.name), v.FieldByIndex(f.index), f)
	}
}

func (d *Decoder) absentField(at *yaml.Node, path string, v reflect.Value, f fieldInfo) {
	switch {
	case f.def != "":
		d.decodeDefault(at, path, v, f.def)
	case f.required:
		d.Errorf(at, path, "required field is missing")
	default:
		d.absent(at, path, v)
	}
}

// decodeDefault decodes a `default` tag into v. A default that does not decode is a
// programming error in the settings struct, reported as an internal error at the parent.
func (d *Decoder) decodeDefault(at *yaml.Node, path string, v reflect.Value, def string) {
	sub := &Decoder{File: d.File, Types: d.Types}
	sub.decodeValue(parseYAMLText(def), path, v)
	for _, e := range sub.errs {
		d.Errorf(at, path, "internal error: bad default %q: %s", def, e.Message)
	}
}

// parseYAMLText parses a tag or override text as a YAML value (scalar or flow
// collection). Text that is not valid YAML becomes a plain string.
func parseYAMLText(s string) *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(s), &doc); err != nil || len(doc.Content) == 0 {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	}
	return doc.Content[0]
}

// Pair is one key and value of a mapping.
type Pair struct {
	Key     string
	KeyNode *yaml.Node
	Value   *yaml.Node
}

// Pairs returns the entries of mapping n in document order, with merge keys (<<: *base)
// expanded after the explicit keys (explicit keys win). Duplicate keys and non-scalar keys
// are reported and left out. If n is not a mapping it reports "want a mapping" and
// returns false.
func (d *Decoder) Pairs(n *yaml.Node, path string) ([]Pair, bool) {
	n = Resolve(n)
	if d.stopped {
		return nil, false
	}
	if n == nil || n.Kind != yaml.MappingNode {
		d.Want(n, path, "a mapping")
		return nil, false
	}
	return d.pairs(n, path, 0), true
}

func (d *Decoder) pairs(n *yaml.Node, path string, depth int) []Pair {
	var out, merged []Pair
	first := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		kr := Resolve(k)
		if !d.tick(k, path) {
			return out
		}
		if kr != nil && kr.Kind == yaml.ScalarNode && kr.ShortTag() == "!!merge" {
			merged = append(merged, d.mergePairs(val, path, depth+1)...)
			continue
		}
		if kr == nil || kr.Kind != yaml.ScalarNode {
			d.Errorf(k, path, "want a plain key, got %s", Describe(kr))
			continue
		}
		key := kr.Value
		if prev, ok := first[key]; ok {
			d.Errorf(k, JoinPath(path, key), "duplicate key %q (first defined at line %d)", key, prev.Line)
			continue
		}
		first[key] = k
		out = append(out, Pair{Key: key, KeyNode: k, Value: val})
	}
	for _, p := range merged {
		if _, ok := first[p.Key]; !ok {
			first[p.Key] = p.KeyNode
			out = append(out, p)
		}
	}
	return out
}

// mergePairs expands the value of a merge key: a mapping, or a list of mappings where
// earlier ones win.
func (d *Decoder) mergePairs(val *yaml.Node, path string, depth int) []Pair {
	v := Resolve(val)
	if depth > 32 {
		d.Errorf(val, path, "merge keys nested too deeply")
		return nil
	}
	switch {
	case v != nil && v.Kind == yaml.MappingNode:
		return d.pairs(v, path, depth)
	case v != nil && v.Kind == yaml.SequenceNode:
		var out []Pair
		seen := map[string]bool{}
		for _, item := range v.Content {
			for _, p := range d.mergePairs(item, path, depth+1) {
				if !seen[p.Key] {
					seen[p.Key] = true
					out = append(out, p)
				}
			}
		}
		return out
	}
	d.Want(val, path, "a mapping to merge")
	return nil
}

// Field returns the value node of key in mapping n, or n itself if the key is absent,
// so that a Validator can point at the field it complains about.
func (d *Decoder) Field(n *yaml.Node, key string) *yaml.Node {
	if r := Resolve(n); r != nil && r.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(r.Content); i += 2 {
			if k := Resolve(r.Content[i]); k != nil && k.Value == key {
				return r.Content[i+1]
			}
		}
	}
	return n
}

// OneKey decodes the form of a step or tagged value, a mapping with exactly one key
// (`- call: stock-table`). what lists the allowed keys for the error message.
func (d *Decoder) OneKey(n *yaml.Node, path, what string) (Pair, bool) {
	pairs, ok := d.Pairs(n, path)
	if !ok {
		return Pair{}, false
	}
	if len(pairs) != 1 {
		d.Errorf(n, path, "want a mapping with exactly one key (%s), got %d keys", what, len(pairs))
		return Pair{}, false
	}
	return pairs[0], true
}

// DecodeStruct decodes mapping n into the struct that out points to, treating the keys
// in skip as known and leaving them alone (a discriminator such as `type`).
func (d *Decoder) DecodeStruct(n *yaml.Node, path string, out any, skip ...string) {
	v := reflect.ValueOf(out)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		d.Errorf(n, path, "internal error: DecodeStruct needs a pointer to a struct, got %T", out)
		return
	}
	pairs, ok := d.Pairs(n, path)
	if !ok {
		return
	}
	d.decodeStruct(Resolve(n), path, v.Elem(), pairs, strings.Join(skip, "\x00"))
}

func (d *Decoder) decodeStruct(n *yaml.Node, path string, v reflect.Value, pairs []Pair, skip string) {
	fields := structFields(v.Type())
	seen := make([]bool, len(fields))
	skipped := strings.Split(skip, "\x00")
	for _, p := range pairs {
		if skip != "" && slices.Contains(skipped, p.Key) {
			continue
		}
		i := slices.IndexFunc(fields, func(f fieldInfo) bool { return f.name == p.Key })
		if i < 0 {
			names := make([]string, 0, len(fields)+len(skipped))
			for _, f := range fields {
				names = append(names, f.name)
			}
			d.Errorf(p.KeyNode, JoinPath(path, p.Key), "unknown field %q%s", p.Key, didYouMean(p.Key, names))
			continue
		}
		seen[i] = true
		f := fields[i]
		fpath := JoinPath(path, p.Key)
		fv := v.FieldByIndex(f.index)
		if IsNull(p.Value) {
			d.absentField(p.KeyNode, fpath, fv, f)
			continue
		}
		before := len(d.errs)
		d.decodeValue(p.Value, fpath, fv)
		if len(d.errs) == before {
			d.checkEnum(p.Value, fpath, fv, f)
			d.checkRange(p.Value, fpath, fv, f)
		}
	}
	for i, f := range fields {
		if !seen[i] {
			d.absentField(n, JoinPath(path, f.name), v.FieldByIndex(f.index), f)
		}
	}
	if v.CanAddr() {
		if val, ok := v.Addr().Interface().(Validator); ok {
			val.ValidateYAML(d, n, path)
		}
	}
}
