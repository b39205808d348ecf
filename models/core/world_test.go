package core

import (
	"testing"
	"time"

	"msgsim/sim"
)

// sink is a test Target/Callee that accepts messages, holds them, and replies to calls
// after a fixed delay.
type sink struct {
	w       *World
	name    string
	id      ComponentID
	h       sim.HandlerID
	held    []MsgID
	refuse  Status
	delay   time.Duration
	replies []Status
}

func newSink(w *World, name string) *sink {
	s := &sink{w: w, name: name}
	s.id = w.Add(s)
	s.h = w.Eng.Register(s)
	return s
}

func (s *sink) Name() string      { return s.name }
func (s *sink) Holding() int      { return len(s.held) }
func (s *sink) Fire(ev sim.Event) { s.w.Reply(CallID(ev.A), OK) }
func (s *sink) Deliver(m MsgID) Status {
	if s.refuse != OK {
		return s.refuse
	}
	s.held = append(s.held, m)
	return OK
}
func (s *sink) Call(c CallID) { s.w.Eng.After(s.delay, s.h, 0, int64(c), 0) }

// source is a test Requester that records outcomes.
type source struct {
	name   string
	got    []Status
	at     []time.Duration
	tokens []int64
	w      *World
}

func (s *source) Name() string { return s.name }
func (s *source) Holding() int { return 0 }
func (s *source) Done(token int64, st Status) {
	s.got = append(s.got, st)
	s.at = append(s.at, s.w.Now())
	s.tokens = append(s.tokens, token)
}

func newWorld() *World {
	return NewWorld(Config{Seed: 1, Duration: time.Minute})
}

func TestSendArrivesAfterLatencyAndConserves(t *testing.T) {
	w := newWorld()
	dst := newSink(w, "dst")
	src := &source{name: "src", w: w}
	sid := w.Add(src)
	p := w.Paths().AddProducer("p")
	m := w.Produce(p, 100)
	w.Send(m, dst.id, 15*time.Millisecond, sid, 7)
	if err := w.CheckConservation(); err != nil {
		t.Fatalf("in transit: %v", err)
	}
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if len(dst.held) != 1 || len(src.got) != 1 || src.got[0] != OK || src.at[0] != 15*time.Millisecond {
		t.Fatalf("held %d, outcomes %v at %v", len(dst.held), src.got, src.at)
	}
	if err := w.CheckConservation(); err != nil {
		t.Fatal(err)
	}
}

func TestRefusedSendWithoutRequesterIsDroppedAndCounted(t *testing.T) {
	w := newWorld()
	dst := newSink(w, "dst")
	dst.refuse = Throttled
	p := w.Paths().AddProducer("p")
	w.Send(w.Produce(p, 1), dst.id, 0, None, 0)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	drops := w.Ledger.Drops()
	if len(drops) != 1 || drops[0].N != 1 || drops[0].Component != "dst" {
		t.Fatalf("drops = %+v", drops)
	}
	c := w.Conservation()
	if !c.OK || c.Dropped != 1 || c.Live != 0 {
		t.Fatalf("conservation %s", c)
	}
}

func TestCallReplyIsASeparateEventAtReplyTime(t *testing.T) {
	w := newWorld()
	dst := newSink(w, "table")
	dst.delay = 4 * time.Millisecond
	src := &source{name: "fn", w: w}
	sid := w.Add(src)
	m := w.Produce(w.Paths().AddProducer("p"), 1)
	w.Call(sid, 1, dst.id, m)
	if len(src.got) != 0 {
		t.Fatal("reply delivered from inside Call")
	}
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if len(src.got) != 1 || src.at[0] != 4*time.Millisecond {
		t.Fatalf("replies %v at %v", src.got, src.at)
	}
	// the caller still owns the message: nobody holds it, so conservation must flag it
	if w.CheckConservation() == nil {
		t.Fatal("a message owned by nobody must break conservation")
	}
	w.Consume(m, sid, false)
	if err := w.CheckConservation(); err != nil {
		t.Fatal(err)
	}
}

// A reply reaches the requester as soon as the callee's handler returns, ahead of an event
// scheduled earlier for the same instant (here a send's arrival): it travels no distance.
func TestReplyPrecedesOtherEventsOfItsInstant(t *testing.T) {
	w := newWorld()
	table := newSink(w, "table")
	table.delay = 4 * time.Millisecond
	queue := newSink(w, "queue")
	src := &source{name: "fn", w: w}
	sid := w.Add(src)
	p := w.Paths().AddProducer("p")
	w.Call(sid, 1, table.id, w.Produce(p, 1))                     // the table's event at 4 ms, first
	w.Send(w.Produce(p, 1), queue.id, 4*time.Millisecond, sid, 2) // arrives at 4 ms, second
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if len(src.tokens) != 2 || src.tokens[0] != 1 || src.tokens[1] != 2 ||
		src.at[0] != 4*time.Millisecond || src.at[1] != 4*time.Millisecond {
		t.Fatalf("outcomes for tokens %v at %v, want the reply (1) then the send (2), both at 4ms",
			src.tokens, src.at)
	}
}

func TestDeriveKeepsTraceAndCountsDerived(t *testing.T) {
	w := newWorld()
	p := w.Paths().AddProducer("p")
	a := w.Produce(p, 10)
	w.Attrs(a)[0] = AttrValue{Str: AttrNumber, Num: 42}
	b := w.Derive(a)
	if w.Msg(b).Trace != w.Msg(a).Trace || w.Attrs(b)[0].Num != 42 || w.Msg(b).Hops != 1 {
		t.Fatalf("copy differs: %+v", *w.Msg(b))
	}
	if w.Ledger.Produced != 1 || w.Ledger.Derived != 1 {
		t.Fatalf("ledger %+v", w.Ledger)
	}
	ref := w.RefOf(a)
	w.Consume(a, None, false)
	if w.Resolve(ref) != NoMsg {
		t.Fatal("a Ref to a finished message must not resolve")
	}
	c := w.Produce(p, 1) // reuses a's slot
	if w.Resolve(ref) != NoMsg || c != a {
		t.Fatalf("stale Ref resolved after reuse (slot %d)", c)
	}
}

// TestCopiesShareAttributesUntilTheLastIsFinished checks the reference counting of
// attribute sets: a copy reads its source's attributes after the source is finished, a
// new message never gets a set still held by a live copy, and a recycled set starts empty.
func TestCopiesShareAttributesUntilTheLastIsFinished(t *testing.T) {
	w := newWorld()
	p := w.Paths().AddProducer("p")
	a := w.Produce(p, 10)
	w.Attrs(a)[0] = AttrValue{Str: AttrNumber, Num: 42}
	b := w.Derive(a)
	w.Consume(a, None, false)
	c := w.Produce(p, 10)
	if got := w.Attrs(b)[0].Num; got != 42 {
		t.Fatalf("copy reads %v after its source finished, want 42", got)
	}
	if w.Attrs(c) == w.Attrs(b) || w.Attrs(c)[0] != (AttrValue{}) {
		t.Fatalf("a new message got the attributes of a live copy: %+v", w.Attrs(c)[0])
	}
	w.Consume(b, None, false)
	d := w.Produce(p, 10)
	if w.Attrs(d)[0] != (AttrValue{}) {
		t.Fatalf("a recycled attribute set is not empty: %+v", w.Attrs(d)[0])
	}
	if n := len(w.msgs.attrs); n != 2 {
		t.Errorf("%d attribute sets for at most 2 live sets at once, want 2", n)
	}
}

func TestReserveLetsComponentsReferToEachOther(t *testing.T) {
	w := newWorld()
	id := w.Reserve("later")
	if got := w.Unbound(); len(got) != 1 || got[0] != "later" {
		t.Fatalf("unbound %v", got)
	}
	s := newSink(w, "later")
	if s.id != id || len(w.Unbound()) != 0 || !w.IsTarget(id) {
		t.Fatalf("reserved id %d, added as %d", id, s.id)
	}
}

func TestEndToEndLatencyRecordedAtSinkAfterWarmup(t *testing.T) {
	w := NewWorld(Config{Seed: 1, Warmup: time.Second, Duration: time.Minute})
	dst := newSink(w, "dst")
	p := w.Paths().AddProducer("p")
	type emit struct{ at, lat time.Duration }
	// one message before the warm-up ends (not recorded), two after
	for _, e := range []emit{{500 * time.Millisecond, time.Second}, {2 * time.Second, 3 * time.Second}, {3 * time.Second, time.Second}} {
		e := e
		h := w.Eng.Register(sim.HandlerFunc(func(sim.Event) {
			m := w.Produce(p, 1)
			w.Send(m, dst.id, e.lat, None, 0)
		}))
		w.Eng.After(e.at, h, 0, 0, 0)
	}
	arrive := w.Eng.Register(sim.HandlerFunc(func(sim.Event) {
		for _, m := range dst.held {
			w.Consume(m, dst.id, true)
		}
		dst.held = dst.held[:0]
	}))
	w.Eng.After(10*time.Second, arrive, 0, 0, 0)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	keys := w.Paths().Keys()
	if len(keys) != 1 || w.Paths().Name(keys[0]) != "p -> dst" {
		t.Fatalf("paths %v", keys)
	}
	l := w.Paths().Latency(keys[0])
	// consumed at 10 s: produced at 2 s and 3 s → 8 s and 7 s
	if l.Total.Count() != 2 || l.Total.Max() != int64(8*time.Second) || l.Total.Min() != int64(7*time.Second) {
		t.Fatalf("count %d min %d max %d", l.Total.Count(), l.Total.Min(), l.Total.Max())
	}
}
