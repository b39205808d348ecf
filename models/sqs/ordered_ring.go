package sqs

// orderedRing is a growable circular FIFO. It replaces a heap where entries arrive already
// in order (arrivals, whose order is also that of their retention expiries; partitions'
// visible messages; long-poll waiters): push and pop are O(1) and touch one cache line,
// where a heap sift walks ~log2 n levels of scattered memory. Entries are never removed
// from the middle: their holder lets them go stale, pops stale entries at the front, and
// compacts the ring when it grows past compactAbove(live entries), so it stays within about
// four times the live entries.
type orderedRing[T any] struct {
	buf        []T
	head, size int32 // int32: a visPart keeps its hot fields in one cache line (partition.go)
}

func (r *orderedRing[T]) len() int { return int(r.size) }

// push adds v at the back.
func (r *orderedRing[T]) push(v T) {
	if int(r.size) == len(r.buf) {
		r.grow()
	}
	r.buf[int(r.head+r.size)&(len(r.buf)-1)] = v
	r.size++
}

// grow doubles the buffer (16 entries at first) of a full ring, its entries moved to the
// front in order by two block copies.
func (r *orderedRing[T]) grow() {
	nb := make([]T, max(2*len(r.buf), 16))
	n := copy(nb, r.buf[r.head:])
	copy(nb[n:], r.buf[:r.head])
	r.buf, r.head = nb, 0
}

// at returns the i-th entry from the front (0 ≤ i < len).
func (r *orderedRing[T]) at(i int) T { return r.buf[(int(r.head)+i)&(len(r.buf)-1)] }

func (r *orderedRing[T]) front() T { return r.buf[r.head] }

// back returns the last entry pushed (the ring must not be empty).
func (r *orderedRing[T]) back() T { return r.at(int(r.size) - 1) }

func (r *orderedRing[T]) popFront() {
	r.head = (r.head + 1) & int32(len(r.buf)-1)
	r.size--
}

// compactAbove is the length beyond which a ring holding live entries (plus stale ones)
// is compacted. Compaction checks every entry, so it costs len/(len-live) checks per
// entry pushed: 4/3 here; at 2×live it was 2, and the checks (a load from a record) were
// ~5% of BenchmarkSQSLambda's profile.
func compactAbove(live int) int { return 4*live + 256 }

// compact keeps only the entries for which keep is true, in order.
func (r *orderedRing[T]) compact(keep func(T) bool) {
	n := 0
	mask := len(r.buf) - 1
	for i := 0; i < int(r.size); i++ {
		v := r.buf[(int(r.head)+i)&mask]
		if keep(v) {
			r.buf[(int(r.head)+n)&mask] = v
			n++
		}
	}
	r.size = int32(n)
}
