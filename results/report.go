package results

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"msgsim/models/core"
)

//go:embed report.html.tmpl
var reportTemplate string

// parseReport parses the embedded template. It is parsed on each call (a fraction of a
// millisecond) rather than into a package variable, and an error is returned rather than
// panicking, though every test of the report would fail first.
func parseReport() (*template.Template, error) {
	return template.New("report").Parse(reportTemplate)
}

// reportData is what the template reads: every figure already formatted, every list in
// output order.
type reportData struct {
	Title        string
	Description  string
	Header       []string
	Learn        []string // paragraphs
	Diagram      template.HTML
	DiagramError string
	Thresholds   []reportThreshold
	ThresholdSum string
	ThresholdsOK bool
	Paths        *reportTable
	Groups       []*reportTable
	Conservation string
	Conserved    bool
	Drops        *reportTable
	Cost         *reportTable
	CostNote     string
	Plots        []reportPlot
}

type reportThreshold struct {
	OK     bool
	Expr   string
	Detail string
}

type reportTable struct {
	Title   string
	Header  []string
	Rows    [][]string
	Numeric []bool // per column: right-aligned
}

type reportPlot struct {
	Name    string
	Title   string
	Caption string
	SVG     template.HTML
}

// Report renders report.html: one self-contained page (inline CSS, the architecture
// diagram and every plot as inline SVG, nothing fetched from the network) with the
// scenario's name, description and learn notes, the diagram, the thresholds with ✓/✗,
// the end-to-end latency per path, the components by kind, the message conservation, the
// cost and the plots with captions. The same Summary and plots always give the same bytes.
func Report(s *Summary, plots []PlotFile) ([]byte, error) {
	t, err := parseReport()
	if err != nil {
		return nil, fmt.Errorf("results: report template: %w", err)
	}
	d := reportDataOf(s, plots)
	var b bytes.Buffer
	if err := t.Execute(&b, d); err != nil {
		return nil, fmt.Errorf("results: report: %w", err)
	}
	return b.Bytes(), nil
}

func reportDataOf(s *Summary, plots []PlotFile) *reportData {
	reps := s.Replications
	stat := func(x Stat, f func(float64) string) string { return formatStat(x, reps, f) }
	d := &reportData{Title: s.Scenario, Description: s.Description}
	if d.Title == "" {
		d.Title = "msgsim run"
	}
	d.Header = append(d.Header, "seed "+strconv.FormatUint(s.Seed, 10))
	if reps == 1 {
		d.Header = append(d.Header, "1 replication")
	} else {
		d.Header = append(d.Header, strconv.Itoa(reps)+" replications (figures are means ± 95% CI)")
	}
	simText := "simulated " + durationText(s.DurationSeconds)
	if s.WarmupSeconds > 0 {
		simText += " after " + durationText(s.WarmupSeconds) + " warm-up"
	}
	d.Header = append(d.Header, simText, formatNumber(s.EventsFired.Mean)+" events") // no wall time: the report is byte-identical for the same seed
	for _, para := range strings.Split(strings.TrimSpace(s.Learn), "\n\n") {
		if p := unwrap(para); p != "" {
			d.Learn = append(d.Learn, p)
		}
	}
	if s.Graph != nil && len(s.Graph.Nodes) > 0 {
		svg, err := s.Graph.SVG()
		if err != nil {
			d.DiagramError = err.Error()
		} else {
			d.Diagram = template.HTML(svg) // built by Graph.SVG, which escapes every name
		}
	}

	failed := 0
	d.ThresholdsOK = true
	for _, r := range s.Thresholds {
		d.Thresholds = append(d.Thresholds, reportThreshold{OK: r.OK, Expr: r.Expr, Detail: r.Detail})
		if !r.OK {
			failed++
			d.ThresholdsOK = false
		}
	}
	if n := len(s.Thresholds); n > 0 {
		if failed == 0 {
			d.ThresholdSum = "all " + strconv.Itoa(n) + " thresholds passed"
		} else {
			d.ThresholdSum = strconv.Itoa(failed) + " of " + strconv.Itoa(n) + " thresholds failed"
		}
	}

	if len(s.Paths) > 0 {
		t := &reportTable{Title: "End-to-end latency",
			Header:  []string{"path", "count", "p50", "p90", "p95", "p99", "max", "throughput"},
			Numeric: []bool{false, true, true, true, true, true, true, true}}
		for _, p := range s.Paths {
			t.Rows = append(t.Rows, []string{p.Name, stat(p.Count, formatNumber), stat(p.P50, formatSeconds),
				stat(p.P90, formatSeconds), stat(p.P95, formatSeconds), stat(p.P99, formatSeconds),
				stat(p.Max, formatSeconds), stat(p.Throughput, formatNumber) + "/s"})
		}
		d.Paths = t
	}

	// Components by kind: the tables of the terminal summary (componentGroups).
	for _, g := range componentGroups {
		g = g.visible(s.Components)
		t := &reportTable{Title: strings.ToUpper(g.title[:1]) + g.title[1:], Header: append([]string{"name"}, g.labels()...)}
		t.Numeric = make([]bool, len(t.Header))
		for i := 1; i < len(t.Numeric); i++ {
			t.Numeric[i] = true
		}
		for i := range s.Components {
			c := &s.Components[i]
			if !g.has(c.Kind) {
				continue
			}
			row := []string{c.Name}
			for _, col := range g.cols {
				row = append(row, col.cell(c, reps))
			}
			t.Rows = append(t.Rows, row)
		}
		if len(t.Rows) > 0 {
			d.Groups = append(d.Groups, t)
		}
	}
	other := &reportTable{Title: "Other components", Header: []string{"name", "metric", "total"}, Numeric: []bool{false, false, true}}
	for i := range s.Components {
		c := &s.Components[i]
		if knownGroup(c.Kind) {
			continue
		}
		for _, m := range c.Metrics {
			if m.Counter != nil && m.Counter.Total.Mean != 0 {
				other.Rows = append(other.Rows, []string{c.Name, m.Name, stat(m.Counter.Total, formatNumber)})
			}
		}
	}
	if len(other.Rows) > 0 {
		d.Groups = append(d.Groups, other)
	}

	cv := s.Conservation
	d.Conservation = core.Conservation{Produced: cv.Produced, Derived: cv.Derived, Consumed: cv.Consumed,
		Dropped: cv.Dropped, InDLQ: cv.InDLQ, InFlight: cv.InFlight, Held: cv.Held, Live: cv.Live, OK: cv.OK}.String()
	if reps > 1 {
		d.Conservation += " (all " + strconv.Itoa(reps) + " replications together)"
	}
	d.Conserved = cv.OK
	drops := &reportTable{Header: []string{"component", "reason", "dropped"}, Numeric: []bool{false, false, true}}
	for _, dc := range cv.Drops {
		if dc.Count > 0 {
			drops.Rows = append(drops.Rows, []string{dc.Component, dc.Reason, formatNumber(float64(dc.Count))})
		}
	}
	if len(drops.Rows) > 0 {
		d.Drops = drops
	}

	ct := &reportTable{Header: []string{"component", "kind", "per run", "per month"}, Numeric: []bool{false, false, true, true}}
	var unpriced []string
	for _, c := range s.Cost.Components {
		if c.Unpriced != "" {
			unpriced = append(unpriced, c.Name)
			continue
		}
		ct.Rows = append(ct.Rows, []string{c.Name, c.Kind, stat(c.PerRun, formatMoney), stat(c.PerMonth, formatMoney)})
	}
	ct.Rows = append(ct.Rows, []string{"total", "", stat(s.Cost.PerRun, formatMoney), stat(s.Cost.PerMonth, formatMoney)})
	d.Cost = ct
	d.CostNote = "Pricing " + s.Cost.PricingVersion + " (us-east-1); per month = post-warm-up rate × 30 days; free tier "
	if s.Cost.FreeTier {
		d.CostNote += "applied."
	} else {
		d.CostNote += "not applied."
	}
	if len(unpriced) > 0 {
		d.CostNote += " No price ($0): " + strings.Join(unpriced, ", ") + "."
	}

	for _, p := range plots {
		d.Plots = append(d.Plots, reportPlot{Name: p.Name, Title: p.Title, Caption: p.Caption, SVG: inlineSVG(p.SVG)})
	}
	return d
}

// inlineSVG prepares a plot's SVG file for inclusion in HTML: the XML prolog and comment
// before the <svg> element are dropped. The SVG is gonum/plot's own output, whose text is
// escaped, so it is trusted as HTML.
func inlineSVG(svg []byte) template.HTML {
	i := bytes.Index(svg, []byte("<svg"))
	if i < 0 {
		return ""
	}
	return template.HTML(svg[i:])
}

// unwrap joins the lines of a paragraph that were wrapped for the YAML file, so the
// browser can wrap them to its width; a line starting a list item ("- ", "* ") keeps its
// line break (the template shows line breaks).
func unwrap(para string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(para), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if b.Len() > 0 {
			if strings.HasPrefix(line, "- ") || strings.HasPrefix(line, "* ") {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(line)
	}
	return b.String()
}
