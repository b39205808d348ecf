package results

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"strconv"
	"strings"

	"msgsim/sim"
)

// Comparison is the side-by-side table of alternatives of one architecture (a scenario's
// base and its variants, or several scenario files) run on the same replications: the
// same seed and replication indices, so that components sharing a name draw the same
// random numbers (common random numbers). Each alternative's difference from the first,
// the base, is paired replication by replication, which cancels the noise they share and
// makes the interval of the difference much narrower than the intervals of the two means.
type Comparison struct {
	Scenario     string       `json:"scenario"`
	Seed         uint64       `json:"seed"`
	Replications int          `json:"replications"`
	Names        []string     `json:"alternatives"` // base first
	Rows         []CompareRow `json:"rows"`
	// Thresholds are each alternative's threshold results, in Names order.
	Thresholds [][]ThresholdResult `json:"thresholds"`
}

// CompareRow is one headline figure across the alternatives: its mean ± 95% half-width
// in each (Values, in Names order) and each alternative's paired difference from the base
// (Diffs; Diffs[0], the base against itself, is zero).
type CompareRow struct {
	Figure Figure `json:"figure"`
	Values []Stat `json:"values"`
	Diffs  []Diff `json:"diffs"`
}

// Diff is the paired difference alternative − base over the replications: its mean, the
// half-width of its 95% Student-t interval (sim.PairedDiffCI; NaN with one replication),
// the mean relative to the base's mean (NaN when the base's is 0), and whether the
// interval excludes 0.
type Diff struct {
	Mean        float64 `json:"mean"`
	HalfWidth   float64 `json:"ci95"`
	Relative    float64 `json:"relative"`
	Significant bool    `json:"significant"`
}

// Compare builds the comparison of summaries (base first) named names. Every summary must
// hold the same replications (the same indices, in the same order): the differences are
// paired by replication. The figures are HeadlineFigures of all summaries.
func Compare(names []string, ss []*Summary) (*Comparison, error) {
	if len(ss) == 0 || len(names) != len(ss) {
		return nil, fmt.Errorf("results: compare: %d names for %d summaries", len(names), len(ss))
	}
	base := ss[0]
	for i, s := range ss {
		if len(s.Runs) != len(base.Runs) {
			return nil, fmt.Errorf("results: compare: %s has %d replications, %s has %d",
				names[i], len(s.Runs), names[0], len(base.Runs))
		}
		for j, r := range s.Runs {
			if r.Replication != base.Runs[j].Replication {
				return nil, fmt.Errorf("results: compare: %s's replication %d is %s's %d: replications must pair",
					names[i], r.Replication, names[0], base.Runs[j].Replication)
			}
		}
	}
	c := &Comparison{Scenario: base.Scenario, Seed: base.Seed, Replications: len(base.Runs),
		Names: append([]string(nil), names...)}
	for _, f := range HeadlineFigures(ss) {
		row := CompareRow{Figure: f}
		b := f.Values(base.Runs)
		for _, s := range ss {
			v := f.Values(s.Runs)
			row.Values = append(row.Values, statOf(v))
			row.Diffs = append(row.Diffs, pairedDiff(v, b))
		}
		c.Rows = append(c.Rows, row)
	}
	for _, s := range ss {
		c.Thresholds = append(c.Thresholds, s.Thresholds)
	}
	return c, nil
}

// pairedDiff is the paired difference a − b (equal lengths, checked by Compare).
func pairedDiff(a, b []float64) Diff {
	m, hw, err := sim.PairedDiffCI(a, b, ConfidenceLevel)
	if err != nil {
		return Diff{Mean: math.NaN(), HalfWidth: math.NaN(), Relative: math.NaN()}
	}
	bm, _ := sim.MeanCI(b, ConfidenceLevel)
	d := Diff{Mean: m, HalfWidth: hw, Relative: math.NaN()}
	if bm != 0 && !math.IsNaN(bm) {
		d.Relative = m / math.Abs(bm)
	}
	d.Significant = Significant(m, hw)
	return d
}

// Significant reports whether a difference with this mean and 95% half-width is
// significant: its interval [mean − hw, mean + hw] excludes 0. Without an interval (one
// replication: hw is NaN) nothing is significant; a difference that is the same in every
// replication (hw = 0, mean ≠ 0) is.
func Significant(mean, halfWidth float64) bool {
	if math.IsNaN(mean) || math.IsNaN(halfWidth) {
		return false
	}
	return math.Abs(mean) > halfWidth
}

// formatDiff renders a difference: "+139 ±12.4 (+48%)", with "n.s." when the interval
// contains 0 and "=" when there is no difference at all.
func formatDiff(f Figure, d Diff) string {
	if d.Mean == 0 && (d.HalfWidth == 0 || math.IsNaN(d.HalfWidth)) {
		return "="
	}
	sign := "+"
	if d.Mean < 0 {
		sign = "-"
	}
	s := sign + strings.TrimPrefix(f.Format(math.Abs(d.Mean)), "-")
	if !math.IsNaN(d.HalfWidth) && d.HalfWidth > 0 {
		s += " ±" + f.Format(d.HalfWidth)
	}
	if !math.IsNaN(d.Relative) && !math.IsInf(d.Relative, 0) {
		s += " (" + sign + strconv.FormatFloat(math.Abs(d.Relative)*100, 'f', 1, 64) + "%)"
	}
	if !d.Significant {
		s += " n.s."
	}
	return s
}

// CompareText renders the comparison as terminal tables: a header, then one row per
// figure with the base's value and, per alternative, its value and its difference from
// the base (marked n.s. — not significant — when the 95% interval of the paired
// difference contains 0), then the thresholds of each alternative.
func CompareText(c *Comparison, opts TextOptions) string {
	st := styler(opts.Color)
	maxW := opts.Width
	if maxW <= 0 {
		maxW = 100
	}
	var b strings.Builder
	b.WriteString(st.bold("compare ") + c.Scenario + ": " + strings.Join(c.Names, " vs ") + "\n")
	b.WriteString("seed " + strconv.FormatUint(c.Seed, 10) + " · " + strconv.Itoa(c.Replications) +
		" replications each, common random numbers · Δ = alternative − " + c.Names[0] +
		", ± the 95% CI of the paired difference; n.s. = not significant (the CI contains 0)\n\n")
	header := []string{"figure", c.Names[0]}
	for _, n := range c.Names[1:] {
		header = append(header, n, "Δ "+n)
	}
	t := &table{header: header}
	for _, r := range c.Rows {
		row := []string{r.Figure.Label, formatStat(r.Values[0], c.Replications, r.Figure.Format)}
		for i := 1; i < len(c.Names); i++ {
			row = append(row, formatStat(r.Values[i], c.Replications, r.Figure.Format), formatDiff(r.Figure, r.Diffs[i]))
		}
		t.add(row...)
	}
	t.render(&b, maxW, st)
	if hasThresholds(c) {
		b.WriteByte('\n')
		b.WriteString(st.bold("thresholds") + "\n")
		tt := &table{header: append([]string{"threshold"}, c.Names...)}
		for i, r := range c.Thresholds[0] {
			row := []string{r.Expr}
			for a := range c.Names {
				row = append(row, thresholdCell(c, a, i))
			}
			tt.add(row...)
		}
		tt.render(&b, maxW, st)
	}
	return b.String()
}

func hasThresholds(c *Comparison) bool {
	return len(c.Thresholds) > 0 && len(c.Thresholds[0]) > 0
}

// thresholdCell is "✓ 208.7ms" or "✗ 1.2s": alternative a's result for threshold i.
func thresholdCell(c *Comparison, a, i int) string {
	if a >= len(c.Thresholds) || i >= len(c.Thresholds[a]) {
		return "-"
	}
	r := c.Thresholds[a][i]
	mark := "✓"
	if !r.OK {
		mark = "✗"
	}
	if r.Error != "" {
		return mark + " " + r.Error
	}
	obs, _, _ := strings.Cut(r.Detail, " (want")
	if _, v, ok := strings.Cut(obs, " = "); ok {
		obs = v
	}
	return mark + " " + obs
}

// CompareCSV returns comparison.csv: one row per figure and alternative —
// figure,label,unit,alternative,mean,ci95,diff,diff_ci95,significant — the base's diff
// columns empty. Numbers are written so that they read back exactly.
func CompareCSV(c *Comparison) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"figure", "label", "unit", "alternative", "mean", "ci95", "diff", "diff_ci95", "significant"})
	for _, r := range c.Rows {
		for a, n := range c.Names {
			rec := []string{r.Figure.Key, r.Figure.Label, r.Figure.Unit, n, csvFloat(r.Values[a].Mean), csvFloat(r.Values[a].HalfWidth)}
			if a == 0 {
				rec = append(rec, "", "", "")
			} else {
				d := r.Diffs[a]
				rec = append(rec, csvFloat(d.Mean), csvFloat(d.HalfWidth), strconv.FormatBool(d.Significant))
			}
			_ = w.Write(rec)
		}
	}
	w.Flush()
	return b.Bytes()
}
