package results

import (
	"math"
	"strings"
	"testing"
)

// pathRuns builds runs of one path whose p99 in replication i is p99[i], and whose
// component q counted dlq[i] dead-letter moves.
func pathRuns(p99 []float64, dlq []uint64) []*Run {
	var runs []*Run
	for i, v := range p99 {
		r := &Run{Replication: i,
			Paths: []PathSummary{{Name: "a -> b", Throughput: 10, LatencyFigures: LatencyFigures{Count: 100, P50: v / 2, P99: v}}},
			Components: []ComponentSummary{{Name: "q", Kind: "sqs", Metrics: []MetricSummary{
				{Name: "NumberOfMessagesMovedToDLQ", Kind: MetricCounter, Counter: &CounterFigures{Total: dlq[i]}},
				{Name: "NumberOfMessagesSent", Kind: MetricCounter, Counter: &CounterFigures{Total: 100}},
			}}}}
		r.Cost.PerMonth = 1
		runs = append(runs, r)
	}
	return runs
}

func summaryOf(runs []*Run) *Summary {
	s := Aggregate(runs)
	s.Scenario = "t"
	return s
}

func row(t *testing.T, c *Comparison, key string) CompareRow {
	t.Helper()
	for _, r := range c.Rows {
		if r.Figure.Key == key {
			return r
		}
	}
	t.Fatalf("no row %q", key)
	return CompareRow{}
}

func TestComparePairsReplications(t *testing.T) {
	// Base p99s 1, 2, 3, 4 vary a lot between replications; the alternative adds
	// 0.5, 0.4, 0.6, 0.5 to each. By hand: the differences have mean 0.5 and sample
	// standard deviation s = √((0² + 0.1² + 0.1² + 0²)/3) = √(0.02/3) = 0.0816497;
	// the half-width is t(0.975, 3)·s/√4 = 3.1824463·0.0408248 = 0.1299243. Unpaired,
	// the base's own half-width is 3.1824463·1.2909944/2 = 2.0542 — larger than the
	// difference: only pairing shows it.
	base := summaryOf(pathRuns([]float64{1, 2, 3, 4}, []uint64{5, 5, 5, 5}))
	alt := summaryOf(pathRuns([]float64{1.5, 2.4, 3.6, 4.5}, []uint64{5, 7, 4, 6}))
	c, err := Compare([]string{"base", "alt"}, []*Summary{base, alt})
	if err != nil {
		t.Fatal(err)
	}
	r := row(t, c, "a -> b.p99_s")
	const wantHW = 3.1824463052842638 * 0.08164965809277261 / 2
	if d := r.Diffs[1]; math.Abs(d.Mean-0.5) > 1e-12 || math.Abs(d.HalfWidth-wantHW) > 1e-9 || !d.Significant {
		t.Errorf("p99 diff = %+v, want mean 0.5, half-width %.7f, significant", d, wantHW)
	}
	if math.Abs(r.Diffs[1].Relative-0.2) > 1e-12 { // 0.5 / mean(1,2,3,4) = 0.2
		t.Errorf("relative = %v, want 0.2", r.Diffs[1].Relative)
	}
	if hw := r.Values[0].HalfWidth; hw < 2.05 || hw > 2.06 {
		t.Errorf("base half-width = %v, want 2.0542", hw)
	}
	// DLQ moves differ by 0, +2, -1, +1: mean 0.5, s = √((0.25+2.25+2.25+0.25)/3) =
	// 1.2910, half-width 2.054 > 0.5: not significant.
	if d := row(t, c, "q.NumberOfMessagesMovedToDLQ").Diffs[1]; d.Significant || math.Abs(d.Mean-0.5) > 1e-12 {
		t.Errorf("dlq diff = %+v, want mean 0.5, not significant", d)
	}
	if d := row(t, c, "cost.per_month_usd").Diffs[1]; d.Significant || d.Mean != 0 {
		t.Errorf("equal costs: diff = %+v", d)
	}
	text := CompareText(c, TextOptions{Width: 200})
	for _, want := range []string{"a -> b p99", "+500.0ms ±129.9ms (+20.0%)", "q NumberOfMessagesMovedToDLQ", "n.s."} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	csv := string(CompareCSV(c))
	if !strings.Contains(csv, "a -> b.p99_s,a -> b p99,s,alt,3,") || !strings.Contains(csv, ",0.5,"+csvFloat(wantHW)[:8]) {
		t.Errorf("comparison.csv:\n%s", csv)
	}
}

func TestCompareRefusesUnpairedReplications(t *testing.T) {
	base := summaryOf(pathRuns([]float64{1, 2, 3}, []uint64{1, 1, 1}))
	for name, alt := range map[string]*Summary{
		"fewer replications": summaryOf(pathRuns([]float64{1, 2}, []uint64{1, 1})),
		"other indices": func() *Summary {
			rs := pathRuns([]float64{1, 2, 3}, []uint64{1, 1, 1})
			rs[2].Replication = 7
			return summaryOf(rs)
		}(),
	} {
		if _, err := Compare([]string{"base", "alt"}, []*Summary{base, alt}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestSignificant(t *testing.T) {
	for _, tc := range []struct {
		name     string
		mean, hw float64
		want     bool
	}{
		{"interval above 0", 1, 0.5, true},
		{"interval below 0", -1, 0.5, true},
		{"interval contains 0", 0.3, 0.5, false},
		{"no interval with one replication", 1, math.NaN(), false},
		{"the same difference in every replication", 2, 0, true},
		{"no difference at all", 0, 0, false},
	} {
		if got := Significant(tc.mean, tc.hw); got != tc.want {
			t.Errorf("%s: Significant(%v, %v) = %v", tc.name, tc.mean, tc.hw, got)
		}
	}
}

func TestHeadlineFiguresSkipCountersThatNeverCount(t *testing.T) {
	s := summaryOf(pathRuns([]float64{1, 2}, []uint64{0, 0}))
	var keys []string
	for _, f := range HeadlineFigures([]*Summary{s}) {
		keys = append(keys, f.Key)
	}
	want := "a -> b.p50_s a -> b.p99_s a -> b.throughput_per_s cost.per_month_usd"
	if got := strings.Join(keys, " "); got != want {
		t.Errorf("figures = %s, want %s", got, want)
	}
	s2 := summaryOf(pathRuns([]float64{1, 2}, []uint64{0, 3}))
	if fs := HeadlineFigures([]*Summary{s, s2}); len(fs) != 5 || fs[3].Key != "q.NumberOfMessagesMovedToDLQ" {
		t.Errorf("a counter that counted in one summary is a figure of all: %v", fs)
	}
}
