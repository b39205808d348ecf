package scenarios

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Overrides change the document tree before it is decoded, so that every error still
// points at where the offending value was written:
//
//   - a variant's entries (`variants: {bigger-batches: {resources.x.batch_size: 100}}`)
//     keep their positions in the scenario file;
//   - a command-line `--set path=value` is reported in the pseudo-file "--set", with the
//     line being the override's number among the --set flags (1-based) and the column
//     counted in the `path=value` text: `--set:2:7: seed: want an integer, got "x"`.
//
// A path is the dotted field path (resources.inventory.trigger.batch_size; list items by
// index: resources.validate.steps.0.send; index = length appends). Missing intermediate
// mapping keys are created. The value is parsed as YAML, so a scalar (100, 30s), a flow
// mapping ({queue: orders, batch_size: 5}) or a flow list works; text that is not valid
// YAML is taken as a string. The path's first key must be a top-level field of the
// scenario. Paths through an alias (*name) change a copy, never the anchored original.

// setFile is the file name reported for problems in --set overrides.
const setFile = "--set"

// Override is one path=value assignment to apply to a document tree.
type Override struct {
	Path  string
	Value *yaml.Node
	At    *yaml.Node // where problems with the path itself are reported
}

// parseSet parses the i-th (1-based) --set argument. Positions of its nodes are moved to
// line i of "--set" and to their column in arg.
func (d *Decoder) parseSet(i int, arg string) (Override, bool) {
	at := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: arg, Line: i, Column: 1}
	d.origin(at, setFile)
	path, text, ok := strings.Cut(arg, "=")
	if !ok || path == "" {
		d.Errorf(at, "", "want path=value, got %q", arg)
		return Override{}, false
	}
	v := parseYAMLText(text)
	shiftPositions(v, i, len(path)+1)
	d.origin(v, setFile)
	return Override{Path: path, Value: v, At: at}, true
}

// shiftPositions moves a parsed override value to line `line`, shifting columns on its
// first line by offset.
func shiftPositions(n *yaml.Node, line, offset int) {
	walk(n, func(c *yaml.Node) {
		if c.Line <= 1 {
			c.Column += offset
		}
		c.Line = line
	})
}

// walk calls f on n and its descendants, not following aliases.
func walk(n *yaml.Node, f func(*yaml.Node)) {
	if n == nil {
		return
	}
	f(n)
	for _, c := range n.Content {
		walk(c, f)
	}
}

// origin records that the nodes of tree n come from file (for error positions).
func (d *Decoder) origin(n *yaml.Node, file string) {
	if d.origins == nil {
		d.origins = map[*yaml.Node]string{}
	}
	walk(n, func(c *yaml.Node) { d.origins[c] = file })
}

// copyNode deep-copies a tree (aliases inside stay aliases to their original anchors),
// keeping positions and origins. The copy carries no anchor of its own.
func (d *Decoder) copyNode(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	d.steps++ // copies count against the document's size bound
	c := *n
	c.Anchor = ""
	if f, ok := d.origins[n]; ok {
		d.origins[&c] = f
	}
	if len(n.Content) > 0 {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, ch := range n.Content {
			c.Content[i] = d.copyNode(ch)
		}
	}
	return &c
}

// Apply sets o.Path to o.Value in the document root (a mapping), creating missing
// mapping keys, and reports problems with the path. topLevel lists the allowed first
// keys.
func (d *Decoder) Apply(root *yaml.Node, o Override, topLevel []string) bool {
	segs := strings.Split(o.Path, ".")
	if slices.Contains(segs, "") {
		d.Errorf(o.At, o.Path, "empty key in path")
		return false
	}
	if !slices.Contains(topLevel, segs[0]) {
		d.Errorf(o.At, o.Path, "unknown field %q%s", segs[0], didYouMean(segs[0], topLevel))
		return false
	}
	cur := root
	for i, seg := range segs {
		last := i == len(segs)-1
		here := strings.Join(segs[:i+1], ".")
		switch cur.Kind {
		case yaml.MappingNode:
			vi := -1
			for k := 0; k+1 < len(cur.Content); k += 2 {
				if kn := Resolve(cur.Content[k]); kn != nil && kn.Kind == yaml.ScalarNode && kn.Value == seg {
					vi = k + 1
					break
				}
			}
			if vi < 0 {
				key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: seg, Line: o.At.Line, Column: o.At.Column}
				d.inherit(key, o.At)
				var val *yaml.Node
				if last {
					val = o.Value
				} else {
					val = d.newMapping(o.At)
				}
				cur.Content = append(cur.Content, key, val)
				cur = val
				continue
			}
			if last {
				cur.Content[vi] = o.Value
				continue
			}
			cur.Content[vi] = d.descend(cur.Content[vi], o.At)
			cur = cur.Content[vi]
		case yaml.SequenceNode:
			idx, err := strconv.Atoi(seg)
			if err != nil || idx < 0 || idx > len(cur.Content) {
				d.Errorf(o.At, o.Path, "%s: want a list index from 0 to %d, got %q", here, len(cur.Content), seg)
				return false
			}
			var val *yaml.Node
			switch {
			case last:
				val = o.Value
			case idx < len(cur.Content):
				val = d.descend(cur.Content[idx], o.At)
			default:
				val = d.newMapping(o.At)
			}
			if idx == len(cur.Content) {
				cur.Content = append(cur.Content, val)
			} else {
				cur.Content[idx] = val
			}
			cur = val
		default:
			parent := strings.Join(segs[:i], ".")
			d.Errorf(o.At, o.Path, "cannot set %s: %s is %s, not a mapping or list", here, parent, Describe(cur))
			return false
		}
	}
	return true
}

// descend prepares child node n for modification: an alias is replaced by a copy of its
// target, a null by an empty mapping.
func (d *Decoder) descend(n *yaml.Node, at *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode {
		if t := Resolve(n); t != nil {
			c := d.copyNode(t)
			c.Line, c.Column = n.Line, n.Column
			return c
		}
	}
	if IsNull(n) {
		m := d.newMapping(at)
		m.Line, m.Column = n.Line, n.Column
		d.inherit(m, n)
		return m
	}
	return n
}

func (d *Decoder) newMapping(at *yaml.Node) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: at.Line, Column: at.Column}
	d.inherit(m, at)
	return m
}

// inherit gives n the origin of from.
func (d *Decoder) inherit(n, from *yaml.Node) {
	if f, ok := d.origins[from]; ok {
		d.origins[n] = f
	}
}

// variantOverrides returns the overrides of variant name from the raw document (its
// values copied so that the variants section is left as written), reporting an unknown
// variant.
func (d *Decoder) variantOverrides(root *yaml.Node, name string) ([]Override, bool) {
	vs := Resolve(d.Field(root, "variants"))
	if vs == root || vs == nil || vs.Kind != yaml.MappingNode {
		d.Errorf(root, "variants", "unknown variant %q: the scenario has no variants", name)
		return nil, false
	}
	var known []string
	for i := 0; i+1 < len(vs.Content); i += 2 {
		k := Resolve(vs.Content[i])
		if k == nil || k.Kind != yaml.ScalarNode {
			continue
		}
		known = append(known, k.Value)
		if k.Value != name {
			continue
		}
		body := Resolve(vs.Content[i+1])
		if body == nil || IsNull(body) {
			return nil, true
		}
		if body.Kind != yaml.MappingNode {
			return nil, true // reported when the variants section is decoded
		}
		var out []Override
		for j := 0; j+1 < len(body.Content); j += 2 {
			pk := Resolve(body.Content[j])
			if pk == nil || pk.Kind != yaml.ScalarNode {
				continue
			}
			out = append(out, Override{Path: pk.Value, Value: d.copyNode(body.Content[j+1]), At: body.Content[j]})
		}
		return out, true
	}
	d.Errorf(vs, "variants", "unknown variant %q%s; known: %s", name, didYouMean(name, known), strings.Join(known, ", "))
	return nil, false
}

// MarshalNode renders a document tree as YAML with two-space indentation. The output
// depends only on the tree (keys in document order, comments kept), so it is
// deterministic; it is how the resolved scenario is written into a run directory.
//
// Empty nulls (`key:` with nothing after it) are written as `null`: yaml.v3 would
// otherwise write them as ” and change their meaning.
func MarshalNode(n *yaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(explicitNulls(n)); err != nil {
		return nil, fmt.Errorf("render scenario: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("render scenario: %w", err)
	}
	return buf.Bytes(), nil
}

// explicitNulls returns a copy of tree n in which empty null scalars read "null".
// Aliases keep pointing at the original anchors, whose copies are rendered under
// their anchor names, so the output is the same document.
func explicitNulls(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	c := *n
	if c.Kind == yaml.ScalarNode && c.Value == "" && c.ShortTag() == "!!null" {
		c.Value, c.Tag, c.Style = "null", "!!null", 0
	}
	if len(n.Content) > 0 {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, ch := range n.Content {
			c.Content[i] = explicitNulls(ch)
		}
	}
	return &c
}
