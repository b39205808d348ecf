package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"msgsim/results"
)

// sweepOptions are the flags of `msgsim sweep`.
type sweepOptions struct {
	out       string
	sets      []string
	variant   string
	params    []string
	workers   int
	shard     string
	findMax   string
	min, max  string
	tolerance float64
	color     bool
	stderr    io.Writer
	getenv    func(string) string
}

// maxSweepValues bounds the values of one parameter range, against a mistyped step.
const maxSweepValues = 10000

func newSweepCmd(stdout, stderr io.Writer) *cobra.Command {
	var o sweepOptions
	var c commonFlags
	cmd := &cobra.Command{
		Use:   "sweep SCENARIO --param PATH=VALUES... | --find-max PATH --min A --max B",
		Short: "Run a scenario over a grid of parameter values, or find the largest load that meets the thresholds",
		Long: `Run a scenario at every point of a grid — the cartesian product of the --param values,
the first parameter varying slowest — with the scenario's replications at each point, on
all cores. Writes sweep.csv (one row per point: the parameters, then each headline figure's
mean and 95% half-width, then thresholds_passed), sweep.txt and plots of each figure
against the first numeric parameter (latency-vs-load curves with the knee marked: the first
point whose p99 exceeds twice its value at the lowest load) into out/<scenario>-sweep.

  --param producers.shoppers.arrival.rate=50/s,100/s,200/s      a list of values
  --param producers.shoppers.arrival.rate=50/s..500/s:50/s      from..to:step

--find-max PATH bisects PATH (a number with an optional unit, typically an arrival rate)
between --min and --max for the largest value at which every threshold holds, printing each
probe; it assumes the thresholds hold below some value and fail above it.

--shard i/n runs only the i-th of n interleaved parts of the grid's replications and writes
a shard directory; msgsim merge combines the shards into the sweep directory one machine
would have written. --shard auto/n takes i from JOB_COMPLETION_INDEX (Kubernetes Indexed
Job) or SLURM_ARRAY_TASK_ID (Slurm job array).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.sets = append(o.sets, c.sets(cmd)...)
			o.color = isTerminal(stdout)
			o.stderr, o.getenv = stderr, os.Getenv
			if o.findMax != "" {
				return runFindMax(stdout, args[0], o)
			}
			return runSweep(stdout, args[0], o)
		},
	}
	f := cmd.Flags()
	c.register(f)
	f.StringVarP(&o.out, "out", "o", "", "output directory (default out/<scenario>-sweep, or a shard directory with --shard)")
	f.StringArrayVar(&o.sets, "set", nil, "override a field at every point: path=value (repeatable)")
	f.StringVar(&o.variant, "variant", "", "sweep one of the scenario's variants")
	f.StringArrayVar(&o.params, "param", nil, "a swept field: path=v1,v2,... or path=from..to:step (repeatable)")
	f.IntVar(&o.workers, "workers", 0, "replications run in parallel (default: all cores)")
	f.StringVar(&o.shard, "shard", "", "run only part i of n (i/n, or auto/n from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID)")
	f.StringVar(&o.findMax, "find-max", "", "bisect this field for the largest value meeting all thresholds")
	f.StringVar(&o.min, "min", "", "find-max: lowest value (must meet the thresholds)")
	f.StringVar(&o.max, "max", "", "find-max: highest value")
	f.Float64Var(&o.tolerance, "tolerance", 0, "find-max: stop when the bracket is this narrow (default (max-min)/100)")
	return cmd
}

// sweepParam is one --param: a field path and its values in order.
type sweepParam struct {
	path   string
	values []string
}

// parseParam reads path=v1,v2,... or path=from..to:step. A range's bounds and step are
// numbers with the same unit suffix (the step may omit it): 50/s..200/s:50/s gives 50/s,
// 100/s, 150/s, 200/s.
func parseParam(s string) (sweepParam, error) {
	path, vals, ok := strings.Cut(s, "=")
	path = strings.TrimSpace(path)
	if !ok || path == "" || strings.TrimSpace(vals) == "" {
		return sweepParam{}, fmt.Errorf("--param %q: want path=v1,v2,... or path=from..to:step", s)
	}
	if from, rest, ok := strings.Cut(vals, ".."); ok && !strings.Contains(vals, ",") {
		to, step, ok := strings.Cut(rest, ":")
		if !ok {
			return sweepParam{}, fmt.Errorf("--param %q: a range needs a step: from..to:step", s)
		}
		values, err := expandRange(from, to, step)
		if err != nil {
			return sweepParam{}, fmt.Errorf("--param %q: %v", s, err)
		}
		return sweepParam{path: path, values: values}, nil
	}
	var values []string
	for _, v := range strings.Split(vals, ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			return sweepParam{}, fmt.Errorf("--param %q: empty value", s)
		}
		values = append(values, v)
	}
	return sweepParam{path: path, values: values}, nil
}

// expandRange lists from, from+step, ... up to to (included when it falls on the grid,
// within a relative 1e-9 of the step against rounding).
func expandRange(from, to, step string) ([]string, error) {
	a, ua, ok1 := results.ParseQuantity(from)
	b, ub, ok2 := results.ParseQuantity(to)
	d, ud, ok3 := results.ParseQuantity(step)
	if !ok1 || !ok2 || !ok3 {
		return nil, errors.New("from, to and step must be numbers")
	}
	if ua != ub || ud != "" && ud != ua {
		return nil, fmt.Errorf("from, to and step must have the same unit (%q, %q, %q)", ua, ub, ud)
	}
	if !(d > 0) || b < a {
		return nil, errors.New("want from ≤ to and a positive step")
	}
	n := math.Floor((b-a)/d+1e-9) + 1
	if n > maxSweepValues {
		return nil, fmt.Errorf("%g values: more than %d", n, maxSweepValues)
	}
	out := make([]string, 0, int(n))
	for k := 0; k < int(n); k++ {
		out = append(out, formatQuantity(a+float64(k)*d, ua))
	}
	return out, nil
}

// formatQuantity writes a number with 12 significant digits (so 0.1+0.2 reads 0.3) and
// its unit.
func formatQuantity(v float64, unit string) string {
	return strconv.FormatFloat(v, 'g', 12, 64) + unit
}

// grid is the cartesian product of the parameters' values, the first parameter varying
// slowest.
func grid(params []sweepParam) [][]string {
	points := [][]string{{}}
	for _, p := range params {
		var next [][]string
		for _, pt := range points {
			for _, v := range p.values {
				next = append(next, append(append([]string(nil), pt...), v))
			}
		}
		points = next
	}
	return points
}

// pointSets are the --set overrides of one point: the parameters after the common ones.
func pointSets(sets []string, params []string, values []string) []string {
	out := append([]string(nil), sets...)
	for i, p := range params {
		out = append(out, p+"="+values[i])
	}
	return out
}

// sweepPlan is a sweep loaded and ready to run: every point checked before any runs.
type sweepPlan struct {
	params []string
	points [][]string
	loaded []*loaded
	reps   []int
}

func planSweep(arg string, o sweepOptions) (*sweepPlan, error) {
	if len(o.params) == 0 {
		return nil, errors.New("sweep: give at least one --param path=values (or --find-max)")
	}
	var ps []sweepParam
	for _, s := range o.params {
		p, err := parseParam(s)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	pl := &sweepPlan{points: grid(ps)}
	for _, p := range ps {
		pl.params = append(pl.params, p.path)
	}
	for _, pt := range pl.points {
		l, err := loadScenario(arg, o.variant, pointSets(o.sets, pl.params, pt))
		if err != nil {
			return nil, fmt.Errorf("sweep point %s: %w", pointLabel(pl.params, pt), err)
		}
		pl.loaded = append(pl.loaded, l)
		pl.reps = append(pl.reps, l.file.Replications)
	}
	return pl, nil
}

func pointLabel(params, values []string) string {
	var parts []string
	for i, p := range params {
		parts = append(parts, p+"="+values[i])
	}
	return strings.Join(parts, " ")
}

// runSweep runs a sweep, or one shard of it, and writes its directory.
func runSweep(stdout io.Writer, arg string, o sweepOptions) error {
	sh, err := parseShard(o.shard, o.getenv)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	pl, err := planSweep(arg, o)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	name := pl.loaded[0].file.Name
	var jobs []job
	for _, pr := range shardJobs(pl.reps, sh) {
		jobs = append(jobs, job{l: pl.loaded[pr[0]], point: pr[0], rep: pr[1]})
	}
	runs, err := runJobs(jobs, o.workers, newProgress(o.stderr, len(jobs), "sweep"))
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if sh.active() {
		dir := o.out
		if dir == "" {
			dir = filepath.Join("out", fmt.Sprintf("%s-sweep-shard-%d-of-%d", name, sh.i, sh.n))
		}
		m := &shardManifest{Format: shardManifestVersion, Version: version, Kind: "sweep", Scenario: name,
			Source: arg, Variant: o.variant, Sets: nonNil(o.sets), Params: pl.params, Points: pl.points,
			Replications: pl.reps, Shard: sh.i, Shards: sh.n, Jobs: jobPairs(jobs)}
		if err := writeShardDir(dir, m, pl.loaded[0].resolved, runs); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "shard %s of sweep %s: %d of %d replications written to %s\n", sh, name, len(jobs), sum(pl.reps), dir)
		return nil
	}
	points := make([][]*results.Run, len(pl.points))
	for i, j := range jobs {
		points[j.point] = append(points[j.point], runs[i])
	}
	dir := o.out
	if dir == "" {
		dir = filepath.Join("out", name+"-sweep")
	}
	return writeSweepOutput(stdout, dir, pl.params, pl.points, points, o.color)
}

// writeSweepOutput aggregates each point's runs (in replication order), writes the sweep
// directory and prints the table: the one way a sweep's results are written, whether it
// ran on one machine or was merged from shards.
func writeSweepOutput(stdout io.Writer, dir string, params []string, values [][]string, runs [][]*results.Run, color bool) error {
	points := make([]results.SweepPoint, len(values))
	for i := range values {
		points[i] = results.SweepPoint{Values: values[i], Summary: results.Aggregate(runs[i])}
	}
	if err := results.WriteSweepDir(dir, params, points); err != nil {
		return err
	}
	if _, err := io.WriteString(stdout, results.SweepText(params, points, results.TextOptions{Color: color})); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nsweep of %d points written to %s\n", len(points), dir)
	return nil
}

func jobPairs(jobs []job) [][2]int {
	out := make([][2]int, len(jobs))
	for i, j := range jobs {
		out[i] = [2]int{j.point, j.rep}
	}
	return out
}

func sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
