package sns

import (
	"strings"
	"testing"
	"time"

	"msgsim/models/core"
)

// publishFIFO publishes a message of group g with deduplication id dedup (0: none) now.
func (s *source) publishFIFO(topic core.ComponentID, g string, dedup uint64) core.MsgID {
	m := s.message()
	msg := s.w.Msg(m)
	if g != "" {
		msg.Group = s.w.Strings.ID(g)
	}
	msg.Dedup = dedup
	s.w.Send(m, topic, 0, s.id, int64(m))
	return m
}

func TestFIFODeduplicatesWithinFiveMinutes(t *testing.T) {
	type pub struct {
		at    time.Duration
		group string
		id    uint64
	}
	cases := []struct {
		name      string
		scope     string
		pubs      []pub
		delivered int
	}{
		{"same id inside the window is a duplicate, outside it is new", "", []pub{
			{0, "g", 7},
			{4*time.Minute + 59*time.Second, "g", 7}, // duplicate of the first
			{5 * time.Minute, "g", 7},                // window [0, 5m) is over: new
			{9*time.Minute + 59*time.Second, "g", 7}, // duplicate of the third
			{10*time.Minute + time.Second, "g", 7},   // new
			{10*time.Minute + 2*time.Second, "g", 8}, // another id
		}, 4},
		{"topic scope: the same id in another group is a duplicate", "Topic", []pub{
			{0, "a", 1}, {time.Second, "b", 1},
		}, 1},
		{"message-group scope: the same id in another group is new", "MessageGroup", []pub{
			{0, "a", 1}, {time.Second, "b", 1}, {2 * time.Second, "b", 1},
		}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld()
			src := newSource(w)
			q := newQueue(w, "q.fifo", true)
			tp := mustNew(t, w, Config{Name: "t.fifo", FIFO: true, DedupScope: c.scope, Subscriptions: []Subscription{
				{Protocol: ProtocolSQS, Target: q.id, DLQ: core.None, DeliveryLatency: zero},
			}})
			for _, p := range c.pubs {
				if err := w.Eng.RunUntil(p.at); err != nil {
					t.Fatal(err)
				}
				src.publishFIFO(tp.ID(), p.group, p.id)
			}
			if err := w.Eng.Run(); err != nil {
				t.Fatal(err)
			}
			if q.ok != c.delivered {
				t.Errorf("queue got %d, want %d", q.ok, c.delivered)
			}
			dups := uint64(len(c.pubs) - c.delivered)
			if got := counter(t, w, "t.fifo", "NumberOfDeduplicatedMessages"); got != dups {
				t.Errorf("deduplicated %d, want %d", got, dups)
			}
			if src.status[core.OK] != len(c.pubs) {
				t.Errorf("%d publishes accepted, want all %d (a duplicate is accepted)", src.status[core.OK], len(c.pubs))
			}
			conserve(t, w)
		})
	}
}

func TestFIFOContentBasedDedupAndRequiredFields(t *testing.T) {
	w := newWorld()
	src := newSource(w)
	q := newQueue(w, "q.fifo", true)
	tp := mustNew(t, w, Config{Name: "t.fifo", FIFO: true, ContentBasedDedup: true, Subscriptions: []Subscription{
		{Protocol: ProtocolSQS, Target: q.id, DLQ: core.None},
	}})
	// the same content published twice (a publisher's retry: same trace) is delivered once
	m := src.message()
	w.Msg(m).Group = w.Strings.ID("g")
	again := w.Derive(m)
	w.Send(m, tp.ID(), 0, src.id, int64(m))
	w.Send(again, tp.ID(), 0, src.id, int64(again))
	src.publishFIFO(tp.ID(), "", 5) // no message group: rejected
	if err := w.Eng.Run(); err != nil {
		t.Fatal(err)
	}
	if q.ok != 1 || src.status[core.Rejected] != 1 {
		t.Errorf("queue got %d, rejected %d; want 1, 1", q.ok, src.status[core.Rejected])
	}
	conserve(t, w)

	w = newWorld()
	src = newSource(w)
	q = newQueue(w, "q.fifo", true)
	tp = mustNew(t, w, Config{Name: "t.fifo", FIFO: true, Subscriptions: []Subscription{
		{Protocol: ProtocolSQS, Target: q.id, DLQ: core.None},
	}})
	src.publishFIFO(tp.ID(), "g", 0) // no dedup id and no content-based dedup: rejected
	if err := w.Eng.Run(); err != nil {
		t.Fatal(err)
	}
	if q.ok != 0 || src.status[core.Rejected] != 1 {
		t.Errorf("queue got %d, rejected %d; want 0, 1", q.ok, src.status[core.Rejected])
	}
	conserve(t, w)
}

func TestQueueTypesMustMatchTheTopic(t *testing.T) {
	cases := []struct {
		name     string
		fifo     bool
		protocol string
		queue    string // "std", "fifo" or "other"
		dlq      string // "", "std", "fifo"
		err      string
	}{
		{"FIFO topic to a standard queue", true, ProtocolSQS, "std", "", "must be a FIFO queue"},
		{"FIFO topic to an http endpoint", true, ProtocolHTTP, "other", "", "delivers only to SQS queues"},
		{"FIFO topic with a standard DLQ", true, ProtocolSQS, "fifo", "std", "dead-letter queue \"std\" must be a FIFO queue"},
		{"standard topic to a FIFO queue", false, ProtocolSQS, "fifo", "", "only FIFO topics deliver to FIFO queues"},
		{"sqs subscription to something that is not a queue", false, ProtocolSQS, "other", "", "is not an SQS queue"},
		{"DLQ left at component 0 (the publisher)", false, ProtocolSQS, "std", "src", "does not accept messages"},
		{"FIFO topic to a FIFO queue with a FIFO DLQ", true, ProtocolSQS, "fifo", "fifo", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld()
			src := newSource(w)
			ids := map[string]core.ComponentID{
				"std":   newQueue(w, "std", false).id,
				"fifo":  newQueue(w, "fifo", true).id,
				"other": newTarget(w, "other").id,
				"src":   src.id,
				"":      core.None,
			}
			_, err := New(w, Config{Name: "t", FIFO: c.fifo, ContentBasedDedup: c.fifo, Subscriptions: []Subscription{
				{Protocol: c.protocol, Target: ids[c.queue], DLQ: ids[c.dlq]},
			}})
			switch {
			case c.err == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
				t.Errorf("error %v, want one containing %q", err, c.err)
			}
			conserve(t, w)
		})
	}
}

func TestFIFOKeepsGroupOrderAcrossRetries(t *testing.T) {
	w := newWorld()
	src := newSource(w)
	q := newQueue(w, "q.fifo", true)
	// the queue throttles its first two arrivals: the first copy of group a needs retries
	q.script = func(n int, _ time.Duration) core.Status {
		if n <= 2 {
			return core.Throttled
		}
		return core.OK
	}
	// random delivery latencies (the default lognormal) would reorder copies on their own
	tp := mustNew(t, w, Config{Name: "t.fifo", FIFO: true, ContentBasedDedup: true, Subscriptions: []Subscription{
		{Protocol: ProtocolSQS, Target: q.id, DLQ: core.None},
	}})
	var want = map[int32][]uint64{}
	for i := 0; i < 40; i++ {
		if err := w.Eng.RunUntil(time.Duration(i) * time.Millisecond); err != nil {
			t.Fatal(err)
		}
		g := []string{"a", "b"}[i%2]
		m := src.publishFIFO(tp.ID(), g, 0)
		want[w.Strings.ID(g)] = append(want[w.Strings.ID(g)], w.Msg(m).Trace)
	}
	if err := w.Eng.Run(); err != nil {
		t.Fatal(err)
	}
	if q.ok != 40 {
		t.Fatalf("queue got %d, want 40", q.ok)
	}
	got := map[int32][]uint64{}
	for _, tr := range q.got {
		g := w.Strings.ID("a")
		if tr%2 == 0 {
			g = w.Strings.ID("b")
		}
		got[g] = append(got[g], tr)
	}
	for g, traces := range want {
		for i := range traces {
			if got[g][i] != traces[i] {
				t.Fatalf("group %s arrived in order %v, want %v", w.Strings.Name(g), got[g], traces)
			}
		}
	}
	conserve(t, w)
}
