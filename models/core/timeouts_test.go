package core

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"msgsim/sim"
)

// timeoutsHarness owns a Timeouts and records what expired when.
type timeoutsHarness struct {
	eng   *sim.Engine
	t     *Timeouts
	ended map[int32]bool
	got   []expiry
	onExp func(a int32)
}

type expiry struct {
	a  int32
	at time.Duration
}

func (h *timeoutsHarness) Fire(sim.Event) { h.t.Fire() }

func newTimeoutsHarness() *timeoutsHarness {
	h := &timeoutsHarness{eng: sim.NewEngine(16), ended: map[int32]bool{}}
	id := h.eng.Register(h)
	h.t = NewTimeouts(h.eng, id, 0,
		func(a int32, _ uint32) bool { return !h.ended[a] },
		func(a int32, _ uint32) {
			h.got = append(h.got, expiry{a, h.eng.Now()})
			if h.onExp != nil {
				h.onExp(a)
			}
		})
	return h
}

// TestTimeoutsFireLiveDeadlinesInTimeOrder adds deadlines in and out of order (ring and
// heap), ends some, and checks that exactly the live ones expire, each at its own time,
// equal times in the order added — against a sort of the same deadlines.
func TestTimeoutsFireLiveDeadlinesInTimeOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	h := newTimeoutsHarness()
	type want struct {
		at  time.Duration
		seq int
		a   int32
	}
	var wants []want
	for i := range 5000 {
		var at time.Duration
		if rng.IntN(4) == 0 {
			at = time.Duration(rng.IntN(1000)) * time.Millisecond // out of order, many ties
		} else {
			at = time.Duration(i) * time.Millisecond / 5 // in order
		}
		h.t.Add(at, int32(i), 0)
		if rng.IntN(3) == 0 {
			h.ended[int32(i)] = true
		} else {
			wants = append(wants, want{at, i, int32(i)})
		}
	}
	slices.SortStableFunc(wants, func(x, y want) int {
		if x.at != y.at {
			return int(x.at - y.at)
		}
		return x.seq - y.seq
	})
	if err := h.eng.Run(); err != nil {
		t.Fatal(err)
	}
	if len(h.got) != len(wants) {
		t.Fatalf("%d expiries, want %d", len(h.got), len(wants))
	}
	for i, w := range wants {
		if h.got[i] != (expiry{w.a, w.at}) {
			t.Fatalf("expiry %d = %+v, want %+v", i, h.got[i], expiry{w.a, w.at})
		}
	}
	if h.t.Len() != 0 {
		t.Fatalf("%d deadlines left", h.t.Len())
	}
}

// TestTimeoutsKeepOneEngineEvent checks the point of Timeouts: however many deadlines it
// holds, the engine has one event pending for them, and deadlines that ended are dropped
// without firing anything.
func TestTimeoutsKeepOneEngineEvent(t *testing.T) {
	h := newTimeoutsHarness()
	for i := range 10000 {
		h.t.Add(10*time.Second+time.Duration(i)*time.Millisecond, int32(i), 0)
		if i != 9999 {
			h.ended[int32(i)] = true
		}
	}
	if p := h.eng.Pending(); p != 1 {
		t.Fatalf("%d engine events pending, want 1", p)
	}
	if err := h.eng.Run(); err != nil {
		t.Fatal(err)
	}
	if len(h.got) != 1 || h.got[0] != (expiry{9999, 10*time.Second + 9999*time.Millisecond}) {
		t.Fatalf("expiries %v, want only 9999 at 19.999 s", h.got)
	}
	// the armed event fired once for the ended first deadline and once for the live last
	if f := h.eng.Fired(); f != 2 {
		t.Fatalf("%d engine events fired, want 2", f)
	}
}

// TestTimeoutsEarlierDeadlineRearms: a deadline earlier than the armed one moves the
// engine event; one added from inside expire at Now fires in the same pass.
func TestTimeoutsEarlierDeadlineRearms(t *testing.T) {
	h := newTimeoutsHarness()
	h.t.Add(5*time.Second, 1, 0)
	h.t.Add(2*time.Second, 2, 0)
	h.onExp = func(a int32) {
		if a == 2 {
			h.t.Add(h.eng.Now(), 3, 0)
			h.t.Add(h.eng.Now()+time.Second, 4, 0)
		}
	}
	if err := h.eng.Run(); err != nil {
		t.Fatal(err)
	}
	want := []expiry{{2, 2 * time.Second}, {3, 2 * time.Second}, {4, 3 * time.Second}, {1, 5 * time.Second}}
	if !slices.Equal(h.got, want) {
		t.Fatalf("expiries %v, want %v", h.got, want)
	}
}

// TestTimeoutsCompactKeepsOnlyLiveDeadlines: after Compact only live deadlines remain, in
// and out of order, and they still fire at their times in order.
func TestTimeoutsCompactKeepsOnlyLiveDeadlines(t *testing.T) {
	h := newTimeoutsHarness()
	for i := range 100 {
		at := time.Duration(i) * time.Second
		if i%10 == 9 {
			at = time.Duration(i-5) * time.Second // out of order: to the heap
		}
		h.t.Add(at+time.Second, int32(i), 0)
		if i%3 != 0 {
			h.ended[int32(i)] = true
		}
	}
	h.t.Compact()
	if n := h.t.Len(); n != 34 {
		t.Fatalf("Len after Compact = %d, want the 34 live deadlines", n)
	}
	if err := h.eng.Run(); err != nil {
		t.Fatal(err)
	}
	if len(h.got) != 34 {
		t.Fatalf("%d expiries, want 34", len(h.got))
	}
	for i := 1; i < len(h.got); i++ {
		if h.got[i].at < h.got[i-1].at {
			t.Fatalf("expiries out of time order: %v", h.got)
		}
	}
}
