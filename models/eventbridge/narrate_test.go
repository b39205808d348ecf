package eventbridge

import (
	"strings"
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/models/internal/tracelog"
)

// TestBusNarratesMatchInvokeRetryAndDLQ follows one event through a rule whose target
// always fails: matched, invoked, retried once (exact backoff), then sent to the DLQ.
func TestBusNarratesMatchInvokeRetryAndDLQ(t *testing.T) {
	s := newRetrySetup(t, &RetryPolicy{MaximumRetryAttempts: 1, MaximumEventAge: time.Hour}, true, true, always(core.Failed))
	log := &tracelog.Log{Component: "bus"}
	s.w.SetTracer(log)
	s.emitter.at(0, 100)
	run(t, s.w)
	got := strings.Join(log.Lines, "\n")
	want := strings.Join([]string{
		"0.000 s: message p-1 matched rule r (1 target(s))",
		"0.000 s: message p-1 rule r invoking target target (attempt 1)",
		"0.000 s: message p-1 processed",
		"0.100 s: message p-1 target target: failed",
		"0.100 s: message p-1 retry 1 of target target in 1.000 s",
		"1.100 s: message p-1 rule r invoking target target (attempt 2)",
		"1.200 s: message p-1 target target: failed",
		"1.200 s: message p-1 giving up on target target: retries exhausted (MaximumRetryAttempts); sent to DLQ dlq",
	}, "\n")
	if got != want {
		t.Errorf("narration:\n%s\nwant:\n%s", got, want)
	}
	conserve(t, s.w)
}
