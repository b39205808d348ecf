package core

import (
	"math"
	"strconv"
)

// AttrSchema is implemented by the sources of messages (producers): AttrNames()[i] names
// World.Attrs(m)[i] of every message whose Producer is Index(). Routers that match on
// attribute names (SNS filter policies, EventBridge patterns) find the names through
// World.AttrNames. Slots beyond len(AttrNames()) carry nothing.
//
// The schema is found by asking the components rather than stored in the World, so that a
// message source needs no registration step beyond World.Add; *producer.Producer
// implements it.
type AttrSchema interface {
	Component
	Index() int32
	AttrNames() []string
}

// AttrNames returns the attribute names of the messages of producer index p, or nil when
// no component declares a schema for it (its messages then carry no attributes). It scans
// the components, so callers look a producer up once and keep the answer (in a slice
// indexed by producer, never a map that is iterated).
func (w *World) AttrNames(producer int32) []string {
	for _, c := range w.components {
		if s, ok := c.(AttrSchema); ok && s.Index() == producer {
			return s.AttrNames()
		}
	}
	return nil
}

// NamedAttr is one attribute a message carries, with its name: a string (Value.Str ≥ 0,
// an id in World.Strings) or a number (Value.Str == AttrNumber).
type NamedAttr struct {
	Name  string
	Value AttrValue
}

// IsNumber reports whether the attribute is a number.
func (a NamedAttr) IsNumber() bool { return a.Value.Str == AttrNumber }

// AppendAttrs appends to dst the attributes message m carries under the given names (from
// AttrNames of m's producer), in schema order, skipping absent ones, and returns the
// extended slice. With a dst of enough capacity it does not allocate, so a router keeps
// one scratch slice and passes dst[:0] on every message.
func (w *World) AppendAttrs(dst []NamedAttr, names []string, m MsgID) []NamedAttr {
	attrs := w.Attrs(m)
	for i, name := range names {
		if i >= MaxAttrs {
			break
		}
		v := attrs[i]
		if v.Str == AttrAbsent || (v.Str >= 0 && int(v.Str) >= w.Strings.Len()) || v.Str < AttrNumber {
			continue
		}
		dst = append(dst, NamedAttr{Name: name, Value: v})
	}
	return dst
}

// AttrText renders an attribute value as text: the interned string, or the number in the
// shortest decimal form that reads back exactly ("80.5", "1e+21"). Non-finite numbers
// render as "NaN", "+Inf", "-Inf", which message-attribute parsers reject as invalid.
// Numbers allocate; strings do not.
func (w *World) AttrText(v AttrValue) string {
	switch {
	case v.Str >= 0:
		return w.Strings.Name(v.Str)
	case v.Str == AttrNumber:
		return strconv.FormatFloat(v.Num, 'g', -1, 64)
	}
	return ""
}

// ValidNumber reports whether a numeric attribute value can be sent at all (finite).
func ValidNumber(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
