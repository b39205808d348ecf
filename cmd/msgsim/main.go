// Command msgsim is the command-line front end of the msgsim simulator: it parses flags,
// calls the scenario, model and results packages, and prints. It holds no model logic.
package main

import (
	"errors"
	"fmt"
	"os"
)

func main() {
	os.Exit(execute(os.Args[1:], os.Stdout, os.Stderr))
}

// exitError carries a process exit code through cobra's error return.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// Exit codes: 0 success, 1 a threshold failed, 2 a usage or scenario error.
const (
	exitOK        = 0
	exitThreshold = 1
	exitUsage     = 2
)

func execute(args []string, stdout, stderr interface {
	Write([]byte) (int, error)
}) int {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(stderr, "msgsim:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "msgsim:", err)
	return exitUsage
}
