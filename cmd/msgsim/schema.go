package main

import (
	"io"

	"github.com/spf13/cobra"

	"msgsim/scenarios"
)

// newSchemaCmd prints the JSON Schema of the scenario language, generated from the Go
// types of every resource, so that an editor (VS Code's YAML extension, JetBrains IDEs)
// can complete and check scenario files as they are typed.
func newSchemaCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the scenario language (for editors)",
		Long: `Print the JSON Schema (draft 2020-12) of the scenario language, generated from the
resource types msgsim knows. Save it and point your editor at it, e.g. for the YAML
extension of VS Code, as the first line of a scenario:

  # yaml-language-server: $schema=./msgsim.schema.json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			b, err := scenarios.JSONSchema(scenarios.Types())
			if err != nil {
				return err
			}
			_, err = stdout.Write(append(b, '\n'))
			return err
		},
	}
}
