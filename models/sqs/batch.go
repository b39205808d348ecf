package sqs

import "msgsim/models/core"

// MaxBatchBytes is the largest total payload of one SendMessageBatch (§1.1, [SQ-BATCH]).
const MaxBatchBytes = 1048576

// SendBatch is SendMessageBatch (§1.1, §2.2, §8): one API call carrying 1–10 entries whose
// payload totals at most 1 MiB; st[i] receives entry i's status (len(st) ≥ len(ms)).
//
// A batch out of those limits is refused whole: every entry Rejected, one request billed,
// each entry counted in RejectedSends. On a FIFO queue the call takes ONE token from the
// send quota, which is how batching lifts 300 calls/s to 3,000 messages/s; a throttled call
// leaves every entry Throttled, counts one ThrottledSends and is not billed. An admitted
// call is billed ceil(total payload / 64 KiB) requests, then each entry is enqueued as by
// SendMessage with the queue's DelaySeconds — its own size limit, group and deduplication
// rules and deduplication — so entries may succeed or fail independently, as SQS answers
// per entry. As with Deliver, the queue owns the entries answered OK.
//
// Assumption: in high-throughput mode the call's token comes from the queue-wide bucket
// and the partition of the first entry's message group (the documentation does not say how
// a batch spanning partitions counts).
func (q *Queue) SendBatch(ms []core.MsgID, st []core.Status) {
	st = st[:len(ms)]
	var total int64
	for _, m := range ms {
		total += int64(q.w.Msg(m).Size)
	}
	if len(ms) < 1 || len(ms) > MaxBatch || total > MaxBatchBytes {
		q.m.requests.Inc()
		q.m.rejected.Add(uint64(len(ms)))
		for i, m := range ms {
			st[i] = core.Rejected
			if q.w.Tracing() {
				q.w.Tracef(q.id, m, "batch send rejected: %d entries of %d bytes in all (limits %d entries, %d bytes)", len(ms), total, MaxBatch, MaxBatchBytes)
			}
		}
		return
	}
	if q.fifo != nil && !q.fifo.quota.take(q.w.Now(), q.w.Msg(ms[0]).Group) {
		q.m.throttled.Inc()
		for i, m := range ms {
			st[i] = core.Throttled
			if q.w.Tracing() {
				q.w.Tracef(q.id, m, "batch send throttled: over the FIFO send quota")
			}
		}
		return
	}
	q.m.requests.Add(chunks(total))
	for i, m := range ms {
		st[i] = q.send(m, q.cfg.Delay, true)
	}
}

// DeliverBatch is SendBatch (core.BatchTarget).
func (q *Queue) DeliverBatch(ms []core.MsgID, st []core.Status) { q.SendBatch(ms, st) }
