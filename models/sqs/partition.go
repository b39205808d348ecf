package sqs

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
type visPart struct {
	inOrder orderedRing[partEntry] // in increasing (seq, slot); stale entries allowed
	late    idxHeap                // visible messages that arrived behind inOrder's back
	live    int                    // entries of inOrder that are still valid
	stale   int                    // entries of inOrder that are not (len = live + stale)
}

// partEntry is a visible message in a partition's FIFO: its key and the record's
// generation when it was pushed (a later generation means it left and the entry is stale).
type partEntry struct {
	seq  uint64
	slot int32
	gen  uint32
}

func (e partEntry) item() heapItem { return heapItem{key: e.seq, slot: e.slot} }

func (p *visPart) len() int { return p.live + p.late.len() }

// partValid reports whether a partition FIFO entry is still a visible message.
func (q *Queue) partValid(e partEntry) bool {
	r := &q.recs[e.slot]
	return r.gen == e.gen && r.state == stVisible
}

// push adds visible record s with key seq to partition p.
func (q *Queue) partPush(p *visPart, s int32, seq uint64) {
	it := heapItem{key: seq, slot: s}
	if p.inOrder.len() == 0 || less(p.inOrder.back().item(), it) {
		if p.stale > 0 && p.inOrder.len() > compactAbove(p.live) {
			p.inOrder.compact(q.partKeep)
			p.stale = 0
		}
		p.inOrder.push(partEntry{seq: seq, slot: s, gen: q.recs[s].gen})
		p.live++
		return
	}
	p.late.push(s, seq)
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
