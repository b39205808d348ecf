package jsonmatch

import "sort"

// Node is one pattern object after "$or" has been expanded away: every field must match
// (AND across keys). Fields are sorted by key.
type Node struct {
	Fields   []Field
	absentOK bool // the whole object matches when the event has nothing at its path
}

// Field is one key of a pattern object: the leaf lists given for it (all must match; one
// unless "$or" alternatives name the same key again) and/or a nested pattern object.
type Field struct {
	Key    string
	Leaves []*Leaf
	Child  *Node
}

// Match reports whether decoded JSON value v satisfies the node. On an object, every field
// is looked up and tested. On an array, some single element must satisfy the whole node,
// which is what makes matching across arrays of objects array-consistent [E-RULER]. On a
// leaf value, or nothing, only fields that accept absence can hold.
func (n *Node) Match(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		for i := range n.Fields {
			f := &n.Fields[i]
			fv, ok := x[f.Key]
			if !f.match(fv, ok) {
				return false
			}
		}
		return true
	case []any:
		if len(x) == 0 {
			return n.absentOK
		}
		for _, e := range x {
			if n.Match(e) {
				return true
			}
		}
		return false
	}
	return n.absentOK
}

// match tests one field given its value and whether the key is present.
func (f *Field) match(v any, present bool) bool {
	for _, l := range f.Leaves {
		if present {
			if !l.MatchValue(v) {
				return false
			}
		} else if !l.existsFalse {
			return false
		}
	}
	if f.Child != nil {
		if !present {
			return f.Child.absentOK
		}
		return f.Child.Match(v)
	}
	return true
}

// merge returns the AND of a and b as a new node; neither input is modified.
func merge(a, b *Node) *Node {
	out := &Node{Fields: make([]Field, 0, len(a.Fields)+len(b.Fields))}
	out.Fields = append(out.Fields, a.Fields...)
	for _, fb := range b.Fields {
		j := -1
		for i := range out.Fields {
			if out.Fields[i].Key == fb.Key {
				j = i
				break
			}
		}
		if j < 0 {
			out.Fields = append(out.Fields, fb)
			continue
		}
		fa := out.Fields[j]
		leaves := make([]*Leaf, 0, len(fa.Leaves)+len(fb.Leaves))
		leaves = append(append(leaves, fa.Leaves...), fb.Leaves...)
		child := fa.Child
		switch {
		case child == nil:
			child = fb.Child
		case fb.Child != nil:
			child = merge(child, fb.Child)
		}
		out.Fields[j] = Field{Key: fa.Key, Leaves: leaves, Child: child}
	}
	return out
}

// finish sorts fields and computes absentOK bottom-up; called once per compiled branch.
func (n *Node) finish() {
	sort.Slice(n.Fields, func(i, j int) bool { return n.Fields[i].Key < n.Fields[j].Key })
	n.absentOK = true
	for i := range n.Fields {
		f := &n.Fields[i]
		for _, l := range f.Leaves {
			if !l.existsFalse {
				n.absentOK = false
			}
		}
		if f.Child != nil {
			f.Child.finish()
			if !f.Child.absentOK {
				n.absentOK = false
			}
		}
	}
}

// combinations is the product of the leaf-list lengths in the tree, SNS's measure of a
// policy's complexity [SNS-FPC].
func (n *Node) combinations() int {
	c := 1
	for i := range n.Fields {
		for _, l := range n.Fields[i].Leaves {
			c = satMul(c, l.Len())
		}
		if ch := n.Fields[i].Child; ch != nil {
			c = satMul(c, ch.combinations())
		}
	}
	return c
}

// satMul multiplies non-negative ints, saturating instead of overflowing.
func satMul(a, b int) int {
	const limit = 1 << 40
	if a > limit || b > limit || a*b > limit {
		return limit
	}
	return a * b
}
