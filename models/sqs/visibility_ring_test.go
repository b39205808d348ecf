package sqs

import (
	"testing"
	"time"

	"msgsim/sim"
)

// TestVisibilityTimeoutsReturnTogetherAtTheirInstant pins the order of visibility timeouts
// against other events of the same instant: the queue's one timeout event is armed at the
// first receive, so an event scheduled before that receive for the instant the timeouts
// end sees no message back, and events scheduled after it — even between two receives of
// the same instant — see every message whose timeout ended then; deleted ones stay gone.
func TestVisibilityTimeoutsReturnTogetherAtTheirInstant(t *testing.T) {
	cases := []struct {
		name    string
		deleted int   // messages of the first receive deleted at 10 s
		want    []int // Visible() seen by the probes at 30 s: before, between, after the receives
	}{
		{"all return", 0, []int{0, 3, 3}},
		{"a deleted message does not return", 1, []int{0, 2, 2}},
		{"a receive whose messages are all deleted returns nothing", 2, []int{0, 1, 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := world(time.Minute)
			cfg := DefaultConfig("q", false)
			cfg.APILatency = zeroLatency
			q := mustQueue(t, w, cfg)
			c := w.Add(sink{})
			for range 3 {
				sendAt(w, q, 0, 100, -1, 0, nil)
			}
			_ = w.Eng.RunUntil(0)
			var seen []int
			probe := w.Eng.Register(sim.HandlerFunc(func(sim.Event) { seen = append(seen, q.Visible()) }))
			req := ReceiveRequest{Max: 2, Wait: time.Second, Visibility: -1}
			first, second := &recorder{w: w}, &recorder{w: w}
			w.Eng.After(30*time.Second, probe, 0, 0, 0)
			q.Receive(req, first, 0)
			w.Eng.After(30*time.Second, probe, 0, 0, 0)
			q.Receive(req, second, 0)
			w.Eng.After(30*time.Second, probe, 0, 0, 0)
			_ = w.Eng.RunUntil(10 * time.Second)
			if len(first.last()) != 2 || len(second.last()) != 1 {
				t.Fatalf("receives got %d and %d messages, want 2 and 1", len(first.last()), len(second.last()))
			}
			for _, r := range first.last()[:tc.deleted] {
				q.Delete(r.Handle, c, false)
			}
			_ = w.Eng.RunUntil(30 * time.Second)
			if len(seen) != len(tc.want) {
				t.Fatalf("probes saw %v, want %v", seen, tc.want)
			}
			for i := range seen {
				if seen[i] != tc.want[i] {
					t.Errorf("probes saw %v visible, want %v", seen, tc.want)
					break
				}
			}
			conserve(t, w)
		})
	}
}

// TestVisibilityEntriesStayBounded checks that deleted messages do not pile up in the
// deadline FIFOs — they are compacted to a few times the live entries — and that the
// engine holds a handful of events for thousands of visibility timeouts and long polls.
func TestVisibilityEntriesStayBounded(t *testing.T) {
	w := world(time.Hour)
	cfg := DefaultConfig("q", false)
	cfg.APILatency = zeroLatency
	q := mustQueue(t, w, cfg)
	c := w.Add(sink{})
	rec := &recorder{w: w}
	for i := range 5000 {
		sendAt(w, q, time.Duration(i)*time.Millisecond, 100, -1, 0, nil)
		_ = w.Eng.RunUntil(time.Duration(i) * time.Millisecond)
		q.Receive(ReceiveRequest{Max: 1, Wait: time.Second, Visibility: -1}, rec, 0)
		_ = w.Eng.RunUntil(time.Duration(i) * time.Millisecond)
		for _, r := range rec.last() {
			q.Delete(r.Handle, c, false)
		}
	}
	if n := q.visTimeouts.Len(); n > compactAbove(q.InFlight()) {
		t.Errorf("deadline FIFO holds %d entries for %d messages in flight", n, q.InFlight())
	}
	if p := w.Eng.Pending(); p > 5 {
		t.Errorf("engine holds %d events after 5,000 receives, want a few", p)
	}
	if n := q.age.len(); n > compactAbove(q.Holding()) {
		t.Errorf("arrivals ring (age and retention clocks) holds %d entries for %d messages", n, q.Holding())
	}
	conserve(t, w)
}
