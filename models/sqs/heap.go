package sqs

// idxHeap is a binary min-heap of slots (record or group indices) ordered by a uint64 key,
// ties broken by slot. Each slot's index in the heap is kept in *pos (-1 when absent), so any
// slot can be removed or re-keyed in O(log n) without lazy deletion: the heap never holds
// more entries than live slots, whatever the run length. Several heaps may share one pos
// slice when a slot is in at most one of them at a time.
type idxHeap struct {
	items []heapItem
	pos   *[]int32
}

type heapItem struct {
	key  uint64
	slot int32
}

func less(a, b heapItem) bool {
	return a.key < b.key || (a.key == b.key && a.slot < b.slot)
}

func (h *idxHeap) len() int { return len(h.items) }

// has reports whether slot is in this heap (pos is shared, so the entry is checked too).
func (h *idxHeap) has(slot int32) bool {
	i := (*h.pos)[slot]
	return i >= 0 && int(i) < len(h.items) && h.items[i].slot == slot
}

// min returns the smallest entry.
func (h *idxHeap) min() (heapItem, bool) {
	if len(h.items) == 0 {
		return heapItem{}, false
	}
	return h.items[0], true
}

func (h *idxHeap) push(slot int32, key uint64) {
	h.items = append(h.items, heapItem{key: key, slot: slot})
	i := len(h.items) - 1
	(*h.pos)[slot] = int32(i)
	h.up(i)
}

// popMin removes and returns the slot with the smallest key (the heap must not be empty).
func (h *idxHeap) popMin() int32 {
	s := h.items[0].slot
	h.removeAt(0)
	return s
}

// remove takes slot out of the heap if it is there.
func (h *idxHeap) remove(slot int32) {
	if h.has(slot) {
		h.removeAt(int((*h.pos)[slot]))
	}
}

// fix changes the key of slot, which must be in the heap.
func (h *idxHeap) fix(slot int32, key uint64) {
	i := int((*h.pos)[slot])
	h.items[i].key = key
	if !h.up(i) {
		h.down(i)
	}
}

func (h *idxHeap) removeAt(i int) {
	pos := *h.pos
	pos[h.items[i].slot] = -1
	last := len(h.items) - 1
	if i != last {
		h.items[i] = h.items[last]
		pos[h.items[i].slot] = int32(i)
	}
	h.items = h.items[:last]
	if i < last && !h.up(i) {
		h.down(i)
	}
}

func (h *idxHeap) up(i int) bool {
	pos := *h.pos
	it := h.items[i]
	start := i
	for i > 0 {
		p := (i - 1) / 2
		if !less(it, h.items[p]) {
			break
		}
		h.items[i] = h.items[p]
		pos[h.items[i].slot] = int32(i)
		i = p
	}
	h.items[i] = it
	pos[it.slot] = int32(i)
	return i != start
}

func (h *idxHeap) down(i int) {
	pos := *h.pos
	n := len(h.items)
	it := h.items[i]
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && less(h.items[r], h.items[c]) {
			c = r
		}
		if !less(h.items[c], it) {
			break
		}
		h.items[i] = h.items[c]
		pos[h.items[i].slot] = int32(i)
		i = c
	}
	h.items[i] = it
	pos[it.slot] = int32(i)
}
