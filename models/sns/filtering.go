package sns

import (
	"encoding/json"
	"slices"
	"strconv"
	"unsafe"

	"msgsim/models/core"
	"msgsim/models/sns/filter"
)

// renderer shows a published message to filter policies: as SNS message attributes
// (strings as Type "String", numbers as "Number") for MessageAttributes scope, and as a
// flat JSON object of the same attributes for MessageBody scope (the simulator's messages
// carry their body fields as attributes). Both views are scratch maps the topic reuses,
// built at most once per publish and only if some subscription's policy needs them.
//
// A publish allocates nothing: a view holds only the attributes some policy of its scope
// names (a policy looks up nothing else), so that the body view boxes numbers only when a
// body policy names them, and numbers are shown to attribute policies as text written into
// one scratch buffer (see numText).
type renderer struct {
	w                   *core.World
	needAttrs, needBody bool
	// attrKeys and bodyKeys are the top-level keys that the attribute-scope and the
	// body-scope policies name; allAttrs and allBody mean some policy's keys could not be
	// listed, so that the view shows every attribute.
	attrKeys, bodyKeys map[string]bool
	allAttrs, allBody  bool
	// text holds the numbers of the current publish as text; the attribute view's Number
	// values are strings over it, valid until buildAttrs starts the next publish.
	text []byte

	names [][]string // attribute names by producer index
	known []bool     // names[p] was looked up
	// attrNames[p] is the part of names[p] that attribute policies name (attrKeys; all of
	// them with allAttrs), found once per producer rather than by a map lookup per
	// attribute per publish; attrNow is the current message's.
	attrNames [][]string
	attrNow   []string
	named     []core.NamedAttr
	attrs     map[string]filter.Attribute
	body      map[string]any
	boxed     []any // interned strings boxed once, by string id, for the body view
	msg       core.MsgID
	done      uint8 // which views are built for msg
	invalid   bool  // a numeric attribute is not a finite number
}

const (
	builtNamed uint8 = 1 << iota
	builtAttrs
	builtBody
)

func newRenderer(w *core.World) renderer {
	return renderer{w: w, attrs: make(map[string]filter.Attribute), body: make(map[string]any),
		attrKeys: make(map[string]bool), bodyKeys: make(map[string]bool)}
}

// need records that a policy (valid JSON, already compiled) looks at the given scope and
// at the top-level keys it names.
func (r *renderer) need(s filter.Scope, policy []byte) {
	keys, all := r.attrKeys, &r.allAttrs
	if s == filter.MessageBody {
		r.needBody = true
		keys, all = r.bodyKeys, &r.allBody
	} else {
		r.needAttrs = true
	}
	var v any
	if err := json.Unmarshal(policy, &v); err != nil || !policyKeys(v, keys) {
		*all = true
	}
}

// policyKeys adds to keys the top-level keys of a filter policy: its fields and, through
// "$or", those of each alternative. It reports false if the policy is not shaped so.
func policyKeys(v any, keys map[string]bool) bool {
	obj, ok := v.(map[string]any)
	if !ok {
		return false
	}
	for k, x := range obj {
		if k != "$or" {
			keys[k] = true
			continue
		}
		alts, ok := x.([]any)
		if !ok {
			return false
		}
		for _, a := range alts {
			if !policyKeys(a, keys) {
				return false
			}
		}
	}
	return true
}

// reset starts rendering message m (lazily).
func (r *renderer) reset(m core.MsgID) { r.msg, r.done = m, 0 }

// namesOf returns the attribute names of a producer, looked up once.
func (r *renderer) namesOf(p int32) []string {
	if p < 0 {
		return nil
	}
	for int(p) >= len(r.names) {
		r.names = append(r.names, nil)
		r.known = append(r.known, false)
		r.attrNames = append(r.attrNames, nil)
	}
	if !r.known[p] {
		r.names[p], r.known[p] = r.w.AttrNames(p), true
		for _, n := range r.names[p] {
			if r.allAttrs || r.attrKeys[n] {
				r.attrNames[p] = append(r.attrNames[p], n)
			}
		}
	}
	return r.names[p]
}

func (r *renderer) buildNamed() {
	if r.done&builtNamed != 0 {
		return
	}
	r.done |= builtNamed
	p := r.w.Msg(r.msg).Producer
	names := r.namesOf(p)
	r.attrNow = nil
	if p >= 0 {
		r.attrNow = r.attrNames[p]
	}
	r.named = r.w.AppendAttrs(r.named[:0], names, r.msg)
	r.invalid = false
	for _, a := range r.named {
		if a.IsNumber() && !core.ValidNumber(a.Value.Num) {
			r.invalid = true
		}
	}
}

func (r *renderer) buildAttrs() {
	if r.done&builtAttrs != 0 {
		return
	}
	r.done |= builtAttrs
	clear(r.attrs)
	r.text = r.text[:0]
	for _, a := range r.named {
		if !slices.Contains(r.attrNow, a.Name) {
			continue
		}
		if a.IsNumber() {
			r.attrs[a.Name] = filter.Attribute{Type: "Number", Value: r.numText(a.Value.Num)}
			continue
		}
		r.attrs[a.Name] = filter.Attribute{Type: "String", Value: r.w.AttrText(a.Value)}
	}
}

// numText returns f as core.World.AttrText writes it (shortest 'g' form, which reads back
// as exactly f), without allocating: the text is appended to r.text and returned as a
// string over those bytes. That is sound because the bytes are never written again while
// the string is in use: the string lives only in r.attrs, which the filter reads without
// keeping, and r.attrs is cleared before r.text is reused for the next publish. (If append
// moves r.text, earlier strings keep the old array alive and unchanged.)
func (r *renderer) numText(f float64) string {
	start := len(r.text)
	r.text = strconv.AppendFloat(r.text, f, 'g', -1, 64)
	return unsafe.String(&r.text[start], len(r.text)-start)
}

func (r *renderer) buildBody() {
	if r.done&builtBody != 0 {
		return
	}
	r.done |= builtBody
	clear(r.body)
	for _, a := range r.named {
		if !r.allBody && !r.bodyKeys[a.Name] {
			continue
		}
		if a.IsNumber() {
			r.body[a.Name] = a.Value.Num
			continue
		}
		id := a.Value.Str
		for int(id) >= len(r.boxed) {
			r.boxed = append(r.boxed, nil)
		}
		if r.boxed[id] == nil {
			r.boxed[id] = r.w.Strings.Name(id)
		}
		r.body[a.Name] = r.boxed[id]
	}
}

// match tests policy p against the current message. noAttrs reports an attribute-scope
// policy meeting a message without attributes; invalid a message with a numeric attribute
// that is not a finite number — SNS rejects the attribute (attribute scope) or cannot
// parse the body (body scope), so such a message never matches; both are counted under the
// -NoMessageAttributes and -InvalidAttributes variants of NumberOfNotificationsFilteredOut.
func (r *renderer) match(p *filter.Policy) (ok, noAttrs, invalid bool) {
	r.buildNamed()
	if r.invalid {
		return false, false, true
	}
	if p.Scope() == filter.MessageBody {
		r.buildBody()
		return p.MatchBodyValue(r.body), false, false
	}
	r.buildAttrs()
	if p.MatchAttributes(r.attrs) {
		return true, false, false
	}
	return false, len(r.named) == 0, false
}
