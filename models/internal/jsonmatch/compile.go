package jsonmatch

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
)

// Dialect is what one service accepts of the shared language.
type Dialect struct {
	What            string  // noun used in errors: "event pattern", "filter policy"
	Decimals        int     // digits after the decimal point kept when comparing numbers
	NumericLimit    float64 // operands of numeric (and anything-but numbers) lie in ±limit
	LimitAllNumbers bool    // exact numbers are bounded too (SNS)
	Nesting         bool    // pattern objects may nest (EventBridge; SNS body scope)
	Wildcard        bool    // {"wildcard": ...} exists
	FoldAffix       bool    // {"prefix"|"suffix": {"equals-ignore-case": ...}} exists
	AnythingButMore bool    // anything-but accepts wildcard and equals-ignore-case forms
	AnythingButAll  bool    // anything-but on an array needs every element outside (note 17)
	MaxBranches     int     // bound on "$or" expansion; 0 means 1024
}

// Pattern is a compiled pattern: the alternatives left after expanding "$or".
type Pattern struct {
	Branches []*Node
}

// Match reports whether decoded JSON value v satisfies some branch.
func (p *Pattern) Match(v any) bool {
	for _, b := range p.Branches {
		if b.Match(v) {
			return true
		}
	}
	return false
}

// Combinations is SNS's complexity measure: for each "$or" branch the product of the
// number of values in each leaf list, summed over branches [SNS-FPC].
func (p *Pattern) Combinations() int {
	total := 0
	for _, b := range p.Branches {
		total += b.combinations()
		if total > 1<<40 {
			return 1 << 40
		}
	}
	return total
}

// MaxKeys is the largest number of top-level keys in any branch, the count SNS limits
// (nested keys are free in body scope) [SNS-FPC].
func (p *Pattern) MaxKeys() int {
	m := 0
	for _, b := range p.Branches {
		m = max(m, len(b.Fields))
	}
	return m
}

// operatorNames are the keys of operator objects; they may not be used as field names
// inside "$or" alternatives, where they would be ambiguous.
var operatorNames = map[string]bool{
	"prefix": true, "suffix": true, "equals-ignore-case": true, "wildcard": true,
	"anything-but": true, "numeric": true, "exists": true, "cidr": true,
}

// Compile parses and validates src in dialect d. Errors are *Error values naming the
// offending field and the reason, as AWS reports them.
func Compile(src []byte, d *Dialect) (*Pattern, error) {
	c := &compiler{d: d, scale: math.Pow10(d.Decimals), maxBranches: d.MaxBranches}
	if c.maxBranches <= 0 {
		c.maxBranches = 1024
	}
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, c.errf("", "not valid JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, c.errf("", "not valid JSON: unexpected data after the top-level value")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, c.errf("", "Filter is not an object")
	}
	branches, err := c.object(obj, "", false)
	if err != nil {
		return nil, err
	}
	for _, b := range branches {
		b.finish()
	}
	return &Pattern{Branches: branches}, nil
}

type compiler struct {
	d           *Dialect
	scale       float64
	maxBranches int
}

func (c *compiler) errf(path, format string, args ...any) error {
	return &Error{What: c.d.What, Path: path, Reason: fmt.Sprintf(format, args...)}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// object compiles one pattern object into its "$or"-free alternatives. Keys are visited
// in sorted order so that the first error reported does not depend on map order.
func (c *compiler) object(obj map[string]any, path string, inOr bool) ([]*Node, error) {
	if len(obj) == 0 {
		return nil, c.errf(path, "Empty objects are not allowed")
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	acc := []*Node{{}}
	for _, k := range keys {
		v := obj[k]
		p := join(path, k)
		var alts []*Node
		switch {
		case k == "$or":
			arr, ok := v.([]any)
			if !ok {
				return nil, c.errf(p, "must be an array of objects")
			}
			if len(arr) < 2 {
				return nil, c.errf(p, "There must be at least 2 objects in $or")
			}
			for _, a := range arr {
				ao, ok := a.(map[string]any)
				if !ok {
					return nil, c.errf(p, "Only JSON objects are allowed in the array of $or")
				}
				bs, err := c.object(ao, path, true)
				if err != nil {
					return nil, err
				}
				alts = append(alts, bs...)
			}
		case inOr && operatorNames[k]:
			return nil, c.errf(p, "%s is a reserved field name which cannot be used inside $or", k)
		default:
			switch x := v.(type) {
			case map[string]any:
				if !c.d.Nesting {
					return nil, c.errf(p, "nested keys are not allowed in this %s; values must be arrays", c.d.What)
				}
				sub, err := c.object(x, p, inOr)
				if err != nil {
					return nil, err
				}
				for _, s := range sub {
					alts = append(alts, &Node{Fields: []Field{{Key: k, Child: s}}})
				}
			case []any:
				l, err := c.leaf(x, p)
				if err != nil {
					return nil, err
				}
				alts = []*Node{{Fields: []Field{{Key: k, Leaves: []*Leaf{l}}}}}
			default:
				return nil, c.errf(p, "%q must be an object or an array", k)
			}
		}
		if len(acc)*len(alts) > c.maxBranches {
			return nil, c.errf(p, "too many $or combinations (more than %d)", c.maxBranches)
		}
		next := make([]*Node, 0, len(acc)*len(alts))
		for _, a := range acc {
			for _, b := range alts {
				next = append(next, merge(a, b))
			}
		}
		acc = next
	}
	return acc, nil
}

// leaf compiles a list of alternatives.
func (c *compiler) leaf(arr []any, path string) (*Leaf, error) {
	if len(arr) == 0 {
		return nil, c.errf(path, "Empty arrays are not allowed")
	}
	l := &Leaf{conds: make([]cond, 0, len(arr)), scale: c.scale}
	for _, e := range arr {
		var k cond
		switch x := e.(type) {
		case string:
			k = cond{op: opExactString, str: x}
		case json.Number:
			f, err := c.number(x, path, "Match value", c.d.LimitAllNumbers)
			if err != nil {
				return nil, err
			}
			k = cond{op: opExactNumber, num: quantize(f, c.scale)}
		case bool:
			k = cond{op: opExactBool, b: x}
		case nil:
			k = cond{op: opExactNull}
		case map[string]any:
			var err error
			if k, err = c.operator(x, path); err != nil {
				return nil, err
			}
		default:
			return nil, c.errf(path, "Match value must be String, number, true, false, or null")
		}
		if k.op == opExistsFalse {
			l.existsFalse = true
		}
		l.conds = append(l.conds, k)
	}
	return l, nil
}

// number parses a JSON number operand, checking it is finite and, when bounded, within
// the dialect's limit.
func (c *compiler) number(n json.Number, path, what string, bounded bool) (float64, error) {
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, c.errf(path, "%s %s is not a representable number", what, n)
	}
	if bounded && math.Abs(f) > c.d.NumericLimit {
		return 0, c.errf(path, "%s %s is out of range: numbers must be between -%g and %g inclusive", what, n, c.d.NumericLimit, c.d.NumericLimit)
	}
	return f, nil
}
