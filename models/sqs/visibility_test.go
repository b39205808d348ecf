package sqs

import (
	"errors"
	"testing"
	"time"
)

func TestVisibilityTimeoutMessageReappearsWithReceiveCounts(t *testing.T) {
	w := world(100 * time.Second)
	cfg := DefaultConfig("q", false)
	cfg.APILatency = zeroLatency
	q := mustQueue(t, w, cfg)
	p := newPoller(t, w, q, "c", ReceiveRequest{Max: 10, Wait: 20 * time.Second, Visibility: -1})
	p.noDelete = true
	sendAt(w, q, 5*time.Second, 100, -1, 0, nil)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{5 * time.Second, 35 * time.Second, 65 * time.Second, 95 * time.Second}
	if len(p.log) != len(want) {
		t.Fatalf("got %d deliveries, want %d: %+v", len(p.log), len(want), p.log)
	}
	for i, d := range p.log {
		if d.at != want[i] || d.count != i+1 {
			t.Errorf("delivery %d at %v count %d, want at %v count %d", i, d.at, d.count, want[i], i+1)
		}
	}
	if q.InFlight() != 1 || q.Visible() != 0 {
		t.Errorf("in flight %d visible %d, want 1 and 0", q.InFlight(), q.Visible())
	}
	if got := counter(t, w, q, "NumberOfMessagesReceived"); got != 4 {
		t.Errorf("NumberOfMessagesReceived %d, want 4", got)
	}
	conserve(t, w)
}

func TestChangeVisibilityRules(t *testing.T) {
	type step struct {
		at  time.Duration // when ChangeVisibility is called (after the receive at 0)
		d   time.Duration
		err error // nil, a sentinel, or errAny
	}
	errAny := errors.New("any error")
	cases := []struct {
		name     string
		steps    []step
		reappear time.Duration // when the message is visible again (0: never within 13 h)
	}{
		{"extension counts from the call", []step{{10 * time.Second, 60 * time.Second, nil}}, 70 * time.Second},
		{"zero makes it visible at once", []step{{10 * time.Second, 0, nil}}, 10 * time.Second},
		{"shortening works too", []step{{1 * time.Second, 2 * time.Second, nil}}, 3 * time.Second},
		{"within the 12 h budget", []step{{20 * time.Second, 12*time.Hour - 20*time.Second, nil}}, 12 * time.Hour},
		{"beyond the 12 h budget is rejected, not clipped", []step{{20 * time.Second, 12*time.Hour - 19*time.Second, ErrVisibilityMax}}, 30 * time.Second},
		{"a second extension counts against the same budget", []step{{10 * time.Second, 6 * time.Hour, nil}, {time.Hour, 11*time.Hour + time.Second, ErrVisibilityMax}}, 6*time.Hour + 10*time.Second},
		{"negative is rejected", []step{{time.Second, -time.Second, errAny}}, 30 * time.Second},
		{"after the timeout the message is not in flight", []step{{40 * time.Second, 10 * time.Second, ErrNotInFlight}}, 30 * time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := world(14 * time.Hour)
			cfg := DefaultConfig("q", false)
			cfg.APILatency = zeroLatency
			cfg.Retention = MaxRetention
			q := mustQueue(t, w, cfg)
			sendAt(w, q, 0, 100, -1, 0, nil)
			rec := &recorder{w: w}
			_ = w.Eng.RunUntil(0)
			q.Receive(ReceiveRequest{Max: 1, Wait: time.Second, Visibility: -1}, rec, 0)
			_ = w.Eng.RunUntil(0)
			if len(rec.last()) != 1 {
				t.Fatalf("first receive got %d messages", len(rec.last()))
			}
			h := rec.last()[0].Handle
			for _, s := range tc.steps {
				_ = w.Eng.RunUntil(s.at)
				err := q.ChangeVisibility(h, s.d)
				switch {
				case s.err == errAny && err == nil:
					t.Fatalf("ChangeVisibility(%v) succeeded, want an error", s.d)
				case s.err != errAny && !errors.Is(err, s.err):
					t.Fatalf("ChangeVisibility(%v) = %v, want %v", s.d, err, s.err)
				}
			}
			// the message must be in flight just before reappear and visible at it
			if tc.reappear > 0 {
				if tc.reappear > tc.steps[0].at {
					_ = w.Eng.RunUntil(tc.reappear - 1)
					if q.Visible() != 0 {
						t.Fatalf("visible at %v, want in flight until %v", w.Now(), tc.reappear)
					}
				}
				_ = w.Eng.RunUntil(max(tc.reappear, w.Now()))
				if q.Visible() != 1 {
					t.Fatalf("not visible at %v", tc.reappear)
				}
			}
			conserve(t, w)
		})
	}
}

func TestChangeVisibilityNeedsTheLatestHandle(t *testing.T) {
	w := world(time.Hour)
	cfg := DefaultConfig("q", false)
	cfg.APILatency = zeroLatency
	q := mustQueue(t, w, cfg)
	sendAt(w, q, 0, 100, -1, 0, nil)
	rec := &recorder{w: w}
	_ = w.Eng.RunUntil(0)
	q.Receive(ReceiveRequest{Max: 1, Wait: time.Second, Visibility: time.Second}, rec, 0)
	_ = w.Eng.RunUntil(2 * time.Second)
	old := rec.last()[0].Handle
	q.Receive(ReceiveRequest{Max: 1, Wait: time.Second, Visibility: time.Minute}, rec, 0)
	_ = w.Eng.RunUntil(3 * time.Second)
	if got := rec.last(); len(got) != 1 || got[0].ReceiveCount != 2 {
		t.Fatalf("second receive %+v", got)
	}
	if err := q.ChangeVisibility(old, 0); !errors.Is(err, ErrStaleHandle) {
		t.Errorf("old handle: %v, want ErrStaleHandle", err)
	}
	// a stale delete on a standard queue succeeds as a no-op: the message stays
	if q.Delete(old, 0, false) {
		t.Error("delete with the old handle removed the message")
	}
	if q.InFlight() != 1 {
		t.Errorf("in flight %d after stale delete, want 1", q.InFlight())
	}
	if !q.Delete(rec.last()[0].Handle, w.Add(sink{}), false) {
		t.Error("delete with the latest handle failed")
	}
	conserve(t, w)
}

func TestFIFODeleteAfterVisibilityExpiredFails(t *testing.T) {
	for _, fifo := range []bool{false, true} {
		w := world(time.Hour)
		cfg := DefaultConfig("q", fifo)
		cfg.APILatency = zeroLatency
		cfg.ContentBasedDedup = fifo
		q := mustQueue(t, w, cfg)
		sendAt(w, q, 0, 100, w.Strings.ID("g"), 0, nil)
		rec := &recorder{w: w}
		_ = w.Eng.RunUntil(0)
		q.Receive(ReceiveRequest{Max: 1, Wait: time.Second, Visibility: time.Second}, rec, 0)
		_ = w.Eng.RunUntil(5 * time.Second)
		got := q.Delete(rec.last()[0].Handle, w.Add(sink{}), false)
		if got == fifo {
			t.Errorf("fifo %v: delete after the visibility expired = %v, want %v", fifo, got, !fifo)
		}
		conserve(t, w)
	}
}
