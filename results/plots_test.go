package results

import (
	"bytes"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"msgsim/sim"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// plotSummary is a hand-built Summary whose plots are known in advance: 1 s of warm-up
// and 1.5 s measured, so the series have three 1-second buckets and the last one is cut
// to half a second by the end of the run (2.5 s).
func plotSummary(t *testing.T) *Summary {
	t.Helper()
	h := sim.NewHistogram()
	for _, ms := range []int64{100, 200, 300, 400} {
		h.Record(ms * 1e6)
	}
	ser := func(comp, metric, stat string, vals ...float64) SeriesData {
		return SeriesData{Component: comp, Metric: metric, Stat: stat, StartSeconds: 0, WidthSeconds: 1, Values: vals}
	}
	return &Summary{
		Scenario: "plots", Replications: 1, WarmupSeconds: 1, DurationSeconds: 1.5,
		Paths: []PathStats{{Name: "shoppers -> warehouse", LatencyStats: LatencyStats{Pooled: figuresOf(h)}}},
		Components: []ComponentStats{
			{Name: "shoppers", Kind: "producer"},
			{Name: "order-queue", Kind: "sqs"},
			{Name: "order-dlq", Kind: "sqs"},
			{Name: "inventory", Kind: "lambda", Limits: []Limit{{Metric: "ConcurrentExecutions", Value: 10}}},
			{Name: "warehouse", Kind: "service"},
		},
		Series: []SeriesData{
			ser("shoppers", "MessagesProduced", "sum", 10, 20, 6),
			ser("shoppers", "SendRetries", "sum", 0, 0, 0),
			ser("order-queue", "ApproximateNumberOfMessagesVisible", "max", 1, 5, 2),
			ser("order-queue", "ApproximateNumberOfMessagesNotVisible", "max", 0, 3, 1),
			ser("order-queue", "ApproximateNumberOfMessagesDelayed", "max", 0, 0, 0),
			ser("order-queue", "ApproximateAgeOfOldestMessage", "max", 0.5, 2, 1),
			ser("order-dlq", "ApproximateNumberOfMessagesVisible", "max", 0, 1, 2),
			ser("order-dlq", "ApproximateAgeOfOldestMessage", "max", 0, 100, 200),
			ser("inventory", "ConcurrentExecutions", "max", 2, 10, 4),
			ser("inventory", "Throttles", "sum", 0, 4, 0),
			ser("inventory", "ColdStarts", "sum", 2, 1, 0),
			ser("inventory", "Errors", "sum", 1, 0, 2),
			ser("shoppers -> warehouse", "EndToEndLatency", "count", 0, 18, 5),
			ser("shoppers -> warehouse", "EndToEndLatency", "p50", 0, 0.2, 0.3),
			ser("shoppers -> warehouse", "EndToEndLatency", "p99", 0, 0.4, 0.5),
		},
		Faults: []Window{{From: 1.5, To: 2.5, Label: "warehouse outage"}},
	}
}

// wantLine is what a test expects of one line of a plot spec.
type wantLine struct {
	label  string
	y      []float64 // NaN: a gap
	dashed bool
}

func sameFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.IsNaN(a[i]) != math.IsNaN(b[i]) || !math.IsNaN(a[i]) && math.Abs(a[i]-b[i]) > 1e-9*math.Max(1, math.Abs(b[i])) {
			return false
		}
	}
	return true
}

func specByName(specs []plotSpec, name string) (plotSpec, bool) {
	for _, sp := range specs {
		if sp.Name == name {
			return sp, true
		}
	}
	return plotSpec{}, false
}

func TestPlotSpecsHandTheSeriesToThePlotter(t *testing.T) {
	nan := math.NaN()
	mid := []float64{0.5, 1.5, 2.5} // bucket midpoints, seconds
	specs := buildPlotSpecs(plotSummary(t), PlotOptions{})
	tests := []struct {
		name  string
		plot  string
		ylab  string
		lines []wantLine
	}{
		{"throughput is produced vs completed per second, the cut last bucket by its half second", "throughput", "messages / s",
			[]wantLine{{"shoppers produced", []float64{10, 20, 12}, true}, {"shoppers -> warehouse completed", []float64{0, 18, 10}, false}}},
		{"latency over time is p50 and p99 in ms with a gap where nothing arrived", "latency", "latency (ms)",
			[]wantLine{{"shoppers -> warehouse p50", []float64{nan, 200, 300}, false}, {"shoppers -> warehouse p99", []float64{nan, 400, 500}, true}}},
		{"queue depth is visible and in flight, without an all-zero delayed line", "queue-depth-order-queue", "messages",
			[]wantLine{{"visible", []float64{1, 5, 2}, false}, {"in flight", []float64{0, 3, 1}, false}}},
		{"age of oldest leaves the DLQ out", "queue-age", "age (s)",
			[]wantLine{{"order-queue", []float64{0.5, 2, 1}, false}}},
		{"DLQ depth is the dead-letter queue's visible depth", "dlq-depth", "messages",
			[]wantLine{{"order-dlq", []float64{0, 1, 2}, false}}},
		{"concurrency is drawn against its limit", "lambda-concurrency-inventory", "concurrent executions",
			[]wantLine{{"ConcurrentExecutions", []float64{2, 10, 4}, false}, {"limit (10)", []float64{10, 10}, true}}},
		{"throttles and cold starts are per second", "lambda-throttles-inventory", "events / s",
			[]wantLine{{"Throttles", []float64{0, 4, 0}, false}, {"ColdStarts", []float64{2, 1, 0}, false}}},
		{"errors and retries keep only counters that counted", "errors-retries", "events / s",
			[]wantLine{{"inventory Errors", []float64{1, 0, 4}, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sp, ok := specByName(specs, tt.plot)
			if !ok {
				t.Fatalf("no plot %q", tt.plot)
			}
			if sp.YLabel != tt.ylab || sp.XLabel != "simulated time (s)" {
				t.Errorf("axes %q / %q, want simulated time (s) / %q", sp.XLabel, sp.YLabel, tt.ylab)
			}
			if sp.Title == "" || sp.Caption == "" {
				t.Error("plot without title or caption")
			}
			if len(sp.Lines) != len(tt.lines) {
				t.Fatalf("%d lines, want %d: %+v", len(sp.Lines), len(tt.lines), sp.Lines)
			}
			for i, w := range tt.lines {
				l := sp.Lines[i]
				if l.Label != w.label || l.Dashed != w.dashed || !sameFloats(l.Y, w.y) {
					t.Errorf("line %d = %q dashed=%v %v, want %q dashed=%v %v", i, l.Label, l.Dashed, l.Y, w.label, w.dashed, w.y)
				}
				if len(l.X) != len(l.Y) {
					t.Errorf("line %q: %d x for %d y", l.Label, len(l.X), len(l.Y))
				}
				if len(l.X) == 3 && !sameFloats(l.X, mid) {
					t.Errorf("line %q at x = %v, want the bucket midpoints %v", l.Label, l.X, mid)
				}
			}
			wantShades := []shadeSpec{{From: 0, To: 1, Label: "warm-up", Warmup: true}, {From: 1.5, To: 2.5, Label: "warehouse outage"}}
			if !slices.Equal(sp.Shades, wantShades) {
				t.Errorf("shades %+v, want %+v", sp.Shades, wantShades)
			}
			if sp.XMin != 0 || sp.XMax != 2.5 {
				t.Errorf("x range [%v, %v], want the whole run [0, 2.5]", sp.XMin, sp.XMax)
			}
		})
	}
}

func TestLatencyCDFIsThePooledHistogram(t *testing.T) {
	s := plotSummary(t)
	sp, ok := specByName(buildPlotSpecs(s, PlotOptions{}), "latency-cdf")
	if !ok {
		t.Fatal("no latency-cdf plot")
	}
	if len(sp.Lines) != 1 || sp.Lines[0].Label != "shoppers -> warehouse" {
		t.Fatalf("lines %+v, want one for the path", sp.Lines)
	}
	pts := s.Paths[0].Pooled.Histogram.CDF(cdfPoints)
	l := sp.Lines[0]
	if len(l.X) != len(pts) {
		t.Fatalf("%d points, want the histogram's %d", len(l.X), len(pts))
	}
	for i, p := range pts {
		if l.X[i] != float64(p.Value)/1e6 || l.Y[i] != p.Fraction { // ms: the largest latency is under 1 s
			t.Errorf("point %d = (%v, %v), want (%v ms, %v)", i, l.X[i], l.Y[i], float64(p.Value)/1e6, p.Fraction)
		}
	}
	if got := l.Y[len(l.Y)-1]; got != 1 {
		t.Errorf("CDF ends at %v, want 1", got)
	}
	if sp.XLabel != "end-to-end latency (ms)" || len(sp.Shades) != 0 {
		t.Errorf("x label %q, shades %v: want ms and no time shading", sp.XLabel, sp.Shades)
	}
}

func TestPlotsWithoutDataAreSkipped(t *testing.T) {
	s := plotSummary(t)
	// No DLQ (by graph: only redrive targets are DLQs), no function, no errors.
	s.Graph = &Graph{Nodes: []Node{{"order-queue", "sqs"}, {"order-dlq", "sqs"}}}
	s.Components = slices.DeleteFunc(s.Components, func(c ComponentStats) bool { return c.Kind == "lambda" })
	s.Series = slices.DeleteFunc(s.Series, func(sd SeriesData) bool { return sd.Component == "inventory" })
	var names []string
	for _, sp := range buildPlotSpecs(s, PlotOptions{DLQs: []string{}}) {
		names = append(names, sp.Name)
	}
	want := []string{"throughput", "latency", "latency-cdf", "queue-depth-order-queue", "queue-depth-order-dlq", "queue-age"}
	if !slices.Equal(names, want) {
		t.Errorf("plots %v, want %v", names, want)
	}
	if specs := buildPlotSpecs(&Summary{}, PlotOptions{}); len(specs) != 0 {
		t.Errorf("an empty Summary gives %d plots, want none", len(specs))
	}
}

func TestDLQsAreFoundFromOptionsGraphOrName(t *testing.T) {
	tests := []struct {
		name  string
		graph *Graph
		given []string
		want  []string // of order-queue, order-dlq
	}{
		{"by name when there is no graph", nil, nil, []string{"order-dlq"}},
		{"by redrive edge in the graph", &Graph{Edges: []Edge{{"order-dlq", "order-queue", EdgeRedrive}}}, nil, []string{"order-queue"}},
		{"as given, over the graph", &Graph{Edges: []Edge{{"order-queue", "order-dlq", EdgeRedrive}}}, []string{"order-queue"}, []string{"order-queue"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := plotSummary(t)
			s.Graph = tt.graph
			m := dlqMatcher(s, tt.given)
			var got []string
			for _, n := range []string{"order-queue", "order-dlq"} {
				if m(n) {
					got = append(got, n)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("DLQs %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLongRunsPlotTimeInMinutes(t *testing.T) {
	s := plotSummary(t)
	s.WarmupSeconds, s.DurationSeconds = 60, 3540
	s.Faults = []Window{{From: 600, To: 1200, Label: "outage"}}
	sp, _ := specByName(buildPlotSpecs(s, PlotOptions{}), "throughput")
	if sp.XLabel != "simulated time (min)" || sp.XMax != 60 {
		t.Errorf("x %q up to %v, want minutes up to 60", sp.XLabel, sp.XMax)
	}
	if got := sp.Shades[1]; got.From != 10 || got.To != 20 {
		t.Errorf("fault shaded over [%v, %v] min, want [10, 20]", got.From, got.To)
	}
}

func TestWritePlotsWritesEverySVGAndPNG(t *testing.T) {
	dir := t.TempDir()
	s := plotSummary(t)
	plots, err := WritePlots(dir, s, PlotOptions{DPI: 24}) // 24 dpi: rasterising is slow under -race
	if err != nil {
		t.Fatal(err)
	}
	specs := buildPlotSpecs(s, PlotOptions{})
	if len(plots) != len(specs) || len(plots) != 9 {
		t.Fatalf("%d plots written, want one per spec (%d) = 9", len(plots), len(specs))
	}
	for i, p := range plots {
		if p.Name != specs[i].Name {
			t.Errorf("plot %d is %q, want %q", i, p.Name, specs[i].Name)
		}
		svg, err := os.ReadFile(filepath.Join(dir, p.Name+".svg"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(svg, []byte("<svg")) || !bytes.Contains(svg, []byte(specs[i].Title)) {
			t.Errorf("%s.svg is not an SVG with its title %q", p.Name, specs[i].Title)
		}
		f, err := os.Open(filepath.Join(dir, p.Name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s.png: %v", p.Name, err)
		}
		if b := img.Bounds(); b.Dx() != 192 || b.Dy() != 96 {
			t.Errorf("%s.png is %dx%d, want 8×4 in at 24 dpi = 192x96", p.Name, b.Dx(), b.Dy())
		}
	}
}

func TestPlotsAreDeterministic(t *testing.T) {
	a, err := RenderPlots(plotSummary(t), PlotOptions{SVGOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := RenderPlots(plotSummary(t), PlotOptions{SVGOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("%d and %d plots", len(a), len(b))
	}
	for i := range a {
		if !bytes.Equal(a[i].SVG, b[i].SVG) {
			t.Errorf("%s.svg differs between two renderings of the same Summary", a[i].Name)
		}
		if a[i].PNG != nil {
			t.Errorf("%s: a PNG was rendered with SVGOnly", a[i].Name)
		}
	}
	// One PNG, twice (rasterising every plot is slow under -race).
	sp, _ := specByName(buildPlotSpecs(plotSummary(t), PlotOptions{}), "throughput")
	_, p1, err := renderSpec(sp, 8, 4, 48)
	if err != nil {
		t.Fatal(err)
	}
	_, p2, _ := renderSpec(sp, 8, 4, 48)
	if len(p1) == 0 || !bytes.Equal(p1, p2) {
		t.Error("throughput.png differs between two renderings of the same spec")
	}
}

func TestSegmentsSplitAtGaps(t *testing.T) {
	nan := math.NaN()
	got := segments([]float64{0, 1, 2, 3, 4}, []float64{nan, 1, 2, nan, 4})
	if len(got) != 2 || len(got[0]) != 2 || len(got[1]) != 1 || got[1][0].Y != 4 {
		t.Errorf("segments = %v, want [(1,1) (2,2)] [(4,4)]", got)
	}
}

func TestFileStemIsSafe(t *testing.T) {
	for in, want := range map[string]string{"order-queue": "order-queue", "Orders.fifo": "orders-fifo",
		"a / b": "a-b", "../x": "x", "": "x"} {
		if got := fileStem(in); got != want {
			t.Errorf("fileStem(%q) = %q, want %q", in, got, want)
		}
	}
	if got := strings.Count(fileStem("ü"), "-"); got != 0 {
		t.Errorf("fileStem(ü) = %q", fileStem("ü"))
	}
}

func TestLongLegendLabelsKeepBothEnds(t *testing.T) {
	_, leg, err := buildPlot(plotSpec{Lines: []lineSpec{{Label: "x", X: []float64{0, 1}, Y: []float64{0, 1}}}})
	if err != nil || leg == nil {
		t.Fatal(err)
	}
	label := "a-very-long-producer-name -> an-even-longer-sink-name"
	w := leg.style.Width("a-very-long-producer-name")
	got := fitLabel(leg.style, label, w)
	if leg.style.Width(got) > w || !strings.HasPrefix(got, "a-very") || !strings.HasSuffix(got, "name") || !strings.Contains(got, "…") {
		t.Errorf("fitLabel = %q, want both ends of %q within %v", got, label, w)
	}
	if got := fitLabel(leg.style, "short", w); got != "short" {
		t.Errorf("a label that fits became %q", got)
	}
}

func TestLegendTakesAsManyColumnsAsItsLabelsAllow(t *testing.T) {
	short := &plotLegend{style: plot.NewLegend().TextStyle, entries: []legendEntry{{label: "p50"}, {label: "p99"}, {label: "warm-up"}, {label: "x"}}}
	short.style.Font = withFont(sansFont, 10)
	long := &plotLegend{style: short.style, entries: []legendEntry{{label: "p50"}, {label: strings.Repeat("long label ", 6)}}}
	w := 8 * vg.Inch
	if got := short.columns(w); got != 3 {
		t.Errorf("short labels take %d columns, want 3", got)
	}
	if got := long.columns(w); got != 1 {
		t.Errorf("a label wider than a half takes %d columns, want 1", got)
	}
}
