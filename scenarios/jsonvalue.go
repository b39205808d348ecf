package scenarios

import (
	"bytes"
	"math"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// JSONValue is a JSON document written as YAML: an SNS filter policy or an EventBridge
// event pattern, `{detail: {amount: [{numeric: [">", 100]}]}}`. It is decoded to
// canonical JSON text (keys in document order, numbers in Go's shortest form, no
// spaces) that the matchers compile; Node keeps the YAML so that a matcher's complaint
// can be reported at the field it names.
type JSONValue struct {
	JSON []byte
	Node *yaml.Node
	Loc  Loc
}

// maxJSONDepth bounds the nesting of a JSON value (patterns are a few levels deep).
const maxJSONDepth = 64

// DecodeYAML converts the node to JSON, reporting values JSON cannot hold (non-finite
// numbers, non-string keys, YAML-only types).
func (j *JSONValue) DecodeYAML(d *Decoder, n *yaml.Node, path string) {
	var b bytes.Buffer
	before := len(d.errs)
	d.writeJSON(&b, n, path, 0)
	if len(d.errs) != before {
		return
	}
	*j = JSONValue{JSON: b.Bytes(), Node: n, Loc: d.Loc(n, path)}
}

// JSONSchema is any JSON value.
func (*JSONValue) JSONSchema(*SchemaGen) map[string]any {
	return map[string]any{"description": "A JSON value written as YAML (a filter policy or event pattern)."}
}

// String returns the JSON text.
func (j JSONValue) String() string { return string(j.JSON) }

func (d *Decoder) writeJSON(b *bytes.Buffer, n *yaml.Node, path string, depth int) {
	orig := n
	n = Resolve(n)
	if !d.tick(orig, path) {
		return
	}
	if depth > maxJSONDepth {
		d.Errorf(orig, path, "nested more than %d levels deep", maxJSONDepth)
		return
	}
	if n == nil {
		b.WriteString("null")
		return
	}
	switch n.Kind {
	case yaml.MappingNode:
		pairs, ok := d.Pairs(n, path)
		if !ok {
			return
		}
		b.WriteByte('{')
		for i, p := range pairs {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, p.Key)
			b.WriteByte(':')
			d.writeJSON(b, p.Value, JoinPath(path, p.Key), depth+1)
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, item := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			d.writeJSON(b, item, JoinPath(path, strconv.Itoa(i)), depth+1)
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		d.writeJSONScalar(b, n, path)
	default:
		d.Want(n, path, "a JSON value")
	}
}

func (d *Decoder) writeJSONScalar(b *bytes.Buffer, n *yaml.Node, path string) {
	switch n.ShortTag() {
	case "!!null":
		b.WriteString("null")
	case "!!bool":
		var v bool
		if n.Decode(&v) != nil {
			d.Want(n, path, "true or false")
			return
		}
		b.WriteString(strconv.FormatBool(v))
	case "!!int":
		var i int64
		if n.Decode(&i) == nil {
			b.WriteString(strconv.FormatInt(i, 10))
			return
		}
		fallthrough
	case "!!float":
		var f float64
		if n.Decode(&f) != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			d.Want(n, path, "a finite number")
			return
		}
		b.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
	case "!!str":
		writeJSONString(b, n.Value)
	default:
		d.Errorf(n, path, "%s values have no JSON form; quote the value to make it a string", n.ShortTag())
	}
}

// writeJSONString writes s as a JSON string. strconv.Quote's escapes are Go's, not JSON's,
// so the few that differ are written by hand.
func writeJSONString(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x2028 || r == 0x2029:
			b.WriteString(`\u`)
			for shift := 12; shift >= 0; shift -= 4 {
				b.WriteByte(hex[(r>>shift)&0xf])
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

// matcherError reports a matcher's rejection of j at the field the matcher names, if it
// names one that exists in the YAML, else at the value itself. what is the field's role
// ("filter policy"); path is the value's field path.
func (d *Decoder) matcherError(j JSONValue, path string, err error) {
	at, atPath := j.Node, path
	if p := errorPath(err); p != "" {
		n := Resolve(j.Node)
		for _, key := range strings.Split(p, ".") {
			next := fieldNode(n, key)
			if next == nil {
				break
			}
			n, atPath = next, JoinPath(atPath, key)
		}
		at = n
	}
	d.Errorf(at, atPath, "%v", err)
}

// fieldNode is the value of key in mapping n, or the item at index key of list n, or nil.
func fieldNode(n *yaml.Node, key string) *yaml.Node {
	n = Resolve(n)
	if n == nil {
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := Resolve(n.Content[i]); k != nil && k.Value == key {
				return Resolve(n.Content[i+1])
			}
		}
	case yaml.SequenceNode:
		if i, err := strconv.Atoi(key); err == nil && i >= 0 && i < len(n.Content) {
			return Resolve(n.Content[i])
		}
	}
	return nil
}

// errorPath extracts the dotted field path that the matchers' error type carries in a
// string field named Path (the type is internal to models, so it is read by reflection;
// any other error has no path).
func errorPath(err error) string {
	v := reflect.ValueOf(err)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return ""
	}
	f := v.FieldByName("Path")
	if !f.IsValid() || f.Kind() != reflect.String {
		return ""
	}
	return f.String()
}
