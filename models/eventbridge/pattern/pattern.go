// Package pattern compiles EventBridge event patterns and matches events against them.
//
// A pattern is a JSON object shaped like the events it selects (behaviour reference §4.2):
// every field it names must match (AND), each leaf is an array of alternatives (OR) that
// are literals — strings, numbers compared numerically, true, false, null — or operator
// objects: prefix, suffix, equals-ignore-case, prefix/suffix with equals-ignore-case,
// wildcard, anything-but (values, prefix, suffix, wildcard, equals-ignore-case), numeric,
// exists and cidr. "$or" takes two or more sub-patterns. An event array matches if any
// element does; across arrays of objects, conditions written in one pattern object must
// hold in the same element (array-consistent matching, [E-RULER]).
//
// Assumptions where AWS is silent (see the README model notes): numbers compare at 6
// decimal digits [E-FILTER]; numeric operands lie in ±1e9 (not event-ruler's ±5e9);
// anything-but on an event array matches if some element is not excluded, as event-ruler
// does; [null] matches a JSON null and [""] an empty string, never each other (note 24);
// a field whose value is an object, an empty array or an array of objects only has no
// leaf value, so only {"exists": false} matches it there.
package pattern

import (
	"encoding/json"
	"fmt"

	"msgsim/models/internal/jsonmatch"
)

// dialect is EventBridge's version of the shared language.
var dialect = jsonmatch.Dialect{
	What:            "event pattern",
	Decimals:        6,
	NumericLimit:    1e9,
	Nesting:         true,
	Wildcard:        true,
	FoldAffix:       true,
	AnythingButMore: true,
}

// Pattern is a compiled event pattern. It is immutable and safe for concurrent use.
type Pattern struct {
	p *jsonmatch.Pattern
}

// Compile parses and validates an event pattern. Patterns that EventBridge rejects
// (not an object, a bare value instead of an array, an empty array or object, an unknown
// operator, a malformed numeric range, mixed anything-but list types, "**" in a
// wildcard, "$or" with fewer than two alternatives ...) return an error saying why.
func Compile(patternJSON []byte) (*Pattern, error) {
	p, err := jsonmatch.Compile(patternJSON, &dialect)
	if err != nil {
		return nil, err
	}
	return &Pattern{p: p}, nil
}

// MustCompile is Compile for patterns known to be valid, such as constants in tests and
// examples; it panics on an invalid pattern.
func MustCompile(patternJSON string) *Pattern {
	p, err := Compile([]byte(patternJSON))
	if err != nil {
		panic(err)
	}
	return p
}

// Match reports whether the JSON event matches. The error is non-nil only when the event
// is not valid JSON.
func (p *Pattern) Match(event []byte) (bool, error) {
	var v any
	if err := json.Unmarshal(event, &v); err != nil {
		return false, fmt.Errorf("event is not valid JSON: %w", err)
	}
	return p.p.Match(v), nil
}

// MatchValue reports whether an already-decoded event matches. Objects are
// map[string]any, arrays []any, and leaves string, float64 or json.Number (int and int64
// are accepted too), bool or nil, as encoding/json produces them. It does not allocate.
func (p *Pattern) MatchValue(event any) bool {
	return p.p.Match(event)
}
