package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"msgsim/results"
)

// mergeOptions are the flags of `msgsim merge`.
type mergeOptions struct {
	out   string
	json  bool
	color bool
}

func newMergeCmd(stdout io.Writer) *cobra.Command {
	var o mergeOptions
	cmd := &cobra.Command{
		Use:   "merge SHARD_DIR... [-o OUT]",
		Short: "Combine the shard directories of a run or sweep into one result",
		Long: `Combine the directories written by 'msgsim run --shard i/n' or 'msgsim sweep --shard i/n'
into exactly the run or sweep directory one machine would have written: the replications
are put back in order and aggregated as if they had run together (latency histograms merge
exactly). Every shard of the same run must be given, each once; shards of different runs
are refused. Only wall-clock figures (wall_s, events_per_wall_s in summary.json) differ
from a single-machine run, as they do between any two runs.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.color = isTerminal(stdout)
			return runMerge(stdout, args, o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.out, "out", "o", "", "output directory (default out/<scenario> for a run, out/<scenario>-sweep for a sweep)")
	f.BoolVar(&o.json, "json", false, "merging a run: print summary.json instead of the text summary")
	return cmd
}

// sameRun returns the part of a manifest that every shard of one run shares.
func sameRun(m *shardManifest) string {
	c := *m
	c.Shard, c.Jobs = 0, nil
	b, _ := json.Marshal(c) // plain data: cannot fail
	return string(b)
}

// collectShards reads the shard directories and returns the first manifest, the runs of
// each point in replication order, and the first shard's resolved scenario.
func collectShards(dirs []string) (*shardManifest, [][]*results.Run, []byte, error) {
	var first *shardManifest
	seen := map[int]string{} // shard index -> directory; lookups only
	var runs [][]*results.Run
	var resolved []byte
	for _, d := range dirs {
		m, err := readShardManifest(d)
		if err != nil {
			return nil, nil, nil, err
		}
		if first == nil {
			first = m
			runs = make([][]*results.Run, len(m.Replications))
			for p, n := range m.Replications {
				runs[p] = make([]*results.Run, n)
			}
			if resolved, err = os.ReadFile(filepath.Join(d, "scenario.yaml")); err != nil {
				return nil, nil, nil, err
			}
		} else if sameRun(m) != sameRun(first) {
			return nil, nil, nil, fmt.Errorf("%s: a shard of a different %s (scenario, overrides, parameters or shard count differ from %s)", d, m.Kind, dirs[0])
		}
		if prev, dup := seen[m.Shard]; dup {
			return nil, nil, nil, fmt.Errorf("%s and %s are both shard %d/%d", prev, d, m.Shard, m.Shards)
		}
		seen[m.Shard] = d
		for _, j := range m.Jobs {
			p, r := j[0], j[1]
			if p < 0 || p >= len(runs) || r < 0 || r >= len(runs[p]) {
				return nil, nil, nil, fmt.Errorf("%s: job (point %d, replication %d) is out of range", d, p, r)
			}
			if runs[p][r] != nil {
				return nil, nil, nil, fmt.Errorf("%s: point %d replication %d was already merged", d, p, r)
			}
			if runs[p][r], err = readShardRun(d, p, r); err != nil {
				return nil, nil, nil, err
			}
		}
	}
	var missing []string
	for i := range first.Shards {
		if _, ok := seen[i]; !ok {
			missing = append(missing, fmt.Sprintf("%d/%d", i, first.Shards))
		}
	}
	if len(missing) > 0 {
		return nil, nil, nil, fmt.Errorf("missing shards: %s", strings.Join(missing, ", "))
	}
	for p := range runs {
		for r, run := range runs[p] {
			if run == nil {
				return nil, nil, nil, fmt.Errorf("point %d replication %d is in no shard", p, r)
			}
		}
	}
	return first, runs, resolved, nil
}

// runMerge merges shard directories into a run or sweep directory.
func runMerge(stdout io.Writer, dirs []string, o mergeOptions) error {
	m, runs, resolved, err := collectShards(dirs)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	switch m.Kind {
	case "sweep":
		dir := o.out
		if dir == "" {
			dir = filepath.Join("out", m.Scenario+"-sweep")
		}
		return writeSweepOutput(stdout, dir, m.Params, m.Points, runs, o.color)
	case "run":
		dir := o.out
		if dir == "" {
			dir = filepath.Join("out", m.Scenario)
		}
		return writeRunOutput(stdout, dir, results.Aggregate(runs[0]), resolved, o.json, o.color)
	}
	return &exitError{code: exitUsage, err: fmt.Errorf("%s: unknown shard kind %q", dirs[0], m.Kind)}
}

// writeRunOutput writes a run directory and prints its summary as `msgsim run` does,
// exiting 1 when a threshold failed.
func writeRunOutput(stdout io.Writer, dir string, s *results.Summary, resolved []byte, asJSON, color bool) error {
	if err := results.WriteDir(dir, s, resolved); err != nil {
		return err
	}
	if asJSON {
		js, err := results.SummaryJSON(s)
		if err != nil {
			return err
		}
		if _, err := stdout.Write(js); err != nil {
			return err
		}
	} else {
		if err := results.WriteText(stdout, s, results.TextOptions{Color: color}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\nresults written to %s\n", dir)
	}
	if results.Failed(s.Thresholds) {
		return &exitError{code: exitThreshold, err: errors.New("thresholds failed")}
	}
	return nil
}

// runShard runs one shard of a scenario's replications (`msgsim run --shard i/n`):
// replication k belongs to shard k mod n.
func runShard(stdout, stderr io.Writer, arg string, o runOptions, getenv func(string) string) error {
	sh, err := parseShard(o.shard, getenv)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	l, err := loadScenario(arg, o.variant, o.sets)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	reps := []int{l.file.Replications}
	var jobs []job
	for _, pr := range shardJobs(reps, sh) {
		jobs = append(jobs, job{l: l, rep: pr[1]})
	}
	runs, err := runJobs(jobs, o.workers, newProgress(stderr, len(jobs), "replications"))
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	dir := o.out
	if dir == "" {
		dir = filepath.Join("out", fmt.Sprintf("%s-shard-%d-of-%d", l.file.Name, sh.i, sh.n))
	}
	m := &shardManifest{Format: shardManifestVersion, Version: version, Kind: "run", Scenario: l.file.Name,
		Source: arg, Variant: o.variant, Sets: nonNil(o.sets), Replications: reps, Shard: sh.i, Shards: sh.n,
		Jobs: jobPairs(jobs)}
	if err := writeShardDir(dir, m, l.resolved, runs); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "shard %s of %s: %d of %d replications written to %s\n", sh, l.file.Name, len(jobs), reps[0], dir)
	return nil
}
