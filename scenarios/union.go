package scenarios

import (
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Kinds maps the value of a discriminator key (a resource's `type`, an arrival's
// `process`) to a constructor of the pointer to the struct that holds the rest of the
// mapping.
type Kinds map[string]func() any

// names returns the kinds in sorted order.
func (k Kinds) names() []string {
	out := make([]string, 0, len(k))
	for name := range k {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// DecodeUnion decodes a mapping whose key `key` chooses, among kinds, the struct that the
// other keys decode into ("one of, by type field"). what names the discriminator in
// messages ("resource type"). It returns the chosen kind and the decoded pointer, or
// ok=false if the kind is missing or unknown (which it reports).
//
// If the constructed value implements NodeDecoder it receives the whole mapping,
// discriminator included; otherwise it must be a pointer to a struct.
func (d *Decoder) DecodeUnion(n *yaml.Node, path, key string, kinds Kinds, what string) (kind string, v any, ok bool) {
	pairs, ok := d.Pairs(n, path)
	if !ok {
		return "", nil, false
	}
	i := slices.IndexFunc(pairs, func(p Pair) bool { return p.Key == key })
	if i < 0 || IsNull(pairs[i].Value) {
		d.Errorf(n, JoinPath(path, key), "required field is missing (one of %s)", strings.Join(kinds.names(), ", "))
		return "", nil, false
	}
	kn := Resolve(pairs[i].Value)
	if kn.Kind != yaml.ScalarNode {
		d.Want(kn, JoinPath(path, key), "a "+what)
		return "", nil, false
	}
	kind = kn.Value
	ctor := kinds[kind]
	if ctor == nil {
		d.Errorf(kn, JoinPath(path, key), "unknown %s %q%s; known: %s", what, kind, didYouMean(kind, kinds.names()), strings.Join(kinds.names(), ", "))
		return kind, nil, false
	}
	v = ctor()
	if nd, isND := v.(NodeDecoder); isND {
		nd.DecodeYAML(d, Resolve(n), path)
		return kind, v, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		d.Errorf(kn, JoinPath(path, key), "internal error: %s %q constructs %T, want a pointer to a struct", what, kind, v)
		return kind, nil, false
	}
	d.decodeStruct(Resolve(n), path, rv.Elem(), pairs, key)
	return kind, v, true
}
