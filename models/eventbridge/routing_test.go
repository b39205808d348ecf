package eventbridge

import (
	"slices"
	"testing"
	"time"

	"msgsim/models/core"
)

// Two rules with overlapping patterns: an event matching both gets a copy for every
// target of each; an event matching none is consumed and counted.
func TestPatternRoutingCopiesPerMatchingRuleTarget(t *testing.T) {
	w := newWorld(time.Minute)
	e := newEmitter(w, "shop", "type", "amount")
	a, bb, c, d := newFake(w, "a"), newFake(w, "b"), newFake(w, "c"), newFake(w, "d")
	bus := mustBus(t, w, Config{
		Name: "orders", DeliveryLatency: fixed(0.1),
		Rules: []Rule{
			{Name: "orders", Pattern: `{"detail":{"type":["order"]}}`, Targets: []Target{NewTarget(a.id), NewTarget(bb.id)}},
			{Name: "big", Pattern: `{"detail":{"amount":[{"numeric":[">",100]}]}}`, Targets: []Target{NewTarget(c.id)}},
			{Name: "other", Pattern: `{"source":["elsewhere"]}`, Targets: []Target{NewTarget(d.id)}},
		},
	})
	e.to = bus.ID()
	e.at(1*time.Second, 100, "order", 50.0)   // trace 1: a, b
	e.at(2*time.Second, 100, "order", 150.0)  // trace 2: a, b, c
	e.at(3*time.Second, 100, "refund", 150.0) // trace 3: c
	e.at(4*time.Second, 100, "refund", 10.0)  // trace 4: nobody
	e.at(5*time.Second, 100, nil, 500.0)      // trace 5: c (type absent)
	run(t, w)

	want := map[*fakeTarget][]uint64{a: {1, 2}, bb: {1, 2}, c: {2, 3, 5}, d: nil}
	for f, traces := range want {
		if got := f.accepted(); !slices.Equal(got, traces) {
			t.Errorf("target %s got traces %v, want %v", f.name, got, traces)
		}
	}
	for _, dl := range c.log {
		if dl.at%time.Second != 100*time.Millisecond {
			t.Errorf("delivery at %v: want 100 ms after the put", dl.at)
		}
	}
	checks := []struct {
		component, metric string
		want              uint64
	}{
		{"orders", "MatchedEvents", 4},
		{"orders", "UnmatchedEvents", 1},
		{"orders", "TriggeredRules", 5},
		{"orders", "Invocations", 7},
		{"orders", "InvocationAttempts", 7},
		{"orders", "Events", 5},
		{"orders/orders", "TriggeredRules", 2},
		{"orders/big", "TriggeredRules", 3},
		{"orders/big", "Invocations", 3},
		{"orders/other", "TriggeredRules", 0},
	}
	for _, ch := range checks {
		if got := counter(t, w, ch.component, ch.metric); got != ch.want {
			t.Errorf("%s %s = %d, want %d", ch.component, ch.metric, got, ch.want)
		}
	}
	if w.Ledger.Produced != 5 || w.Ledger.Derived != 7 || w.Ledger.Consumed != 5 {
		t.Errorf("ledger produced %d derived %d consumed %d, want 5, 7 (one per matching target), 5 (the originals)",
			w.Ledger.Produced, w.Ledger.Derived, w.Ledger.Consumed)
	}
	conserve(t, w)
}

// The event is built from the message's attributes: source and detail-type override the
// envelope, everything else goes under detail; absent attributes are left out.
func TestEventEnvelopeFromAttributes(t *testing.T) {
	w := newWorld(time.Minute)
	e := newEmitter(w, "shop", "source", "type", "detail-type", "amount", "resources")
	sink := newFake(w, "sink")
	b := mustBus(t, w, Config{Name: "bus", Region: "eu-west-1",
		Rules: []Rule{{Name: "all", Pattern: `{"version":["0"]}`, Targets: []Target{NewTarget(sink.id)}}}})
	tests := []struct {
		name  string
		attrs []any
		want  string
	}{
		{"attributes override source and detail-type", []any{"com.shop", "order", "OrderPlaced", 12.5, "arn:x"},
			`{"account":"123456789012","detail":{"amount":12.5,"type":"order"},"detail-type":"OrderPlaced","id":"00000000-0000-0000-0000-000000000000","region":"eu-west-1","resources":["arn:x"],"source":"com.shop","time":"2026-01-01T00:00:00Z","version":"0"}`},
		{"producer name fills an absent source and detail-type", []any{nil, "refund", nil, nil, nil},
			`{"account":"123456789012","detail":{"type":"refund"},"detail-type":"shop","id":"00000000-0000-0000-0000-000000000000","region":"eu-west-1","resources":[],"source":"shop","time":"2026-01-01T00:00:00Z","version":"0"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := e.make(emitted{size: 10, attrs: tc.attrs})
			s := b.fill(m)
			b.r.reset(nil)
			b.r.appendJSON(s.root)
			if got := string(b.r.buf); got != tc.want {
				t.Errorf("event\n got %s\nwant %s", got, tc.want)
			}
			w.Consume(m, core.None, false)
		})
	}
	conserve(t, w)
}

// An event whose pattern names "id" makes the bus fill a distinct id per event.
func TestEventIDFilledWhenPatternNamesIt(t *testing.T) {
	w := newWorld(time.Minute)
	e := newEmitter(w, "p")
	sink := newFake(w, "sink")
	b := mustBus(t, w, Config{Name: "bus",
		Rules: []Rule{{Name: "r", Pattern: `{"id":[{"anything-but":"x"}]}`, Targets: []Target{NewTarget(sink.id)}}}})
	if !b.needID {
		t.Fatal("a pattern naming id must make the bus fill ids")
	}
	m1, m2 := e.make(emitted{size: 1}), e.make(emitted{size: 1})
	id1 := b.fill(m1).root["id"]
	id2 := b.fill(m2).root["id"]
	if id1 == id2 || id1 == placeholderID || len(id1.(string)) != 36 {
		t.Errorf("ids %v and %v: want distinct UUID-shaped ids", id1, id2)
	}
	w.Consume(m1, core.None, false)
	w.Consume(m2, core.None, false)
	conserve(t, w)
}

// Disabled rules match nothing; entries above MaxEntrySize are rejected; billing counts
// 64 KiB chunks.
func TestDisabledRulesOversizeEntriesAndBilling(t *testing.T) {
	w := newWorld(time.Minute)
	e := newEmitter(w, "p")
	sink := newFake(w, "sink")
	b := mustBus(t, w, Config{Name: "bus", DeliveryLatency: fixed(0),
		Rules: []Rule{{Name: "off", Disabled: true, Pattern: `{"source":["p"]}`, Targets: []Target{NewTarget(sink.id)}}}})
	e.to = b.ID()
	e.at(time.Second, 64*1024)    // 1 event
	e.at(time.Second, 64*1024+1)  // 2 events
	e.at(time.Second, 256*1024)   // 4 events
	e.at(time.Second, 256*1024+1) // rejected
	run(t, w)
	if want := []core.Status{core.OK, core.OK, core.OK, core.Rejected}; !slices.Equal(e.status, want) {
		t.Errorf("statuses %v, want %v", e.status, want)
	}
	if got := counter(t, w, "bus", "Events"); got != 7 {
		t.Errorf("Events = %d, want 1+2+4", got)
	}
	if got := counter(t, w, "bus", "UnmatchedEvents"); got != 3 || len(sink.log) != 0 {
		t.Errorf("UnmatchedEvents = %d, deliveries %d: a disabled rule must match nothing", got, len(sink.log))
	}
	conserve(t, w)
}

// Event times follow the simulated clock from Config.Start, at second resolution.
func TestEventTimeFollowsSimulatedClock(t *testing.T) {
	w := newWorld(time.Hour)
	e := newEmitter(w, "p")
	sink := newFake(w, "sink")
	b := mustBus(t, w, Config{Name: "bus", Start: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
		Rules: []Rule{{Name: "r", Pattern: `{"version":["0"]}`, Targets: []Target{NewTarget(sink.id)}}}})
	for _, step := range []struct {
		at   time.Duration
		want string
	}{{0, "2026-03-01T12:00:00Z"}, {90*time.Second + 500*time.Millisecond, "2026-03-01T12:01:30Z"}, {time.Hour, "2026-03-01T13:00:00Z"}} {
		if err := w.Eng.RunUntil(step.at); err != nil {
			t.Fatal(err)
		}
		m := e.make(emitted{size: 1})
		if got := b.fill(m).root["time"]; got != step.want {
			t.Errorf("at %v: time %v, want %s", step.at, got, step.want)
		}
		w.Consume(m, core.None, false)
	}
	conserve(t, w)
}
