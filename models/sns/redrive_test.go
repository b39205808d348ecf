package sns

import (
	"testing"
	"time"

	"msgsim/models/core"
)

func TestFailedCopiesGoToTheDLQOrAreDroppedAndCounted(t *testing.T) {
	cases := []struct {
		name                            string
		status                          core.Status // what the endpoint always answers
		dlq                             bool
		dlqRefuse                       bool
		attempts                        int // at the endpoint
		redriven, redriveFailed, dlqGot uint64
		drop                            string // drop reason expected once, "" for none
	}{
		{"server error exhausts retries into the DLQ", core.Failed, true, false, 4, 1, 0, 1, ""},
		{"server error exhausts retries and is dropped", core.Failed, false, false, 4, 0, 0, 0, "delivery failed, retries exhausted"},
		{"throttling is retried like a server error", core.Throttled, false, false, 4, 0, 0, 0, "delivery failed, retries exhausted"},
		{"a timeout is retried like a server error", core.TimedOut, true, false, 4, 1, 0, 1, ""},
		{"client error is not retried and goes to the DLQ", core.Rejected, true, false, 1, 1, 0, 1, ""},
		{"client error is not retried and is dropped", core.Rejected, false, false, 1, 0, 0, 0, "delivery failed, client error (not retried)"},
		{"a DLQ that refuses fails the redrive", core.Failed, true, true, 4, 0, 1, 0, "redrive to subscription DLQ failed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld()
			src := newSource(w)
			ep := newTarget(w, "ep")
			st := c.status
			ep.script = func(int, time.Duration) core.Status { return st }
			dlq := newQueue(w, "dlq", false)
			if c.dlqRefuse {
				dlq.script = func(int, time.Duration) core.Status { return core.Throttled }
			}
			sub := Subscription{Protocol: ProtocolHTTP, Target: ep.id, DLQ: core.None, DeliveryLatency: zero}
			if c.dlq {
				sub.DLQ = dlq.id
			}
			tp := mustNew(t, w, Config{Name: "t", Jitter: NoJitter, Subscriptions: []Subscription{sub}})
			src.publish(tp.ID())
			if err := w.Eng.Run(); err != nil {
				t.Fatal(err)
			}
			if len(ep.at) != c.attempts {
				t.Errorf("%d attempts, want %d", len(ep.at), c.attempts)
			}
			if got := counter(t, w, "t", "NumberOfNotificationsFailed"); got != 1 {
				t.Errorf("NumberOfNotificationsFailed = %d, want 1", got)
			}
			if got := counter(t, w, "t", "NumberOfNotificationsRedrivenToDlq"); got != c.redriven {
				t.Errorf("RedrivenToDlq = %d, want %d", got, c.redriven)
			}
			if got := counter(t, w, "t", "NumberOfNotificationsFailedToRedriveToDlq"); got != c.redriveFailed {
				t.Errorf("FailedToRedriveToDlq = %d, want %d", got, c.redriveFailed)
			}
			if uint64(dlq.ok) != c.dlqGot {
				t.Errorf("DLQ got %d, want %d", dlq.ok, c.dlqGot)
			}
			if w.Ledger.DeadLettered != c.dlqGot {
				t.Errorf("ledger dead-lettered %d, want %d", w.Ledger.DeadLettered, c.dlqGot)
			}
			if got := counter(t, w, "t", "NumberOfNotificationsDelivered"); got != 0 {
				t.Errorf("delivered %d, want 0", got)
			}
			var want uint64
			if c.drop != "" {
				want = 1
			}
			if got := w.Ledger.Dropped(); got != want {
				t.Errorf("dropped %d copies, want %d (%v)", got, want, w.Ledger.Drops())
			}
			if c.drop != "" && dropped(w, "t", c.drop) != 1 {
				t.Errorf("no drop for %q: %v", c.drop, w.Ledger.Drops())
			}
			conserve(t, w)
		})
	}
}

func TestRecoveryAfterRetriesIsDelivered(t *testing.T) {
	w := newWorld()
	src := newSource(w)
	ep := newTarget(w, "ep")
	ep.script = func(n int, _ time.Duration) core.Status {
		if n <= 2 {
			return core.Failed
		}
		return core.OK
	}
	tp := mustNew(t, w, Config{Name: "t", Jitter: NoJitter, Subscriptions: []Subscription{
		{Protocol: ProtocolHTTPS, Target: ep.id, DLQ: core.None, DeliveryLatency: zero},
	}})
	src.publish(tp.ID())
	if err := w.Eng.Run(); err != nil {
		t.Fatal(err)
	}
	if len(ep.at) != 3 || ep.at[2] != 40*time.Second {
		t.Errorf("attempts at %v, want 0s 20s 40s", ep.at)
	}
	if d, f, r := counter(t, w, "t", "NumberOfNotificationsDelivered"), counter(t, w, "t", "NumberOfNotificationsFailed"),
		counter(t, w, "t", "DeliveryRetries"); d != 1 || f != 0 || r != 2 {
		t.Errorf("delivered %d, failed %d, retries %d; want 1, 0, 2", d, f, r)
	}
	if got := counter(t, w, "t", "Deliveries.https"); got != 1 {
		t.Errorf("Deliveries.https = %d, want 1", got)
	}
	conserve(t, w)
}

func TestCopiesWaitingForRetryAreHeldByTheTopic(t *testing.T) {
	w := newWorld()
	src := newSource(w)
	ep := newTarget(w, "ep")
	ep.script = func(int, time.Duration) core.Status { return core.Failed }
	tp := mustNew(t, w, Config{Name: "t", Jitter: NoJitter, Subscriptions: []Subscription{
		{Protocol: ProtocolHTTP, Target: ep.id, DLQ: core.None, DeliveryLatency: zero},
	}})
	for i := 0; i < 5; i++ {
		src.publish(tp.ID())
	}
	if err := w.Eng.RunUntil(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	if tp.Holding() != 5 {
		t.Errorf("topic holds %d copies, want 5", tp.Holding())
	}
	conserve(t, w)
	if err := w.Eng.Run(); err != nil {
		t.Fatal(err)
	}
	if tp.Holding() != 0 {
		t.Errorf("topic holds %d copies at the end, want 0", tp.Holding())
	}
	conserve(t, w)
}
