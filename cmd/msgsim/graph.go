package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// graphOptions are the flags of `msgsim graph SCENARIO`.
type graphOptions struct {
	format  string
	variant string
	sets    []string
}

func newGraphCmd(stdout io.Writer) *cobra.Command {
	var o graphOptions
	cmd := &cobra.Command{
		Use:   "graph SCENARIO",
		Short: "Print the architecture of a scenario as a Graphviz DOT or Mermaid diagram",
		Long: `Print the architecture of a scenario (a YAML file or the name of a built-in scenario):
its producers and resources, and how messages flow between them — send, call, poll,
deliver, redrive — as diagram source.

  msgsim graph poison-message-dlq | dot -Tsvg > architecture.svg
  msgsim graph poison-message-dlq --format mermaid`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGraph(stdout, args[0], o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "dot", "diagram language: dot or mermaid")
	f.StringVar(&o.variant, "variant", "", "apply one of the scenario's variants")
	f.StringArrayVar(&o.sets, "set", nil, "override a field: path=value (repeatable)")
	return cmd
}

// runGraph loads and checks the scenario and prints its diagram.
func runGraph(w io.Writer, arg string, o graphOptions) error {
	if o.format != "dot" && o.format != "mermaid" {
		return &exitError{code: exitUsage, err: fmt.Errorf("--format %q: want dot or mermaid", o.format)}
	}
	l, err := loadScenario(arg, o.variant, o.sets)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	g := resultsGraph(l.graph)
	text := g.DOT()
	if o.format == "mermaid" {
		text = g.Mermaid()
	}
	_, err = io.WriteString(w, text)
	return err
}
