package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"msgsim/models/core"
	"msgsim/scenarios"
)

// traceOptions are the flags of `msgsim trace SCENARIO`.
type traceOptions struct {
	limit   int
	follow  string
	variant string
	sets    []string
	seed    int64
	setSeed bool
}

func newTraceCmd(stdout io.Writer) *cobra.Command {
	var o traceOptions
	cmd := &cobra.Command{
		Use:   "trace SCENARIO",
		Short: "Narrate what happens to the messages of a scenario, event by event",
		Long: `Run replication 0 of a scenario (a YAML file or the name of a built-in scenario) and
print its first events as sentences: when each message was produced, sent, received,
retried, deleted, moved to a dead-letter queue or dropped, with the simulated time and
the component where it happened. The run stops after --limit events.

With --follow ID only the events of one message are printed — every copy of it across
the architecture (fan-out, a function's sends). ID is a message label as the trace prints
it (orders-17) or its trace number (17).

  msgsim trace poison-message-dlq --limit 30
  msgsim trace poison-message-dlq --follow orders-17`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.setSeed = cmd.Flags().Changed("seed")
			if o.limit < 1 {
				return &exitError{code: exitUsage, err: fmt.Errorf("--limit must be at least 1, got %d", o.limit)}
			}
			return runTrace(stdout, args[0], o)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.limit, "limit", 50, "print at most this many events, then stop the run")
	f.StringVar(&o.follow, "follow", "", "print only the life of one message: a label (orders-17) or a trace number")
	f.StringVar(&o.variant, "variant", "", "apply one of the scenario's variants")
	f.StringArrayVar(&o.sets, "set", nil, "override a field: path=value (repeatable)")
	f.Int64Var(&o.seed, "seed", 1, "override the scenario's seed")
	return cmd
}

// runTrace builds replication 0 with a narrating tracer and runs it until the tracer has
// printed its limit of events or the run ends.
func runTrace(w io.Writer, arg string, o traceOptions) error {
	sets := o.sets
	if o.setSeed {
		sets = append(sets[:len(sets):len(sets)], "seed="+strconv.FormatInt(o.seed, 10))
	}
	l, err := loadScenario(arg, o.variant, sets)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	m, err := scenarios.Build(l.file, 0)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	p := newTracePrinter(w, m.World, o.limit, o.follow)
	what := fmt.Sprintf("the first %d events", o.limit)
	if p.following() {
		what = fmt.Sprintf("the life of one message and its copies (at most %d events)", o.limit)
	}
	name := l.file.Name
	if l.file.Variant != "" {
		name += " (variant " + l.file.Variant + ")"
	}
	fmt.Fprintf(w, "%s, replication 0, seed %d: %s\n", name, l.file.Seed, what)
	m.World.SetTracer(p)
	if err := m.World.Run(); err != nil {
		return err
	}
	return p.finish()
}

// tracePrinter is the core.Tracer of `msgsim trace`: it prints each event it keeps as one
// line — simulated time, component, sentence — with the component column as wide as the
// longest component name, and stops the engine once it has printed its limit.
type tracePrinter struct {
	out   io.Writer
	w     *core.World
	limit int
	width int // of the component column

	followLabel string // keep only events of this message label ...
	followTrace uint64 // ... or this trace number (0: keep every event)

	n    int
	last time.Duration
	err  error
}

func newTracePrinter(out io.Writer, w *core.World, limit int, follow string) *tracePrinter {
	p := &tracePrinter{out: out, w: w, limit: limit}
	for _, c := range w.Components() {
		p.width = max(p.width, utf8.RuneCountInString(c.Name()))
	}
	if follow != "" {
		if n, err := strconv.ParseUint(follow, 10, 64); err == nil {
			p.followTrace = n
		} else {
			p.followLabel = follow
		}
	}
	return p
}

func (p *tracePrinter) following() bool { return p.followLabel != "" || p.followTrace != 0 }

// Trace prints e if it is kept, and stops the run at the limit (core.Tracer).
func (p *tracePrinter) Trace(e core.TraceEvent) {
	if p.n >= p.limit || p.err != nil {
		return
	}
	if p.following() && e.Message != p.followLabel && (p.followTrace == 0 || e.Trace != p.followTrace) {
		return
	}
	p.n++
	p.last = e.At
	_, p.err = io.WriteString(p.out, formatTraceEvent(e, p.width))
	if p.n >= p.limit || p.err != nil {
		p.w.Eng.Stop()
	}
}

// finish prints how the trace ended and returns a write error, if any.
func (p *tracePrinter) finish() error {
	if p.err != nil {
		return p.err
	}
	var err error
	switch {
	case p.n >= p.limit:
		_, err = fmt.Fprintf(p.out, "stopped after %d events at %.3f s (--limit)\n", p.n, p.last.Seconds())
	case p.following() && p.n == 0:
		_, err = fmt.Fprintf(p.out, "no event of message %s before the end of the run (%.3f s)\n",
			p.followName(), p.w.End().Seconds())
	default:
		_, err = fmt.Fprintf(p.out, "end of the run at %.3f s: %d events\n", p.w.End().Seconds(), p.n)
	}
	return err
}

func (p *tracePrinter) followName() string {
	if p.followLabel != "" {
		return p.followLabel
	}
	return strconv.FormatUint(p.followTrace, 10)
}

// formatTraceEvent renders one event as "  12.031 s  order-queue  message orders-17 …".
func formatTraceEvent(e core.TraceEvent, width int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%10.3f s  %-*s  ", e.At.Seconds(), width, e.Component)
	if e.Message != "" {
		b.WriteString("message ")
		b.WriteString(e.Message)
		b.WriteString(" ")
	}
	b.WriteString(e.Text)
	b.WriteString("\n")
	return b.String()
}
