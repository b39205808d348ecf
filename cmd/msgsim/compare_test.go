package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"msgsim/scenarios"
)

// poisonWithVariant writes the built-in poison-message-dlq scenario with a variant that
// lets a message be received five times, not three, before it moves to the DLQ.
func poisonWithVariant(t *testing.T) string {
	t.Helper()
	b, ok := scenarios.Builtin("poison-message-dlq")
	if !ok {
		t.Fatal("no built-in poison-message-dlq")
	}
	src := string(b.Source)
	const v = "  mrc5: {resources.order-queue.redrive.max_receive_count: 5}\n"
	if strings.Contains(src, "\nvariants:\n") {
		src = strings.Replace(src, "\nvariants:\n", "\nvariants:\n"+v, 1)
	} else {
		src += "\nvariants:\n" + v
	}
	path := filepath.Join(t.TempDir(), "poison.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// compareRows reads comparison.csv: figure key → alternative → record.
func compareRows(t *testing.T, path string) map[string]map[string][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string][]string{}
	for _, r := range recs[1:] {
		if out[r[0]] == nil {
			out[r[0]] = map[string][]string{}
		}
		out[r[0]][r[3]] = r
	}
	return out
}

func TestCompareFindsTheDLQDifferenceOfMoreReceives(t *testing.T) {
	out := t.TempDir()
	r := cli(t, "compare", poisonWithVariant(t), "mrc5", "--duration", "1m", "--set", "warmup=30s", "-o", out)
	rows := compareRows(t, filepath.Join(out, "comparison.csv"))
	for _, tc := range []struct {
		figure      string
		sign        float64 // expected sign of mrc5 − base; 0: not significant
		explanation string
	}{
		{"processor.Errors", +1, "a poison message fails five times instead of three"},
		{"order-dlq.ApproximateNumberOfMessagesVisible.max", -1, "each poison message reaches the DLQ two visibility timeouts (20 s) later"},
	} {
		rec, ok := rows[tc.figure]["mrc5"]
		if !ok {
			t.Errorf("no row %s for mrc5", tc.figure)
			continue
		}
		diff, _ := strconv.ParseFloat(rec[6], 64)
		sig := rec[8] == "true"
		switch {
		case tc.sign == 0 && sig:
			t.Errorf("%s: Δ = %s ± %s significant, want not (%s)", tc.figure, rec[6], rec[7], tc.explanation)
		case tc.sign != 0 && (!sig || diff*tc.sign <= 0):
			t.Errorf("%s: Δ = %s ± %s (significant %v), want a significant %+g (%s)", tc.figure, rec[6], rec[7], sig, tc.sign, tc.explanation)
		}
	}
	for _, f := range []string{"report.html", "comparison.txt", "latency-cdf.svg", "throughput.png", "queue-depth-order-dlq.svg", "cost.svg", "base/summary.json", "mrc5/summary.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("comparison directory lacks %s", f)
		}
	}
	if !strings.Contains(r.stdout, "Δ mrc5") || !strings.Contains(r.stdout, "5 replications each") {
		t.Errorf("table:\n%s", r.stdout)
	}
}

func TestCompareOfFilesAndBadArguments(t *testing.T) {
	p := poisonWithVariant(t)
	if !testing.Short() {
		out := t.TempDir()
		cli(t, "compare", p, p, "--duration", "1m", "--replications", "2", "-o", out)
		rows := compareRows(t, filepath.Join(out, "comparison.csv"))
		for fig, alts := range rows {
			if rec := alts["poison-message-dlq-2"]; rec == nil || rec[6] != "0" || rec[8] != "false" {
				t.Errorf("a scenario against itself: %s = %v, want Δ 0, not significant", fig, rec)
			}
		}
	}
	for _, args := range [][]string{
		{"compare", p, "no-such-variant"},
		{"compare", filepath.Join("testdata", "station.yaml")}, // no variants
		{"compare", p, "base"},
	} {
		if r := runCLI(args...); r.code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, r.code, exitUsage)
		}
	}
}

func TestAlternativesReadTheArguments(t *testing.T) {
	p := poisonWithVariant(t)
	names := func(alts []alternative) string {
		var ns []string
		for _, a := range alts {
			ns = append(ns, a.name+":"+a.variant)
		}
		return strings.Join(ns, " ")
	}
	for _, tc := range []struct {
		name string
		args []string
		want string // name:variant of each alternative; files have no name yet
	}{
		{"named variants", []string{p, "mrc5"}, "base: mrc5:mrc5"},
		{"all variants when none is named", []string{p}, "base: mrc5:mrc5"},
		{"several files", []string{p, p}, ": :"},
	} {
		alts, err := alternatives(tc.args)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := names(alts); !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s: alternatives %q, want %q", tc.name, got, tc.want)
		}
	}
}
