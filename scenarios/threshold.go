package scenarios

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// Threshold is one SLO expression, kept as text with its location; it is parsed by the
// results code, which reports problems with Errorf.
//
// A threshold written plainly in a list, `- p99(latency: shoppers -> inventory) < 2s`,
// is a YAML mapping (the ": " after "latency" makes "p99(latency" a key). Since quoting
// every threshold would be a trap, a one-key mapping whose key contains "(" and whose
// value is a scalar is read back as the text "KEY: VALUE".
type Threshold struct {
	Text
}

// DecodeYAML decodes a threshold expression.
func (t *Threshold) DecodeYAML(d *Decoder, n *yaml.Node, path string) {
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		k, v := Resolve(n.Content[0]), Resolve(n.Content[1])
		if k != nil && v != nil && k.Kind == yaml.ScalarNode && v.Kind == yaml.ScalarNode && strings.Contains(k.Value, "(") {
			t.Text = Text{Value: k.Value + ": " + v.Value, Loc: d.Loc(k, path)}
			return
		}
	}
	if n.Kind != yaml.ScalarNode {
		d.Want(n, path, "a threshold like 'p99(latency: shoppers -> inventory) < 2s'")
		return
	}
	t.Text = Text{Value: n.Value, Loc: d.Loc(n, path)}
}
