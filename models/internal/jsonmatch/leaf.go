package jsonmatch

// Leaf is the list of alternatives given for one field: the field matches if any
// alternative matches (OR inside a list, reference §3.3 and §4.2).
type Leaf struct {
	conds       []cond
	existsFalse bool    // some alternative is {"exists": false}
	scale       float64 // 10^decimals of the dialect
}

// Len is the number of alternatives, the count SNS multiplies into a policy's
// combinations.
func (l *Leaf) Len() int { return len(l.conds) }

// MatchAbsent reports whether the leaf accepts a missing field. Only {"exists": false}
// does; a field whose value is an object, an empty array or an array of objects counts as
// missing, because exists applies to leaf values only [E-RULER].
func (l *Leaf) MatchAbsent() bool { return l.existsFalse }

// MatchScalar reports whether the single present value s satisfies some alternative.
func (l *Leaf) MatchScalar(s Scalar) bool {
	for i := range l.conds {
		if l.conds[i].match(&s, l.scale) {
			return true
		}
	}
	return false
}

// MatchValue reports whether a present field with decoded JSON value v satisfies some
// alternative. Arrays (nested ones flattened) match if any element does, except that an
// anything-but marked all requires every element to be outside its exclusions.
func (l *Leaf) MatchValue(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		return l.existsFalse
	case []any:
		if !hasScalar(x) {
			return l.existsFalse
		}
		for i := range l.conds {
			c := &l.conds[i]
			switch {
			case c.op == opExistsTrue:
				return true
			case c.op == opAnythingBut && c.all:
				if !anyExcluded(x, c, l.scale) {
					return true
				}
			default:
				if anyMatches(x, c, l.scale) {
					return true
				}
			}
		}
		return false
	}
	s, ok := scalarOf(v)
	if !ok {
		return l.existsFalse
	}
	return l.MatchScalar(s)
}

// hasScalar reports whether the array holds a leaf value at any nesting depth.
func hasScalar(a []any) bool {
	for _, e := range a {
		switch x := e.(type) {
		case map[string]any:
		case []any:
			if hasScalar(x) {
				return true
			}
		default:
			if _, ok := scalarOf(e); ok {
				return true
			}
		}
	}
	return false
}

// anyMatches reports whether some leaf value of the array satisfies c.
func anyMatches(a []any, c *cond, scale float64) bool {
	for _, e := range a {
		switch x := e.(type) {
		case map[string]any:
		case []any:
			if anyMatches(x, c, scale) {
				return true
			}
		default:
			if s, ok := scalarOf(e); ok && c.match(&s, scale) {
				return true
			}
		}
	}
	return false
}

// anyExcluded reports whether some leaf value of the array is excluded by the
// anything-but condition c.
func anyExcluded(a []any, c *cond, scale float64) bool {
	for _, e := range a {
		switch x := e.(type) {
		case map[string]any:
		case []any:
			if anyExcluded(x, c, scale) {
				return true
			}
		default:
			if s, ok := scalarOf(e); ok && c.excluded(&s, scale) {
				return true
			}
		}
	}
	return false
}
