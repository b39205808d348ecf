package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/spf13/cobra"

	"msgsim/results"
)

// runOptions are the flags of `msgsim run SCENARIO`.
type runOptions struct {
	out          string
	seed         int64
	sets         []string
	duration     string
	replications int
	variant      string
	json         bool
	workers      int
	color        bool
	shard        string    // --shard i/n: run part of the replications (run_shard in merge.go)
	stderr       io.Writer // the progress bar goes there when it is a terminal
}

func newRunCmd(stdout io.Writer) *cobra.Command {
	var so stationOptions
	var ro runOptions
	cmd := &cobra.Command{
		Use:   "run [SCENARIO]",
		Short: "Run a scenario, or a single service station given on flags",
		Long: `Run a scenario (a YAML file or the name of a built-in scenario) and write its results
to a run directory (default out/<scenario name>): summary.txt, summary.json,
timeseries.csv, latency.csv, plots, report.html and the resolved scenario.yaml.
Exit status: 0, 1 when a threshold failed, 2 on a usage or scenario error.

With no scenario, run a single service station fed by Poisson arrivals, given on flags:

  msgsim run --arrival-rate 8 --servers 10 --service '{dist: exponential, mean: 1s}'`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				so.seed = uint64(ro.seed)
				if err := runStation(stdout, so); err != nil {
					return &exitError{code: exitUsage, err: err}
				}
				return nil
			}
			f := cmd.Flags()
			if f.Changed("seed") {
				ro.sets = append(ro.sets, "seed="+strconv.FormatInt(ro.seed, 10))
			}
			if f.Changed("duration") {
				ro.sets = append(ro.sets, "duration="+ro.duration)
			}
			if f.Changed("replications") {
				ro.sets = append(ro.sets, "replications="+strconv.Itoa(ro.replications))
			}
			ro.color = isTerminal(stdout)
			ro.stderr = cmd.ErrOrStderr()
			if ro.shard != "" {
				return runShard(stdout, cmd.ErrOrStderr(), args[0], ro, os.Getenv)
			}
			return runScenario(stdout, args[0], ro)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&ro.out, "out", "o", "", "run directory (default out/<scenario name>)")
	f.Int64Var(&ro.seed, "seed", 1, "random seed (overrides a scenario's seed)")
	f.StringArrayVar(&ro.sets, "set", nil, "override a field: path=value (repeatable)")
	f.StringVar(&ro.duration, "duration", "", "override the simulated duration (e.g. 5m)")
	f.IntVar(&ro.replications, "replications", 0, "override the number of replications")
	f.StringVar(&ro.variant, "variant", "", "apply one of the scenario's variants")
	f.BoolVar(&ro.json, "json", false, "print summary.json instead of the text summary")
	f.IntVar(&ro.workers, "workers", 0, "replications run in parallel (default: all cores)")
	f.StringVar(&ro.shard, "shard", "", "run only replications k with k mod n = i (i/n, or auto/n from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID) into a shard directory for msgsim merge")
	f.Float64Var(&so.arrivalRate, "arrival-rate", 8, "station run: Poisson arrival rate per second")
	f.IntVar(&so.servers, "servers", 10, "station run: parallel servers")
	f.StringVar(&so.service, "service", "{dist: exponential, mean: 1s}", "station run: service-time distribution")
	f.IntVar(&so.queueLimit, "queue-limit", -1, "station run: waiting-line capacity (-1 unbounded)")
	f.Int64Var(&so.customers, "customers", 1000000, "station run: expected number of arrivals")
	return cmd
}

// runScenario runs every replication, prints the summary and writes the run directory.
func runScenario(stdout io.Writer, arg string, o runOptions) error {
	l, err := loadScenario(arg, o.variant, o.sets)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	runs, err := runReplicationsWithProgress(l, 0, l.file.Replications, o.workers,
		newProgress(o.stderr, l.file.Replications, "replications"))
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	s := results.Aggregate(runs)
	dir := o.out
	if dir == "" {
		dir = filepath.Join("out", l.file.Name)
	}
	if err := results.WriteDir(dir, s, l.resolved); err != nil {
		return err
	}
	if o.json {
		js, err := results.SummaryJSON(s)
		if err != nil {
			return err
		}
		_, err = stdout.Write(js)
		if err != nil {
			return err
		}
	} else {
		if err := results.WriteText(stdout, s, results.TextOptions{Color: o.color}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\nresults written to %s\n", dir)
	}
	if results.Failed(s.Thresholds) {
		return &exitError{code: exitThreshold, err: fmt.Errorf("thresholds failed")}
	}
	return nil
}

// isTerminal reports whether w is a character device (colour and progress only then).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
