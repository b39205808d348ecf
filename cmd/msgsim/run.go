package main

import (
	"io"

	"github.com/spf13/cobra"
)

func newRunCmd(stdout io.Writer) *cobra.Command {
	var so stationOptions
	cmd := &cobra.Command{
		Use:   "run [SCENARIO]",
		Short: "Run a scenario, or a single service station given on flags",
		Long: `Run a scenario (a YAML file or the name of a built-in scenario), or — with no
scenario — a single service station fed by Poisson arrivals, given on flags:

  msgsim run --arrival-rate 8 --servers 10 --service '{dist: exponential, mean: 1s}'`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				if err := runStation(stdout, so); err != nil {
					return &exitError{code: exitUsage, err: err}
				}
				return nil
			}
			return &exitError{code: exitUsage, err: errNoScenarios}
		},
	}
	f := cmd.Flags()
	f.Float64Var(&so.arrivalRate, "arrival-rate", 8, "station run: Poisson arrival rate per second")
	f.IntVar(&so.servers, "servers", 10, "station run: parallel servers")
	f.StringVar(&so.service, "service", "{dist: exponential, mean: 1s}", "station run: service-time distribution")
	f.IntVar(&so.queueLimit, "queue-limit", -1, "station run: waiting-line capacity (-1 unbounded)")
	f.Int64Var(&so.customers, "customers", 1000000, "station run: expected number of arrivals")
	f.Uint64Var(&so.seed, "seed", 1, "random seed")
	return cmd
}
