package sns

import (
	"testing"
	"time"

	"msgsim/models/core"
)

func TestPublishQuotaAdmitsRateTimesTPlusBurst(t *testing.T) {
	// Attempts come every `every` for each group, from 0 to `over` inclusive.
	cases := []struct {
		name   string
		fifo   bool
		rate   float64
		groups []string
		every  time.Duration
		over   time.Duration
		want   int
	}{
		// A token bucket of rate r and burst b = r·1 s, full at t = 0, admits b + r·T
		// requests over [0, T] when asked more often than r: 100 + 100·3 = 400.
		{"standard topic at 100/s over 3 s", false, 100, []string{""}, time.Millisecond, 3 * time.Second, 400},
		// FIFO: one group is capped by its own 300/s bucket: 300 + 300·2 = 900 over 2 s,
		// although the topic quota (3,000/s) is far away.
		{"FIFO topic, one group at 300/s over 2 s", true, 0, []string{"g"}, time.Millisecond / 2, 2 * time.Second, 900},
		// Two groups at 1,000 attempts/s each are capped per group: 2·(300 + 300·1).
		{"FIFO topic, two groups over 1 s", true, 0, []string{"a", "b"}, time.Millisecond, time.Second, 1200},
		// With the topic quota below the groups': 500 + 500·1 for the topic.
		{"FIFO topic quota below the group quotas", true, 500, []string{"a", "b", "c", "d"}, time.Millisecond, time.Second, 1000},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld()
			src := newSource(w)
			q := newQueue(w, "q", c.fifo)
			tp := mustNew(t, w, Config{Name: "t", FIFO: c.fifo, ContentBasedDedup: c.fifo, PublishRate: c.rate,
				Subscriptions: []Subscription{{Protocol: ProtocolSQS, Target: q.id, DLQ: core.None}}})
			attempts := 0
			for at := time.Duration(0); at <= c.over; at += c.every {
				if err := w.Eng.RunUntil(at); err != nil {
					t.Fatal(err)
				}
				for _, g := range c.groups { // one attempt per group at each instant
					if c.fifo {
						src.publishFIFO(tp.ID(), g, 0)
					} else {
						src.publish(tp.ID())
					}
					attempts++
				}
			}
			if err := w.Eng.Run(); err != nil {
				t.Fatal(err)
			}
			if got := src.status[core.OK]; got != c.want {
				t.Errorf("admitted %d of %d, want %d", got, attempts, c.want)
			}
			if got := counter(t, w, "t", "PublishThrottled"); got != uint64(attempts-c.want) {
				t.Errorf("throttled %d, want %d", got, attempts-c.want)
			}
			if got := counter(t, w, "t", "NumberOfMessagesPublished"); got != uint64(c.want) {
				t.Errorf("published %d, want %d", got, c.want)
			}
			conserve(t, w)
		})
	}
}

func TestPublishOverSizeLimitIsRejected(t *testing.T) {
	w := newWorld()
	src := newSource(w)
	q := newQueue(w, "q", false)
	tp := mustNew(t, w, Config{Name: "t", Subscriptions: []Subscription{{Protocol: ProtocolSQS, Target: q.id, DLQ: core.None}}})
	big := src.message()
	w.Msg(big).Size = MaxMessageBytes + 1
	w.Send(big, tp.ID(), 0, src.id, int64(big))
	ok := src.message()
	w.Msg(ok).Size = 200 * 1024 // 4 billable chunks of 64 KiB
	w.Send(ok, tp.ID(), 0, src.id, int64(ok))
	if err := w.Eng.Run(); err != nil {
		t.Fatal(err)
	}
	if src.status[core.Rejected] != 1 || q.ok != 1 {
		t.Errorf("rejected %d, delivered %d; want 1, 1", src.status[core.Rejected], q.ok)
	}
	if got := counter(t, w, "t", "Requests"); got != 4 {
		t.Errorf("billed %d publish requests, want 4", got)
	}
	if got := counter(t, w, "t", "PublishSize"); got != 200*1024 {
		t.Errorf("PublishSize %d, want %d", got, 200*1024)
	}
	conserve(t, w)
}

func TestKinds(t *testing.T) {
	w := newWorld()
	q := newQueue(w, "q", false)
	fq := newQueue(w, "q.fifo", true)
	std := mustNew(t, w, Config{Name: "std", Subscriptions: []Subscription{{Protocol: ProtocolSQS, Target: q.id, DLQ: core.None}}})
	fifo := mustNew(t, w, Config{Name: "f", FIFO: true, ContentBasedDedup: true, Subscriptions: []Subscription{{Protocol: ProtocolSQS, Target: fq.id, DLQ: core.None}}})
	if std.Kind() != "sns" || fifo.Kind() != "sns-fifo" {
		t.Errorf("kinds %q, %q; want sns, sns-fifo", std.Kind(), fifo.Kind())
	}
	if err := std.Check(); err != nil {
		t.Error(err)
	}
	conserve(t, w)
}

func TestReservedTargetsAreCheckedOnceAdded(t *testing.T) {
	w := newWorld()
	id := w.Reserve("later")
	tp := mustNew(t, w, Config{Name: "t", FIFO: true, ContentBasedDedup: true,
		Subscriptions: []Subscription{{Protocol: ProtocolSQS, Target: id, DLQ: core.None}}})
	if err := tp.Check(); err == nil {
		t.Error("Check accepted a target that was never added")
	}
	f := &fifoTarget{target: &target{w: w, name: "later"}, isFIFO: false}
	f.id = w.Add(f)
	if err := tp.Check(); err == nil {
		t.Error("Check accepted a standard queue behind a FIFO topic")
	}
	conserve(t, w)
}

func TestThrottlePolicySpacesDeliveries(t *testing.T) {
	w := newWorld()
	src := newSource(w)
	ep := newTarget(w, "ep")
	// the endpoint fails the 3rd arrival once: its retry (20 s later) is paced too
	ep.script = func(n int, _ time.Duration) core.Status {
		if n == 3 {
			return core.Failed
		}
		return core.OK
	}
	tp := mustNew(t, w, Config{Name: "t", Jitter: NoJitter, Subscriptions: []Subscription{
		{Protocol: ProtocolHTTP, Target: ep.id, DLQ: core.None, DeliveryLatency: zero, MaxReceivesPerSecond: 10},
	}})
	for i := 0; i < 30; i++ {
		src.publish(tp.ID())
	}
	if err := w.Eng.Run(); err != nil {
		t.Fatal(err)
	}
	// 30 first attempts 100 ms apart from 0, then the retry at 0.2 s + 20 s
	if len(ep.at) != 31 {
		t.Fatalf("%d arrivals, want 31", len(ep.at))
	}
	for i := 0; i < 30; i++ {
		if want := time.Duration(i) * 100 * time.Millisecond; ep.at[i] != want {
			t.Errorf("arrival %d at %v, want %v", i, ep.at[i], want)
		}
	}
	if want := 20200 * time.Millisecond; ep.at[30] != want {
		t.Errorf("retry at %v, want %v", ep.at[30], want)
	}
	if ep.ok != 30 {
		t.Errorf("delivered %d, want 30", ep.ok)
	}
	conserve(t, w)
}
