package results

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteDirWritesEveryFile(t *testing.T) {
	s := Aggregate([]*Run{pipelineRun(t, 42, 0)})
	dir := filepath.Join(t.TempDir(), "run")
	yaml := []byte("name: pipeline\nseed: 42\n")
	if err := WriteDir(dir, s, yaml); err != nil {
		t.Fatal(err)
	}
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var back Summary
	if err := json.Unmarshal(read("summary.json"), &back); err != nil {
		t.Fatalf("summary.json does not decode: %v", err)
	}
	if back.SchemaVersion != SchemaVersion || back.Paths[0].Pooled.Count != s.Paths[0].Pooled.Count {
		t.Errorf("summary.json read back: version %d, paths %+v", back.SchemaVersion, back.Paths)
	}
	if got := string(read("summary.txt")); got != Text(s, TextOptions{OmitWall: true}) || strings.Contains(got, "\x1b[") || strings.Contains(got, "wall ") {
		t.Error("summary.txt is not the uncoloured terminal summary without the wall time")
	}
	if got := string(read("timing.json")); !strings.Contains(got, `"wall_s"`) {
		t.Errorf("timing.json = %q", got)
	}
	if !bytes.Equal(read("scenario.yaml"), yaml) {
		t.Error("scenario.yaml differs from the resolved scenario")
	}

	ts := strings.Split(strings.TrimSpace(string(read("timeseries.csv"))), "\n")
	if ts[0] != "time_s,component,metric,stat,unit,value" {
		t.Errorf("timeseries.csv header %q", ts[0])
	}
	rows := 0
	for _, sd := range s.Series {
		rows += len(sd.Values)
	}
	if len(ts)-1 != rows || rows == 0 {
		t.Errorf("timeseries.csv has %d rows, want %d", len(ts)-1, rows)
	}
	if !strings.HasPrefix(ts[1], "0,") || !strings.HasPrefix(ts[2], "1,") {
		t.Errorf("timeseries.csv rows start %q, %q; want time 0 then 1 (1 s buckets)", ts[1], ts[2])
	}

	lat := strings.Split(strings.TrimSpace(string(read("latency.csv"))), "\n")
	want := []string{"name,count,mean_s,p50_s,p90_s,p95_s,p99_s,max_s", "shoppers -> warehouse,", "inventory.Duration,",
		"order-queue.QueueTime,", "warehouse.SojournTime,"}
	if len(lat) != len(want) {
		t.Fatalf("latency.csv:\n%s", strings.Join(lat, "\n"))
	}
	for i, w := range want {
		if !strings.HasPrefix(lat[i], w) {
			t.Errorf("latency.csv line %d is %q, want it to start %q", i+1, lat[i], w)
		}
	}
}

func TestColourOnlyWhenAsked(t *testing.T) {
	s := Aggregate([]*Run{pipelineRun(t, 42, 0, "sum(metric: order-queue.NumberOfMessagesSent) > 0")})
	if strings.Contains(Text(s, TextOptions{}), "\x1b[") {
		t.Error("escape codes without Color")
	}
	col := Text(s, TextOptions{Color: true})
	if !strings.Contains(col, "\x1b[32m✓\x1b[0m") {
		t.Error("no green tick with Color")
	}
}

func TestSummaryLinesFitInAHundredColumns(t *testing.T) {
	var runs []*Run
	for rep := range 3 {
		runs = append(runs, pipelineRun(t, 42, rep))
	}
	for _, line := range strings.Split(Text(Aggregate(runs), TextOptions{}), "\n") {
		if width(line) > 100 {
			t.Errorf("line of %d characters: %q", width(line), line)
		}
	}
}

func TestSummaryJSONIsTheIndentedEncoding(t *testing.T) {
	s := Aggregate([]*Run{pipelineRun(t, 42, 0)})
	s.Description = `quotes " and brackets [{ }] in "strings"`
	js, err := SummaryJSON(s)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(js) {
		t.Fatal("summary.json is not valid JSON")
	}
	var a, b bytes.Buffer
	plain, _ := json.Marshal(s)
	_ = json.Compact(&a, plain)
	_ = json.Compact(&b, js)
	// Marshal escapes <, > and & while SummaryJSON does not: compare after unescaping.
	got := strings.NewReplacer(`\u003e`, ">", `\u003c`, "<", `\u0026`, "&").Replace(a.String())
	if got != b.String() {
		t.Error("summary.json differs from the compact encoding once whitespace is removed")
	}
}

func TestAnEmptySummaryStillRenders(t *testing.T) {
	s := Aggregate(nil)
	if txt := Text(s, TextOptions{}); !strings.Contains(txt, "messages") {
		t.Errorf("text of an empty summary:\n%s", txt)
	}
	if err := WriteDir(t.TempDir(), s, nil); err != nil {
		t.Fatal(err)
	}
}
