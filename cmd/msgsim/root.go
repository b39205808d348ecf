package main

import (
	"io"

	"github.com/spf13/cobra"
)

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "msgsim",
		Short: "Discrete-event simulator of cloud messaging architectures (SQS, SNS, EventBridge, Lambda)",
		Long: `msgsim plays hours of traffic through a messaging architecture described in YAML —
API Gateway, SQS standard and FIFO queues, SNS topics, EventBridge rules, Lambda functions
and downstream services — in seconds, and reports throughput, latency, queue depth,
retries, dead-letter rates and cost.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newVersionCmd(stdout))
	root.AddCommand(newRunCmd(stdout))
	root.AddCommand(newCompareCmd(stdout, stderr))
	root.AddCommand(newSweepCmd(stdout, stderr))
	root.AddCommand(newMergeCmd(stdout))
	root.AddCommand(newValidateCmd(stdout, stderr))
	root.AddCommand(newTraceCmd(stdout))
	root.AddCommand(newGraphCmd(stdout))
	root.AddCommand(newScenariosCmd(stdout))
	root.AddCommand(newSchemaCmd(stdout))
	return root
}
