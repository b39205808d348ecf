package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"msgsim/results"
)

func TestResultsDoNotDependOnTheNumberOfWorkers(t *testing.T) {
	tmp := t.TempDir()
	var csvs [][]byte
	for _, w := range []string{"1", "3"} {
		sw := filepath.Join(tmp, "sweep-"+w)
		cli(t, append(stationSweep, "--workers", w, "-o", sw)...)
		csvs = append(csvs, mustRead(t, filepath.Join(sw, "sweep.csv")))
	}
	if !bytes.Equal(csvs[0], csvs[1]) {
		t.Errorf("sweep.csv differs between 1 and 3 workers:\n%s\n---\n%s", csvs[0], csvs[1])
	}

	// summary.json of a run, through both pools: run's and the one of compare and sweep.
	l, err := loadScenario(filepath.Join("testdata", "station.yaml"), "", []string{"duration=20s"})
	if err != nil {
		t.Fatal(err)
	}
	summary := func(runs []*results.Run, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		js, err := results.SummaryJSON(results.Aggregate(runs))
		if err != nil {
			t.Fatal(err)
		}
		return withoutWallClock(t, js)
	}
	jobs := func() []job {
		var js []job
		for r := range 4 {
			js = append(js, job{l: l, rep: r})
		}
		return js
	}
	one := summary(runReplications(l, 0, 4, 1))
	for name, got := range map[string][]byte{
		"runReplications, 3 workers": summary(runReplications(l, 0, 4, 3)),
		"runJobs, 1 worker":          summary(runJobs(jobs(), 1, nil)),
		"runJobs, 3 workers":         summary(runJobs(jobs(), 3, nil)),
	} {
		if !bytes.Equal(one, got) {
			t.Errorf("%s: summary.json differs from 1 worker's (wall clock aside)", name)
		}
	}
}
