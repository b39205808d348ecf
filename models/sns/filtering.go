package sns

import (
	"msgsim/models/core"
	"msgsim/models/sns/filter"
)

// renderer shows a published message to filter policies: as SNS message attributes
// (strings as Type "String", numbers as "Number") for MessageAttributes scope, and as a
// flat JSON object of the same attributes for MessageBody scope (the simulator's messages
// carry their body fields as attributes). Both views are scratch maps the topic reuses,
// built at most once per publish and only if some subscription's policy needs them.
type renderer struct {
	w                   *core.World
	needAttrs, needBody bool

	names   [][]string // attribute names by producer index
	known   []bool     // names[p] was looked up
	named   []core.NamedAttr
	attrs   map[string]filter.Attribute
	body    map[string]any
	boxed   []any // interned strings boxed once, by string id, for the body view
	msg     core.MsgID
	done    uint8 // which views are built for msg
	invalid bool  // a numeric attribute is not a finite number
}

const (
	builtNamed uint8 = 1 << iota
	builtAttrs
	builtBody
)

func newRenderer(w *core.World) renderer {
	return renderer{w: w, attrs: make(map[string]filter.Attribute), body: make(map[string]any)}
}

// need records that some policy looks at the given scope.
func (r *renderer) need(s filter.Scope) {
	if s == filter.MessageBody {
		r.needBody = true
	} else {
		r.needAttrs = true
	}
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
	}
	if !r.known[p] {
		r.names[p], r.known[p] = r.w.AttrNames(p), true
	}
	return r.names[p]
}

func (r *renderer) buildNamed() {
	if r.done&builtNamed != 0 {
		return
	}
	r.done |= builtNamed
	names := r.namesOf(r.w.Msg(r.msg).Producer)
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
	for _, a := range r.named {
		typ := "String"
		if a.IsNumber() {
			typ = "Number"
		}
		r.attrs[a.Name] = filter.Attribute{Type: typ, Value: r.w.AttrText(a.Value)}
	}
}

func (r *renderer) buildBody() {
	if r.done&builtBody != 0 {
		return
	}
	r.done |= builtBody
	clear(r.body)
	for _, a := range r.named {
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
