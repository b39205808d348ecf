package sqs

import (
	"time"

	"msgsim/models/core"
	"msgsim/sim"
)

// Message states.
type state uint8

const (
	stFree state = iota
	stDelayed
	stVisible
	stInFlight
)

// Record flags.
const (
	flDead     uint8 = 1 << iota // arrived as a dead letter
	flExcluded                   // back-of-queue poison pill: left out of the age metric (its retention clock in q.expiry)
	flDupCopy                    // a duplicate copy (note 1): never duplicated again
	flDupShown                   // the duplicate copy's first delivery was counted
	flOwnTimer                   // in flight with its own visibility timer (recordCold.timer, not in q.visTimeouts)
	flExpHeap                    // its retention clock is in the heap q.expiry (not read through its q.age entry)
	flPart                       // standard: part holds the message's partition (placePart)
)

// record is what the queue knows of one message it holds: the fields a standard message's
// send, receive, delete and validity checks read, in exactly one 64-byte cache line.
//
// The record slab q.recs grows by doubling from 64 records (growRecords), so every slab is
// a power of two of at least 4 KiB, which Go's allocator places 64-byte aligned (record
// holds no pointers, so no allocation header shifts it): a record never straddles two
// lines. What the standard path never reads — the FIFO group links and
// the rare own visibility timer — is in the parallel slab q.cold (recordCold).
//
// BenchmarkZZProf1m (e-commerce at 1,000 orders/s, cachegrind): with the 96-byte record
// over two lines, a receive's write of receivedAt missed the L2 cache on the second line;
// this layout and alloc's leaving the heap positions alone took the L2 misses of alloc
// and deliver from 233,000 to 72,000 a simulated minute.
type record struct {
	msg       core.MsgID
	state     state
	flags     uint8
	part      uint8 // standard: virtual partition, valid under flPart
	recvCount int32
	receipt   uint32 // bumped at every receive and at allocation: (slot, receipt) is unique
	gen       uint32 // bumped when the slot is freed
	size      int32  // the message's payload bytes when it arrived (receives bill it without reading the message)
	seq       uint64 // order among visible messages (re-assigned by the back-of-queue rule)
	sendSeq   uint64 // order of arrival in this queue (order checks)
	enqueued  time.Duration
	arrived   time.Duration
	// since is when the message became visible while it is visible (QueueTime), and when
	// it was received while it is in flight (the 12 h ChangeVisibility budget); no reader
	// needs one in the other state.
	since time.Duration
}

// recordCold is the part of a record the standard queue's per-message path does not read,
// kept apart so that record fits one cache line. Its fields are valid only where noted:
// timer under flOwnTimer, the group links on a FIFO queue.
type recordCold struct {
	timer      sim.Timer // own visibility timer (flOwnTimer)
	group      int32     // FIFO: queue-local group index, -1 when in no group
	prev, next int32     // FIFO: links in the group's list
}

// recordsAtFirst is the size of the first record slab (4 KiB).
const recordsAtFirst = 64

// alloc takes a record slot for message m of size bytes, arrived now. It returns the
// slot and its record, whose pointer is valid until the next alloc (which may move the
// slab): callers that hold a record across an alloc of the same queue look it up again.
//
// Freed slots are reused last in, first out (q.free is a stack), so a send usually takes
// the slot of a message deleted moments before, whose line is still in cache. The
// positions in the shared heaps (q.waitPos, q.expPos) are not reset: idxHeap.has checks
// the heap entry itself, and every heap sets a slot's position when it takes it in.
func (q *Queue) alloc(m core.MsgID, size int32) (int32, *record) {
	var s int32
	if n := len(q.free); n > 0 {
		s = q.free[n-1]
		q.free = q.free[:n-1]
	} else {
		s = q.growRecords()
	}
	r := &q.recs[s]
	now := q.w.Now()
	gen, receipt := r.gen, r.receipt+1
	*r = record{} // then the fields: a literal with them is built aside and copied
	r.msg, r.gen, r.receipt, r.size, r.arrived, r.enqueued = m, gen, receipt, size, now, now
	if q.fifo != nil {
		c := &q.cold[s]
		c.group, c.prev, c.next = -1, -1, -1
	}
	q.nLive++
	// compact before pushing: the new record has no state yet, and compaction would take
	// it for a finished one and drop it from the age ring
	if q.age.len() > compactAbove(q.ageLive) { // 4/3 checks per push, not 2 (see compactAbove)
		q.age.compact(q.ageKeep)
	}
	q.ageLive++
	q.age.push(pack(s, r.gen))
	return s, r
}

// growRecords adds one never-used slot to the slabs and returns it. The record slab
// doubles from recordsAtFirst, so its size stays a power of two of 4 KiB or more (see
// record).
func (q *Queue) growRecords() int32 {
	n := len(q.recs)
	if n == cap(q.recs) {
		recs := make([]record, n, max(2*n, recordsAtFirst))
		copy(recs, q.recs)
		q.recs = recs
	}
	q.recs = q.recs[:n+1]
	q.cold = append(q.cold, recordCold{})
	q.waitPos = append(q.waitPos, -1)
	q.expPos = append(q.expPos, -1)
	return int32(n)
}

// release frees record r (slot s) whose message has just been finished or handed on.
func (q *Queue) release(s int32, r *record) {
	if r.flags&flDead != 0 {
		q.nDead--
	}
	if r.flags&flExcluded == 0 {
		q.ageLive--
	}
	if r.flags&flExpHeap != 0 {
		q.expiry.remove(s)
	}
	r.state = stFree
	r.gen++
	r.msg = core.NoMsg
	q.nLive--
	q.free = append(q.free, s)
}
