package sim

import (
	"math/bits"
	"time"
)

// The event queue is a radix heap (Ahuja, Mehlhorn, Orlin & Tarjan, 1990) with a small
// sorted "bottom" run in front of it, in the spirit of a ladder queue. It replaced the
// 4-ary min-heap that the design describes, because on the hold benchmark (10,000 pending
// events) the engine is about 2.2 times as fast with it (83 against 186 ns per event; see
// engine_bench_test.go): a heap pop walks ~7 levels of dependent loads and data-dependent
// comparisons, while the radix heap only appends events to buckets and scans buckets
// sequentially. Also measured and rejected: a branch-free 4-ary heap (index arithmetic
// instead of jumps, bottom-up pop, cache-line-aligned siblings), only ~1.2× faster than
// the old heap; radix digits of 2 or 4 bits, ~10% faster (within noise) for many times
// the memory; copying payloads into bottom, slower.
//
// It relies on the engine being monotone: nothing is scheduled before Now. An event at
// time t ≥ bottomEnd lives in bucket bits.Len64(t ^ last), the position of the highest bit
// in which t differs from the pivot last (t ≥ last always holds for them). Bucket b ≥ 1
// thus holds times in an aligned range of width 2^(b-1) above last, lower buckets earlier
// times, and bucket 0 the time last itself. Every event earlier than bottomEnd lives in
// bottom, sorted by time, and fires from its front.
//
// When bottom runs dry, the lowest non-empty bucket is either small (≤ sortBelow events)
// and is sorted into bottom, or it is split: last moves up to the bucket's earliest time
// and its events drop into lower buckets. A bucket's events share every bit above its own
// with last and with each other, so moving last within the bucket's range changes no other
// bucket's index. On the hold benchmark an event is moved about 4.5 times by splits and
// once by a sort, always by sequential scans.
//
// Ties fire in scheduling order without a sequence number: all pending events of one time
// t are in the same container (bottom if t < bottomEnd, otherwise the one bucket t maps
// to), kept there in scheduling order. New events are appended to a bucket or inserted
// into bottom after every event of time ≤ t; splits, sorts and spills are stable and empty
// their source into containers that hold no event of the same time. So equal times fire
// exactly in scheduling order however long the run, and there is no counter to overflow.
//
// The queue holds 16-byte items (time and slab slot); the payload stays in the engine's
// slab, so splits move little memory.

// sortBelow is the size up to which a bucket is sorted into bottom instead of being split.
// Splitting costs a pass per halving of the time range, an insertion sort about
// sortBelow/4 moves per event. 32 is a middle value: 16 and 64 measured the same within
// the noise of the hold benchmark.
const sortBelow = 32

// spillAbove is the size of bottom beyond which an insertion into its middle first returns
// bottom to the buckets, so that a burst of events scheduled into a wide bottom range costs
// amortized O(1) per event instead of a long shift each.
const spillAbove = 256

// item is one pending event: its time and its slot in the engine's slab.
type item struct {
	at   time.Duration
	slot uint32
}

// eventQueue is the radix heap. The zero value is an empty queue.
type eventQueue struct {
	n         int        // pending events, in bottom and in the buckets
	last      uint64     // pivot: every event in a bucket is at or after it
	bottomEnd uint64     // events before this are in bottom, the rest in buckets; ≥ last
	bottom    []item     // bottom[head:] sorted by time, ties in scheduling order
	head      int        // index in bottom of the next event to fire
	nonEmpty  uint64     // bit b set ⇔ buckets[b] is not empty
	buckets   [64][]item // times are non-negative, so t ^ last < 2^63 and b ≤ 63
	capSum    int        // total capacity of the buckets' storage, in items (see trim)
}

func (q *eventQueue) len() int { return q.n }

// push queues an event. Its time must be at or after now, the engine's clock, which must
// be at or after the time of every event next has returned while the queue was non-empty
// (Engine.schedule and Engine.run guarantee both).
func (q *eventQueue) push(it item, now time.Duration) {
	t := uint64(it.at)
	if q.n == 0 {
		// Nothing pending: restart with the pivot at Now, where the engine may schedule.
		q.last, q.bottomEnd = uint64(now), uint64(now)
		q.bottom, q.head = q.bottom[:0], 0
	}
	q.n++
	if t < q.bottomEnd {
		q.insertBottom(it)
		return
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
func (q *eventQueue) insertBottom(it item) {
	b := q.bottom
	if len(b) == q.head || b[len(b)-1].at <= it.at {
		q.appendBottom(it) // the common case: a tie at Now, or the latest event of bottom
		return
	}
	// Spilling re-indexes bottom against last, so it needs bottom's earliest event to be
	// at or after last. That holds whenever the engine can schedule (last ≤ Now then);
	// the check keeps the queue correct even if it did not.
	if len(b)-q.head > spillAbove && uint64(b[q.head].at) >= q.last {
		q.spill()
		q.toBucket(it)
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

// spill returns every event of bottom to the buckets, in firing order so that ties keep
// their order, and empties bottom.
func (q *eventQueue) spill() {
	for _, it := range q.bottom[q.head:] {
		q.toBucket(it)
	}
	q.bottom, q.head = q.bottom[:0], 0
	q.bottomEnd = q.last
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

// refill moves the earliest events from the buckets into the empty bottom. It returns
// false, having changed nothing, when the earliest pending time is after limit and
// finding it would have moved the pivot past limit: the pivot must not pass Now, since
// Now is where the engine may schedule next.
func (q *eventQueue) refill(limit time.Duration) bool {
	q.bottom, q.head = q.bottom[:0], 0
	for {
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
		m := src[0].at
		for _, it := range src[1:] {
			m = min(m, it.at)
		}
		if m > limit {
			return false
		}
		// Split: index the bucket's events against their earliest time. They differ from
		// it only below bit k-1, so they land in the buckets below k, which are empty.
		// The bucket is cleared only after the loop: while it holds events, grow cannot
		// lend its storage, which the loop is reading.
		q.last = uint64(m)
		for _, it := range src {
			q.toBucket(it)
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
