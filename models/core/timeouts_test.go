package core

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
	"unsafe"

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

// timeoutsDriver adds deadlines while the clock runs: every step it adds a few on a 5 ms
// grid, so that many fall on the same nanosecond — most a constant timeout ahead (the
// ring), some sooner or at once (the heap), some later (after which the constant ones go
// to the heap until the later one is gone) — ends some of them, and now and then compacts
// (which can leave the ring's last deadline earlier than some in the heap).
type timeoutsDriver struct {
	unit  time.Duration // of the grid: a millisecond, or a second
	h     *timeoutsHarness
	id    sim.HandlerID
	rng   *rand.Rand
	next  int32
	steps int
	adds  []timeoutsAdd
}

type timeoutsAdd struct {
	at  time.Duration
	a   int32
	end bool
}

func (d *timeoutsDriver) Fire(sim.Event) {
	now := d.h.eng.Now()
	for range 1 + d.rng.IntN(4) {
		at := now + 50*d.unit
		switch d.rng.IntN(8) {
		case 0, 1:
			at = now + time.Duration(d.rng.IntN(5))*10*d.unit // sooner, often tied
		case 2:
			at = now // due at once
		case 3:
			at = now + 80*d.unit // later: what follows goes to the heap for a while
		}
		a := d.next
		d.next++
		end := d.rng.IntN(3) == 0
		d.adds = append(d.adds, timeoutsAdd{at, a, end})
		d.h.t.Add(at, a, 0)
		if end {
			d.h.ended[a] = true
		}
	}
	if d.rng.IntN(5) == 0 {
		d.h.t.Compact()
	}
	if d.steps--; d.steps > 0 {
		d.h.eng.After(time.Duration(d.rng.IntN(3))*5*d.unit, d.id, 0, 0, 0)
	}
}

// TestTimeoutsOrderWhileAddingOverTime: deadlines added while earlier ones expire — the
// ring wrapping around and growing, the heap filling and emptying, compactions between,
// deadlines milliseconds or seconds apart — expire exactly as a stable sort of them by
// time says, each at its own time.
func TestTimeoutsOrderWhileAddingOverTime(t *testing.T) {
	for seed := range uint64(40) {
		h := newTimeoutsHarness()
		unit := time.Millisecond
		if seed%2 == 1 {
			unit = time.Second
		}
		d := &timeoutsDriver{unit: unit, h: h, rng: rand.New(rand.NewPCG(seed, 9)), steps: 3000}
		d.id = h.eng.Register(d)
		h.eng.After(0, d.id, 0, 0, 0)
		if err := h.eng.Run(); err != nil {
			t.Fatal(err)
		}
		var want []expiry
		for _, x := range d.adds {
			if !x.end {
				want = append(want, expiry{x.a, x.at})
			}
		}
		slices.SortStableFunc(want, func(x, y expiry) int { return int(x.at - y.at) })
		if !slices.Equal(h.got, want) {
			t.Fatalf("seed %d: %d expiries differ from the %d wanted (first %v vs %v)", seed, len(h.got), len(want), h.got[:min(5, len(h.got))], want[:min(5, len(want))])
		}
		if h.t.Len() != 0 {
			t.Fatalf("seed %d: %d deadlines left", seed, h.t.Len())
		}
	}
}

// TestTimeoutsEmptiedRingKeepsOrder: ended deadlines dropped from the ring leave it empty
// with ringMin later than Now; deadlines added then, earlier than that, go to the heap and
// still expire in time order, equal ones in the order added, before a later ring entry.
func TestTimeoutsEmptiedRingKeepsOrder(t *testing.T) {
	ms := time.Millisecond
	h := newTimeoutsHarness()
	h.t.Add(10*ms, 1, 0)
	h.t.Add(20*ms, 2, 0)
	h.ended[1], h.ended[2] = true, true // both dropped at 10 ms: the ring is empty
	add := h.eng.Register(sim.HandlerFunc(func(sim.Event) {
		if h.t.Len() != 0 {
			t.Errorf("%d deadlines held at 12 ms, want 0", h.t.Len())
		}
		h.t.Add(15*ms, 4, 0) // earlier than the ring's last, 20 ms: the heap
		h.t.Add(15*ms, 5, 0)
		h.t.Add(14*ms, 3, 0)
		h.t.Add(25*ms, 6, 0) // later than all: the ring
	}))
	if err := h.eng.Schedule(sim.Event{At: 12 * ms, Target: sim.Target{Handler: add}}); err != nil {
		t.Fatal(err)
	}
	if err := h.eng.Run(); err != nil {
		t.Fatal(err)
	}
	want := []expiry{{3, 14 * ms}, {4, 15 * ms}, {5, 15 * ms}, {6, 25 * ms}}
	if !slices.Equal(h.got, want) {
		t.Fatalf("expiries %v, want %v", h.got, want)
	}
}

// TestTimeoutsIs192Bytes guards the padding that puts Add's fields in one cache line:
// 192 bytes is a size class whose objects start on a cache line.
func TestTimeoutsIs192Bytes(t *testing.T) {
	if n := unsafe.Sizeof(Timeouts{}); n != 192 {
		t.Fatalf("Timeouts is %d bytes, want 192", n)
	}
}
