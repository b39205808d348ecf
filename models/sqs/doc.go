// Package sqs models Amazon SQS standard and FIFO queues with dead-letter queues, following
// sections 1, 2 and 9 of the behaviour reference (../shared/reference/aws-semantics.md).
//
// A Queue is a core.Target (SendMessage) and serves consumers through Receive, Delete and
// ChangeVisibility. Every message it holds has a record in a slab owned by the queue
// (receive count, enqueue time, sequence, state, visibility timer), so the hot path
// allocates nothing in steady state.
//
// The life of a message (§1.2): sent → delayed (queue DelaySeconds or SendWithDelay) →
// visible → in flight (receive count + 1, visibility timer) → deleted | visible again when
// the timer fires or ChangeVisibility(0) | moved to the dead-letter queue on the receive
// attempt that finds receiveCount ≥ maxReceiveCount (note 5) | expired after the retention
// period, in any state (note 4), counted as a drop with the reason "expired".
//
// Assumptions where the documentation is silent (each a Config setting with the stated
// default):
//   - Duplicates (note 1): a deleted standard message reappears once, as a new copy, one
//     visibility timeout after its delete, with probability DuplicateProbability (default 0).
//   - Short polling (note 2): standard messages are spread over ShortPollPartitions (8)
//     virtual partitions by a hash of trace id and message id; a short poll reads
//     ceil(K/2) random partitions, except that when the queue holds < 1,000 visible messages
//     the short poll after a sampled one reads all partitions. FIFO short polls read all.
//   - Long polling (note 3): answers as soon as one message is receivable, with what is
//     receivable at that instant; an empty answer comes exactly at the end of the wait.
//   - API latency (note 7): lognormal p50 15 ms, p99 100 ms (standard); FIFO p50 28 ms,
//     p99 200 ms (the measured 645 ms FIFO p99 is end to end, polling included, so it is not
//     used for a single call). A receive's answer reaches the consumer one latency draw after
//     the queue picked the messages; the visibility timer starts at the pick.
//   - Back-of-queue (note 6): a standard message received ≥ 3 times (when there is no
//     redrive policy or maxReceiveCount > 3) goes behind the visible messages when it
//     returns, and is left out of ApproximateAgeOfOldestMessage until it is deleted.
//   - Messages moved to a dead-letter queue are visible there at once (the DLQ's delay
//     applies to sends only); the receive count carries over.
//   - FIFO send quotas (note 10): a token bucket of 300 TPS, burst 300, per queue; in
//     high-throughput mode a queue-wide bucket at the Region's quota plus one 300 TPS bucket
//     per partition, partitions = ceil(quota / 300), group → partition by a stable hash.
//     Only SendMessage and SendMessageBatch are throttled (a batch of up to 10 entries takes
//     one token for the whole call, so batching lifts the normal-mode cap from 300 to
//     3,000 messages/s); receives and deletes are not rate limited.
//   - FIFO scan window (§2.4, 120,000 messages): exact while ≤ 120,000 messages are visible;
//     beyond that a group's head is in the window when its sequence number is less than
//     120,000 past the oldest stored message's (a conservative stand-in for its rank).
//   - Billing (§8): every request that reaches the queue is billed as ceil(payload / 64 KiB)
//     requests (minimum 1), empty receives included; throttled sends are not billed.
//   - A FIFO send needs a message group and a deduplication id (Message.Dedup, or the
//     content — the Trace — when ContentBasedDedup is on); without them it is Rejected and
//     counted in RejectedSends, as SQS returns an error (§2.3).
//   - Order metrics (OutOfOrderDeliveries): on a standard queue, any delivery (retries
//     included) of a message that arrived before one already delivered; on a FIFO queue, a
//     delivery of a message that arrived before a message of its group that was already
//     deleted (zero unless a consumer deletes a batch out of order).
//   - QueueTime is the time from becoming visible (sent, delay over, back from in flight)
//     to being received, recorded at every receive.
//   - Receives and deletes have no latency of their own inside the queue except the answer
//     of a receive; Delete and ChangeVisibility act at the time of the call.
//   - Retention is exact: one pending sweep event at the earliest expiry (retention.go),
//     so no extra event is scheduled per message.
//
// The hot path schedules no engine event per message: default visibility timeouts and
// long-poll waits are core.Timeouts with one armed event each (visibility_ring.go,
// receive.go), and retention expiries are read off the ring of arrivals (retention.go), all
// fired at exactly their times. Visible standard messages wait per partition in a FIFO of
// in-order arrivals plus a small heap of late ones (partition.go), which receives take in
// exactly the order one heap per partition gave.
package sqs
