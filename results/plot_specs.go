package results

import (
	"math"
	"strconv"
	"strings"

	"msgsim/models/core"
)

// A plot is built in two steps: first a plotSpec of plain series, from the Summary alone
// (what the tests check), then the rendering with gonum/plot (plot_render.go).

// plotSpec is one plot as data: what to draw, before any drawing.
type plotSpec struct {
	Name    string // file stem
	Title   string
	Caption string
	XLabel  string
	YLabel  string
	Lines   []lineSpec
	Shades  []shadeSpec
	// XMin and XMax fix the x range (time plots: the whole run); both 0 lets the data
	// decide.
	XMin, XMax float64
	// LogX puts the x axis on a log scale (a latency CDF spanning decades).
	LogX bool
}

// lineSpec is one line: points in display units (the axis labels say which); a NaN y is
// a gap (a bucket without observations).
type lineSpec struct {
	Label  string
	X, Y   []float64
	Color  int  // index into the palette
	Dashed bool // produced (vs completed), p99 (vs p50), a limit
}

// shadeSpec is a shaded span of x (display units) behind the lines.
type shadeSpec struct {
	From, To float64
	Label    string
	Warmup   bool // grey; otherwise a fault (red)
}

// plotBuilder holds what every plot of one Summary shares.
type plotBuilder struct {
	s      *Summary
	div    float64 // seconds per display unit of time
	tUnit  string  // "s", "min" or "h"
	end    float64 // end of the run, seconds
	shades []shadeSpec
	dlq    func(name string) bool
}

func newPlotBuilder(s *Summary, opts PlotOptions) *plotBuilder {
	b := &plotBuilder{s: s, end: s.WarmupSeconds + s.DurationSeconds}
	b.div, b.tUnit = 1, "s"
	switch {
	case b.end > 3*3600:
		b.div, b.tUnit = 3600, "h"
	case b.end > 1800:
		b.div, b.tUnit = 60, "min"
	}
	if s.WarmupSeconds > 0 {
		b.shades = append(b.shades, shadeSpec{From: 0, To: s.WarmupSeconds / b.div, Label: "warm-up", Warmup: true})
	}
	faults := opts.Faults
	if faults == nil {
		faults = s.Faults
	}
	for _, f := range faults {
		if f.To <= f.From {
			continue
		}
		label := f.Label
		if label == "" {
			label = "fault"
		}
		b.shades = append(b.shades, shadeSpec{From: f.From / b.div, To: f.To / b.div, Label: label})
	}
	b.dlq = dlqMatcher(s, opts.DLQs)
	return b
}

// dlqMatcher decides which queues are dead-letter queues: the names given, else the
// targets of the graph's redrive edges, else names containing "dlq" or "dead-letter".
func dlqMatcher(s *Summary, given []string) func(string) bool {
	if given != nil {
		return func(n string) bool { return contains(given, n) }
	}
	if s.Graph != nil {
		var targets []string
		for _, e := range s.Graph.Edges {
			if e.Label == EdgeRedrive {
				targets = append(targets, e.To)
			}
		}
		if targets != nil {
			return func(n string) bool { return contains(targets, n) }
		}
	}
	return func(n string) bool {
		l := strings.ToLower(n)
		return strings.Contains(l, "dlq") || strings.Contains(l, "dead-letter")
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// buildPlotSpecs builds every plot the Summary has data for, in report order.
func buildPlotSpecs(s *Summary, opts PlotOptions) []plotSpec {
	b := newPlotBuilder(s, opts)
	var out []plotSpec
	add := func(sp plotSpec, ok bool) {
		if ok && len(sp.Lines) > 0 {
			out = append(out, sp)
		}
	}
	add(b.throughput())
	add(b.latencyOverTime())
	add(b.latencyCDF())
	for i := range s.Components {
		c := &s.Components[i]
		if isQueue(c) && !b.dlq(c.Name) {
			add(b.queueDepth(c))
		}
	}
	add(b.queueAge())
	add(b.dlqDepth())
	for i := range s.Components {
		c := &s.Components[i]
		if c.Kind == core.KindLambda || b.series(c.Name, "ConcurrentExecutions", "max") != nil {
			add(b.lambdaConcurrency(c))
			add(b.lambdaThrottles(c))
		}
	}
	add(b.errorsRetries())
	// File stems must be distinct: a second "a-b" (from "a.b" and "a b") gets "-2".
	seen := map[string]int{} // lookups only; never iterated
	for i := range out {
		n := out[i].Name
		if seen[n]++; seen[n] > 1 {
			out[i].Name = n + "-" + strconv.Itoa(seen[n])
		}
	}
	return out
}

func isQueue(c *ComponentStats) bool {
	return c.Kind == core.KindSQS || c.Kind == core.KindSQSFIFO
}

// series returns the Summary's series of (component, metric, stat), or nil.
func (b *plotBuilder) series(component, metric, stat string) *SeriesData {
	for i := range b.s.Series {
		sd := &b.s.Series[i]
		if sd.Component == component && sd.Metric == metric && sd.Stat == stat {
			return sd
		}
	}
	return nil
}

// times returns the midpoint of each bucket of sd in display units.
func (b *plotBuilder) times(sd *SeriesData) []float64 {
	x := make([]float64, len(sd.Values))
	for i := range x {
		x[i] = (sd.StartSeconds + (float64(i)+0.5)*sd.WidthSeconds) / b.div
	}
	return x
}

// rate turns a counter's per-bucket increases into events per second: the increase
// divided by the bucket's width, or by the part of it before the end of the run for a
// last bucket cut short.
func (b *plotBuilder) rate(sd *SeriesData) []float64 {
	y := make([]float64, len(sd.Values))
	for i, v := range sd.Values {
		start := sd.StartSeconds + float64(i)*sd.WidthSeconds
		w := sd.WidthSeconds
		if b.end > start && b.end < start+w {
			w = b.end - start
		}
		if w > 0 {
			y[i] = v / w
		}
	}
	return y
}

// timePlot starts a plot over the whole run with the shades.
func (b *plotBuilder) timePlot(name, title, caption, ylabel string) plotSpec {
	return plotSpec{Name: name, Title: title, Caption: caption, XLabel: "simulated time (" + b.tUnit + ")",
		YLabel: ylabel, Shades: b.shades, XMin: 0, XMax: b.end / b.div}
}

// throughput: per path, the messages its producer produced and those the path completed,
// per second (each bucket's count ÷ its width).
func (b *plotBuilder) throughput() (plotSpec, bool) {
	sp := b.timePlot("throughput", "Throughput",
		"Messages produced by each producer (dashed) and completed at each path's sink (solid), per second of simulated time; only messages produced after the warm-up count as completed.",
		"messages / s")
	var producers []string
	color := 0
	for _, p := range b.s.Paths {
		prod, _, _ := strings.Cut(p.Name, " -> ")
		if contains(producers, prod) {
			continue
		}
		producers = append(producers, prod)
		if sd := b.series(prod, "MessagesProduced", "sum"); sd != nil {
			sp.Lines = append(sp.Lines, lineSpec{Label: prod + " produced", X: b.times(sd), Y: b.rate(sd), Color: color, Dashed: true})
			color++
		}
	}
	for _, p := range b.s.Paths {
		if sd := b.series(p.Name, "EndToEndLatency", "count"); sd != nil {
			sp.Lines = append(sp.Lines, lineSpec{Label: p.Name + " completed", X: b.times(sd), Y: b.rate(sd), Color: color})
			color++
		}
	}
	return sp, true
}

// latencyUnit chooses milliseconds or seconds for latencies whose largest value is max
// seconds, and returns the factor from seconds.
func latencyUnit(max float64) (float64, string) {
	if max < 1 {
		return 1000, "ms"
	}
	return 1, "s"
}

// latencyOverTime: per path, the p50 (solid) and p99 (dashed) of each bucket's
// end-to-end latency; a bucket without arrivals is a gap.
func (b *plotBuilder) latencyOverTime() (plotSpec, bool) {
	type pair struct {
		name          string
		p50, p99, cnt *SeriesData
	}
	var ps []pair
	top := 0.0
	for _, p := range b.s.Paths {
		pr := pair{p.Name, b.series(p.Name, "EndToEndLatency", "p50"), b.series(p.Name, "EndToEndLatency", "p99"),
			b.series(p.Name, "EndToEndLatency", "count")}
		for _, sd := range []*SeriesData{pr.p50, pr.p99} {
			if sd != nil {
				for _, v := range sd.Values {
					top = math.Max(top, v)
				}
			}
		}
		ps = append(ps, pr)
	}
	k, unit := latencyUnit(top)
	sp := b.timePlot("latency", "End-to-end latency over time",
		"Median (solid) and 99th percentile (dashed) end-to-end latency of the messages arriving in each bucket, per path; gaps are buckets without arrivals.",
		"latency ("+unit+")")
	for i, pr := range ps {
		for _, q := range []struct {
			sd     *SeriesData
			label  string
			dashed bool
		}{{pr.p50, "p50", false}, {pr.p99, "p99", true}} {
			if q.sd == nil {
				continue
			}
			y := make([]float64, len(q.sd.Values))
			for j, v := range q.sd.Values {
				y[j] = v * k
				if pr.cnt != nil && j < len(pr.cnt.Values) && pr.cnt.Values[j] == 0 || pr.cnt == nil && v == 0 {
					y[j] = math.NaN()
				}
			}
			sp.Lines = append(sp.Lines, lineSpec{Label: pr.name + " " + q.label, X: b.times(q.sd), Y: y, Color: i, Dashed: q.dashed})
		}
	}
	return sp, true
}

// cdfPoints is the number of points of a latency CDF.
const cdfPoints = 200

// latencyCDF: per path, the cumulative distribution of the end-to-end latency pooled over
// the replications (sim.Histogram.CDF: fraction of messages with latency ≤ x).
func (b *plotBuilder) latencyCDF() (plotSpec, bool) {
	top, bottom := 0.0, math.Inf(1)
	for _, p := range b.s.Paths {
		if h := p.Pooled.Histogram; h != nil && h.Count() > 0 {
			top = math.Max(top, float64(h.Max())/1e9)
			bottom = math.Min(bottom, float64(max(h.Min(), 1))/1e9)
		}
	}
	k, unit := latencyUnit(top)
	sp := plotSpec{Name: "latency-cdf", Title: "End-to-end latency distribution",
		Caption: "Cumulative distribution of end-to-end latency per path, all replications pooled: the fraction of messages that took at most x.",
		XLabel:  "end-to-end latency (" + unit + ")", YLabel: "fraction of messages ≤ latency",
		LogX: top > 0 && top/bottom > 100}
	for i, p := range b.s.Paths {
		h := p.Pooled.Histogram
		if h == nil {
			continue
		}
		pts := h.CDF(cdfPoints)
		if len(pts) == 0 {
			continue
		}
		l := lineSpec{Label: p.Name, Color: i, X: make([]float64, len(pts)), Y: make([]float64, len(pts))}
		for j, pt := range pts {
			l.X[j] = float64(max(pt.Value, 1)) / 1e9 * k // log scale: no zero
			l.Y[j] = pt.Fraction
		}
		sp.Lines = append(sp.Lines, l)
	}
	return sp, true
}

// queueDepth: one queue's visible and in-flight (not visible) messages, the maximum of
// each bucket, and its delayed messages when there were any.
func (b *plotBuilder) queueDepth(c *ComponentStats) (plotSpec, bool) {
	sp := b.timePlot("queue-depth-"+fileStem(c.Name), "Queue depth: "+c.Name,
		"Messages in queue "+c.Name+": visible (waiting to be received) and in flight (received, not yet deleted); the maximum in each bucket.",
		"messages")
	for i, m := range []struct{ metric, label string }{
		{"ApproximateNumberOfMessagesVisible", "visible"},
		{"ApproximateNumberOfMessagesNotVisible", "in flight"},
		{"ApproximateNumberOfMessagesDelayed", "delayed"},
	} {
		sd := b.series(c.Name, m.metric, "max")
		if sd == nil || i == 2 && allZero(sd.Values) {
			continue
		}
		sp.Lines = append(sp.Lines, lineSpec{Label: m.label, X: b.times(sd), Y: append([]float64(nil), sd.Values...), Color: i})
	}
	return sp, true
}

// queueAge: the age of the oldest message of every queue but the DLQs (whose messages
// are meant to grow old), the maximum of each bucket.
func (b *plotBuilder) queueAge() (plotSpec, bool) {
	var sds []*SeriesData
	top := 0.0
	for i := range b.s.Components {
		c := &b.s.Components[i]
		if !isQueue(c) || b.dlq(c.Name) {
			continue
		}
		if sd := b.series(c.Name, "ApproximateAgeOfOldestMessage", "max"); sd != nil {
			sds = append(sds, sd)
			for _, v := range sd.Values {
				top = math.Max(top, v)
			}
		}
	}
	k, unit := 1.0, "s"
	if top > 600 {
		k, unit = 1.0/60, "min"
	}
	sp := b.timePlot("queue-age", "Age of oldest message",
		"Age of the oldest message in each queue (dead-letter queues excluded), the maximum in each bucket: how far behind the consumers are.",
		"age ("+unit+")")
	for i, sd := range sds {
		y := make([]float64, len(sd.Values))
		for j, v := range sd.Values {
			y[j] = v * k
		}
		sp.Lines = append(sp.Lines, lineSpec{Label: sd.Component, X: b.times(sd), Y: y, Color: i})
	}
	return sp, true
}

// dlqDepth: the messages held by each dead-letter queue (its visible depth, the maximum
// of each bucket). No plot without a DLQ.
func (b *plotBuilder) dlqDepth() (plotSpec, bool) {
	sp := b.timePlot("dlq-depth", "Dead-letter queue depth",
		"Messages waiting in each dead-letter queue (visible depth, the maximum in each bucket): messages that failed processing too many times.",
		"messages")
	for i := range b.s.Components {
		c := &b.s.Components[i]
		if !isQueue(c) || !b.dlq(c.Name) {
			continue
		}
		if sd := b.series(c.Name, "ApproximateNumberOfMessagesVisible", "max"); sd != nil {
			sp.Lines = append(sp.Lines, lineSpec{Label: c.Name, X: b.times(sd), Y: append([]float64(nil), sd.Values...), Color: len(sp.Lines)})
		}
	}
	return sp, true
}

// lambdaConcurrency: a function's concurrent executions (the maximum of each bucket) and
// its limit, dashed, when the run reports one.
func (b *plotBuilder) lambdaConcurrency(c *ComponentStats) (plotSpec, bool) {
	sp := b.timePlot("lambda-concurrency-"+fileStem(c.Name), "Lambda concurrency: "+c.Name,
		"Concurrent executions of function "+c.Name+" (the maximum in each bucket) against its concurrency limit (dashed): at the limit, invocations are throttled.",
		"concurrent executions")
	sd := b.series(c.Name, "ConcurrentExecutions", "max")
	if sd == nil {
		return sp, false
	}
	sp.Lines = append(sp.Lines, lineSpec{Label: "ConcurrentExecutions", X: b.times(sd), Y: append([]float64(nil), sd.Values...), Color: 0})
	if v, ok := c.Limit("ConcurrentExecutions"); ok {
		sp.Lines = append(sp.Lines, lineSpec{Label: "limit (" + formatNumber(v) + ")", X: []float64{sp.XMin, sp.XMax},
			Y: []float64{v, v}, Color: 1, Dashed: true})
	}
	return sp, true
}

// lambdaThrottles: a function's throttles and cold starts per second.
func (b *plotBuilder) lambdaThrottles(c *ComponentStats) (plotSpec, bool) {
	sp := b.timePlot("lambda-throttles-"+fileStem(c.Name), "Lambda throttles and cold starts: "+c.Name,
		"Invocations of function "+c.Name+" refused for lack of concurrency (throttles) and those that started a new execution environment (cold starts), per second.",
		"events / s")
	for i, m := range []string{"Throttles", "ColdStarts"} {
		if sd := b.series(c.Name, m, "sum"); sd != nil {
			sp.Lines = append(sp.Lines, lineSpec{Label: m, X: b.times(sd), Y: b.rate(sd), Color: i + 1})
		}
	}
	return sp, true
}

// isErrorMetric says whether a counter counts errors, failures, rejections or retries.
func isErrorMetric(name string) bool {
	return strings.Contains(name, "Error") || strings.Contains(name, "Fail") ||
		strings.Contains(name, "Retr") || name == "Rejected"
}

// errorsRetries: every counter of errors, failures, rejections and retries that counted
// anything, per second.
func (b *plotBuilder) errorsRetries() (plotSpec, bool) {
	sp := b.timePlot("errors-retries", "Errors and retries",
		"Errors, failed deliveries, rejections and retries of every component that had any, per second of simulated time.",
		"events / s")
	for i := range b.s.Series {
		sd := &b.s.Series[i]
		if sd.Stat != "sum" || !isErrorMetric(sd.Metric) || allZero(sd.Values) {
			continue
		}
		sp.Lines = append(sp.Lines, lineSpec{Label: sd.Component + " " + sd.Metric, X: b.times(sd), Y: b.rate(sd), Color: len(sp.Lines)})
	}
	return sp, true
}

func allZero(xs []float64) bool {
	for _, x := range xs {
		if x != 0 {
			return false
		}
	}
	return true
}
