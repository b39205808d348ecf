package sqs

import "time"

// FIFO message groups (§2.4). Each group keeps its held, non-delayed messages in send
// order in a doubly linked list through the records (their cold part, recordCold). A group
// with a message in flight is blocked: none of its messages is returned until every
// in-flight one is deleted, visible again, expired or moved to the DLQ, so order within a
// group holds across retries and redrive. Unblocked groups with messages wait in a heap
// keyed by the sequence number of their head; a receive takes the head run of the oldest
// group, then of the next oldest, until it has MaxNumberOfMessages (note 8).
//
// Invariant: a group is in the ready heap if and only if it has messages and none of them
// is in flight (then all of them are visible).

type group struct {
	head, tail int32  // record slots
	n          int32  // messages in the list
	inflight   int32  // of which in flight (always ≤ n)
	id         int32  // interned MessageGroupId; -1 when the group slot is free
	fin        uint64 // 1 + largest send sequence deleted (0: none), for the order check
}

type fifoState struct {
	q              *Queue
	groups         []group
	freeGroups     []int32
	byID           []int32 // interned group id -> group slot, -1 if none
	groupPos       []int32
	ready          idxHeap
	inflightGroups int
	dedup          dedupTable
	quota          sendQuota
}

func newFIFO(q *Queue) *fifoState {
	f := &fifoState{q: q}
	f.ready.pos = &f.groupPos
	f.dedup.init()
	f.quota = newSendQuota(q.cfg)
	return f
}

// groupOf returns the group slot of interned group id, creating it if needed.
func (f *fifoState) groupOf(id int32) int32 {
	for int(id) >= len(f.byID) {
		f.byID = append(f.byID, -1)
	}
	if g := f.byID[id]; g >= 0 {
		return g
	}
	var g int32
	if n := len(f.freeGroups); n > 0 {
		g = f.freeGroups[n-1]
		f.freeGroups = f.freeGroups[:n-1]
	} else {
		f.groups = append(f.groups, group{})
		f.groupPos = append(f.groupPos, -1)
		g = int32(len(f.groups) - 1)
	}
	f.groups[g] = group{head: -1, tail: -1, id: id}
	f.groupPos[g] = -1
	f.byID[id] = g
	return g
}

func (f *fifoState) freeGroup(g int32) {
	f.ready.remove(g)
	f.byID[f.groups[g].id] = -1
	f.groups[g].id = -1
	f.freeGroups = append(f.freeGroups, g)
}

// appendVisible adds a newly visible record (sent, delayed, or moved here as a dead
// letter) at the tail of its group.
func (f *fifoState) appendVisible(s int32) {
	r := &f.q.recs[s]
	links := f.q.cold
	g := f.groupOf(f.q.w.Msg(r.msg).Group)
	gr := &f.groups[g]
	c := &links[s]
	c.group, c.prev, c.next = g, gr.tail, -1
	if gr.tail >= 0 {
		links[gr.tail].next = s
	} else {
		gr.head = s
	}
	gr.tail = s
	gr.n++
	if gr.n == 1 && gr.inflight == 0 {
		f.ready.push(g, r.seq)
	}
}

// unlinkFromGroup takes record s out of its group's list (delete, expiry, move to the
// DLQ); the record's state is still the one it had.
func (f *fifoState) unlinkFromGroup(s int32) {
	recs, links := f.q.recs, f.q.cold
	r, c := &recs[s], &links[s]
	g := c.group
	gr := &f.groups[g]
	wasHead := gr.head == s
	if c.prev >= 0 {
		links[c.prev].next = c.next
	} else {
		gr.head = c.next
	}
	if c.next >= 0 {
		links[c.next].prev = c.prev
	} else {
		gr.tail = c.prev
	}
	c.group, c.prev, c.next = -1, -1, -1
	gr.n--
	unblocked := false
	if r.state == stInFlight {
		gr.inflight--
		if gr.inflight == 0 {
			f.setInflightGroups(-1)
			unblocked = true
		}
	}
	switch {
	case gr.n == 0:
		f.freeGroup(g)
	case unblocked:
		f.ready.push(g, recs[gr.head].seq)
	case wasHead && f.ready.has(g):
		f.ready.fix(g, recs[gr.head].seq)
	}
}

// delivered notes that record s of a group went in flight, and checks the order: a
// delivery of a message sent before one of its group that was already deleted is an order
// violation (none can happen unless a consumer deletes out of order).
func (f *fifoState) delivered(s int32) {
	r := &f.q.recs[s]
	gr := &f.groups[f.q.cold[s].group]
	gr.inflight++
	if gr.inflight == 1 {
		f.setInflightGroups(1)
	}
	if r.sendSeq+1 < gr.fin {
		f.q.m.outOfOrder.Inc()
	}
}

// returned notes that in-flight record s became visible again; it kept its place.
func (f *fifoState) returned(s int32) {
	g := f.q.cold[s].group
	gr := &f.groups[g]
	gr.inflight--
	if gr.inflight == 0 {
		f.setInflightGroups(-1)
		f.ready.push(g, f.q.recs[gr.head].seq)
	}
}

// finished notes that record s is being deleted (before it is unlinked).
func (f *fifoState) finished(s int32) {
	r := &f.q.recs[s]
	if gr := &f.groups[f.q.cold[s].group]; r.sendSeq+1 > gr.fin {
		gr.fin = r.sendSeq + 1
	}
}

func (f *fifoState) setInflightGroups(d int) {
	f.inflightGroups += d
	f.q.m.groupsInFlight.Set(f.q.w.Now(), float64(f.inflightGroups))
}

// inWindow reports whether a group head with sequence seq is within the first 120,000
// stored messages (§2.4): exact while the queue stores no more than that, otherwise
// approximated by the sequence distance from the oldest stored message (see the package
// doc).
func (f *fifoState) inWindow(seq uint64) bool {
	q := f.q
	if q.nLive-q.nDelayed <= FIFOScanWindow {
		return true
	}
	s := q.oldestStored()
	if s < 0 {
		return true
	}
	oldest := q.recs[s].seq
	return seq < oldest || seq-oldest < FIFOScanWindow
}

// pick moves up to maxN messages into response ri: head runs of the oldest unblocked
// groups (note 8). A head whose receive count reached maxReceiveCount goes to the DLQ and
// the group continues with its next message.
func (f *fifoState) pick(ri int32, maxN int, vis time.Duration) {
	q := f.q
	for q.responses[ri].n < maxN && q.nInFlight < q.cfg.InFlightLimit {
		it, ok := f.ready.min()
		if !ok || !f.inWindow(it.key) {
			return
		}
		g := it.slot
		f.ready.popMin()
		s := f.groups[g].head
		for s >= 0 && q.responses[ri].n < maxN && q.nInFlight < q.cfg.InFlightLimit {
			next := q.cold[s].next
			q.addVisible(-1)
			if q.redriveDue(&q.recs[s]) {
				q.moveToDLQ(s) // may free the group when it empties
				s = next
				continue
			}
			q.deliver(&q.responses[ri], s, &q.recs[s], vis)
			s = next
		}
		if gr := &f.groups[g]; gr.id >= 0 && gr.inflight == 0 && gr.n > 0 {
			f.ready.push(g, q.recs[gr.head].seq)
		}
	}
}
