package results

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// reportSummary is the pipeline run with the report's optional parts filled in.
func reportSummary(t *testing.T) *Summary {
	t.Helper()
	r := pipelineRun(t, 42, 0, "p99(latency: shoppers -> warehouse) < 2s", "rate(errors: inventory) < 1%")
	s := Aggregate([]*Run{r})
	s.Learn = "Watch the queue absorb bursts.\n\nThe function's concurrency follows the arrival rate."
	s.Faults = []Window{{From: 8, To: 12, Label: "warehouse outage"}}
	s.Graph = &Graph{
		Nodes: []Node{{"shoppers", "producer"}, {"order-queue", "sqs"}, {"inventory", "lambda"}, {"warehouse", "service"}},
		Edges: []Edge{{"shoppers", "order-queue", EdgeSend}, {"order-queue", "inventory", EdgePoll}, {"inventory", "warehouse", EdgeSend}},
	}
	return s
}

func TestReportHoldsTheTablesDiagramAndEveryPlot(t *testing.T) {
	s := reportSummary(t)
	plots, err := RenderPlots(s, PlotOptions{SVGOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	page, err := Report(s, plots)
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	for _, want := range []string{
		"<h1>pipeline</h1>", "a test pipeline", // name and description
		"Watch the queue absorb bursts.", "The function&#39;s concurrency", // learn notes, escaped
		`<svg xmlns="http://www.w3.org/2000/svg" class="diagram"`, ">poll<", // the diagram
		"End-to-end latency", "shoppers -&gt; warehouse", // the paths table
		"<h3>Queues</h3>", "order-queue", "<h3>Functions</h3>", "inventory", "<h3>Services</h3>", "<h3>Producers</h3>",
		"produced 1130",             // conservation
		"function error", "expired", // drops
		"per month", "$", // cost
		"✓", "✗", "p99(latency: shoppers -&gt; warehouse) &lt; 2s", "1 of 2 thresholds failed", // thresholds
	} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	for _, p := range plots {
		fig := `<figure id="plot-` + p.Name + `">`
		i := strings.Index(html, fig)
		if i < 0 {
			t.Errorf("report does not embed plot %s", p.Name)
			continue
		}
		rest := html[i:]
		if !strings.HasPrefix(rest[len(fig):], "\n<svg") || !strings.Contains(rest[:strings.Index(rest, "</figure>")], p.Title) {
			t.Errorf("plot %s is not an inline SVG with its caption", p.Name)
		}
	}
	if got := strings.Count(html, "<figure"); got != len(plots) {
		t.Errorf("%d figures, want %d", got, len(plots))
	}
}

func TestReportNeedsNoNetwork(t *testing.T) {
	s := reportSummary(t)
	plots, err := RenderPlots(s, PlotOptions{SVGOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	page, err := Report(s, plots)
	if err != nil {
		t.Fatal(err)
	}
	// Every reference to elsewhere: src=, href= (but in-page anchors), url( (but
	// in-document #ids), @import, <link, <script.
	ref := regexp.MustCompile(`(?i)(src\s*=|href\s*=\s*"[^#]|url\((?:[^#)]|$)|@import|<link|<script)`)
	if m := ref.FindAllString(string(page), -1); m != nil {
		t.Errorf("report.html refers to other resources: %q", m)
	}
}

func TestReportEscapesScenarioText(t *testing.T) {
	s := reportSummary(t)
	s.Scenario = `<script>alert("x")</script>`
	s.Learn = `<img src=x onerror=alert(1)>`
	page, err := Report(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(page, []byte("<script>")) || bytes.Contains(page, []byte("<img")) {
		t.Error("scenario text reached the page unescaped")
	}
}

func TestReportIsDeterministic(t *testing.T) {
	render := func() []byte {
		s := reportSummary(t)
		plots, err := RenderPlots(s, PlotOptions{SVGOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		page, err := Report(s, plots)
		if err != nil {
			t.Fatal(err)
		}
		return page
	}
	if !bytes.Equal(render(), render()) {
		t.Error("two reports of the same run differ")
	}
}

func TestWriteDirWritesPlotsAndReport(t *testing.T) {
	dir := t.TempDir()
	// Paths only, so three plots: rasterising PNGs is slow under -race.
	s := plotSummary(t)
	s.Components = nil
	s.Series = slices.DeleteFunc(s.Series, func(sd SeriesData) bool { return sd.Component != "shoppers -> warehouse" })
	if err := WriteDir(dir, s, nil); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"report.html", "throughput.svg", "throughput.png", "latency.svg", "latency.png",
		"latency-cdf.svg", "latency-cdf.png"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Error(err)
			continue
		}
		if fi.Size() == 0 {
			t.Errorf("%s is empty", name)
		}
	}
	page, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	if got := strings.Count(string(page), "<figure"); got != 3 {
		t.Errorf("report.html has %d plots, want 3", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "dlq-depth.svg")); err == nil {
		t.Error("dlq-depth.svg written for a run without a DLQ")
	}
}

func TestReportOfAnEmptySummaryStillRenders(t *testing.T) {
	page, err := Report(Aggregate(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte("<h1>msgsim run</h1>")) || bytes.Contains(page, []byte(`id="plots"`)) {
		t.Error("an empty Summary should give a page titled 'msgsim run' without plots")
	}
	s := reportSummary(t)
	s.Graph = &Graph{Nodes: []Node{{"a", "sqs"}}, Edges: []Edge{{"a", "nowhere", EdgeSend}}}
	page, err = Report(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte("No diagram: results: graph: edge 0 (a -&gt; nowhere) refers to an unknown node")) {
		t.Error("a bad graph should leave a note instead of the diagram")
	}
}

func TestUnwrapJoinsWrappedLinesButKeepsListItems(t *testing.T) {
	got := unwrap("  Follow an order: the shopper\n  waits only for the API.\n- first point\n- second\n  continued")
	want := "Follow an order: the shopper waits only for the API.\n- first point\n- second continued"
	if got != want {
		t.Fatalf("unwrap = %q, want %q", got, want)
	}
}
