package jsonmatch

import (
	"net/netip"
	"strings"
)

// op is the kind of one alternative in a leaf list.
type op uint8

const (
	opExactString op = iota + 1
	opExactNumber
	opExactBool
	opExactNull
	opPrefix
	opSuffix
	opPrefixFold
	opSuffixFold
	opEqualsFold
	opWildcard
	opNumeric
	opCIDR
	opExistsTrue
	opExistsFalse
	opAnythingBut
)

// cond is one alternative of a leaf list: a literal or an operator object. It is a plain
// struct rather than an interface so that a leaf is one contiguous slice and testing a
// value is a switch, not an indirect call.
type cond struct {
	op   op
	str  string  // exact, prefix, suffix, fold operands
	num  float64 // exact number, already quantized
	b    bool    // exact bool
	wild *wildcard
	cidr netip.Prefix

	// numeric range, bounds quantized; a missing bound is represented by has* = false.
	lo, hi         float64
	hasLo, hasHi   bool
	loOpen, hiOpen bool

	// anything-but: the value matches unless one of excl matches it.
	excl []cond
	// all: on an array, anything-but holds only if no element is excluded (SNS, note 17);
	// otherwise it holds if some element is not excluded (EventBridge, event-ruler).
	all bool
}

// match reports whether the single leaf value s satisfies c. exists conditions are
// decided by the caller, which knows whether the field is present.
func (c *cond) match(s *Scalar, scale float64) bool {
	switch c.op {
	case opExactString:
		return s.Kind == KindString && s.Str == c.str
	case opExactNumber:
		return s.Kind == KindNumber && quantize(s.Num, scale) == c.num
	case opExactBool:
		return s.Kind == KindBool && s.Bool == c.b
	case opExactNull:
		return s.Kind == KindNull
	case opPrefix:
		return s.Kind == KindString && strings.HasPrefix(s.Str, c.str)
	case opSuffix:
		return s.Kind == KindString && strings.HasSuffix(s.Str, c.str)
	case opPrefixFold:
		return s.Kind == KindString && hasPrefixFold(s.Str, c.str)
	case opSuffixFold:
		return s.Kind == KindString && hasSuffixFold(s.Str, c.str)
	case opEqualsFold:
		return s.Kind == KindString && strings.EqualFold(s.Str, c.str)
	case opWildcard:
		return s.Kind == KindString && c.wild.match(s.Str)
	case opNumeric:
		if s.Kind != KindNumber {
			return false
		}
		q := quantize(s.Num, scale)
		if c.hasLo && (q < c.lo || (c.loOpen && q == c.lo)) {
			return false
		}
		if c.hasHi && (q > c.hi || (c.hiOpen && q == c.hi)) {
			return false
		}
		return true
	case opCIDR:
		if s.Kind != KindString {
			return false
		}
		a, err := netip.ParseAddr(s.Str)
		return err == nil && c.cidr.Contains(a)
	case opExistsTrue:
		return true
	case opExistsFalse:
		return false
	case opAnythingBut:
		return !c.excluded(s, scale)
	}
	return false
}

// excluded reports whether an anything-but condition names s. A value of another type
// than the excluded ones is never excluded (event-ruler compares like with like), so
// {"anything-but": "x"} matches the number 5.
func (c *cond) excluded(s *Scalar, scale float64) bool {
	for i := range c.excl {
		if c.excl[i].match(s, scale) {
			return true
		}
	}
	return false
}
