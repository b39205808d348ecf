package results

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"strconv"
	"strings"
)

// A sweep runs a scenario at every point of a grid of parameter values (field paths set
// to values, as --set does) and tabulates the headline figures of each point: the
// latency-vs-load curves of capacity planning.

// SweepPoint is one point of a sweep: the value of each swept parameter, in the order of
// the parameters, and the summary of the point's replications.
type SweepPoint struct {
	Values  []string
	Summary *Summary
}

// SweepCSV returns sweep.csv: a header, then one row per point in the order given.
//
// Columns: each parameter (named by its field path, the value as given), replications,
// then for each headline figure (HeadlineFigures over all points: per path p50_s, p99_s
// and throughput_per_s; per component the headline counters' totals and gauges' maxima
// that are not 0 at some point; cost.per_month_usd) two columns — the mean over the
// replications, named by the figure's key, and the half-width of its 95% confidence
// interval, the key followed by ".ci95" (empty with one replication) — and last
// thresholds_passed: true when every threshold held at the point (false when one failed;
// empty when the scenario has none).
//
// Nothing in it depends on wall-clock time, so the same points always give the same bytes,
// whichever machine or number of workers ran them.
func SweepCSV(params []string, points []SweepPoint) []byte {
	ss := make([]*Summary, len(points))
	for i, p := range points {
		ss[i] = p.Summary
	}
	figs := HeadlineFigures(ss)
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	header := append(append([]string(nil), params...), "replications")
	for _, f := range figs {
		header = append(header, f.Key, f.Key+".ci95")
	}
	header = append(header, "thresholds_passed")
	_ = w.Write(header)
	for _, p := range points {
		row := append([]string(nil), p.Values...)
		row = append(row, strconv.Itoa(p.Summary.Replications))
		for _, f := range figs {
			st := f.Stat(p.Summary.Runs)
			hw := ""
			if len(p.Summary.Runs) > 1 {
				hw = csvFloat(st.HalfWidth)
			}
			row = append(row, csvFloat(st.Mean), hw)
		}
		row = append(row, thresholdsPassed(p.Summary))
		_ = w.Write(row)
	}
	w.Flush()
	return b.Bytes()
}

func thresholdsPassed(s *Summary) string {
	if len(s.Thresholds) == 0 {
		return ""
	}
	return strconv.FormatBool(!Failed(s.Thresholds))
}

// SweepText renders a sweep for the terminal: per point the parameters, each path's p99
// and throughput, the cost per month and whether the thresholds held.
func SweepText(params []string, points []SweepPoint, opts TextOptions) string {
	st := styler(opts.Color)
	maxW := opts.Width
	if maxW <= 0 {
		maxW = 100
	}
	ss := make([]*Summary, len(points))
	for i, p := range points {
		ss[i] = p.Summary
	}
	var figs []Figure
	for _, f := range HeadlineFigures(ss) {
		if strings.HasSuffix(f.Key, ".p99_s") || strings.HasSuffix(f.Key, ".throughput_per_s") || f.Key == "cost.per_month_usd" {
			figs = append(figs, f)
		}
	}
	header := ShortParams(params)
	for _, f := range figs {
		header = append(header, f.Label)
	}
	header = append(header, "thresholds")
	t := &table{header: header}
	for _, p := range points {
		row := append([]string(nil), p.Values...)
		for _, f := range figs {
			row = append(row, formatStat(f.Stat(p.Summary.Runs), len(p.Summary.Runs), f.Format))
		}
		switch thresholdsPassed(p.Summary) {
		case "true":
			row = append(row, "✓")
		case "false":
			row = append(row, "✗")
		default:
			row = append(row, "-")
		}
		t.add(row...)
	}
	var b strings.Builder
	t.render(&b, maxW, st)
	return b.String()
}

// KneeFactor defines the knee of a latency-vs-load curve: the first load at which the
// latency exceeds KneeFactor times its value at the lowest load swept.
const KneeFactor = 2

// Knee returns the index of the knee of a curve y(x) whose points are in increasing order
// of x: the first point whose y exceeds KneeFactor × y at the first point — where the
// latency of a queueing system leaves its flat, lightly loaded part and starts its climb
// towards saturation (for an M/M/1 queue, whose latency is 1/(μ − λ), doubling from
// near-empty happens at half of the capacity). It returns false when there is no such
// point or the first y is not positive.
func Knee(y []float64) (int, bool) {
	if len(y) < 2 || !(y[0] > 0) {
		return 0, false
	}
	for i := 1; i < len(y); i++ {
		if y[i] > KneeFactor*y[0] {
			return i, true
		}
	}
	return 0, false
}

// ShortParams names parameters for tables and plot titles by the last element of their
// field path ("rate" for producers.shoppers.arrival.rate), or by the whole path when two
// parameters would share a short name.
func ShortParams(params []string) []string {
	out := make([]string, len(params))
	for i, p := range params {
		out[i] = p[strings.LastIndexByte(p, '.')+1:]
	}
	for i := range out {
		for j := range out {
			if i != j && out[i] == out[j] {
				return append([]string(nil), params...)
			}
		}
	}
	return out
}

var quantityRe = regexp.MustCompile(`^([-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)(.*)$`)

// ParseQuantity splits a parameter value into its number and its unit suffix: "200/s" is
// 200 and "/s", "1.5s" is 1.5 and "s", "10" is 10 and "". ok is false when the value does
// not start with a number.
func ParseQuantity(s string) (v float64, suffix string, ok bool) {
	m := quantityRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, "", false
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0, "", false
	}
	return v, m[2], true
}
