package core

import (
	"math"
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
	// What Add reads, in the first 64 bytes: the struct is padded to 192 bytes, a size
	// class whose objects start on a cache line, so that an Add (some 6 per order, far
	// apart in time) touches one line of it, not three. Sentinels spare Add the tests of
	// an empty ring, an empty heap and the state of the event.
	ring     []deadline    // circular, length a power of two: n entries from head, in time order
	head     int           // index of the earliest ring entry
	n        int           // entries in the ring
	ringMin  time.Duration // a deadline this late or later may join the ring (see Add)
	lateMax  time.Duration // no deadline in late is later; minTime when late is empty
	armBelow time.Duration // Add arms the event for an earlier deadline: the time armed, maxTime if none, minTime while firing

	late []lateDeadline // binary min-heap by (at, seq): deadlines out of the ring's order
	seq  uint64         // order of addition, to break ties in late

	eng    *sim.Engine
	live   func(a int32, b uint32) bool
	expire func(a int32, b uint32)
	timer  sim.Timer
	h      sim.HandlerID
	kind   int32
	armed  bool
	_      [55]byte // pads to 192 bytes (see ring)
}

// Sentinels of Timeouts' time fields.
const (
	minTime time.Duration = math.MinInt64
	maxTime time.Duration = math.MaxInt64
)

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
	return &Timeouts{eng: eng, h: h, kind: kind, live: live, expire: expire,
		ringMin: minTime, lateMax: minTime, armBelow: maxTime}
}

// Len is the number of deadlines held, ended ones not yet dropped included.
func (t *Timeouts) Len() int { return t.n + len(t.late) }

// Add adds the deadline at (not before Now) for (a, b).
//
// A deadline joins the ring when it is not earlier than the ring's last and later than
// every deadline in the heap: at ≥ ringMin, which add keeps at or above both bounds. So a
// ring entry and a heap entry with the same deadline were added ring entry first (a later
// ring entry would have had to be later than the heap entry), and ties between ring and
// heap need no order of addition. ringMin may stay above the bounds (an emptied ring or
// heap keeps it): a deadline then joins the heap where the ring would have done, in the
// same order.
func (t *Timeouts) Add(at time.Duration, a int32, b uint32) {
	if at >= t.ringMin {
		if t.n == len(t.ring) {
			t.grow()
		}
		t.ring[(t.head+t.n)&(len(t.ring)-1)] = deadline{at: at, a: a, b: b}
		t.n++
		t.ringMin = at
	} else {
		t.lateMax = max(t.lateMax, at)
		t.ringMin = max(t.ringMin, t.lateMax+1)
		t.pushLate(lateDeadline{deadline{at: at, a: a, b: b}, t.seq})
		t.seq++
	}
	if at < t.armBelow {
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
	t.armBelow = minTime
	now := t.eng.Now()
	for {
		t.dropEnded()
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
			t.n-- // ringMin may stay later than Now: see Add
		} else {
			t.popLate()
		}
		if live {
			t.expire(d.a, d.b)
		}
	}
	t.armBelow = maxTime
	if d, _, ok := t.front(); ok {
		t.arm(d.at)
	}
}

// dropEnded drops the ended deadlines at the front of the ring that come before the
// heap's first (see front), as Fire would one by one. It exists for speed: most of the
// deadlines Fire meets have ended (the work finished first), and this loop keeps the
// ring in locals, which the call of live through a func value would otherwise make the
// compiler load again for every deadline.
func (t *Timeouts) dropEnded() {
	ring, head, n, live := t.ring, t.head, t.n, t.live
	if n == 0 {
		return
	}
	mask := len(ring) - 1
	lateAt := maxTime
	if len(t.late) > 0 {
		lateAt = t.late[0].at
	}
	for n > 0 {
		d := ring[head]
		if d.at > lateAt || live(d.a, d.b) {
			break
		}
		head = (head + 1) & mask
		n--
	}
	t.head, t.n = head, n
}

// Compact drops every deadline that has ended, wherever it is. Ended deadlines are
// otherwise dropped only when they reach the front, so an owner whose deadlines are long
// calls Compact when Len grows past a few times the deadlines it knows to be live, to
// keep memory proportional to those; a pass costs O(Len), amortised O(1) per deadline.
func (t *Timeouts) Compact() {
	// Locals: live is a call through a func value, after which the compiler would load
	// every field again.
	ring, head, n, live := t.ring, t.head, t.n, t.live
	mask := len(ring) - 1
	kept, tail := 0, minTime
	for i := range n {
		d := ring[(head+i)&mask]
		if live(d.a, d.b) {
			ring[(head+kept)&mask] = d
			kept++
			tail = d.at
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
	if len(t.late) == 0 {
		t.lateMax = minTime
	}
	t.ringMin = max(tail, t.lateMax+1)
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
	t.armed, t.armBelow = true, at
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
	if n == 0 {
		t.lateMax = minTime
	}
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
