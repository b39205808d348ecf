package eventbridge

import (
	"fmt"
	"strconv"
)

// jsonPath is a compiled JSON path of the subset EventBridge evaluates in InputPath and
// InputPathsMap ([E-INPUTTR]): "$" followed by dot-notation keys (letters, digits, dashes,
// underscores, forward slashes and other characters except . [ ] * and spaces), array
// indices [n], and the wildcards .* and [*]. Bracket notation for keys is not allowed.
type jsonPath struct {
	text string
	segs []pathSeg
	wild bool // has a wildcard: the result is the array of every match
}

type pathSeg struct {
	key   string
	index int
	kind  uint8
}

const (
	segKey uint8 = iota
	segIndex
	segWild
)

// compilePath parses a JSON path.
func compilePath(s string) (jsonPath, error) {
	p := jsonPath{text: s}
	if s == "" || s[0] != '$' {
		return p, fmt.Errorf("JSON path %q must start with $", s)
	}
	i := 1
	for i < len(s) {
		switch s[i] {
		case '.':
			i++
			if i < len(s) && s[i] == '*' {
				p.segs = append(p.segs, pathSeg{kind: segWild})
				p.wild = true
				i++
				continue
			}
			j := i
			for j < len(s) && keyChar(s[j]) {
				j++
			}
			if j == i {
				return p, fmt.Errorf("JSON path %q: empty key at offset %d", s, i)
			}
			p.segs = append(p.segs, pathSeg{key: s[i:j], kind: segKey})
			i = j
		case '[':
			j := i + 1
			for j < len(s) && s[j] != ']' {
				j++
			}
			if j == len(s) {
				return p, fmt.Errorf("JSON path %q: unclosed [", s)
			}
			inner := s[i+1 : j]
			if inner == "*" {
				p.segs = append(p.segs, pathSeg{kind: segWild})
				p.wild = true
			} else {
				n, err := strconv.Atoi(inner)
				if err != nil || n < 0 {
					return p, fmt.Errorf("JSON path %q: [%s] is not an array index (use dot notation for keys)", s, inner)
				}
				p.segs = append(p.segs, pathSeg{index: n, kind: segIndex})
			}
			i = j + 1
		default:
			return p, fmt.Errorf("JSON path %q: unexpected %q at offset %d", s, s[i], i)
		}
	}
	return p, nil
}

func keyChar(c byte) bool {
	switch c {
	case '.', '[', ']', '*', ' ', '\t', '\n', '\r', '"', '\'':
		return false
	}
	return true
}

// eval returns the value the path selects in v. Without a wildcard it does not allocate;
// with one it collects every match into a new array (nothing matched is no value).
func (p *jsonPath) eval(v any) (any, bool) {
	if !p.wild {
		for _, s := range p.segs {
			var ok bool
			if v, ok = step(v, s); !ok {
				return nil, false
			}
		}
		return v, true
	}
	var out []any
	p.collect(v, 0, &out)
	if len(out) == 0 {
		return nil, false
	}
	return out, true
}

func (p *jsonPath) collect(v any, i int, out *[]any) {
	if i == len(p.segs) {
		*out = append(*out, v)
		return
	}
	s := p.segs[i]
	if s.kind != segWild {
		if next, ok := step(v, s); ok {
			p.collect(next, i+1, out)
		}
		return
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			p.collect(e, i+1, out)
		}
	case map[string]any:
		for _, k := range sortedKeys(x) { // a fixed order: never map order in any output
			p.collect(x[k], i+1, out)
		}
	}
}

func step(v any, s pathSeg) (any, bool) {
	switch s.kind {
	case segKey:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		x, ok := m[s.key]
		return x, ok
	case segIndex:
		a, ok := v.([]any)
		if !ok || s.index >= len(a) {
			return nil, false
		}
		return a[s.index], true
	}
	return nil, false
}

// first is the first key of the path ("" for "$" or a path starting with an index or
// wildcard): the envelope field it reads.
func (p *jsonPath) first() string {
	if len(p.segs) == 0 || p.segs[0].kind != segKey {
		return ""
	}
	return p.segs[0].key
}
