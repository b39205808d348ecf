// Package filter compiles SNS subscription filter policies and decides which messages
// a subscription receives.
//
// A policy (behaviour reference §3.3) names message attributes — or, with scope
// MessageBody, fields of a JSON message body, nested objects allowed — and lists the
// values each may take: exact strings and numbers, prefix, suffix, equals-ignore-case,
// anything-but (values, numbers, prefix, suffix), numeric ranges, exists and cidr. Keys
// are ANDed, values in a list ORed, and "$or" combines sub-policies. A String.Array
// attribute or body array matches if any element matches, except anything-but, which
// matches only if no element is excluded (note 17).
//
// Constraints are enforced at compile time [SNS-FPC]: at most 5 keys (top-level keys only
// in body scope), at most 150 combinations of values, numbers within ±1e9 compared at 5
// decimal digits, and no nested keys in attribute scope. With "$or", both limits are
// applied per alternative after expansion, combinations summed over alternatives — an
// assumption, the documentation gives only the flat rule.
package filter

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"msgsim/models/internal/jsonmatch"
)

// Scope is where a policy looks: message attributes (the default) or the message body.
type Scope int

// The scopes of FilterPolicyScope.
const (
	MessageAttributes Scope = iota
	MessageBody
)

// String returns the AWS name of the scope.
func (s Scope) String() string {
	if s == MessageBody {
		return "MessageBody"
	}
	return "MessageAttributes"
}

// Limits from [SNS-FPC].
const (
	MaxKeys         = 5
	MaxCombinations = 150
)

// Policy is a compiled filter policy. It is immutable and safe for concurrent use.
type Policy struct {
	p     *jsonmatch.Pattern
	scope Scope
}

// Attribute is one SNS message attribute. Type is "String", "String.Array" (Value holds a
// JSON array), "Number" (Value holds the number as text) or "Binary", which filter
// policies ignore.
type Attribute struct {
	Type  string
	Value string
}

func dialect(scope Scope) *jsonmatch.Dialect {
	return &jsonmatch.Dialect{
		What:            "filter policy",
		Decimals:        5,
		NumericLimit:    1e9,
		LimitAllNumbers: true,
		Nesting:         scope == MessageBody,
		AnythingButAll:  true,
	}
}

// Compile parses and validates a filter policy for the given scope. A policy SNS would
// refuse returns an error giving the reason.
func Compile(policyJSON []byte, scope Scope) (*Policy, error) {
	if scope != MessageAttributes && scope != MessageBody {
		return nil, fmt.Errorf("filter policy scope %d is not MessageAttributes or MessageBody", int(scope))
	}
	p, err := jsonmatch.Compile(policyJSON, dialect(scope))
	if err != nil {
		return nil, err
	}
	if n := p.MaxKeys(); n > MaxKeys {
		return nil, &jsonmatch.Error{What: "filter policy", Reason: fmt.Sprintf("Filter policy can not have more than %d keys (found %d)", MaxKeys, n)}
	}
	if n := p.Combinations(); n > MaxCombinations {
		return nil, &jsonmatch.Error{What: "filter policy", Reason: fmt.Sprintf("Filter policy is too complex: %d combinations of values, the limit is %d", n, MaxCombinations)}
	}
	return &Policy{p: p, scope: scope}, nil
}

// MustCompile is Compile for policies known to be valid; it panics on an invalid one.
func MustCompile(policyJSON string, scope Scope) *Policy {
	p, err := Compile([]byte(policyJSON), scope)
	if err != nil {
		panic(err)
	}
	return p
}

// Scope returns the scope the policy was compiled for.
func (p *Policy) Scope() Scope { return p.scope }

// MatchAttributes reports whether a message with these attributes passes the policy.
// A Binary attribute is ignored, as if absent. A Number whose value is not a number or a
// String.Array whose value is not a JSON array never matches (SNS counts such messages
// under NumberOfNotificationsFilteredOut-InvalidAttributes). A body-scope policy tested
// against attributes sees them as a flat object.
func (p *Policy) MatchAttributes(attrs map[string]Attribute) bool {
	for _, b := range p.p.Branches {
		if matchAttrBranch(b, attrs) {
			return true
		}
	}
	return false
}

func matchAttrBranch(b *jsonmatch.Node, attrs map[string]Attribute) bool {
	for i := range b.Fields {
		f := &b.Fields[i]
		a, ok := attrs[f.Key]
		if ok && a.Type == "Binary" {
			ok = false
		}
		if !ok {
			if f.Child != nil && !f.Child.Match(nil) {
				return false
			}
			for _, l := range f.Leaves {
				if !l.MatchAbsent() {
					return false
				}
			}
			continue
		}
		if f.Child != nil { // an attribute is never an object
			return false
		}
		for _, l := range f.Leaves {
			if !matchAttr(l, a) {
				return false
			}
		}
	}
	return true
}

// matchAttr tests one present, non-Binary attribute against one leaf list.
func matchAttr(l *jsonmatch.Leaf, a Attribute) bool {
	switch a.Type {
	case "String":
		return l.MatchScalar(jsonmatch.StringScalar(a.Value))
	case "Number":
		f, ok := parseNumber(a.Value)
		if !ok {
			return false
		}
		return l.MatchScalar(jsonmatch.NumberScalar(f))
	case "String.Array":
		var arr []any
		if err := json.Unmarshal([]byte(a.Value), &arr); err != nil {
			return false
		}
		return l.MatchValue(arr)
	}
	return false
}

// parseNumber reads a Number attribute: a decimal integer or floating-point number,
// optionally with an exponent; hexadecimal, infinities and NaN are not numbers to SNS.
func parseNumber(v string) (float64, bool) {
	v = strings.TrimSpace(v)
	if strings.ContainsAny(v, "xXpP_iInN") {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

// MatchBody reports whether a message whose body is the given JSON passes the policy.
// The error is non-nil when the body is not valid JSON; SNS filters such messages out.
func (p *Policy) MatchBody(body []byte) (bool, error) {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return false, fmt.Errorf("message body is not valid JSON: %w", err)
	}
	return p.p.Match(v), nil
}

// MatchBodyValue reports whether an already-decoded JSON body passes the policy. It does
// not allocate.
func (p *Policy) MatchBodyValue(body any) bool {
	return p.p.Match(body)
}
