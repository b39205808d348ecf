package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"msgsim/results"
)

func TestParseShard(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, tc := range []struct {
		name string
		in   string
		env  func(string) string
		want shardSpec
		err  bool
	}{
		{"no sharding", "", env(), shardSpec{}, false},
		{"explicit index", "2/4", env(), shardSpec{2, 4}, false},
		{"Kubernetes Indexed Job", "auto/4", env("JOB_COMPLETION_INDEX", "3"), shardSpec{3, 4}, false},
		{"Slurm job array", "auto/4", env("SLURM_ARRAY_TASK_ID", "1"), shardSpec{1, 4}, false},
		{"Slurm array starting at 1", "auto/4", env("SLURM_ARRAY_TASK_ID", "4", "SLURM_ARRAY_TASK_MIN", "1"), shardSpec{3, 4}, false},
		{"Kubernetes first", "auto/4", env("JOB_COMPLETION_INDEX", "0", "SLURM_ARRAY_TASK_ID", "2"), shardSpec{0, 4}, false},
		{"auto without environment", "auto/4", env(), shardSpec{}, true},
		{"index out of range", "4/4", env(), shardSpec{}, true},
		{"environment out of range", "auto/2", env("JOB_COMPLETION_INDEX", "2"), shardSpec{}, true},
		{"no count", "1", env(), shardSpec{}, true},
		{"zero shards", "0/0", env(), shardSpec{}, true},
		{"negative index", "-1/3", env(), shardSpec{}, true},
	} {
		got, err := parseShard(tc.in, tc.env)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("%s: parseShard(%q) = %v, %v; want %v, error %v", tc.name, tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestShardsPartitionTheJobs(t *testing.T) {
	reps := []int{3, 1, 4}
	for n := 1; n <= 9; n++ {
		seen := map[[2]int]int{}
		for i := range n {
			for _, j := range shardJobs(reps, shardSpec{i, n}) {
				seen[j]++
			}
		}
		for p, r := range reps {
			for k := range r {
				if seen[[2]int{p, k}] != 1 {
					t.Errorf("n=%d: job (%d, %d) in %d shards", n, p, k, seen[[2]int{p, k}])
				}
			}
		}
		if len(seen) != 8 {
			t.Errorf("n=%d: %d jobs, want 8", n, len(seen))
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withoutWallClock drops the wall-clock figures (wall_s, events_per_wall_s) from a
// summary.json: they measure the machine, differ between any two executions, and are the
// only fields that may.
func withoutWallClock(t *testing.T, js []byte) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(js, &v); err != nil {
		t.Fatal(err)
	}
	var strip func(any)
	strip = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			delete(x, "wall_s")
			delete(x, "events_per_wall_s")
			for _, y := range x {
				strip(y)
			}
		case []any:
			for _, y := range x {
				strip(y)
			}
		}
	}
	strip(v)
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func cli(t *testing.T, args ...string) cliResult {
	t.Helper()
	r := runCLI(args...)
	if r.code != 0 {
		t.Fatalf("msgsim %v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
	}
	return r
}

var stationSweep = []string{"sweep", filepath.Join("testdata", "station.yaml"),
	"--param", "producers.load.arrival.rate=20/s..80/s:30/s", "--param", "resources.svc.concurrency=1,2",
	"--set", "duration=20s", "--replications", "3"}

func TestSweepShardsMergeIntoTheSingleMachineSweep(t *testing.T) {
	tmp := t.TempDir()
	one := filepath.Join(tmp, "one")
	cli(t, append(stationSweep, "-o", one)...)
	var shards []string
	for i := range 4 {
		d := filepath.Join(tmp, "shard-"+strconv.Itoa(i))
		cli(t, append(stationSweep, "--shard", strconv.Itoa(i)+"/4", "-o", d)...)
		shards = append(shards, d)
	}
	merged := filepath.Join(tmp, "merged")
	// Shards in any order merge to the same result.
	cli(t, append([]string{"merge", "-o", merged}, shards[3], shards[1], shards[0], shards[2])...)
	for _, f := range []string{"sweep.csv", "sweep.txt", "sweep-latency-load---svc.svg"} {
		if a, b := mustRead(t, filepath.Join(one, f)), mustRead(t, filepath.Join(merged, f)); !bytes.Equal(a, b) {
			t.Errorf("%s differs between one machine and 4 merged shards:\n%s\n---\n%s", f, a, b)
		}
	}
	// 6 points × 3 replications = 18 rows of work, 1 header + 6 rows of CSV.
	if n := bytes.Count(mustRead(t, filepath.Join(one, "sweep.csv")), []byte("\n")); n != 7 {
		t.Errorf("sweep.csv has %d lines, want 7", n)
	}

	// A missing, a repeated or a foreign shard is refused.
	for name, dirs := range map[string][]string{
		"missing shard":  shards[:3],
		"repeated shard": {shards[0], shards[0], shards[1], shards[2], shards[3]},
	} {
		if r := runCLI(append([]string{"merge", "-o", filepath.Join(tmp, "bad")}, dirs...)...); r.code != exitUsage {
			t.Errorf("%s: exit %d, want %d", name, r.code, exitUsage)
		}
	}
	other := filepath.Join(tmp, "other")
	cli(t, "run", filepath.Join("testdata", "station.yaml"), "--set", "duration=5s", "--shard", "0/4", "-o", other)
	if r := runCLI("merge", "-o", filepath.Join(tmp, "bad"), other, shards[1], shards[2], shards[3]); r.code != exitUsage {
		t.Errorf("a shard of another run: exit %d, want %d", r.code, exitUsage)
	}
}

func TestRunShardsMergeIntoTheSingleMachineRun(t *testing.T) {
	tmp := t.TempDir()
	station := filepath.Join("testdata", "station.yaml")
	sets := []string{"duration=20s", "replications=5"}
	var shards []string
	for i := range 3 {
		d := filepath.Join(tmp, "shard-"+strconv.Itoa(i))
		cli(t, "run", station, "--set", sets[0], "--set", sets[1], "--shard", strconv.Itoa(i)+"/3", "-o", d)
		shards = append(shards, d)
	}
	merged := filepath.Join(tmp, "merged")
	runCLI(append([]string{"merge", "-o", merged}, shards...)...) // exit code is the thresholds'

	// What `msgsim run` computes on one machine, without writing the plots.
	l, err := loadScenario(station, "", sets)
	if err != nil {
		t.Fatal(err)
	}
	runs, err := runReplications(l, 0, 5, 0)
	if err != nil {
		t.Fatal(err)
	}
	s := results.Aggregate(runs)
	js, err := results.SummaryJSON(s)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(withoutWallClock(t, js), withoutWallClock(t, mustRead(t, filepath.Join(merged, "summary.json")))) {
		t.Errorf("summary.json differs between one machine and 3 merged shards (wall clock aside)")
	}
	for f, want := range map[string][]byte{
		"latency.csv":    results.LatencyCSV(s),
		"timeseries.csv": results.TimeseriesCSV(s),
		"scenario.yaml":  l.resolved,
	} {
		if !bytes.Equal(want, mustRead(t, filepath.Join(merged, f))) {
			t.Errorf("%s differs between one machine and 3 merged shards", f)
		}
	}
}
