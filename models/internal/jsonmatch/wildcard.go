package jsonmatch

import "strings"

// wildcard is a compiled wildcard operand: the literal parts between unescaped stars,
// each "*" standing for any run of characters, possibly empty [E-RULER]. "a*b*c" has parts
// [a b c]; "*a" has ["" a]; a pattern without stars has one part and means equality.
type wildcard struct {
	parts []string
}

// parseWildcard compiles a wildcard operand. "\*" is a literal star and "\\" a literal
// backslash; any other escape, a trailing backslash and two consecutive unescaped stars
// are rejected, as event-ruler does. The second result is the reason for a rejection.
func parseWildcard(p string) (*wildcard, string) {
	w := &wildcard{}
	var cur strings.Builder
	prevStar := false
	for i := 0; i < len(p); i++ {
		switch ch := p[i]; ch {
		case '\\':
			if i+1 >= len(p) || (p[i+1] != '*' && p[i+1] != '\\') {
				return nil, `Invalid escape in wildcard pattern: only \* and \\ are allowed`
			}
			i++
			cur.WriteByte(p[i])
			prevStar = false
		case '*':
			if prevStar {
				return nil, "Consecutive wildcard characters are not allowed"
			}
			w.parts = append(w.parts, cur.String())
			cur.Reset()
			prevStar = true
		default:
			cur.WriteByte(ch)
			prevStar = false
		}
	}
	w.parts = append(w.parts, cur.String())
	return w, ""
}

// match reports whether the whole of s matches. The first part must be a prefix, the last
// a suffix (not overlapping it), and the middle parts must occur in order between them;
// taking each middle part at its leftmost occurrence is exact when "*" is the only
// metacharacter, so matching is linear in len(s) per part.
func (w *wildcard) match(s string) bool {
	if len(w.parts) == 1 {
		return s == w.parts[0]
	}
	first, last := w.parts[0], w.parts[len(w.parts)-1]
	if len(s) < len(first)+len(last) || !strings.HasPrefix(s, first) || !strings.HasSuffix(s, last) {
		return false
	}
	s = s[len(first) : len(s)-len(last)]
	for _, part := range w.parts[1 : len(w.parts)-1] {
		i := strings.Index(s, part)
		if i < 0 {
			return false
		}
		s = s[i+len(part):]
	}
	return true
}
