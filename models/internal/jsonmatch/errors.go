package jsonmatch

import "fmt"

// Error says why a pattern was rejected, in the wording AWS uses where we know it.
// Path is the dotted path of the offending field ("" for the pattern as a whole).
type Error struct {
	What   string // "event pattern" or "filter policy"
	Path   string
	Reason string
}

func (e *Error) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("%s is not valid: %s", e.What, e.Reason)
	}
	return fmt.Sprintf("%s is not valid: %s: %s", e.What, e.Path, e.Reason)
}
