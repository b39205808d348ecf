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
type Timeouts struct {
	eng    *sim.Engine
	h      sim.HandlerID
	kind   int32
	live   func(a int32, b uint32) bool
	expire func(a int32, b uint32)

	ring []deadline // ring[head:] in time order
	head int
	late []deadline // binary min-heap by (at, seq): deadlines earlier than the ring's last
	seq  uint64     // order of addition, to break ties in late

	armed   bool
	armedAt time.Duration
	timer   sim.Timer
	firing  bool
}

// deadline is one pending timeout of a Timeouts.
type deadline struct {
	at  time.Duration
	seq uint64
	a   int32
	b   uint32
}

// NewTimeouts returns a Timeouts whose engine event is (h, kind): the owner's Fire must
// call Fire for events of that kind.
func NewTimeouts(eng *sim.Engine, h sim.HandlerID, kind int32,
	live func(a int32, b uint32) bool, expire func(a int32, b uint32)) *Timeouts {
	return &Timeouts{eng: eng, h: h, kind: kind, live: live, expire: expire}
}

// Len is the number of deadlines held, ended ones not yet dropped included.
func (t *Timeouts) Len() int { return len(t.ring) - t.head + len(t.late) }

// Add adds the deadline at (not before Now) for (a, b).
func (t *Timeouts) Add(at time.Duration, a int32, b uint32) {
	d := deadline{at: at, seq: t.seq, a: a, b: b}
	t.seq++
	if n := len(t.ring); n == t.head || t.ring[n-1].at <= at {
		if n == cap(t.ring) && t.head > 0 && t.head >= n/2 {
			// reclaim the consumed front instead of growing
			t.ring = t.ring[:copy(t.ring, t.ring[t.head:])]
			t.head = 0
		}
		t.ring = append(t.ring, d)
	} else {
		t.pushLate(d)
	}
	if !t.firing && (!t.armed || at < t.armedAt) {
		t.arm(at)
	}
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
			t.head++
			if t.head == len(t.ring) {
				t.ring, t.head = t.ring[:0], 0
			}
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
	n := 0
	for _, d := range t.ring[t.head:] {
		if t.live(d.a, d.b) {
			t.ring[n] = d
			n++
		}
	}
	t.ring, t.head = t.ring[:n], 0
	late := t.late
	t.late = t.late[:0]
	for _, d := range late {
		if t.live(d.a, d.b) {
			t.pushLate(d)
		}
	}
}

// front is the earliest deadline held and whether it is the ring's.
func (t *Timeouts) front() (deadline, bool, bool) {
	hasRing, hasLate := t.head < len(t.ring), len(t.late) > 0
	switch {
	case hasRing && hasLate:
		r, l := t.ring[t.head], t.late[0]
		if l.at < r.at || (l.at == r.at && l.seq < r.seq) {
			return l, false, true
		}
		return r, true, true
	case hasRing:
		return t.ring[t.head], true, true
	case hasLate:
		return t.late[0], false, true
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

func lessDeadline(x, y deadline) bool { return x.at < y.at || (x.at == y.at && x.seq < y.seq) }

func (t *Timeouts) pushLate(d deadline) {
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
