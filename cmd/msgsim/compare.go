package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/spf13/cobra"

	"msgsim/results"
)

// compareOptions are the flags of `msgsim compare`.
type compareOptions struct {
	out     string
	sets    []string
	workers int
	// replications is --replications (0: the base scenario's, at least
	// compareMinReplications).
	replications int
	seed         *int64 // --seed, when given
	color        bool
	stderr       io.Writer
}

// compareMinReplications is the number of replications compare runs when the scenario
// asks for fewer: a paired interval needs at least two, and five give a t quantile
// (2.78) not far above the normal's (1.96).
const compareMinReplications = 5

func newCompareCmd(stdout, stderr io.Writer) *cobra.Command {
	var o compareOptions
	var seed int64
	var duration string
	cmd := &cobra.Command{
		Use:   "compare SCENARIO [VARIANT...] | compare A.yaml B.yaml...",
		Short: "Run alternatives on the same random traffic and compare them side by side",
		Long: `Run a scenario's base and its variants (all of them when none is named), or several scenario
files, on the same replications: the same seed and replication indices, so components that
share a name draw the same random numbers (common random numbers). Prints a side-by-side
table of the headline figures — per path p50, p99 and throughput, per component DLQ moves,
throttles, errors, maximum depth, and the cost per month — with each alternative's
difference from the first (the base) and the 95% confidence interval of the paired
difference; differences whose interval contains 0 are marked n.s. (not significant).
Writes comparison.txt, comparison.csv, overlaid plots (latency CDF, throughput, queue
depth, cost) and report.html into out/<scenario>-compare, and each alternative's
summary.json in a subdirectory.

Replications: --replications, else the scenario's, but at least 5.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("seed") {
				o.seed = &seed
			}
			if cmd.Flags().Changed("duration") {
				o.sets = append(o.sets, "duration="+duration)
			}
			o.color = isTerminal(stdout)
			o.stderr = stderr
			return runCompare(stdout, args, o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.out, "out", "o", "", "output directory (default out/<scenario>-compare)")
	f.StringArrayVar(&o.sets, "set", nil, "override a field in every alternative: path=value (repeatable)")
	f.IntVar(&o.workers, "workers", 0, "replications run in parallel (default: all cores)")
	f.IntVar(&o.replications, "replications", 0, "replications per alternative (default: the scenario's, at least 5)")
	f.Int64Var(&seed, "seed", 1, "seed of every alternative (default: the base scenario's)")
	f.StringVar(&duration, "duration", "", "override the simulated duration of every alternative (e.g. 5m)")
	return cmd
}

// alternative is one side of a comparison: a display name and how to load it.
type alternative struct {
	name, arg, variant string
}

// alternatives reads the arguments: several existing files are compared as they are;
// otherwise the first is a scenario and the others name its variants (none: all).
func alternatives(args []string) ([]alternative, error) {
	files := len(args) >= 2
	for _, a := range args {
		if st, err := os.Stat(a); err != nil || st.IsDir() {
			files = false
		}
	}
	if files {
		var out []alternative
		for _, a := range args {
			out = append(out, alternative{arg: a})
		}
		return out, nil
	}
	out := []alternative{{name: "base", arg: args[0]}}
	names := args[1:]
	if len(names) == 0 {
		l, err := loadScenario(args[0], "", nil)
		if err != nil {
			return nil, err
		}
		for _, e := range l.file.Variants.Entries() {
			names = append(names, e.Key)
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("%s has no variants: name scenario files to compare, or add `variants` to it", l.file.Name)
		}
	}
	for _, n := range names {
		if n == "base" {
			return nil, errors.New(`"base" is the scenario itself; name its variants`)
		}
		out = append(out, alternative{name: n, arg: args[0], variant: n})
	}
	return out, nil
}

// runCompare runs every alternative's replications on one worker pool, compares and
// writes the comparison directory.
func runCompare(stdout io.Writer, args []string, o compareOptions) error {
	usage := func(err error) error { return &exitError{code: exitUsage, err: err} }
	alts, err := alternatives(args)
	if err != nil {
		return usage(err)
	}
	base, err := loadScenario(alts[0].arg, alts[0].variant, o.sets)
	if err != nil {
		return usage(err)
	}
	seed := base.file.Seed
	if o.seed != nil {
		seed = *o.seed
	}
	reps := o.replications
	if reps == 0 {
		reps = max(base.file.Replications, compareMinReplications)
	}
	// Every alternative gets the same seed and replications: common random numbers.
	sets := append(append([]string(nil), o.sets...), "seed="+strconv.FormatInt(seed, 10), "replications="+strconv.Itoa(reps))
	var ls []*loaded
	var names []string
	for _, a := range alts {
		l, err := loadScenario(a.arg, a.variant, sets)
		if err != nil {
			return usage(err)
		}
		name := a.name
		if name == "" {
			name = l.file.Name
		}
		names = append(names, uniqueName(names, name))
		ls = append(ls, l)
	}
	var jobs []job
	for p, l := range ls {
		for r := range reps {
			jobs = append(jobs, job{l: l, point: p, rep: r})
		}
	}
	runs, err := runJobs(jobs, o.workers, newProgress(o.stderr, len(jobs), "compare"))
	if err != nil {
		return usage(err)
	}
	ss := make([]*results.Summary, len(ls))
	for p := range ls {
		ss[p] = results.Aggregate(runs[p*reps : (p+1)*reps])
	}
	c, err := results.Compare(names, ss)
	if err != nil {
		return err
	}
	dir := o.out
	if dir == "" {
		dir = filepath.Join("out", base.file.Name+"-compare")
	}
	if err := results.WriteCompareDir(dir, c, ss); err != nil {
		return err
	}
	for i, s := range ss {
		sub := filepath.Join(dir, fileName(names[i]))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return err
		}
		js, err := results.SummaryJSON(s)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(sub, "summary.json"), js, 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(sub, "scenario.yaml"), ls[i].resolved, 0o644); err != nil {
			return err
		}
	}
	if _, err := io.WriteString(stdout, results.CompareText(c, results.TextOptions{Color: o.color})); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\ncomparison written to %s\n", dir)
	return nil
}

// uniqueName returns name, or name-2, name-3, ... if it is taken.
func uniqueName(taken []string, name string) string {
	n, k := name, 1
	for hasName(taken, n) {
		k++
		n = name + "-" + strconv.Itoa(k)
	}
	return n
}

func hasName(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// fileName makes a name safe as a directory name: path separators and dots at the start
// become '_'.
func fileName(name string) string {
	b := []byte(name)
	for i, c := range b {
		if c == '/' || c == '\\' || c == 0 || i == 0 && c == '.' {
			b[i] = '_'
		}
	}
	return string(b)
}
