package sqs

import (
	"strings"
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/models/internal/tracelog"
)

// TestQueueNarratesAPoisonMessagesLife follows one message a consumer never deletes
// through a queue with maxReceiveCount 2: sent, received twice by the named consumer (each
// receive says when it becomes visible again), visibility expiring, moved to the DLQ.
func TestQueueNarratesAPoisonMessagesLife(t *testing.T) {
	w := world(60 * time.Second)
	log := &tracelog.Log{}
	w.SetTracer(log)
	dcfg := DefaultConfig("dlq", false)
	dcfg.APILatency = zeroLatency
	dlq := mustQueue(t, w, dcfg)
	cfg := DefaultConfig("q", false)
	cfg.APILatency = zeroLatency
	cfg.VisibilityTimeout = 10 * time.Second
	cfg.DLQ, cfg.MaxReceiveCount = dlq, 2
	q := mustQueue(t, w, cfg)
	p := newPoller(t, w, q, "inventory", ReceiveRequest{Max: 1, Wait: 20 * time.Second, Visibility: -1})
	p.noDelete = true
	p.stopAt = 25 * time.Second
	sendAt(w, q, time.Second, 100, core.NoGroup, 0, nil)
	p.Start()
	if err := w.Eng.RunUntil(60 * time.Second); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"1.000 s q: message test-1 sent; visible now (1 visible)",
		"1.000 s q: message test-1 received by inventory (receive 1; visible again at 11.000 s)",
		"11.000 s q: message test-1 visibility timeout expired (receive 1): visible again",
		"11.000 s q: message test-1 received by inventory (receive 2; visible again at 21.000 s)",
		"21.000 s q: message test-1 visibility timeout expired (receive 2): visible again",
		"21.000 s q: message test-1 moved to DLQ dlq after 2 receives",
	}
	if got := strings.Join(log.Lines, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("narration:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	conserve(t, w)
}

// TestQueueNarratesDeleteAndDelay checks the narration of a delayed send and of a delete
// by a named component, which core then narrates as processed.
func TestQueueNarratesDeleteAndDelay(t *testing.T) {
	w := world(60 * time.Second)
	log := &tracelog.Log{}
	w.SetTracer(log)
	cfg := DefaultConfig("q", false)
	cfg.APILatency = zeroLatency
	cfg.Delay = 5 * time.Second
	q := mustQueue(t, w, cfg)
	p := newPoller(t, w, q, "worker", ReceiveRequest{Max: 1, Wait: 20 * time.Second, Visibility: -1})
	p.stopAt = 10 * time.Second
	sendAt(w, q, 0, 100, core.NoGroup, 0, nil)
	p.Start()
	if err := w.Eng.RunUntil(60 * time.Second); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"0.000 s q: message test-1 sent; delayed until 5.000 s",
		"5.000 s q: message test-1 delay over; visible now",
		"5.000 s q: message test-1 received by worker (receive 1; visible again at 35.000 s)",
		"5.000 s q: message test-1 deleted by worker after 1 receive(s)",
	}
	if len(log.Lines) < len(want) {
		t.Fatalf("narration:\n%s", strings.Join(log.Lines, "\n"))
	}
	if got := strings.Join(log.Lines[:len(want)], "\n"); got != strings.Join(want, "\n") {
		t.Errorf("narration:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	conserve(t, w)
}
