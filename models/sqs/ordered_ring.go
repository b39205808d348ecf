package sqs

// orderedRing is a growable circular FIFO. It replaces a heap where entries arrive already
// in order (visibility timeouts with the queue's default length, retention of sent
// messages): push and pop are O(1) and touch one cache line, where a heap sift walks
// ~log2 n levels of scattered memory. Entries are never removed from the middle: their
// holder lets them go stale, pops stale entries at the front, and compacts the ring when it
// grows past compactAbove(live entries), so it stays within about four times the live
// entries.
type orderedRing[T any] struct {
	buf        []T
	head, size int
}

func (r *orderedRing[T]) len() int { return r.size }

func (r *orderedRing[T]) push(v T) {
	if r.size == len(r.buf) {
		n := max(2*len(r.buf), 16)
		nb := make([]T, n)
		for i := 0; i < r.size; i++ {
			nb[i] = r.buf[(r.head+i)&(len(r.buf)-1)]
		}
		r.buf, r.head = nb, 0
	}
	r.buf[(r.head+r.size)&(len(r.buf)-1)] = v
	r.size++
}

// at returns the i-th entry from the front (0 ≤ i < len).
func (r *orderedRing[T]) at(i int) T { return r.buf[(r.head+i)&(len(r.buf)-1)] }

func (r *orderedRing[T]) front() T { return r.buf[r.head] }

// back returns the last entry pushed (the ring must not be empty).
func (r *orderedRing[T]) back() T { return r.at(r.size - 1) }

func (r *orderedRing[T]) popFront() {
	r.head = (r.head + 1) & (len(r.buf) - 1)
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
	for i := 0; i < r.size; i++ {
		v := r.buf[(r.head+i)&mask]
		if keep(v) {
			r.buf[(r.head+n)&mask] = v
			n++
		}
	}
	r.size = n
}
