package sqs

import (
	"math"
	"time"

	"msgsim/models/core"
)

// sendQuota is the FIFO SendMessage quota (§2.2, note 10). Normal mode: one token bucket
// of 300 TPS, burst 300, for the queue. High-throughput mode: a queue-wide bucket at the
// Region's quota (burst 1 s of it, note 39) and one 300 TPS bucket per partition, with
// partitions = ceil(quota / 300) and group → partition by a stable hash, so one group never
// gets more than 300 TPS. A send needs a token from every bucket it meets.
type sendQuota struct {
	queue core.TokenBucket
	parts []core.TokenBucket
}

func newSendQuota(cfg Config) sendQuota {
	if !cfg.HighThroughput {
		return sendQuota{queue: core.NewTokenBucket(partitionTPS, partitionTPS)}
	}
	rate := regionQuota(cfg.ThroughputRegion)
	sq := sendQuota{queue: core.NewTokenBucket(rate, rate)}
	sq.parts = make([]core.TokenBucket, int(math.Ceil(rate/partitionTPS)))
	for i := range sq.parts {
		sq.parts[i] = core.NewTokenBucket(partitionTPS, partitionTPS)
	}
	return sq
}

// take takes one token for a send of group g, or reports that the send is throttled.
func (sq *sendQuota) take(now time.Duration, g int32) bool {
	if len(sq.parts) == 0 {
		return sq.queue.Take(now, 1)
	}
	p := &sq.parts[core.Spread(mix(uint64(uint32(g))), len(sq.parts))]
	if p.Tokens(now) < 1-1e-9 || sq.queue.Tokens(now) < 1-1e-9 {
		return false
	}
	p.Take(now, 1)
	sq.queue.Take(now, 1)
	return true
}
