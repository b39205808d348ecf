package scenarios

import (
	"math"

	"gopkg.in/yaml.v3"
)

// Attribute describes how a producer sets one message attribute: either categorical
// weights ({order: 0.9, refund: 0.1}: a value drawn with probability weight/sum) or a
// NumberDist ({dist: lognormal, mean: 80, stddev: 40}, or a bare number for a constant).
// A mapping with a `dist` key is a distribution, so no category may be named "dist".
type Attribute struct {
	Categories *OrderedMap[float64] // nil for a number attribute
	Number     *NumberDist          // nil for a categorical attribute
}

// DecodeYAML decodes categorical weights or a number distribution.
func (a *Attribute) DecodeYAML(d *Decoder, n *yaml.Node, path string) {
	*a = Attribute{}
	if n.Kind == yaml.MappingNode && !hasKey(n, "dist") {
		m := &OrderedMap[float64]{}
		before := len(d.errs)
		m.DecodeYAML(d, n, path)
		if len(d.errs) != before {
			return
		}
		total := 0.0
		for _, e := range m.Entries() {
			v := Resolve(d.Field(n, e.Key))
			if e.Value < 0 {
				d.Errorf(v, e.Loc.Path, "weight must be >= 0, got %s", v.Value)
			}
			total += e.Value
		}
		if !(total > 0) || math.IsInf(total, 0) {
			d.Errorf(n, path, "want categorical weights with a positive finite sum, like {order: 0.9, refund: 0.1}")
			return
		}
		a.Categories = m
		return
	}
	if n.Kind == yaml.SequenceNode {
		d.Want(n, path, "categorical weights like {order: 0.9, refund: 0.1} or a distribution")
		return
	}
	var nd NumberDist
	before := len(d.errs)
	nd.DecodeYAML(d, n, path)
	if len(d.errs) == before {
		a.Number = &nd
	}
}

// hasKey reports whether mapping n has key (not following merges).
func hasKey(n *yaml.Node, key string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := Resolve(n.Content[i]); k != nil && k.Value == key {
			return true
		}
	}
	return false
}
