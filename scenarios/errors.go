package scenarios

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Loc is where a value came from: the file (or "--set" for a command-line override), the
// 1-based line and column of its YAML node, and its dotted field path
// (resources.inventory.trigger.batch_size; list items by index: steps.0.send).
//
// Values that later validation must point at (references, threshold expressions) keep a
// Loc, so an error found after decoding still reads file:line:col: path: message.
type Loc struct {
	File   string
	Line   int
	Column int
	Path   string
}

// Errorf returns an error located at l.
func (l Loc) Errorf(format string, args ...any) Error {
	return Error{File: l.File, Line: l.Line, Column: l.Column, Path: l.Path, Message: fmt.Sprintf(format, args...)}
}

// Error is one problem found in a scenario, with its position and field path.
type Error struct {
	File    string
	Line    int
	Column  int
	Path    string // dotted field path; empty for problems with the document as a whole
	Message string
}

// Error formats e as FILE:LINE:COL: PATH: MESSAGE (PATH and its colon are left out when
// empty), the form editors and terminals turn into a link to the position.
func (e Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: ", e.File, e.Line, e.Column)
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// ErrorList collects every problem in a scenario so that a user fixes them all in one pass
// instead of one per run. The zero value is an empty list ready to use.
type ErrorList []Error

// Add appends e.
func (l *ErrorList) Add(e Error) { *l = append(*l, e) }

// Sort orders the list by file, line, column, path and message, and removes exact
// duplicates, so the same input always renders the same text.
func (l *ErrorList) Sort() {
	slices.SortStableFunc(*l, compareErrors)
	*l = slices.CompactFunc(*l, func(a, b Error) bool { return a == b })
}

func compareErrors(a, b Error) int {
	// Problems in command-line overrides (file "--set") come after the scenario's own.
	isSet := func(e Error) int {
		if e.File == setFile {
			return 1
		}
		return 0
	}
	return cmp.Or(
		cmp.Compare(isSet(a), isSet(b)),
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		cmp.Compare(a.Path, b.Path),
		cmp.Compare(a.Message, b.Message),
	)
}

// Error renders the whole list, one problem per line, in sorted order.
func (l ErrorList) Error() string { return FormatErrors(l) }

// Err returns the sorted list as an error, or nil if it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	s := slices.Clone(l)
	s.Sort()
	return s
}

// FormatErrors formats the problems one per line, sorted by position, ending without a newline.
func FormatErrors(l ErrorList) string {
	s := slices.Clone(l)
	s.Sort()
	lines := make([]string, len(s))
	for i, e := range s {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// suggest returns the candidate closest to s by edit distance if it is close enough to be
// a plausible typo (at most a third of the longer word, and at least 1), or "".
// Ties go to the earlier candidate, so callers pass candidates in a fixed order.
func suggest(s string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		dist := levenshtein(strings.ToLower(s), strings.ToLower(c))
		limit := max(1, max(len(s), len(c))/3)
		if dist <= limit && (bestDist < 0 || dist < bestDist) {
			best, bestDist = c, dist
		}
	}
	return best
}

// didYouMean renders a suggestion suffix like ` (did you mean "orders"?)`, or "".
func didYouMean(s string, candidates []string) string {
	if c := suggest(s, candidates); c != "" {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	return ""
}

// levenshtein is the edit distance between a and b counting insertions, deletions,
// substitutions and transpositions of adjacent letters (optimal string alignment), since
// swapped letters ("nmae", "sned") are the commonest typo.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// d[i][j] is the distance between ra[:i] and rb[:j].
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
