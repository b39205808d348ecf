package lambda

import (
	"strings"
	"testing"
	"time"

	"msgsim/models/internal/tracelog"
)

// TestFunctionNarratesColdWarmThrottleErrorAndTimeout drives a function with a reserved
// concurrency of 1 and a 1 s timeout through a cold start, a throttle, a warm start with a
// poison message, and an invocation that runs past its timeout.
func TestFunctionNarratesColdWarmThrottleErrorAndTimeout(t *testing.T) {
	w := newWorld(time.Minute)
	log := &tracelog.Log{Component: "f"}
	w.SetTracer(log)
	cfg := fixedFn("f", 200*time.Millisecond, 100*time.Millisecond)
	cfg.ReservedConcurrency = 1
	cfg.Timeout = time.Second
	f := mustFn(t, w, NewAccount(0), cfg)
	c := newCaller(w, "client", f.ID())
	c.at(time.Second, time.Second)
	poison := newCaller(w, "bad", f.ID())
	poison.poison = true
	poison.at(2 * time.Second)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	slow := fixedFn("f", 0, 5*time.Second)
	slow.Timeout = time.Second
	w2 := newWorld(time.Minute)
	log2 := &tracelog.Log{Component: "f"}
	w2.SetTracer(log2)
	f2 := mustFn(t, w2, NewAccount(0), slow)
	newCaller(w2, "client", f2.ID()).at(time.Second)
	if err := w2.Run(); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(append(log.Lines, log2.Lines...), "\n")
	want := strings.Join([]string{
		"1.000 s: message client-1 invoked synchronously by caller: cold start with INIT 0.200 s",
		"1.000 s: message client-2 throttled: no concurrency free (429 to caller)",
		"1.300 s: message client-1 finished in 0.300 s",
		"2.000 s: message bad-3 invoked synchronously by caller: warm start",
		"2.100 s: message bad-3 function error after 0.100 s: a poison message",
		"1.000 s: message client-1 invoked synchronously by caller: cold start",
		"2.000 s: message client-1 timed out after 1.000 s (timeout 1s): a function error",
	}, "\n")
	if got != want {
		t.Errorf("narration:\n%s\nwant:\n%s", got, want)
	}
	checkConservation(t, w)
	checkConservation(t, w2)
}
