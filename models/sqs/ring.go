package sqs

// ring is a growable circular FIFO of uint64 entries (a slot and a generation packed
// together). Holders pop stale entries lazily at the front and call compact when stale
// entries in the middle outnumber live ones, so its length stays within about twice the
// number of live entries.
type ring struct {
	buf        []uint64
	head, size int
}

func (r *ring) len() int { return r.size }

func (r *ring) push(v uint64) {
	if r.size == len(r.buf) {
		n := 2 * len(r.buf)
		if n < 16 {
			n = 16
		}
		nb := make([]uint64, n)
		for i := 0; i < r.size; i++ {
			nb[i] = r.buf[(r.head+i)&(len(r.buf)-1)]
		}
		r.buf, r.head = nb, 0
	}
	r.buf[(r.head+r.size)&(len(r.buf)-1)] = v
	r.size++
}

func (r *ring) front() uint64 { return r.buf[r.head] }

func (r *ring) popFront() uint64 {
	v := r.buf[r.head]
	r.head = (r.head + 1) & (len(r.buf) - 1)
	r.size--
	return v
}

// compact keeps only the entries for which keep is true, in order.
func (r *ring) compact(keep func(uint64) bool) {
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

func pack(slot int32, gen uint32) uint64 { return uint64(uint32(slot))<<32 | uint64(gen) }

func unpack(v uint64) (int32, uint32) { return int32(v >> 32), uint32(v) }
