package sim

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
)

// The ladder is the near-future tier of the event queue (see heap.go): a stack of rungs,
// after the ladder queue of Tang, Goh and Thng (ACM TOMACS 15(3), 2005), between the sorted
// bottom run and the radix heap. A rung is a row of buckets of equal width over a time
// range; events are appended to the bucket of their time, unsorted, and a bucket is sorted
// into bottom only when the front of the queue reaches it: by a sorting network up to 8
// events, the common case, by two networks and a merge up to 16, else by insertion. (An
// earlier version counted ranks, k² branch-free comparisons, for every bucket: 9-11% of
// the hold benchmark's time against 12-17% by insertion; the network for up to 8 made the
// benchmark another ~6% faster, the merge for 9 to 16 see networkMerge.) The first rung
// (frontRung) is built from the radix heap's lowest bucket, with buckets sized for perBucket events at
// the rate the front has been firing; a bucket reached with more than sortBelow events
// (the rate changed, or many events were scheduled into it) becomes a rung of its own one
// level down (spawn), sized by its count. Rungs are drained front first and retired.
//
// Bucket storage is a pool of fixed chunks linked into lists (chunkPool), so that a bucket
// costs 12 bytes until it holds events, a drained bucket returns its chunks at once, and
// the storage follows the peak number of events in rungs, never the length of the run.

// perBucket is the number of events per bucket a new rung aims at. Fewer make more
// buckets to scan, take and touch at random; more make each sort longer. 8 measured
// better than 4, 6 and 12 on the hold benchmark (by 2-10%, near the noise).
const perBucket = 8

// maxFanout is the most buckets a rung has: it bounds the memory a rung touches at random
// (12-byte bucket headers and the last chunk of each bucket, about 600 KB when full) so
// that it stays in the processor's caches even with very many events pending; the radix
// heap keeps the rest, appending in order. 4096 was the fastest of 512 to 16384 on the
// hold benchmark, where the front rung then covers nearly all 10,000 pending events.
const maxFanout = 4096

// maxDepth is the most rungs at once. A crowded bucket reached when no rung is left is
// sorted by a stable merge sort instead, O(k log² k) for k events without allocating.
const maxDepth = 8

// chunkLen is the number of events in a chunk of bucket storage (128 bytes, two cache
// lines). 8 measured faster than 4 and the same as 16, which wastes more memory in the
// last chunk of each bucket.
const chunkLen = 8

// rung is one row of buckets: bucket j holds the events of times in
// [lo + j·2^shift, lo + (j+1)·2^shift), except the last, which holds every time from its
// start up to end. Buckets before cur have been drained.
type rung struct {
	lo, end uint64
	shift   uint
	nb      int       // buckets in use
	cur     int       // next bucket to drain
	buckets []rbucket // at least nb, all empty beyond cur once drained
}

// rbucket is a bucket of a rung: a list of chunks (see chunkPool) holding n events in
// scheduling order, every chunk full but the last.
type rbucket struct {
	head, tail uint32 // chunk numbers, 0 when empty
	n          uint32
}

// chunkPool is the storage of every rung's buckets: fixed chunks of chunkLen events,
// linked by next, with the free chunks on a list (reused last-in first-out, so a chunk
// freed by a take is warm when the next bucket needs one). Chunk 0 stands for none. A
// drained bucket returns its whole list in O(1), so the pool only holds as many chunks as
// were ever in use at once: at most one per event in rungs plus one per chunkLen of them
// (TestChunkPoolIsBoundedByPendingEvents), whatever the length of the run.
type chunkPool struct {
	items [][chunkLen]item
	next  []uint32
	free  uint32
}

func (p *chunkPool) get() uint32 {
	if c := p.free; c != 0 {
		p.free = p.next[c]
		p.next[c] = 0
		return c
	}
	if len(p.items) == 0 {
		p.items = append(p.items, [chunkLen]item{}) // chunk 0: none
		p.next = append(p.next, 0)
	}
	p.items = append(p.items, [chunkLen]item{})
	p.next = append(p.next, 0)
	return uint32(len(p.items) - 1)
}

// add appends it to the bucket of its time. Its time must be in [start of bucket cur, end).
func (q *eventQueue) add(r *rung, it item) {
	j := int((uint64(it.at) - r.lo) >> r.shift)
	j = min(j, r.nb-1)
	b := &r.buckets[j]
	if i := b.n % chunkLen; i != 0 {
		q.pool.items[b.tail][i] = it
		b.n++
		return
	}
	q.addChunk(b, it)
}

// addChunk appends it to b in a new chunk: b is empty, or its last chunk is full.
func (q *eventQueue) addChunk(b *rbucket, it item) {
	c := q.pool.get()
	if b.n == 0 {
		b.head = c
	} else {
		q.pool.next[b.tail] = c
	}
	b.tail = c
	q.pool.items[c][0] = it
	b.n++
}

// take appends the events of bucket b to dst in order, empties b and frees its chunks.
func (q *eventQueue) take(dst []item, b *rbucket) []item {
	p := &q.pool
	n := int(b.n)
	for c := b.head; n > 0; c = p.next[c] {
		k := min(n, chunkLen)
		dst = append(dst, p.items[c][:k]...)
		n -= k
	}
	q.release(b)
	return dst
}

// release empties bucket b and frees its chunks.
func (q *eventQueue) release(b *rbucket) {
	q.pool.next[b.tail] = q.pool.free
	q.pool.free = b.head
	*b = rbucket{}
}

// spawn pushes a new rung for the events src, in scheduling order among equal times, whose
// times lie in [lo, end); mx is the latest of them. The buckets cover [lo, mx] at about
// perBucket events each, the last one extended to end. The caller empties bottom and sets
// bottomEnd to lo.
func (q *eventQueue) spawn(src []item, lo, mx, end uint64) {
	target := uint64(min(max(len(src)/perBucket, 2), maxFanout))
	span := mx - lo // the buckets must cover span+1 times
	shift := uint(bits.Len64(span / target))
	r := q.newRung(lo, shift, int(span>>shift)+1, end)
	for _, it := range src {
		q.add(r, it)
	}
}

// frontRung pushes the first rung (the ladder is empty) for count events in [lo, mx] that
// the radix heap hands over, and returns it. Its buckets are sized for the density at
// which the front of the queue has been firing since the previous front rung, perBucket
// events per bucket, rather than for the density of the events handed over: far ahead, a
// queue is sparser than it will be when the front gets there (on the hold benchmark a
// rung sized by its own events had about twice perBucket events in the buckets it reached
// last, and every bucket beyond sortBelow was split into a rung again). It covers at most
// maxFanout buckets and ends at end or before; the caller keeps later events in the radix
// heap. Without history, the rung is sized by count.
func (q *eventQueue) frontRung(count int, lo, mx, end uint64) *rung {
	span := mx - lo
	var shift uint
	if pops := q.pops - q.epochPops; pops >= minEpoch && lo > q.epochAt {
		w := (lo - q.epochAt) / uint64(pops) * uint64(perBucket)
		shift = uint(max(bits.Len64(w), 1) - 1)
	} else {
		target := uint64(min(max(count/perBucket, 2), maxFanout))
		shift = uint(bits.Len64(span / target))
	}
	// A bucket of 2^56 ns (833 days) is wide enough for any run and keeps lo+nb·2^shift,
	// at most mx+2^shift, below 2^64.
	shift = min(shift, 56)
	q.epochAt, q.epochPops = lo, q.pops
	nb := min(span>>shift+1, uint64(maxFanout))
	return q.newRung(lo, shift, int(nb), min(lo+nb<<shift, end))
}

// minEpoch is the fewest events fired since the previous front rung for their rate to size
// the next one.
const minEpoch = 64

// newRung pushes an empty rung of nb buckets of width 2^shift from lo, the last extended to
// end, and returns it.
func (q *eventQueue) newRung(lo uint64, shift uint, nb int, end uint64) *rung {
	r := &q.rungs[q.depth]
	q.depth++
	r.lo, r.end, r.shift, r.nb, r.cur = lo, end, shift, nb, 0
	if len(r.buckets) < nb {
		r.buckets = append(r.buckets, make([]rbucket, nb-len(r.buckets))...)
	}
	return r
}

// refillFromRung moves the next non-empty bucket of the deepest rung into the empty bottom
// and reports true, or retires the rung if it is drained, or splits a crowded bucket into a
// new rung, reporting false for the caller to look again.
func (q *eventQueue) refillFromRung() bool {
	r := &q.rungs[q.depth-1]
	for r.cur < r.nb && r.buckets[r.cur].n == 0 {
		r.cur++
	}
	if r.cur == r.nb {
		q.depth--
		return false
	}
	j := r.cur
	r.cur++
	end := r.end
	if j < r.nb-1 {
		end = r.lo + uint64(j+1)<<r.shift
	}
	drained := r.cur == r.nb // once bucket j has left, the rung is empty
	if drained {
		q.depth--
	}
	q.bottomEnd = end
	if b := &r.buckets[j]; b.n <= chunkLen && end-(r.lo+uint64(j)<<r.shift) <= 1<<56 {
		// The common case: one chunk, sorted straight from the pool into bottom.
		q.bottom = q.bottom[:b.n]
		networkSort(q.bottom, &q.pool.items[b.head], r.lo+uint64(j)<<r.shift)
		q.release(b)
		return true
	}
	if b := &r.buckets[j]; b.n <= 2*chunkLen && end-(r.lo+uint64(j)<<r.shift) <= 1<<56 {
		// Two chunks, the first full: each sorted by the network, then merged.
		q.bottom = q.bottom[:b.n]
		p := &q.pool
		networkMerge(q.bottom, &p.items[b.head], &p.items[p.next[b.head]], r.lo+uint64(j)<<r.shift)
		q.release(b)
		return true
	}
	q.bottom = q.take(q.bottom, &r.buckets[j])
	src := q.bottom
	if len(src) <= sortBelow {
		sortByTime(src)
		return true
	}
	lo, mx := src[0].at, src[0].at
	for _, it := range src[1:] {
		lo = min(lo, it.at)
		mx = max(mx, it.at)
	}
	if lo == mx || q.depth == maxDepth {
		// All ties, already in scheduling order, or no rung left: sort it here.
		if lo != mx {
			slices.SortStableFunc(src, func(a, b item) int { return cmp.Compare(a.at, b.at) })
		}
		return true
	}
	// A crowded bucket: a new rung over its range. If the rung was drained, the new one
	// takes its place (its range ended at end too).
	q.bottomEnd = uint64(lo)
	q.spawn(src, uint64(lo), uint64(mx), end)
	q.bottom = q.bottom[:0]
	return false
}

// networkSort writes the first len(dst) events of chunk, at most 8 at times in [start,
// start+2^56), to dst sorted by time, ties in their order in the chunk. Each event becomes
// a key, its time after start above its index in the chunk, so that sorting the keys
// sorts by time and then by order; the keys, padded to 8 with the largest key, go through
// sort8. Unlike an insertion sort, it takes no branch that depends on the data, so it pays
// no mispredictions.
func networkSort(dst []item, chunk *[chunkLen]item, start uint64) {
	// chunkLen is 8, so a chunk fits the network (this fails to compile if not).
	const _ = uint(8 - chunkLen)
	k := [8]uint64{math.MaxUint64, math.MaxUint64, math.MaxUint64, math.MaxUint64,
		math.MaxUint64, math.MaxUint64, math.MaxUint64, math.MaxUint64}
	for i := range dst[:min(len(dst), 8)] {
		k[i] = (uint64(chunk[i].at)-start)<<8 | uint64(i)
	}
	sort8(&k)
	for i := range dst[:min(len(dst), 8)] {
		dst[i] = chunk[k[i]&7]
	}
}

// networkMerge writes the events of a bucket of two chunks, the first full and the
// second holding len(dst)-8 (at most 8), at times in [start, start+2^56), to dst sorted by
// time, ties in scheduling order. Each chunk's keys (as in networkSort, the second's
// indices 8 to 15) are sorted by sort8, and the two runs merged without a branch on the
// data: keys are distinct, so the smaller comes out and its run advances. A quarter of the
// e-commerce scenario's events come through buckets of 9 to 16; sorting those by counting
// ranks, k² comparisons each, took 4% of that scenario's instructions.
func networkMerge(dst []item, first, second *[chunkLen]item, start uint64) {
	const none = math.MaxUint64
	var a, b [16]uint64 // entries 8 on stay none: the end of each run
	for i := range a {
		a[i], b[i] = none, none
	}
	for i := range 8 {
		a[i] = (uint64(first[i].at)-start)<<8 | uint64(i)
	}
	for i := range dst[8:min(len(dst), 16)] {
		b[i] = (uint64(second[i].at)-start)<<8 | uint64(8+i)
	}
	sort8((*[8]uint64)(a[:8]))
	sort8((*[8]uint64)(b[:8]))
	chunks := [2]*[chunkLen]item{first, second}
	i, j := 0, 0
	for o := range dst {
		x, y := a[i&15], b[j&15]
		c := 0
		if x < y {
			c = 1
		}
		k := min(x, y) & 15
		i += c
		j += 1 - c
		dst[o] = chunks[k>>3&1][k&7]
	}
}

// sort8 sorts k by Knuth's optimal sorting network for 8 inputs: 19 comparators, each a
// min and a max compiled to conditional moves, on locals so that it runs in registers.
func sort8(k *[8]uint64) {
	k0, k1, k2, k3, k4, k5, k6, k7 := k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7]
	k0, k2 = min(k0, k2), max(k0, k2)
	k1, k3 = min(k1, k3), max(k1, k3)
	k4, k6 = min(k4, k6), max(k4, k6)
	k5, k7 = min(k5, k7), max(k5, k7)
	k0, k4 = min(k0, k4), max(k0, k4)
	k1, k5 = min(k1, k5), max(k1, k5)
	k2, k6 = min(k2, k6), max(k2, k6)
	k3, k7 = min(k3, k7), max(k3, k7)
	k0, k1 = min(k0, k1), max(k0, k1)
	k2, k3 = min(k2, k3), max(k2, k3)
	k4, k5 = min(k4, k5), max(k4, k5)
	k6, k7 = min(k6, k7), max(k6, k7)
	k2, k4 = min(k2, k4), max(k2, k4)
	k3, k5 = min(k3, k5), max(k3, k5)
	k1, k4 = min(k1, k4), max(k1, k4)
	k3, k6 = min(k3, k6), max(k3, k6)
	k1, k2 = min(k1, k2), max(k1, k2)
	k3, k4 = min(k3, k4), max(k3, k4)
	k5, k6 = min(k5, k6), max(k5, k6)
	*k = [8]uint64{k0, k1, k2, k3, k4, k5, k6, k7}
}
