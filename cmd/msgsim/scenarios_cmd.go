package main

import (
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"msgsim/scenarios"
)

func newScenariosCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "scenarios",
		Short: "List the built-in scenarios, one line each",
		Long: `List the built-in scenarios with their descriptions. Each one runs by name:

  msgsim run poison-message-dlq
  msgsim trace poison-message-dlq --limit 40`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return runScenarios(stdout)
		},
	}
}

// runScenarios prints every built-in scenario's name and description, names padded to
// one column, in name order.
func runScenarios(w io.Writer) error {
	list := scenarios.Builtins()
	width := 0
	for _, b := range list {
		width = max(width, utf8.RuneCountInString(b.Name))
	}
	for _, b := range list {
		if _, err := fmt.Fprintf(w, "%-*s  %s\n", width, b.Name, b.Description); err != nil {
			return err
		}
	}
	return nil
}
