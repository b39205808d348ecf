package sqs

import "math/bits"

// visPart is the visible messages of one virtual partition of a standard queue (note 2), in
// the order receives take them: by (seq, slot), as one indexed heap kept them before.
//
// Most messages become visible in that order already: sends (and moves into a DLQ, and
// back-of-queue returns) take the next sequence number, which is above every sequence
// number in the partition. Those go to the back of a FIFO (inOrder): O(1) push and pop,
// one cache line, where the heap sifted ~log2 n levels of scattered memory at both. Only
// the others — a message returning from flight with its old sequence number, the end of a
// delay, a duplicate copy — go to a small indexed heap (late). A partition's next message is
// the smaller of the two fronts, so the order of receives is exactly the heap's, ties
// included.
//
// A visible message that leaves from the middle (it expires, or a standard queue deletes
// it while visible) is taken out of late at once; in inOrder its entry goes stale (the
// record is released, so its generation moves on) and is popped when it reaches the front
// or dropped when the ring is compacted (compactAbove). The stale entries are counted, so
// while there are none (the common case) finding the front reads no record.
//
// BenchmarkSQSLambda: the partition heaps' sifts (up, down, removeAt) were ~12% of the
// CPU profile.
//
// The queue also remembers each partition's head (q.heads, q.headsKnown) across receives:
// a receive compares the heads of the partitions it reads, and finding a head again
// (partHead) is needed only where it may have changed — after the head was received or
// removed. A message that becomes visible updates its partition's head itself when it is
// the new minimum. BenchmarkZZProf1m: finding every head at every receive, as before,
// took ~2.5 partHead calls per receive call, where ~0.6 remain.
//
// Layout: what a push, a pop and the emptiness check read — inOrder, live, stale and the
// length of late — is in the first 64 bytes, and the struct is padded to 128 bytes, a size
// class whose objects Go places 128-byte aligned, so that those bytes are one cache line.
// Each partition is allocated on its own (q.parts holds pointers): in one slice of more
// than 512 bytes, the allocator's 8-byte header would shift them all off the line.
// BenchmarkZZProf1m: the 88-byte structs side by side cost ~2.6 L1 misses per push, and
// this layout ~0.5 fewer.
type visPart struct {
	inOrder orderedRing[partEntry] // in increasing (seq, slot); stale entries allowed
	live    int32                  // entries of inOrder that are still valid
	stale   int32                  // entries of inOrder that are not (len = live + stale)
	late    idxHeap                // visible messages that arrived behind inOrder's back
	_       [56]byte               // to 128 bytes (see Layout above)
}

// partEntry is a visible message in a partition's FIFO: its key and the record's
// generation when it was pushed (a later generation means it left and the entry is stale).
type partEntry struct {
	seq  uint64
	slot int32
	gen  uint32
}

func (e partEntry) item() heapItem { return heapItem{key: e.seq, slot: e.slot} }

func (p *visPart) len() int { return int(p.live) + p.late.len() }

// partValid reports whether a partition FIFO entry is still a visible message.
func (q *Queue) partValid(e partEntry) bool {
	r := &q.recs[e.slot]
	return r.gen == e.gen && r.state == stVisible
}

// pushVisible puts visible standard record r (slot s) in its partition, and keeps the
// partition's remembered head.
func (q *Queue) pushVisible(s int32, r *record) {
	pi := r.part & 31
	bit := uint32(1) << pi
	p := q.parts[pi]
	it := heapItem{key: r.seq, slot: s}
	inRing := q.partPush(p, it, r.gen)
	switch {
	case q.partsNonEmpty&bit == 0:
		// It is the partition's only message, and its head unless stale entries of
		// inOrder precede it (then partHead drops them first).
		if inRing && p.stale > 0 {
			q.headsKnown &^= bit
		} else {
			q.heads[pi] = it
			q.headsInRing = q.headsInRing&^bit | b2u(inRing)<<pi
			q.headsKnown |= bit
		}
		q.partsNonEmpty |= bit
	case q.headsKnown&bit != 0 && less(it, q.heads[pi]):
		// A new minimum: the minimum of late, or (rarely) a message at the back of an
		// inOrder whose every entry is stale.
		if inRing {
			q.headsKnown &^= bit
		} else {
			q.heads[pi] = it
			q.headsInRing &^= bit
		}
	}
}

// removeVisible takes visible standard record r (slot s) out of its partition: it is
// leaving the queue (the caller releases the record next).
func (q *Queue) removeVisible(s int32, r *record) {
	pi := r.part & 31
	bit := uint32(1) << pi
	p := q.parts[pi]
	p.remove(s)
	if q.heads[pi].slot == s {
		q.headsKnown &^= bit
	}
	if p.len() == 0 {
		q.partsNonEmpty &^= bit
		q.headsKnown &^= bit
	}
}

// popVisible takes the next message of the partitions in mask — the smallest head — out of
// its partition and returns its slot; ok is false when they are all empty.
func (q *Queue) popVisible(mask uint32) (s int32, ok bool) {
	cand := mask & q.partsNonEmpty
	if cand == 0 {
		return -1, false
	}
	for m := cand &^ q.headsKnown; m != 0; m &= m - 1 {
		pi := bits.TrailingZeros32(m)
		it, inRing, _ := q.partHead(q.parts[pi])
		q.heads[pi] = it
		q.headsInRing = q.headsInRing&^(1<<(pi&31)) | b2u(inRing)<<(pi&31)
	}
	q.headsKnown |= cand
	best := bits.TrailingZeros32(cand)
	bestItem := q.heads[best]
	for m := cand & (cand - 1); m != 0; m &= m - 1 {
		if pi := bits.TrailingZeros32(m); less(q.heads[pi], bestItem) {
			best, bestItem = pi, q.heads[pi]
		}
	}
	bit := uint32(1) << (best & 31)
	p := q.parts[best]
	s = p.pop(q.headsInRing&bit != 0)
	q.headsKnown &^= bit
	if p.len() == 0 {
		q.partsNonEmpty &^= bit
	}
	return s, true
}

// partPush adds visible message it (record generation gen) to partition p and reports
// whether it went to inOrder (else to late).
func (q *Queue) partPush(p *visPart, it heapItem, gen uint32) (inRing bool) {
	if p.inOrder.len() == 0 || less(p.inOrder.back().item(), it) {
		if p.stale > 0 && p.inOrder.len() > compactAbove(int(p.live)) {
			p.inOrder.compact(q.partKeep)
			p.stale = 0
		}
		p.inOrder.push(partEntry{seq: it.key, slot: it.slot, gen: gen})
		p.live++
		return true
	}
	p.late.push(it.slot, it.key)
	return false
}

// partHead returns partition p's next message (the smallest key) and whether it is at the
// front of inOrder (else it is late's minimum), dropping stale entries at inOrder's front.
func (q *Queue) partHead(p *visPart) (it heapItem, fromRing, ok bool) {
	for p.inOrder.len() > 0 {
		e := p.inOrder.front()
		if p.stale == 0 || q.partValid(e) {
			it, fromRing, ok = e.item(), true, true
			break
		}
		p.inOrder.popFront()
		p.stale--
	}
	if m, has := p.late.min(); has && (!ok || less(m, it)) {
		return m, false, true
	}
	return it, fromRing, ok
}

// partPop removes partition p's next message, as found by partHead, and returns its slot.
func (p *visPart) pop(fromRing bool) int32 {
	if fromRing {
		s := p.inOrder.front().slot
		p.inOrder.popFront()
		p.live--
		return s
	}
	return p.late.popMin()
}

// remove takes visible record s out of partition p (it is leaving the queue: the caller
// releases the record next, which makes a FIFO entry stale).
func (p *visPart) remove(s int32) {
	if p.late.has(s) {
		p.late.removeAt(int((*p.late.pos)[s]))
		return
	}
	p.live--
	p.stale++
}

// b2u is 1 for true, 0 for false.
func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}
