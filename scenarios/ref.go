package scenarios

import (
	"gopkg.in/yaml.v3"
)

// Ref is the name of another component (a producer's target, a queue's DLQ, a step's
// callee) with the location where it was written. Whether it exists is checked when the
// model graph is built, which reports the error at that location with Check.
type Ref struct {
	Name string
	Loc  Loc
}

// DecodeYAML decodes a non-empty string.
func (r *Ref) DecodeYAML(d *Decoder, n *yaml.Node, path string) {
	if n.Kind != yaml.ScalarNode || n.Value == "" {
		d.Want(n, path, "the name of a resource")
		return
	}
	*r = Ref{Name: n.Value, Loc: d.Loc(n, path)}
}

// String returns the name.
func (r Ref) String() string { return r.Name }

// Check returns nil if the name is one of known, and otherwise an error at the reference
// such as `resource "ordres" does not exist (did you mean "orders"?)`. what names the
// kind of thing referred to; known should be in document order (ties in the suggestion
// go to the earlier name).
func (r Ref) Check(what string, known []string) *Error {
	for _, k := range known {
		if k == r.Name {
			return nil
		}
	}
	e := r.Loc.Errorf("%s %q does not exist%s", what, r.Name, didYouMean(r.Name, known))
	return &e
}

// Text is a string with its location, for values parsed later by other code (threshold
// expressions) that must still report errors at the right place.
type Text struct {
	Value string
	Loc   Loc
}

// DecodeYAML decodes any scalar.
func (t *Text) DecodeYAML(d *Decoder, n *yaml.Node, path string) {
	if n.Kind != yaml.ScalarNode {
		d.Want(n, path, "a string")
		return
	}
	*t = Text{Value: n.Value, Loc: d.Loc(n, path)}
}

// Errorf returns an error at the text's location.
func (t Text) Errorf(format string, args ...any) Error { return t.Loc.Errorf(format, args...) }

// String returns the text.
func (t Text) String() string { return t.Value }

// Raw keeps a YAML value undecoded (a variant's override values), with its location.
type Raw struct {
	Node *yaml.Node
	Loc  Loc
}

// DecodeYAML stores n.
func (r *Raw) DecodeYAML(d *Decoder, n *yaml.Node, path string) {
	*r = Raw{Node: n, Loc: d.Loc(n, path)}
}
