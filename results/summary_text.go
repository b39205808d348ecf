package results

import (
	"io"
	"strconv"
	"strings"
	"time"

	"msgsim/models/core"
)

// TextOptions are the choices of the terminal summary.
type TextOptions struct {
	// Color adds ANSI colours (the CLI sets it when stdout is a terminal); summary.txt is
	// always written without.
	Color bool
	// Width is the line width the tables aim for; 0 means 100.
	Width int
	// OmitWall leaves out the wall time and events per wall second, the only figures that
	// differ between two runs of the same scenario and seed (summary.txt omits them).
	OmitWall bool
}

// WriteText writes the end-of-run summary, k6-style: the run header, end-to-end latency
// per path, the main figures of each component by kind, the message-conservation line,
// the cost and the thresholds. With replications every figure is a mean ± the half-width
// of its 95% confidence interval.
func WriteText(w io.Writer, s *Summary, opts TextOptions) error {
	_, err := io.WriteString(w, Text(s, opts))
	return err
}

// Text returns what WriteText writes.
func Text(s *Summary, opts TextOptions) string {
	st := styler(opts.Color)
	maxW := opts.Width
	if maxW <= 0 {
		maxW = 100
	}
	var b strings.Builder
	reps := s.Replications
	stat := func(x Stat, f func(float64) string) string { return formatStat(x, reps, f) }
	section := func(title string) {
		b.WriteByte('\n')
		b.WriteString(st.bold(title))
		b.WriteByte('\n')
	}

	// Header.
	b.WriteString(st.bold("scenario ") + s.Scenario)
	if s.Description != "" {
		b.WriteString(" — " + s.Description)
	}
	b.WriteByte('\n')
	hdr := []string{"seed " + strconv.FormatUint(s.Seed, 10)}
	if reps == 1 {
		hdr = append(hdr, "1 replication")
	} else {
		hdr = append(hdr, strconv.Itoa(reps)+" replications")
	}
	sim := "simulated " + durationText(s.DurationSeconds)
	if s.WarmupSeconds > 0 {
		sim += " after " + durationText(s.WarmupSeconds) + " warm-up"
	}
	hdr = append(hdr, sim)
	b.WriteString(strings.Join(hdr, " · ") + "\n")
	perRep := ""
	if reps > 1 {
		perRep = " per replication"
	}
	if opts.OmitWall {
		b.WriteString(formatNumber(s.EventsFired.Mean) + " events" + perRep)
	} else {
		b.WriteString("wall " + formatSeconds(s.WallSeconds) + " · " + formatNumber(s.EventsFired.Mean) + " events" + perRep)
	}
	if s.EventsPerSecond.Mean > 0 && !opts.OmitWall {
		b.WriteString(" · " + formatNumber(s.EventsPerSecond.Mean) + " events/s")
	}
	b.WriteByte('\n')

	// Paths.
	if len(s.Paths) > 0 {
		section("end-to-end latency")
		t := &table{header: []string{"path", "count", "p50", "p90", "p95", "p99", "max", "throughput"}}
		for _, p := range s.Paths {
			t.add(p.Name, stat(p.Count, formatNumber), stat(p.P50, formatSeconds), stat(p.P90, formatSeconds),
				stat(p.P95, formatSeconds), stat(p.P99, formatSeconds), stat(p.Max, formatSeconds),
				stat(p.Throughput, formatNumber)+"/s")
		}
		t.render(&b, maxW, st)
	}

	// Components, grouped by kind in a fixed order of groups.
	for _, g := range componentGroups {
		g = g.visible(s.Components)
		t := &table{header: append([]string{g.title}, g.labels()...)}
		for i := range s.Components {
			c := &s.Components[i]
			if !g.has(c.Kind) {
				continue
			}
			row := []string{c.Name}
			for _, col := range g.cols {
				row = append(row, col.cell(c, reps))
			}
			t.add(row...)
		}
		if len(t.rows) > 0 {
			b.WriteByte('\n')
			t.render(&b, maxW, st)
		}
	}
	other := &table{header: []string{"other", "metric", "value"}}
	for i := range s.Components {
		c := &s.Components[i]
		if knownGroup(c.Kind) {
			continue
		}
		for _, m := range c.Metrics {
			if m.Counter != nil && m.Counter.Total.Mean != 0 { // non-zero counters only
				other.add(c.Name, m.Name, stat(m.Counter.Total, formatNumber))
			}
		}
	}
	if len(other.rows) > 0 {
		b.WriteByte('\n')
		other.render(&b, maxW, st)
	}

	// Conservation.
	cv := s.Conservation
	line := core.Conservation{Produced: cv.Produced, Derived: cv.Derived, Consumed: cv.Consumed,
		Dropped: cv.Dropped, InDLQ: cv.InDLQ, InFlight: cv.InFlight, Held: cv.Held, Live: cv.Live, OK: cv.OK}.String()
	if reps > 1 {
		section("messages (all " + strconv.Itoa(reps) + " replications together)")
		if cv.Broken > 0 {
			line += " in " + strconv.Itoa(cv.Broken) + " of them"
		}
	} else {
		section("messages")
	}
	line = strings.Replace(line, "✓", st.green("✓"), 1)
	if i := strings.Index(line, "✗"); i >= 0 {
		line = line[:i] + st.red(line[i:])
	}
	b.WriteString("  " + line + "\n")
	var drops []string
	for _, d := range cv.Drops {
		if d.Count > 0 {
			drops = append(drops, d.Component+": "+d.Reason+" "+formatNumber(float64(d.Count)))
		}
	}
	wrapList(&b, "  dropped: ", drops, maxW)

	// Cost.
	section("cost")
	ct := &table{header: []string{"component", "kind", "per run", "per month"}}
	var unpriced []string
	for _, c := range s.Cost.Components {
		if c.Unpriced != "" {
			unpriced = append(unpriced, c.Name)
			continue
		}
		ct.add(c.Name, c.Kind, stat(c.PerRun, formatMoney), stat(c.PerMonth, formatMoney))
	}
	ct.add("total", "", stat(s.Cost.PerRun, formatMoney), stat(s.Cost.PerMonth, formatMoney))
	ct.render(&b, maxW, st)
	note := "  pricing " + s.Cost.PricingVersion + " (us-east-1) · per month = post-warm-up rate × 30 days · free tier "
	if s.Cost.FreeTier {
		note += "applied"
	} else {
		note += "not applied"
	}
	b.WriteString(note + "\n")
	wrapList(&b, "  no price ($0): ", unpriced, maxW)

	// Thresholds.
	if len(s.Thresholds) > 0 {
		section("thresholds")
		w, oneLine := 0, true
		for _, r := range s.Thresholds {
			w = max(w, width(r.Expr))
		}
		for _, r := range s.Thresholds {
			oneLine = oneLine && 4+w+2+width(r.Detail) <= maxW
		}
		for _, r := range s.Thresholds {
			mark := st.green("✓")
			if !r.OK {
				mark = st.red("✗")
			}
			if oneLine {
				b.WriteString("  " + mark + " " + pad(r.Expr, w, false) + "  " + r.Detail + "\n")
			} else { // too wide for one line: every detail goes under its expression
				b.WriteString("  " + mark + " " + r.Expr + "\n      " + r.Detail + "\n")
			}
		}
		failed := 0
		for _, r := range s.Thresholds {
			if !r.OK {
				failed++
			}
		}
		if failed == 0 {
			b.WriteString("  " + st.green("all "+strconv.Itoa(len(s.Thresholds))+" thresholds passed") + "\n")
		} else {
			b.WriteString("  " + st.red(strconv.Itoa(failed)+" of "+strconv.Itoa(len(s.Thresholds))+" thresholds failed") + "\n")
		}
	}
	return b.String()
}

// wrapList writes items after prefix, separated by " · ", continuing on lines indented
// like the first item when a line would pass maxW. Nothing is written for no items.
func wrapList(b *strings.Builder, prefix string, items []string, maxW int) {
	if len(items) == 0 {
		return
	}
	indent := strings.Repeat(" ", width(prefix))
	line := prefix + items[0]
	for _, it := range items[1:] {
		if width(line)+3+width(it) > maxW {
			b.WriteString(line + "\n")
			line = indent + it
			continue
		}
		line += " · " + it
	}
	b.WriteString(line + "\n")
}

// durationText renders a simulated duration in Go's notation (10m0s, 1h30m0s, 500ms).
func durationText(sec float64) string {
	return time.Duration(sec * float64(time.Second)).Round(time.Millisecond).String()
}

// A column of a component table: a label and how to read its cell. A column with onlyIf
// set is shown only when some component of the table has that metric (provisioned
// concurrency, which most functions lack), so tables without it stay as they were.
type column struct {
	label  string
	cell   func(c *ComponentStats, reps int) string
	onlyIf string
}

// onlyWith makes col an optional column, shown when some component has metric.
func onlyWith(metric string, col column) column {
	col.onlyIf = metric
	return col
}

// visible is the group's columns for the components cs: those without onlyIf, and those
// whose metric some component of the group has.
func (g componentGroup) visible(cs []ComponentStats) componentGroup {
	out := componentGroup{title: g.title, kinds: g.kinds}
	for _, col := range g.cols {
		if col.onlyIf == "" || g.anyHas(cs, col.onlyIf) {
			out.cols = append(out.cols, col)
		}
	}
	return out
}

func (g componentGroup) anyHas(cs []ComponentStats, metric string) bool {
	for i := range cs {
		if !g.has(cs[i].Kind) {
			continue
		}
		for _, m := range cs[i].Metrics {
			if m.Name == metric {
				return true
			}
		}
	}
	return false
}

type componentGroup struct {
	title string
	kinds []string
	cols  []column
}

func (g componentGroup) labels() []string {
	out := make([]string, len(g.cols))
	for i, c := range g.cols {
		out[i] = c.label
	}
	return out
}

func (g componentGroup) has(kind string) bool {
	for _, k := range g.kinds {
		if k == kind {
			return true
		}
	}
	return false
}

func knownGroup(kind string) bool {
	for _, g := range componentGroups {
		if g.has(kind) {
			return true
		}
	}
	return false
}

// counterCol shows a counter's total; gaugeMaxCol a gauge's maximum; p99Col a latency's
// p99 (mean over replications). A metric the component lacks shows "-".
func counterCol(label, metric string) column {
	return column{label: label, cell: func(c *ComponentStats, reps int) string {
		if x, ok := c.counter(metric); ok {
			return formatStat(x, reps, formatNumber)
		}
		return "-"
	}}
}

func gaugeMaxCol(label, metric string, f func(float64) string) column {
	return column{label: label, cell: func(c *ComponentStats, reps int) string {
		if g, ok := c.gauge(metric); ok {
			return formatStat(g.Max, reps, f)
		}
		return "-"
	}}
}

func p99Col(label, metric string) column {
	return column{label: label, cell: func(c *ComponentStats, reps int) string {
		if l, ok := c.latency(metric); ok {
			return formatStat(l.P99, reps, formatSeconds)
		}
		return "-"
	}}
}

// componentGroups are the tables of the summary, one per family of kinds, in this order.
var componentGroups = []componentGroup{
	{"producers", []string{core.KindProducer}, []column{
		counterCol("produced", "MessagesProduced"), counterCol("send retries", "SendRetries")}},
	{"queues", []string{core.KindSQS, core.KindSQSFIFO}, []column{
		counterCol("sent", "NumberOfMessagesSent"), counterCol("received", "NumberOfMessagesReceived"),
		counterCol("deleted", "NumberOfMessagesDeleted"),
		gaugeMaxCol("max depth", "ApproximateNumberOfMessagesVisible", formatNumber),
		gaugeMaxCol("max age", "ApproximateAgeOfOldestMessage", formatSeconds),
		counterCol("to DLQ", "NumberOfMessagesMovedToDLQ")}},
	{"functions", []string{core.KindLambda}, []column{
		counterCol("invocations", "Invocations"), counterCol("errors", "Errors"),
		counterCol("throttles", "Throttles"), counterCol("cold starts", "ColdStarts"),
		gaugeMaxCol("max conc.", "ConcurrentExecutions", formatNumber), p99Col("p99 duration", "Duration"),
		onlyWith("ProvisionedConcurrencyInvocations", counterCol("provisioned", "ProvisionedConcurrencyInvocations")),
		onlyWith("ProvisionedConcurrencySpilloverInvocations", counterCol("spillover", "ProvisionedConcurrencySpilloverInvocations"))}},
	{"topics", []string{core.KindSNS, core.KindSNSFIFO}, []column{
		counterCol("published", "NumberOfMessagesPublished"), counterCol("delivered", "NumberOfNotificationsDelivered"),
		counterCol("filtered", "NumberOfNotificationsFilteredOut"), counterCol("failed", "NumberOfNotificationsFailed")}},
	{"buses", []string{core.KindEventBridge}, []column{
		counterCol("matched", "MatchedEvents"), counterCol("invocations", "Invocations"),
		counterCol("failed", "FailedInvocations")}},
	{"apis", []string{core.KindAPIGatewayREST, core.KindAPIGatewayHTTP}, []column{
		counterCol("requests", "Count"), counterCol("4xx", "4XXError"), counterCol("5xx", "5XXError"),
		p99Col("p99 latency", "Latency")}},
	{"tables", []string{core.KindDynamoDB}, []column{
		counterCol("read units", "ConsumedReadCapacityUnits"), counterCol("write units", "ConsumedWriteCapacityUnits"),
		counterCol("throttled", "ThrottledRequests")}},
	{"services", []string{core.KindService}, []column{
		counterCol("requests", "Requests"), counterCol("completed", "Completed"),
		counterCol("rejected", "Rejected"), counterCol("errors", "Errors"), p99Col("p99", "SojournTime")}},
	{"endpoints", []string{core.KindEndpointHTTP, core.KindEndpointHTTPS, core.KindEndpointEmail, core.KindEndpointSMS}, []column{
		counterCol("requests", "Requests"), counterCol("delivered", "Delivered"),
		counterCol("failed", "Failed"), counterCol("throttled", "Throttled"), p99Col("p99", "Latency")}},
	{"consumers", []string{core.KindConsumer}, []column{
		counterCol("receives", "Receives"), counterCol("empty", "EmptyReceives"),
		counterCol("processed", "Processed"), counterCol("failed", "Failed"), p99Col("p99 processing", "ProcessingTime")}},
	{"event source mappings", []string{core.KindESM}, []column{
		counterCol("polled", "PolledEventCount"), counterCol("invoked", "InvokedEventCount"),
		counterCol("failed", "FailedInvokeEventCount"), counterCol("deleted", "DeletedEventCount")}},
}
