package sim

import (
	"fmt"
	"math/bits"
	"time"
)

// invariantErr checks the structure of the queue (heap.go, ladder.go):
//   - the radix pivot is not ahead of now while events are pending: the engine may schedule
//     at now, which the radix heap cannot index below its pivot;
//   - bottom is sorted and before bottomEnd;
//   - the ladder's rungs cover contiguous ranges, nearest first: rung depth-1 starts at
//     bottomEnd, and each rung ends where the next bucket to drain of the rung above it
//     starts; every event in a rung is in the range of its bucket, and bucket counts agree
//     with the chunk lists;
//   - every event in the radix heap is at or after the end of the ladder (or bottomEnd) and
//     in the bucket its time maps to;
//   - the events counted in all containers are the pending ones.
func (q *eventQueue) invariantErr(now time.Duration) error {
	if q.len() > 0 && q.last > uint64(now) {
		return fmt.Errorf("queue pivot %d is ahead of Now %d", q.last, now)
	}
	count := len(q.bottom) - q.head
	for i := q.head; i < len(q.bottom); i++ {
		at := uint64(q.bottom[i].at)
		if at >= q.bottomEnd {
			return fmt.Errorf("bottom holds %d, not before bottomEnd %d", at, q.bottomEnd)
		}
		if i > q.head && q.bottom[i-1].at > q.bottom[i].at {
			return fmt.Errorf("bottom is not sorted at %d", i)
		}
	}
	start := q.bottomEnd // where the next container's range starts
	for d := q.depth - 1; d >= 0; d-- {
		r := &q.rungs[d]
		if r.cur < r.nb && r.lo+uint64(r.cur)<<r.shift != start {
			return fmt.Errorf("rung %d: bucket %d starts at %d, the range above ends at %d",
				d, r.cur, r.lo+uint64(r.cur)<<r.shift, start)
		}
		for j := range r.buckets {
			b := &r.buckets[j]
			if j < r.cur || j >= r.nb {
				if b.n != 0 {
					return fmt.Errorf("rung %d: bucket %d outside [cur, nb) holds %d events", d, j, b.n)
				}
				continue
			}
			lo := r.lo + uint64(j)<<r.shift
			hi := r.end
			if j < r.nb-1 {
				hi = lo + 1<<r.shift
			}
			var got []item
			got = q.peekBucket(got, b)
			if len(got) != int(b.n) {
				return fmt.Errorf("rung %d: bucket %d counts %d, lists %d", d, j, b.n, len(got))
			}
			for _, it := range got {
				if at := uint64(it.at); at < lo || at >= hi {
					return fmt.Errorf("rung %d: bucket %d [%d, %d) holds %d", d, j, lo, hi, at)
				}
			}
			count += len(got)
		}
		start = r.end
	}
	for b := range q.buckets {
		if (q.nonEmpty&(1<<b) != 0) != (len(q.buckets[b]) > 0) {
			return fmt.Errorf("radix bucket %d: non-empty bit disagrees with %d events",
				b, len(q.buckets[b]))
		}
		for _, it := range q.buckets[b] {
			at := uint64(it.at)
			if at < start || at < q.last || bits.Len64(at^q.last) != b {
				return fmt.Errorf("radix bucket %d holds %d (pivot %d, ladder ends at %d)",
					b, at, q.last, start)
			}
		}
		count += len(q.buckets[b])
	}
	if count != q.n {
		return fmt.Errorf("%d events in the containers, %d pending", count, q.n)
	}
	return nil
}

// peekBucket appends the events of a rung's bucket to dst without removing them.
func (q *eventQueue) peekBucket(dst []item, b *rbucket) []item {
	n := int(b.n)
	for c := b.head; n > 0; c = q.pool.next[c] {
		k := min(n, chunkLen)
		dst = append(dst, q.pool.items[c][:k]...)
		n -= k
	}
	return dst
}

// frontLen is the number of events in the sorted bottom run.
func (q *eventQueue) frontLen() int { return len(q.bottom) - q.head }
