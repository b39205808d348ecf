package main

import (
	"strconv"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// commonFlags are the scenario overrides that compare and sweep share with run: --seed,
// --duration and --replications, which become --set overrides after the user's own.
type commonFlags struct {
	seed         int64
	duration     string
	replications int
}

func (c *commonFlags) register(f *pflag.FlagSet) {
	f.Int64Var(&c.seed, "seed", 1, "override the scenario's seed")
	f.StringVar(&c.duration, "duration", "", "override the simulated duration (e.g. 5m)")
	f.IntVar(&c.replications, "replications", 0, "override the number of replications")
}

// sets returns the overrides of the flags the user gave.
func (c *commonFlags) sets(cmd *cobra.Command) []string {
	f := cmd.Flags()
	var out []string
	if f.Changed("seed") {
		out = append(out, "seed="+strconv.FormatInt(c.seed, 10))
	}
	if f.Changed("duration") {
		out = append(out, "duration="+c.duration)
	}
	if f.Changed("replications") {
		out = append(out, "replications="+strconv.Itoa(c.replications))
	}
	return out
}
