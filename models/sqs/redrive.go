package sqs

import (
	"time"

	"msgsim/models/core"
)

// Redrive (§1.2, note 5): with a redrive policy, the receive attempt that finds a visible
// message whose receive count already reached maxReceiveCount moves it to the dead-letter
// queue instead of returning it; the caller gets the next message, if any. The move is not
// a send in either queue (no NumberOfMessagesSent), the receive count carries over, and
// the message counts as a dead letter in the DLQ (core.DeadLetterHolder) until it leaves.
// A standard DLQ keeps the original enqueue time for its retention clock; a FIFO DLQ
// resets it to the time of the move (§1.2, §2.4).

// redriveDue reports whether visible record r must move to the DLQ on this receive.
func (q *Queue) redriveDue(r *record) bool {
	return q.cfg.DLQ != nil && int(r.recvCount) >= q.cfg.MaxReceiveCount
}

// moveToDLQ hands record s (out of the visible structure, state still visible) to the DLQ.
func (q *Queue) moveToDLQ(s int32) {
	r := &q.recs[s]
	if q.fifo != nil {
		q.fifo.unlinkFromGroup(s)
	}
	m, count, enqueued := r.msg, r.recvCount, r.enqueued
	if q.w.Tracing() {
		q.w.Tracef(q.id, m, "moved to DLQ %s after %d receives", q.cfg.DLQ.cfg.Name, count)
	}
	q.release(s, r)
	q.m.movedToDLQ.Inc()
	q.w.Ledger.DeadLettered++
	q.cfg.DLQ.acceptDeadLetter(m, count, enqueued)
}

// acceptDeadLetter enqueues message m moved here from a source queue.
func (q *Queue) acceptDeadLetter(m core.MsgID, recvCount int32, enqueued time.Duration) {
	s, r := q.alloc(m, q.w.Msg(m).Size)
	r.flags |= flDead
	q.nDead++
	r.recvCount = recvCount
	if !q.cfg.FIFO {
		r.enqueued = enqueued
	}
	r.seq = q.nextSeq
	r.sendSeq = q.nextSeq
	q.nextSeq++
	q.w.Msg(m).Entered = q.w.Now()
	q.trackExpiry(s, r)
	q.enqueueVisible(s, r)
}
