package jsonmatch

import (
	"encoding/json"
)

// single returns the only key and value of an operator object.
func (c *compiler) single(obj map[string]any, path string) (string, any, error) {
	if len(obj) == 0 {
		return "", nil, c.errf(path, "Match expression name not found")
	}
	if len(obj) > 1 {
		return "", nil, c.errf(path, "Only one key allowed in match expression")
	}
	for k, v := range obj {
		return k, v, nil
	}
	panic("unreachable")
}

// operator compiles one operator object such as {"prefix": "a"}.
func (c *compiler) operator(obj map[string]any, path string) (cond, error) {
	name, arg, err := c.single(obj, path)
	if err != nil {
		return cond{}, err
	}
	switch name {
	case "prefix", "suffix":
		plain, fold := opPrefix, opPrefixFold
		if name == "suffix" {
			plain, fold = opSuffix, opSuffixFold
		}
		switch a := arg.(type) {
		case string:
			return cond{op: plain, str: a}, nil
		case map[string]any:
			if c.d.FoldAffix {
				inner, iv, err := c.single(a, path)
				if err != nil {
					return cond{}, err
				}
				s, ok := iv.(string)
				if inner != "equals-ignore-case" || !ok {
					return cond{}, c.errf(path, "Value of %s must be a string or an equals-ignore-case expression", name)
				}
				return cond{op: fold, str: s}, nil
			}
		}
		return cond{}, c.errf(path, "%s match pattern must be a string", name)
	case "equals-ignore-case":
		s, ok := arg.(string)
		if !ok {
			return cond{}, c.errf(path, "equals-ignore-case match pattern must be a string")
		}
		return cond{op: opEqualsFold, str: s}, nil
	case "wildcard":
		if !c.d.Wildcard {
			break
		}
		return c.wildcard(arg, path)
	case "numeric":
		return c.numeric(arg, path)
	case "exists":
		b, ok := arg.(bool)
		if !ok {
			return cond{}, c.errf(path, "exists match pattern must be either true or false.")
		}
		if b {
			return cond{op: opExistsTrue}, nil
		}
		return cond{op: opExistsFalse}, nil
	case "cidr":
		s, ok := arg.(string)
		if !ok {
			return cond{}, c.errf(path, "cidr match pattern must be a string")
		}
		p, err := parseCIDR(s)
		if err != nil {
			return cond{}, c.errf(path, "Malformed CIDR: %q", s)
		}
		return cond{op: opCIDR, cidr: p}, nil
	case "anything-but":
		return c.anythingBut(arg, path)
	}
	return cond{}, c.errf(path, "Unrecognized match type %s", name)
}

func (c *compiler) wildcard(arg any, path string) (cond, error) {
	s, ok := arg.(string)
	if !ok {
		return cond{}, c.errf(path, "wildcard match pattern must be a string")
	}
	w, why := parseWildcard(s)
	if w == nil {
		return cond{}, c.errf(path, "%s", why)
	}
	return cond{op: opWildcard, wild: w}, nil
}

// numeric compiles {"numeric": [op, n]} or {"numeric": [">"|">=", lo, "<"|"<=", hi]}.
func (c *compiler) numeric(arg any, path string) (cond, error) {
	arr, ok := arg.([]any)
	if !ok {
		return cond{}, c.errf(path, "Value of numeric must be an array.")
	}
	if len(arr) != 2 && len(arr) != 4 {
		return cond{}, c.errf(path, "numeric must be [operator, number] or a range [\">\"|\">=\", number, \"<\"|\"<=\", number]")
	}
	term := func(i int) (string, float64, error) {
		opName, ok := arr[i].(string)
		if !ok {
			return "", 0, c.errf(path, "Invalid member in numeric match: %v", arr[i])
		}
		n, ok := arr[i+1].(json.Number)
		if !ok {
			return "", 0, c.errf(path, "Value of %s must be numeric", opName)
		}
		f, err := c.number(n, path, "Value of "+opName, true)
		return opName, f, err
	}
	op0, v0, err := term(0)
	if err != nil {
		return cond{}, err
	}
	k := cond{op: opNumeric}
	q0 := quantize(v0, c.scale)
	switch op0 {
	case "=":
		k.lo, k.hi, k.hasLo, k.hasHi = q0, q0, true, true
	case ">", ">=":
		k.lo, k.hasLo, k.loOpen = q0, true, op0 == ">"
	case "<", "<=":
		k.hi, k.hasHi, k.hiOpen = q0, true, op0 == "<"
	default:
		return cond{}, c.errf(path, "Unrecognized numeric range operator: %s", op0)
	}
	if len(arr) == 2 {
		return k, nil
	}
	if !k.hasLo || k.hasHi {
		return cond{}, c.errf(path, "Too many elements in numeric expression: only a lower bound (> or >=) may be followed by an upper bound")
	}
	op1, v1, err := term(2)
	if err != nil {
		return cond{}, err
	}
	if op1 != "<" && op1 != "<=" {
		return cond{}, c.errf(path, "Bad numeric range operator: %s", op1)
	}
	if v0 >= v1 {
		return cond{}, c.errf(path, "Bottom must be less than top")
	}
	k.hi, k.hasHi, k.hiOpen = quantize(v1, c.scale), true, op1 == "<"
	return k, nil
}

// anythingBut compiles the forms of anything-but: a string, a number, a list all of
// strings or all of numbers, or an object holding prefix, suffix (and, where the dialect
// allows, wildcard or equals-ignore-case) with a string or list of strings.
func (c *compiler) anythingBut(arg any, path string) (cond, error) {
	k := cond{op: opAnythingBut, all: c.d.AnythingButAll}
	switch a := arg.(type) {
	case string:
		k.excl = []cond{{op: opExactString, str: a}}
	case json.Number:
		f, err := c.number(a, path, "Value of anything-but", true)
		if err != nil {
			return cond{}, err
		}
		k.excl = []cond{{op: opExactNumber, num: quantize(f, c.scale)}}
	case []any:
		var strs, nums int
		for _, e := range a {
			switch x := e.(type) {
			case string:
				strs++
				k.excl = append(k.excl, cond{op: opExactString, str: x})
			case json.Number:
				nums++
				f, err := c.number(x, path, "Value of anything-but", true)
				if err != nil {
					return cond{}, err
				}
				k.excl = append(k.excl, cond{op: opExactNumber, num: quantize(f, c.scale)})
			default:
				return cond{}, c.errf(path, "Inside anything-but list, start|null|boolean is not supported.")
			}
		}
		if (strs > 0) == (nums > 0) {
			return cond{}, c.errf(path, "Inside anything-but list, either all values are number or string, mixed type is not supported")
		}
	case map[string]any:
		name, iv, err := c.single(a, path)
		if err != nil {
			return cond{}, err
		}
		var o op
		switch name {
		case "prefix":
			o = opPrefix
		case "suffix":
			o = opSuffix
		case "equals-ignore-case":
			o = opEqualsFold
		case "wildcard":
			o = opWildcard
		}
		if o == 0 || (!c.d.AnythingButMore && (o == opEqualsFold || o == opWildcard)) {
			return cond{}, c.errf(path, "Unsupported anything-but pattern: %s", name)
		}
		var operands []any
		switch x := iv.(type) {
		case string:
			operands = []any{x}
		case []any:
			if len(x) == 0 {
				return cond{}, c.errf(path, "Empty arrays are not allowed")
			}
			operands = x
		default:
			return cond{}, c.errf(path, "Value of anything-but %s must be a string or an array of strings", name)
		}
		for _, e := range operands {
			s, ok := e.(string)
			if !ok {
				return cond{}, c.errf(path, "Value of anything-but %s must be a string or an array of strings", name)
			}
			if s == "" && (o == opPrefix || o == opSuffix) {
				return cond{}, c.errf(path, "Null prefix/suffix not allowed")
			}
			if o == opWildcard {
				w, err := c.wildcard(s, path)
				if err != nil {
					return cond{}, err
				}
				k.excl = append(k.excl, w)
				continue
			}
			k.excl = append(k.excl, cond{op: o, str: s})
		}
	default:
		return cond{}, c.errf(path, "Value of anything-but must be an array or single string/number value.")
	}
	return k, nil
}
