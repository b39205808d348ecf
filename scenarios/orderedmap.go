package scenarios

import (
	"iter"
	"reflect"

	"gopkg.in/yaml.v3"
)

// OrderedMap is a YAML mapping from names to values that keeps document order, so that
// producers, resources and variants are listed, built and reported in the order the user
// wrote them; Go map iteration order never reaches an output. The zero value is empty
// and ready to use.
type OrderedMap[V any] struct {
	entries []Entry[V]
	index   map[string]int
}

// Entry is one key of an OrderedMap with the location of its key node (its Path is the
// entry's field path) and its value.
type Entry[V any] struct {
	Key   string
	Loc   Loc
	Value V
}

// Len returns the number of entries.
func (m *OrderedMap[V]) Len() int { return len(m.entries) }

// Keys returns the keys in document order.
func (m *OrderedMap[V]) Keys() []string {
	out := make([]string, len(m.entries))
	for i, e := range m.entries {
		out[i] = e.Key
	}
	return out
}

// Get returns the value for key and whether it is present.
func (m *OrderedMap[V]) Get(key string) (V, bool) {
	if i, ok := m.index[key]; ok {
		return m.entries[i].Value, true
	}
	var zero V
	return zero, false
}

// Entry returns the entry for key and whether it is present.
func (m *OrderedMap[V]) Entry(key string) (Entry[V], bool) {
	if i, ok := m.index[key]; ok {
		return m.entries[i], true
	}
	return Entry[V]{}, false
}

// Entries returns the entries in document order. The slice is the map's own: read it,
// do not modify it.
func (m *OrderedMap[V]) Entries() []Entry[V] { return m.entries }

// All iterates over keys and values in document order.
func (m *OrderedMap[V]) All() iter.Seq2[string, V] {
	return func(yield func(string, V) bool) {
		for _, e := range m.entries {
			if !yield(e.Key, e.Value) {
				return
			}
		}
	}
}

// Set adds key at the end, or replaces its value (keeping its place) if present.
func (m *OrderedMap[V]) Set(key string, loc Loc, v V) {
	if i, ok := m.index[key]; ok {
		m.entries[i].Value = v
		return
	}
	if m.index == nil {
		m.index = map[string]int{}
	}
	m.index[key] = len(m.entries)
	m.entries = append(m.entries, Entry[V]{Key: key, Loc: loc, Value: v})
}

// DecodeYAML decodes a mapping, each value under the path of its key. A null value of a
// struct type decodes as an empty mapping, so its defaults and required fields apply.
func (m *OrderedMap[V]) DecodeYAML(d *Decoder, n *yaml.Node, path string) {
	pairs, ok := d.Pairs(n, path)
	if !ok {
		return
	}
	*m = OrderedMap[V]{}
	for _, p := range pairs {
		var v V
		rv := reflect.ValueOf(&v).Elem()
		val := p.Value
		if IsNull(val) && rv.Kind() == reflect.Struct {
			val = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: p.KeyNode.Line, Column: p.KeyNode.Column}
			if f, ok := d.origins[p.KeyNode]; ok {
				d.origin(val, f)
			}
		}
		kpath := JoinPath(path, p.Key)
		d.decodeValue(val, kpath, rv)
		m.Set(p.Key, d.Loc(p.KeyNode, kpath), v)
	}
}
