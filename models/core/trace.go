package core

import (
	"fmt"
	"strconv"
	"time"
)

// Tracer receives the narrated events of a run, for `msgsim trace` and for teaching: one
// call per thing that happened to a message ("received by inventory (receive 2; visible
// again at 42.031 s)"). Tracing is off unless a Tracer is set, and models guard every
// narration with World.Tracing so an untraced run pays one branch per event.
type Tracer interface {
	Trace(e TraceEvent)
}

// TraceEvent is one narrated event.
type TraceEvent struct {
	At        time.Duration
	Component string
	Trace     uint64 // the message's trace id (copies share it); 0 for events about no message
	Message   string // the message's label, e.g. "orders-17"; "" for none
	Text      string
}

// SetTracer turns narration on (nil turns it off).
func (w *World) SetTracer(t Tracer) { w.tracer = t }

// Tracing reports whether narration is on. Models call it before formatting anything.
func (w *World) Tracing() bool { return w.tracer != nil }

// Tracef narrates an event of component c about message m (NoMsg for none). Call it only
// when Tracing() is true: formatting allocates.
func (w *World) Tracef(c ComponentID, m MsgID, format string, args ...any) {
	if w.tracer == nil {
		return
	}
	e := TraceEvent{At: w.Now(), Text: fmt.Sprintf(format, args...)}
	if c >= 0 && int(c) < len(w.components) {
		e.Component = w.components[c].Name()
	}
	if m >= 0 && int(m) < len(w.msgs.msgs) {
		e.Trace = w.msgs.msgs[m].Trace
		e.Message = w.MsgLabel(m)
	}
	w.tracer.Trace(e)
}

// MsgLabel names a message for people: its producer's name and trace number
// ("orders-17"). Copies of one produced message share the label.
func (w *World) MsgLabel(m MsgID) string {
	msg := &w.msgs.msgs[m]
	prefix := "msg"
	if p := w.paths.producers; int(msg.Producer) < len(p) && msg.Producer >= 0 {
		prefix = p[msg.Producer]
	}
	return prefix + "-" + strconv.FormatUint(msg.Trace, 10)
}
