package sim

import (
	"math/bits"
	"slices"
	"time"
)

// calendarQueue is a calendar queue (R. Brown, "Calendar queues", CACM 31(10), 1988): an
// alternative to the radix heap of heap.go with O(1) amortised push and pop when the
// bucket width suits the spacing of pending events. The engine does not use it: build with
// the tag calendarqueue to run the engine's tests and benchmarks on it (engine_queue*.go).
// It executes about half the instructions of the radix heap on the hold benchmark, but
// every push and pop touches a bucket and a list node at random, where the radix heap
// scans memory in order; so it is no faster in time with 10,000 pending events and about
// twice as slow with 1,000,000 (figures in engine_bench_test.go).
//
// Time is cut into buckets of width 2^shift ns; nb of them (a power of two) make a "year",
// and an event at time t lives in bucket (t >> shift) mod nb, in a singly-linked list
// sorted by time, ties in scheduling order (a new event goes after every event of the same
// or an earlier time, usually by appending at the tail). A cursor walks the buckets in
// time order: the cursor bucket's window is [curEnd-width, curEnd), and its head fires if
// it lies in that window; otherwise the cursor moves to the next non-empty bucket (found
// with a bitmap) one window later. If it goes round a whole year without finding an
// event, a direct search over the bucket heads finds the earliest one.
//
// Equal times always hash to the same bucket and stay in scheduling order there, so ties
// fire in scheduling order without a sequence number. The lists are threaded through an
// array indexed by the engine's slab slot (link = slot+1, 0 = end), so the queue holds no
// pointers and allocates nothing once its arrays have grown.
//
// Adaptation (after Brown): when the population grows past 2·nb or falls below nb/4 the
// queue is rebuilt with nb the power of two at or above the population, and the width set
// to about three average gaps between distinct times at the front of the queue (gaps more
// than twice the first average are left out, as Brown does, so that a few far events do
// not inflate it). Rebuilding sorts every event once, O(n log n), and happens only after
// the population has changed by a factor of two, so it costs O(log n) amortised per event.
// Since a fixed population can still change its spacing, the queue also counts its extra
// work — list steps past the insertion hint, buckets visited and bitmap words scanned by
// the cursor, direct searches; if that averages more than calWorkLimit per pop over a
// period of at least 2n pops, it re-estimates the width in place. This keeps skewed
// workloads (times from nanoseconds to days, thousands of ties at Now among far events)
// from degenerating to O(n) per event, the classic failure of a calendar queue.
//
// Each bucket keeps the time of its last event, so the common push — an append — reads
// only the bucket. A push that is not an append walks the list from the head, or from the
// last event pushed when that is in the same bucket and not later, which makes a run of
// pushes at one time O(1) each even when the bucket also holds later events.
type calendarQueue struct {
	n        int
	shift    uint        // bucket width is 1 << shift nanoseconds
	mask     uint64      // nb - 1
	buckets  []calBucket // nb buckets
	nonEmpty []uint64    // bit b%64 of word b/64 set ⇔ buckets[b] is not empty
	nodes    []calNode   // nodes[slot+1]; nodes[0] is unused (link 0 = none)
	cur      uint64      // the cursor bucket
	curEnd   uint64      // end of the cursor bucket's window; every pending event is ≥ curEnd-width

	hint       uint32 // link of the last event pushed, 0 once it has been popped
	hintBucket uint64 // its bucket

	ops, work int       // operations and walking steps since the last adaptation check
	scratch   []calSort // rebuild buffer
}

// calBucket is one bucket's list: links of its first and last events, 0 when empty, and
// the time of the last, so that the common push (an append) reads no other memory.
type calBucket struct {
	head, tail uint32
	tailAt     uint64
}

// calNode is one pending event in a bucket list.
type calNode struct {
	at   uint64
	next uint32
}

// calSort is an event being re-sorted by a rebuild: seq keeps ties in scheduling order.
type calSort struct {
	at        uint64
	seq, link uint32
}

const (
	calMinBuckets = 16
	calMaxShift   = 38 // widths up to ~275 s; keeps curEnd + a year below 2^64
	calWorkLimit  = 8  // walking steps per operation that trigger a width re-estimate
)

func newCalendarQueue(capacity int) calendarQueue {
	q := calendarQueue{nodes: make([]calNode, 1, capacity+1), shift: 20}
	q.resize(calMinBuckets)
	return q
}

func (q *calendarQueue) len() int { return q.n }

// resize replaces the (empty) bucket array by one of nb buckets.
func (q *calendarQueue) resize(nb int) {
	if cap(q.buckets) >= nb && cap(q.buckets) <= 4*nb {
		q.buckets = q.buckets[:nb]
		clear(q.buckets)
	} else {
		q.buckets = make([]calBucket, nb)
	}
	words := (nb + 63) / 64
	if cap(q.nonEmpty) >= words && cap(q.nonEmpty) <= 4*words {
		q.nonEmpty = q.nonEmpty[:words]
		clear(q.nonEmpty)
	} else {
		q.nonEmpty = make([]uint64, words)
	}
	q.mask = uint64(nb - 1)
}

// moveCursor puts the cursor on the bucket and window of time t.
func (q *calendarQueue) moveCursor(t uint64) {
	q.cur = (t >> q.shift) & q.mask
	q.curEnd = (t>>q.shift + 1) << q.shift
}

// push queues an event; its time must be at or after now and every popped event's time.
func (q *calendarQueue) push(it item, now time.Duration) {
	_ = now
	l := it.slot + 1
	for int(l) >= len(q.nodes) {
		q.nodes = append(q.nodes, calNode{})
	}
	t := uint64(it.at)
	q.nodes[l] = calNode{at: t}
	if q.n == 0 || t < q.curEnd-1<<q.shift {
		// Earlier than the cursor's window: every pending event is later still (the cursor
		// only passes windows that hold none), so the cursor can move back to t.
		q.moveCursor(t)
	}
	q.n++
	q.insert(l, t)
	if q.n > 2*len(q.buckets) {
		q.rebuild(q.n)
	}
}

// insert links node l, at time t, into its bucket after every event of time ≤ t.
func (q *calendarQueue) insert(l uint32, t uint64) {
	i := (t >> q.shift) & q.mask
	b := &q.buckets[i]
	switch {
	case b.tail == 0:
		b.head, b.tail, b.tailAt = l, l, t
		q.nonEmpty[i>>6] |= 1 << (i & 63)
	case b.tailAt <= t:
		q.nodes[b.tail].next = l
		b.tail, b.tailAt = l, t
	case t < q.nodes[b.head].at:
		q.nodes[l].next = b.head
		b.head = l
	default:
		// head.at ≤ t < tail.at: the loop stops before the tail. It starts from the last
		// event pushed if that is in this bucket and not later than t (see above).
		p := b.head
		if q.hint != 0 && q.hintBucket == i && q.nodes[q.hint].at <= t {
			p = q.hint
		}
		for {
			nx := q.nodes[p].next
			if q.nodes[nx].at > t {
				break
			}
			p = nx
			q.work++
		}
		q.nodes[l].next = q.nodes[p].next
		q.nodes[p].next = l
	}
	q.hint, q.hintBucket = l, i
}

// peekSlot returns the slot of the event that next would return if it is at the head of
// the cursor bucket, in its window (the engine loads its payload early).
func (q *calendarQueue) peekSlot() (uint32, bool) {
	if q.n == 0 {
		return 0, false
	}
	if h := q.buckets[q.cur].head; h != 0 && q.nodes[h].at < q.curEnd {
		return h - 1, true
	}
	return 0, false
}

// popBottom reports false: the calendar queue has no sorted front run, so the engine
// always calls next (see eventQueue.popBottom).
func (q *calendarQueue) popBottom(time.Duration) (item, bool) { return item{}, false }

// next removes and returns the earliest event if its time is at most limit. Among events
// of equal time it returns the one scheduled first.
func (q *calendarQueue) next(limit time.Duration) (item, bool) {
	if q.n == 0 {
		return item{}, false
	}
	q.ops++
	h := q.buckets[q.cur].head
	if h == 0 || q.nodes[h].at >= q.curEnd {
		h = q.seek()
	}
	at := q.nodes[h].at
	if at > uint64(limit) {
		return item{}, false
	}
	if h == q.hint {
		q.hint = 0
	}
	b := &q.buckets[q.cur]
	b.head = q.nodes[h].next
	if b.head == 0 {
		b.tail = 0
		q.nonEmpty[q.cur>>6] &^= 1 << (q.cur & 63)
	}
	q.n--
	if q.ops >= 2*q.n+1024 {
		q.check()
	}
	if q.n < len(q.buckets)/4 && len(q.buckets) > calMinBuckets && q.n > 0 {
		q.rebuild(q.n)
	}
	return item{at: time.Duration(at), slot: h - 1}, true
}

// seek moves the cursor to the bucket and window of the earliest event and returns it.
func (q *calendarQueue) seek() uint32 {
	nb := q.mask + 1
	for travelled := uint64(0); ; {
		j := q.nextNonEmpty(q.cur)
		d := (j - q.cur) & q.mask
		if d == 0 {
			d = nb
		}
		travelled += d
		if travelled > nb {
			return q.directSearch()
		}
		q.work += 1 + int(d>>6) // a bucket visited, and the bitmap words scanned
		q.cur = j
		q.curEnd += d << q.shift
		if h := q.buckets[j].head; q.nodes[h].at < q.curEnd {
			return h
		}
	}
}

// nextNonEmpty is the first non-empty bucket after i, going round (i itself last).
// The queue must not be empty.
func (q *calendarQueue) nextNonEmpty(i uint64) uint64 {
	i = (i + 1) & q.mask
	w := i >> 6
	word := q.nonEmpty[w] &^ (1<<(i&63) - 1)
	for word == 0 {
		w++
		if int(w) == len(q.nonEmpty) {
			w = 0
		}
		word = q.nonEmpty[w]
	}
	return w<<6 + uint64(bits.TrailingZeros64(word))
}

// directSearch finds the earliest event among the bucket heads, for when a whole year
// holds none, and moves the cursor to it. (Equal times share a bucket, so the earliest
// head is the event to fire.)
func (q *calendarQueue) directSearch() uint32 {
	best := uint32(0)
	q.work += len(q.nonEmpty)
	for w, word := range q.nonEmpty {
		for word != 0 {
			q.work++
			i := w<<6 + bits.TrailingZeros64(word)
			word &= word - 1
			if h := q.buckets[i].head; best == 0 || q.nodes[h].at < q.nodes[best].at {
				best = h
			}
		}
	}
	q.moveCursor(q.nodes[best].at)
	return best
}

// check re-estimates the width if walking has cost more than calWorkLimit steps per
// operation since the last check.
func (q *calendarQueue) check() {
	if q.work > calWorkLimit*q.ops && q.n > 1 {
		q.rebuild(q.n)
	}
	q.ops, q.work = 0, 0
}

// rebuild re-sorts every pending event into nb ≥ n buckets (a power of two) of a width
// estimated from the spacing of the earliest events.
func (q *calendarQueue) rebuild(n int) {
	s := q.scratch[:0]
	for i := range q.buckets {
		for l := q.buckets[i].head; l != 0; l = q.nodes[l].next {
			s = append(s, calSort{at: q.nodes[l].at, seq: uint32(len(s)), link: l})
		}
	}
	slices.SortFunc(s, func(a, b calSort) int {
		switch {
		case a.at < b.at:
			return -1
		case a.at > b.at:
			return 1
		}
		return int(a.seq) - int(b.seq)
	})
	q.scratch = s
	nb := calMinBuckets
	for nb < n {
		nb *= 2
	}
	q.resize(nb)
	q.shift = estimateShift(s, q.shift)
	q.moveCursor(s[0].at)
	q.hint = 0
	for _, e := range s {
		q.nodes[e.link].next = 0
		q.insert(e.link, e.at)
	}
	q.ops, q.work = 0, 0
}

// estimateShift returns log2 of a bucket width of about three average gaps between the
// distinct times among the first events of s (sorted), leaving out gaps more than twice
// the first average. It returns old when s has no two distinct times.
func estimateShift(s []calSort, old uint) uint {
	const sample = 256
	s = s[:min(len(s), sample)]
	var sum, k uint64
	for i := 1; i < len(s); i++ {
		if g := s[i].at - s[i-1].at; g > 0 {
			sum += g
			k++
		}
	}
	if k == 0 {
		return old
	}
	limit := 2 * (sum / k)
	var sum2, k2 uint64
	for i := 1; i < len(s); i++ {
		if g := s[i].at - s[i-1].at; g > 0 && g <= limit {
			sum2 += g
			k2++
		}
	}
	if k2 > 0 {
		sum, k = sum2, k2
	}
	w := 3 * sum / k
	// Round log2(w) to the nearest integer: w ≥ 2^shift·√2 rounds up.
	shift := uint(bits.Len64(w))
	if shift > 0 {
		shift--
		if w > 0 && float64(w) >= float64(uint64(1)<<shift)*1.4142135623730951 {
			shift++
		}
	}
	return min(shift, calMaxShift)
}
