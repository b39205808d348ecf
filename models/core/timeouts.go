package core

import (
	"time"

	"msgsim/sim"
)

// Timeouts keeps the deadlines of one kind of timeout of a component — a Lambda function's
// invocation timeouts, an API's integration timeouts, a queue's long-poll waits — with a
// single engine event armed for the earliest deadline that may still matter, instead of
// one cancellable engine event per deadline.
//
// Why: such timeouts almost never fire. The work they guard ends first and the timer is
// cancelled, but a lazily cancelled event still sits in the engine's queue until its time
// comes. At 1,000 orders/s the e-commerce scenario kept about 300,000 of them pending (a
// 10 s timeout at 2,000 operations/s is 20,000 on its own) and popped 9 cancelled events
// per order: a large queue makes every other event slower too. Here an ended deadline
// costs nothing until it reaches the front, where it is dropped in O(1) while the engine
// holds one event per Timeouts.
//
// Deadlines are usually added in time order (a constant timeout from a clock that never
// runs backwards): those go to a FIFO ring. A deadline earlier than the ring's last (a
// timeout that starts after a cold start, a per-request wait) goes to a small binary heap
// instead. The owner supplies two functions at construction: live(a, b) tells whether the
// deadline of (a, b) still guards something — typically a slot and a generation that still
// match — and expire(a, b) is called at the deadline of a live entry. expire may add new
// deadlines.
//
// Order: deadlines fire in time order, equal deadlines in the order they were added. An
// expiry fires from the Timeouts' own engine event, so among engine events at the very same
// nanosecond it may fire before or after others than one event per deadline would have;
// times are exact.
//
// Memory: the ring holds tens of thousands of deadlines (a 60 s visibility timeout at
// 2,000 receives/s is 120,000), each written once and read once a timeout later, long
// after it left the caches, so a ring entry costs its share of a cache line twice. An
// entry is 16 bytes, four to a line: the order of addition among equal deadlines, which
// only the heap needs, is kept in the heap's entries alone (see Add for why the ring's
// entries can do without it).
type Timeouts struct {
	eng    *sim.Engine
	h      sim.HandlerID
	kind   int32
	live   func(a int32, b uint32) bool
	expire func(a int32, b uint32)

	ring   []deadline    // circular, length a power of two: n entries from head, in time order
	head   int           // index of the earliest ring entry
	n      int           // entries in the ring
	tailAt time.Duration // deadline of the ring's last entry (when n > 0), read without touching it

	late    []lateDeadline // binary min-heap by (at, seq): deadlines out of the ring's order
	lateMax time.Duration  // no deadline in late is later (when late is not empty)
	seq     uint64         // order of addition, to break ties in late

	armed   bool
	armedAt time.Duration
	timer   sim.Timer
	firing  bool
}

// deadline is one pending timeout of a Timeouts.
type deadline struct {
	at time.Duration
	a  int32
	b  uint32
}

// lateDeadline is a deadline in the heap, with the order of its addition.
type lateDeadline struct {
	deadline
	seq uint64
}

// NewTimeouts returns a Timeouts whose engine event is (h, kind): the owner's Fire must
// call Fire for events of that kind.
func NewTimeouts(eng *sim.Engine, h sim.HandlerID, kind int32,
	live func(a int32, b uint32) bool, expire func(a int32, b uint32)) *Timeouts {
	return &Timeouts{eng: eng, h: h, kind: kind, live: live, expire: expire}
}

// Len is the number of deadlines held, ended ones not yet dropped included.
func (t *Timeouts) Len() int { return t.n + len(t.late) }

// Add adds the deadline at (not before Now) for (a, b).
//
// A deadline joins the ring when it is not earlier than the ring's last and later than
// every deadline in the heap. So a ring entry and a heap entry with the same deadline were
// added ring entry first (a later ring entry would have had to be later than the heap
// entry), and ties between ring and heap need no order of addition.
func (t *Timeouts) Add(at time.Duration, a int32, b uint32) {
	if (t.n == 0 || t.tailAt <= at) && (len(t.late) == 0 || at > t.lateMax) {
		if t.n == len(t.ring) {
			t.grow()
		}
		t.ring[(t.head+t.n)&(len(t.ring)-1)] = deadline{at: at, a: a, b: b}
		t.n++
		t.tailAt = at
	} else {
		if len(t.late) == 0 || at > t.lateMax {
			t.lateMax = at
		}
		t.pushLate(lateDeadline{deadline{at: at, a: a, b: b}, t.seq})
		t.seq++
	}
	if !t.firing && (!t.armed || at < t.armedAt) {
		t.arm(at)
	}
}

// grow doubles the ring (16 entries at first), unrolling it to start at index 0.
func (t *Timeouts) grow() {
	ring := make([]deadline, max(2*len(t.ring), 16))
	k := copy(ring, t.ring[t.head:])
	copy(ring[k:], t.ring[:t.head])
	t.ring, t.head = ring, 0
}

// Fire handles the Timeouts' engine event: it expires every live deadline that is due,
// drops ended ones at the front, and arms the event for the earliest remaining one.
func (t *Timeouts) Fire() {
	t.armed = false
	t.firing = true
	now := t.eng.Now()
	for {
		d, fromRing, ok := t.front()
		if !ok {
			break
		}
		live := t.live(d.a, d.b)
		if live && d.at > now {
			break
		}
		if fromRing {
			t.head = (t.head + 1) & (len(t.ring) - 1)
			t.n--
		} else {
			t.popLate()
		}
		if live {
			t.expire(d.a, d.b)
		}
	}
	t.firing = false
	if d, _, ok := t.front(); ok {
		t.arm(d.at)
	}
}

// Compact drops every deadline that has ended, wherever it is. Ended deadlines are
// otherwise dropped only when they reach the front, so an owner whose deadlines are long
// calls Compact when Len grows past a few times the deadlines it knows to be live, to
// keep memory proportional to those; a pass costs O(Len), amortised O(1) per deadline.
func (t *Timeouts) Compact() {
	mask := len(t.ring) - 1
	kept := 0
	for i := range t.n {
		d := t.ring[(t.head+i)&mask]
		if t.live(d.a, d.b) {
			t.ring[(t.head+kept)&mask] = d
			kept++
			t.tailAt = d.at
		}
	}
	t.n = kept
	late := t.late
	t.late = t.late[:0]
	for _, d := range late {
		if t.live(d.a, d.b) {
			t.pushLate(d)
		}
	}
}

// front is the earliest deadline held and whether it is the ring's. On equal deadlines
// the ring's comes first (see Add).
func (t *Timeouts) front() (deadline, bool, bool) {
	if t.n > 0 {
		r := t.ring[t.head]
		if len(t.late) > 0 && t.late[0].at < r.at {
			return t.late[0].deadline, false, true
		}
		return r, true, true
	}
	if len(t.late) > 0 {
		return t.late[0].deadline, false, true
	}
	return deadline{}, false, false
}

// arm (re)schedules the engine event at at.
func (t *Timeouts) arm(at time.Duration) {
	if t.armed {
		t.eng.Cancel(t.timer)
	}
	t.armed, t.armedAt = true, at
	t.timer = t.eng.AfterTimer(max(at-t.eng.Now(), 0), t.h, t.kind, 0, 0)
}

func lessDeadline(x, y lateDeadline) bool {
	return x.at < y.at || (x.at == y.at && x.seq < y.seq)
}

func (t *Timeouts) pushLate(d lateDeadline) {
	h := append(t.late, d)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !lessDeadline(h[i], h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
	t.late = h
}

func (t *Timeouts) popLate() {
	h := t.late
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		if r := l + 1; r < n && lessDeadline(h[r], h[l]) {
			l = r
		}
		if !lessDeadline(h[l], h[i]) {
			break
		}
		h[i], h[l] = h[l], h[i]
		i = l
	}
	t.late = h
}
