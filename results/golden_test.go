package results

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./results -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./results -update to accept):\n%s", name, got)
	}
}

var goldenThresholds = []string{
	"p99(latency: shoppers -> warehouse) < 2s",
	"max(depth: order-queue) < 10000",
	"rate(errors: inventory) < 1%",
	"sum(metric: order-queue.NumberOfMessagesSent) > 0",
	"cost(per_month) < 500",
	"p50(latency: shoppers -> nowhere) < 1s",
}

func TestSummaryTextMatchesGolden(t *testing.T) {
	s := Aggregate([]*Run{pipelineRun(t, 42, 0, goldenThresholds...)})
	golden(t, "summary.txt.golden", []byte(Text(s, TextOptions{})))
}

func TestSummaryJSONMatchesGolden(t *testing.T) {
	s := Aggregate([]*Run{pipelineRun(t, 42, 0, goldenThresholds...)})
	js, err := SummaryJSON(s)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "summary.json.golden", js)
}

func TestSummaryTextOfReplicationsMatchesGolden(t *testing.T) {
	var runs []*Run
	for rep := range 3 {
		runs = append(runs, pipelineRun(t, 42, rep, goldenThresholds...))
	}
	golden(t, "summary_replications.txt.golden", []byte(Text(Aggregate(runs), TextOptions{})))
}

func TestIdenticalRunsGiveIdenticalSummaryJSON(t *testing.T) {
	a, err := SummaryJSON(Aggregate([]*Run{pipelineRun(t, 7, 0)}))
	if err != nil {
		t.Fatal(err)
	}
	b, err := SummaryJSON(Aggregate([]*Run{pipelineRun(t, 7, 0)}))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two identical runs gave different summary.json")
	}
}
