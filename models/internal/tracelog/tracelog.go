// Package tracelog records narrated events (core.Tracer) as text lines, for the tests
// that check what a model says about a message's life.
package tracelog

import (
	"fmt"

	"msgsim/models/core"
)

// Log keeps narrated events as lines. With Component set it keeps only that component's
// events, as "1.200 s: message m text"; with Component empty it keeps every event, with
// the component's name, as "1.200 s q: message m text".
type Log struct {
	Component string
	Lines     []string
}

// Trace records one event (core.Tracer).
func (l *Log) Trace(e core.TraceEvent) {
	switch {
	case l.Component == "":
		l.Lines = append(l.Lines, fmt.Sprintf("%.3f s %s: message %s %s", e.At.Seconds(), e.Component, e.Message, e.Text))
	case e.Component == l.Component:
		l.Lines = append(l.Lines, fmt.Sprintf("%.3f s: message %s %s", e.At.Seconds(), e.Message, e.Text))
	}
}
