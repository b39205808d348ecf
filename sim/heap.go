package sim

import "math/bits"

// The event queue is split in two: a 4-ary min-heap of 16-byte keys, and a slab of event
// payloads that the keys point into. Sifting moves only the keys (time, then sequence and
// slab slot packed in one word), so 10,000 pending events occupy 160 KB of heap that stays
// in the L2 cache, and the payload of an event is copied exactly twice (in and out).
//
// A key orders by (at, seq): seq occupies the high bits of the second word and is unique,
// so the slot in the low bits never decides a comparison.

const (
	slotBits = 24 // up to 16,777,216 pending events
	slotMask = 1<<slotBits - 1
	maxSlots = 1 << slotBits
	seqLimit = 1 << (64 - slotBits) // sequence numbers per run before renumbering
)

const heapArity = 4

type heapKey struct {
	at  int64
	key uint64 // seq<<slotBits | slot
}

// before reports whether a fires before b: earlier time first, then scheduling order.
// It is a branch-free 128-bit unsigned comparison of (at, key) — times are never negative —
// because the outcome of a heap comparison is a coin flip that a branch predictor cannot
// learn; the subtract-with-borrow form lets the compiler select children without jumps.
func before(a, b heapKey) bool {
	_, borrow := bits.Sub64(a.key, b.key, 0)
	_, borrow = bits.Sub64(uint64(a.at), uint64(b.at), borrow)
	return borrow != 0
}

type eventHeap struct {
	keys []heapKey
}

func (h *eventHeap) len() int { return len(h.keys) }

func (h *eventHeap) push(k heapKey) {
	h.keys = append(h.keys, k)
	keys := h.keys
	i := len(keys) - 1
	for i > 0 {
		p := (i - 1) >> 2
		if !before(k, keys[p]) {
			break
		}
		keys[i] = keys[p]
		i = p
	}
	keys[i] = k
}

// pop removes and returns the earliest key. The heap must not be empty.
func (h *eventHeap) pop() heapKey {
	keys := h.keys
	top := keys[0]
	n := len(keys) - 1
	last := keys[n]
	keys = keys[:n]
	h.keys = keys
	if n == 0 {
		return top
	}
	i := 0
	for {
		c := i<<2 + 1
		if c >= n {
			break
		}
		m := c
		if c+3 < n {
			// all four children present: pairwise tournament
			m1, m2 := c, c+2
			if before(keys[c+1], keys[c]) {
				m1 = c + 1
			}
			if before(keys[c+3], keys[c+2]) {
				m2 = c + 3
			}
			m = m1
			if before(keys[m2], keys[m1]) {
				m = m2
			}
		} else {
			for j := c + 1; j < n; j++ {
				if before(keys[j], keys[m]) {
					m = j
				}
			}
		}
		if !before(keys[m], last) {
			break
		}
		keys[i] = keys[m]
		i = m
	}
	keys[i] = last
	return top
}
