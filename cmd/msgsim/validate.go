package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"msgsim/scenarios"
)

// validateOptions are the flags of `msgsim validate FILE...`.
type validateOptions struct {
	variant string
	sets    []string
}

func newValidateCmd(stdout, stderr io.Writer) *cobra.Command {
	var o validateOptions
	cmd := &cobra.Command{
		Use:   "validate SCENARIO...",
		Short: "Check scenario files and report every problem with its position",
		Long: `Check each scenario (a YAML file or the name of a built-in scenario) without running
it: decoding, units, distributions, references between resources, dead-letter queue
types, cycles, thresholds, and the settings each model checks when it is built.

Every problem is printed on stderr as FILE:LINE:COL: PATH: MESSAGE; a scenario without
problems prints "SCENARIO: ok" on stdout. Exit status 2 if any scenario has a problem.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runValidate(stdout, stderr, args, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.variant, "variant", "", "apply one of the scenario's variants first")
	f.StringArrayVar(&o.sets, "set", nil, "override a field first: path=value (repeatable)")
	return cmd
}

// runValidate checks every scenario in args, printing its problems or "ok". It returns an
// exit error (status 2) naming how many scenarios failed, after checking all of them.
func runValidate(stdout, stderr io.Writer, args []string, o validateOptions) error {
	bad := 0
	for _, arg := range args {
		errs := validateOne(arg, o)
		if len(errs) == 0 {
			fmt.Fprintf(stdout, "%s: ok\n", arg)
			continue
		}
		bad++
		for _, e := range errs {
			fmt.Fprintln(stderr, e)
		}
	}
	if bad == 0 {
		return nil
	}
	return &exitError{code: exitUsage, err: fmt.Errorf("%d of %d scenario(s) have problems", bad, len(args))}
}

// validateOne loads and checks one scenario, then builds replication 0 without running it
// so that the settings each model checks on construction are validated too. It returns
// every problem as a line of text, sorted by position.
func validateOne(arg string, o validateOptions) []string {
	l, err := loadScenario(arg, o.variant, o.sets)
	if err == nil {
		_, err = scenarios.Build(l.file, 0)
	}
	if err == nil {
		return nil
	}
	var list scenarios.ErrorList
	if errors.As(err, &list) {
		list.Sort()
		out := make([]string, len(list))
		for i, e := range list {
			out[i] = e.Error()
		}
		return out
	}
	return []string{err.Error()}
}
