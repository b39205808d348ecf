package sim

import (
	"math/bits"
	"time"
)

// The event queue has three tiers, nearest first: a sorted "bottom" run that events fire
// from, a ladder of bucket rows for the near future (ladder.go), and a radix heap (Ahuja,
// Mehlhorn, Orlin & Tarjan, 1990) for the rest. Each tier's events are all earlier than
// the next tier's, so the queue fires bottom, refills it from the nearest rung, and builds
// a rung from the radix heap when the ladder is empty.
//
// Why three tiers. The radix heap alone (83 ns per event on the hold benchmark, 10,000
// pending; it replaced a 4-ary heap at 186 ns) only appends to a few buckets and scans
// them in order, but it refines an event by halving its bucket's range, about 4.5 moves
// per event plus a sort. A ladder rung sorts an event into a bucket of about perBucket
// events in one move, at a random place in the rung; that is cheap while the rung is
// small enough for the caches and costly beyond, which is what made a plain calendar
// queue (calendar.go) twice as slow as the radix heap with 1,000,000 pending events. So a
// rung covers at most maxFanout buckets at the front (about 30,000 events), sized for the
// rate at which events have been firing, and everything later stays in the radix heap,
// whose appends stay sequential however many events are pending. On the hold benchmark
// an event is now moved 1.06 times into a rung, 0.42 times within the radix heap, and
// once into bottom, where it took about 5.5 moves before. Figures in engine_bench_test.go.
//
// Also measured and rejected: a branch-free 4-ary heap (~1.2× the old heap); radix digits
// of 2 or 4 bits (~10%, many times the memory); payloads inline in queue items (1.65×
// slower: every move then copies them); a ladder with no radix heap behind it, whose rungs
// are sized by the events they hold rather than by the front's rate (the far future is
// sparser than the front will be when it gets there, so nearly every event was moved
// twice); bucket storage as one slice per bucket (each kept the capacity of its largest
// fill, 150 times the pending events). Measured again with the ladder (2026-11, cachegrind
// and alternating wall-clock runs): payloads inline in 32-byte items, timers alone in a
// slab, ran the hold benchmark no faster and 1.4-1.6× slower with 10 pending events or
// bursts of ties (every insertion into bottom and every append moves twice the bytes),
// though 1.6× faster with 1,000,000 pending events, where the slab no longer fits the
// caches; rung bucket headers split into a hot 4-byte tail and a cold head (16 KB
// instead of 48 KB per full rung) saved 15% of the first-level misses but added 3% of
// instructions, no gain; a binary search or a branch-free count in place of
// insertBottom's shifting loop, and networkSort's loops run a fixed 8 times, each took
// more mispredicted branches than they removed. For events scheduled at Now itself (a
// fifth of the e-commerce scenario's events, replies delivered at once), which insertBottom
// places ahead of about perBucket later events by shifting those up (2026-11, cachegrind on
// one simulated minute of that scenario at 1,000 orders/s): a separate FIFO for them in
// the engine, fired after bottom's events of time Now, kept the order exactly and took 4%
// of the engine's instructions there, but added 2% on the hold benchmarks, which have no
// such events; moving bottom's events of time Now down into the slot of the event just
// fired, instead of the later ones up, took 1.6% there and added 1.4% with 10 pending.
// Neither was kept.
//
// The radix heap relies on the engine being monotone: nothing is scheduled before Now. An
// event at time t in the radix heap lives in bucket bits.Len64(t ^ last), the position of
// the highest bit in which t differs from the pivot last (t ≥ last always holds for them).
// Bucket b ≥ 1 thus holds times in an aligned range of width 2^(b-1) above last, lower
// buckets earlier times, and bucket 0 the time last itself. When the ladder and bottom are
// empty, the lowest non-empty bucket is sorted into bottom if small (≤ sortBelow events)
// or all ties; otherwise last moves up to its earliest time, its front goes to a new rung
// (frontRung) and the rest drops into lower buckets. A bucket's events share every bit
// above its own with last and with each other, so moving last within the bucket's range
// changes no other bucket's index.
//
// Routing: an event at t goes to bottom if t < bottomEnd, else to the nearest rung whose
// range holds it (each rung ends where the next bucket to drain of the rung above starts),
// else to the radix heap.
//
// Ties fire in scheduling order without a sequence number: all pending events of one time
// t are in the same container (bottom, one bucket of one rung, or the one radix bucket t
// maps to), kept there in scheduling order. New events are appended to a bucket or
// inserted into bottom after every event of time ≤ t; moves between tiers, splits, sorts
// and spills are stable and empty their source into containers that hold no event of the
// same time. So equal times fire exactly in scheduling order however long the run, and
// there is no counter to overflow.
//
// The queue holds 16-byte items (time and slab slot); the payload stays in the engine's
// slab, so moves copy little memory.

// sortBelow is the size up to which a radix bucket is sorted into bottom instead of going
// to a rung, and the largest rung bucket sorted by insertion.
const sortBelow = 32

// spillAbove is the size of bottom beyond which an insertion into its middle first turns
// bottom into a new rung, so that a burst of events scheduled into a wide bottom range
// costs amortized O(1) per event instead of a long shift each.
const spillAbove = 256

// item is one pending event: its time and its slot in the engine's slab.
type item struct {
	at   time.Duration
	slot uint32
}

// eventQueue is the event queue: bottom, the ladder and the radix heap. The zero value is
// an empty queue.
type eventQueue struct {
	n         int        // pending events, in all three tiers
	last      uint64     // pivot: every event in a bucket is at or after it
	bottomEnd uint64     // events before this are in bottom, the rest in rungs or buckets
	bottom    []item     // bottom[head:] sorted by time, ties in scheduling order
	head      int        // index in bottom of the next event to fire
	nonEmpty  uint64     // bit b set ⇔ buckets[b] is not empty
	buckets   [64][]item // times are non-negative, so t ^ last < 2^63 and b ≤ 63
	capSum    int        // total capacity of the buckets' storage, in items (see trim)

	rungs     [maxDepth]rung // the ladder (ladder.go): rungs[depth-1] is the nearest
	depth     int            // rungs in use
	pool      chunkPool      // storage of the rungs' buckets
	pops      int            // events moved into bottom by refill, ever (see frontRung)
	epochAt   uint64         // time of the last front rung (see frontRung)
	epochPops int            // pops then
}

func (q *eventQueue) len() int { return q.n }

// push queues an event. Its time must be at or after now, the engine's clock, which must
// be at or after the time of every event next has returned while the queue was non-empty
// (Engine.schedule and Engine.run guarantee both).
func (q *eventQueue) push(it item, now time.Duration) {
	if q.n == 0 {
		// Nothing pending: restart with the pivot at Now, where the engine may schedule.
		q.last, q.bottomEnd = uint64(now), uint64(now)
		q.bottom, q.head = q.bottom[:0], 0
		q.depth = 0 // every rung is empty
	}
	q.n++
	// place, inlined by hand for the common cases (one call less per event).
	t := uint64(it.at)
	if t < q.bottomEnd {
		q.insertBottom(it, now)
		return
	}
	if d := q.depth - 1; d >= 0 && t < q.rungs[d].end {
		q.add(&q.rungs[d], it)
		return
	}
	q.place(it, now)
}

// place puts it into the container of its time: bottom, the nearest rung whose range
// holds it, or the radix heap.
func (q *eventQueue) place(it item, now time.Duration) {
	t := uint64(it.at)
	if t < q.bottomEnd {
		q.insertBottom(it, now)
		return
	}
	for d := q.depth - 1; d >= 0; d-- {
		if r := &q.rungs[d]; t < r.end {
			q.add(r, it)
			return
		}
	}
	q.toBucket(it)
}

func (q *eventQueue) toBucket(it item) {
	b := bits.Len64(uint64(it.at) ^ q.last)
	s := q.buckets[b]
	if len(s) == cap(s) {
		s = q.grow(b)
		if len(s) == cap(s) {
			old := cap(s)
			s = append(s, it)
			q.capSum += cap(s) - old
			q.buckets[b] = s
			q.nonEmpty |= 1 << b
			return
		}
	}
	q.buckets[b] = append(s, it)
	q.nonEmpty |= 1 << b
}

// grow returns full bucket b moved into the storage of an empty bucket with at least twice
// its room, swapping the two, or b unchanged (append then doubles it) if there is none.
// A high bucket is first used when the clock crosses a large power of two and must then
// hold most pending events; borrowing the storage that lower buckets no longer use keeps
// the queue from allocating again and again as a run goes on. The donor is the smallest
// that fits: taking the largest handed storage for most pending events to buckets that
// hold a few, so each bucket in use kept about that much and the buckets' storage came to
// 9 times the pending events on the hold benchmark (6 times with the smallest; see trim).
func (q *eventQueue) grow(b int) []item {
	s := q.buckets[b]
	donor := -1
	for i := range q.buckets {
		if q.nonEmpty&(1<<i) == 0 && cap(q.buckets[i]) >= 2*len(s)+1 &&
			(donor < 0 || cap(q.buckets[i]) < cap(q.buckets[donor])) {
			donor = i
		}
	}
	if donor < 0 {
		return s
	}
	d := q.buckets[donor][:len(s)]
	copy(d, s)
	q.buckets[donor] = s[:0]
	q.buckets[b] = d
	return d
}

// insertBottom inserts it into bottom after every event of the same or an earlier time.
func (q *eventQueue) insertBottom(it item, now time.Duration) {
	b := q.bottom
	if len(b) == q.head || b[len(b)-1].at <= it.at {
		q.appendBottom(it) // the common case: a tie at Now, or the latest event of bottom
		return
	}
	if len(b)-q.head > spillAbove && q.depth < maxDepth {
		q.spill(now)
		q.place(it, now)
		return
	}
	if len(b) == cap(b) && q.head > 0 && q.head >= len(b)/2 {
		// Reclaim the fired prefix, as appendBottom does: with few events pending, bottom
		// can take every new event for ever without running dry, and would otherwise be
		// reallocated each time it doubles (48 B per event on BenchmarkEngineHoldSmall).
		b = b[:copy(b, b[q.head:])]
		q.head = 0
	}
	b = append(b, item{})
	i := len(b) - 1
	for i > q.head && b[i-1].at > it.at {
		b[i] = b[i-1]
		i--
	}
	b[i] = it
	q.bottom = b
}

// appendBottom appends it to bottom, first reclaiming the fired prefix when that frees at
// least half of bottom (an endless chain of events at Now would otherwise never empty it).
func (q *eventQueue) appendBottom(it item) {
	b := q.bottom
	if len(b) == cap(b) && q.head > 0 && q.head >= len(b)/2 {
		b = b[:copy(b, b[q.head:])]
		q.head = 0
	}
	q.bottom = append(b, it)
}

// spill turns bottom into a new nearest rung from now, where the next events may come, to
// bottomEnd, in firing order so that ties keep their order, and empties bottom.
func (q *eventQueue) spill(now time.Duration) {
	src := q.bottom[q.head:]
	lo, mx := min(uint64(now), uint64(src[0].at)), uint64(src[len(src)-1].at)
	end := q.bottomEnd
	q.bottomEnd = lo
	q.spawn(src, lo, mx, end)
	q.bottom, q.head = q.bottom[:0], 0
}

// peekSlot returns the slot of the event that next would return if it needs no refill.
func (q *eventQueue) peekSlot() (uint32, bool) {
	if q.head < len(q.bottom) {
		return q.bottom[q.head].slot, true
	}
	return 0, false
}

// popBottom is next's common case — the earliest event is in bottom and within limit —
// small enough for the engine's loop to inline (one call less per event); when it
// reports false, next does the rest.
func (q *eventQueue) popBottom(limit time.Duration) (item, bool) {
	if q.head < len(q.bottom) && q.bottom[q.head].at <= limit {
		it := q.bottom[q.head]
		q.head++
		q.n--
		return it, true
	}
	return item{}, false
}

// next removes and returns the earliest event if its time is at most limit. Among events
// of equal time it returns the one scheduled first.
func (q *eventQueue) next(limit time.Duration) (item, bool) {
	if q.head == len(q.bottom) {
		if q.n == 0 || !q.refill(limit) {
			return item{}, false
		}
	}
	it := q.bottom[q.head]
	if it.at > limit {
		return item{}, false
	}
	q.head++
	q.n--
	return it, true
}

// refill moves the earliest events from the ladder or the radix heap into the empty
// bottom. It returns false, with the pivot unchanged, when the earliest pending time is
// after limit and finding it would have moved the pivot past limit: the pivot must not
// pass Now, since Now is where the engine may schedule next. (Taking a rung's bucket into
// bottom needs no such care: bottom takes any time before bottomEnd, and next checks limit.)
func (q *eventQueue) refill(limit time.Duration) bool {
	q.bottom, q.head = q.bottom[:0], 0
	ok := q.fill(limit)
	q.pops += len(q.bottom)
	return ok
}

// fill is refill once bottom has been emptied.
func (q *eventQueue) fill(limit time.Duration) bool {
	for {
		if q.depth > 0 {
			if q.refillFromRung() {
				return true
			}
			continue
		}
		k := bits.TrailingZeros64(q.nonEmpty)
		src := q.buckets[k]
		if k == 0 {
			// Every event is at time last, already in scheduling order.
			q.bottom = append(q.bottom, src...)
			q.bottomEnd = q.last + 1
			q.clearBucket(0)
			return true
		}
		if len(src) <= sortBelow {
			q.bottom = append(q.bottom, src...)
			sortByTime(q.bottom)
			// The bucket's events agree on every bit from k-1 up, so bottom now covers
			// the aligned range of width 2^(k-1) that holds them. Every other bucket, and
			// every later event outside that range, is after it.
			q.bottomEnd = (uint64(src[0].at)>>(k-1) + 1) << (k - 1)
			q.clearBucket(k)
			return true
		}
		m, mx := src[0].at, src[0].at
		for _, it := range src[1:] {
			m = min(m, it.at)
			mx = max(mx, it.at)
		}
		if m > limit {
			return false
		}
		if m == mx {
			// All ties, already in scheduling order; every other bucket is later.
			q.bottom = append(q.bottom, src...)
			q.bottomEnd = uint64(m) + 1
			q.clearBucket(k)
			return true
		}
		// Hand the front of the bucket to a new rung, and index the rest against the
		// bucket's earliest time as a split does: they differ from it only below bit k-1,
		// so they land in the buckets below k, which are empty. The bucket is cleared
		// only after the loop: while it holds events, grow cannot lend its storage, which
		// the loop is reading.
		q.last = uint64(m)
		q.bottomEnd = uint64(m)
		r := q.frontRung(len(src), uint64(m), uint64(mx), (uint64(m)>>(k-1)+1)<<(k-1))
		for _, it := range src {
			if uint64(it.at) < r.end {
				q.add(r, it)
			} else {
				q.toBucket(it)
			}
		}
		q.clearBucket(k)
	}
}

func (q *eventQueue) clearBucket(b int) {
	q.buckets[b] = q.buckets[b][:0]
	q.nonEmpty &^= 1 << b
	if q.capSum > spareFactor*q.n+spareMin {
		q.trim()
	}
}

// spareFactor and spareMin bound the buckets' storage to spareFactor times the pending
// events plus spareMin items (see trim). Each bucket keeps the storage of its own largest
// fill, and over a long run the pivot crosses ever larger powers of two, each time sending
// most pending events into a bucket not used before; without a bound the storage summed
// over the buckets grew with run length (3.4 million items, 52 MB, for 366,000 pending
// events after 15 simulated minutes of the e-commerce scenario at 1,000 orders/s; 4.3
// million, 68 MB, after an hour). The factor is measured, not derived: the hold benchmark
// settles at 6 times its pending events and the e-commerce scenario at about 7.5, so 8
// trims rarely (0.6 million items released in that hour); 4 and 3 made the hold benchmark
// allocate 20 and 40 bytes per event. spareMin keeps small queues from ever trimming.
const (
	spareFactor = 8
	spareMin    = 1 << 12
)

// trim releases the storage of empty buckets, largest first, until the buckets' storage is
// within its bound. Storage only ever grows by doubling a full bucket, so a trimmed queue
// allocates again only after the pending events have grown to need it.
func (q *eventQueue) trim() {
	for q.capSum > spareFactor*q.n+spareMin {
		big := -1
		for i := range q.buckets {
			if q.nonEmpty&(1<<i) == 0 && cap(q.buckets[i]) > 0 &&
				(big < 0 || cap(q.buckets[i]) > cap(q.buckets[big])) {
				big = i
			}
		}
		if big < 0 {
			return
		}
		q.capSum -= cap(q.buckets[big])
		q.buckets[big] = nil
	}
}

// sortByTime is a stable insertion sort by time, for a bucket of at most sortBelow events.
func sortByTime(s []item) {
	for i := 1; i < len(s); i++ {
		it := s[i]
		j := i
		for j > 0 && s[j-1].at > it.at {
			s[j] = s[j-1]
			j--
		}
		s[j] = it
	}
}
