package lambda

// ring is a growable double-ended queue over a circular buffer: the async event queue
// (events join at the back, leave at the front, and a backed-off one returns to the
// front). Pushes allocate only when the buffer is full, so a steady state allocates
// nothing. The buffer's length is 0 or a power of two (16, doubling), so positions wrap
// with a mask rather than a division (a modulo by a variable costs a DIV, tens of cycles).
type ring[T any] struct {
	buf  []T
	head int
	n    int
}

func (r *ring[T]) len() int { return r.n }

func (r *ring[T]) grow() {
	c := 2 * len(r.buf)
	if c < 16 {
		c = 16
	}
	buf := make([]T, c)
	for i := 0; i < r.n; i++ {
		buf[i] = r.buf[(r.head+i)&(len(r.buf)-1)]
	}
	r.buf, r.head = buf, 0
}

func (r *ring[T]) pushBack(v T) {
	if r.n == len(r.buf) {
		r.grow()
	}
	r.buf[(r.head+r.n)&(len(r.buf)-1)] = v
	r.n++
}

func (r *ring[T]) pushFront(v T) {
	if r.n == len(r.buf) {
		r.grow()
	}
	r.head = (r.head - 1) & (len(r.buf) - 1)
	r.buf[r.head] = v
	r.n++
}

func (r *ring[T]) popFront() T {
	v := r.buf[r.head]
	r.head = (r.head + 1) & (len(r.buf) - 1)
	r.n--
	return v
}

func (r *ring[T]) popBack() T {
	r.n--
	return r.buf[(r.head+r.n)&(len(r.buf)-1)]
}
