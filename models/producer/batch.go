package producer

import (
	"msgsim/models/core"
	"msgsim/sim"
)

// MaxBatch is the most entries of one batch call (SendMessageBatch, §1.1); a larger
// Config.Batch is treated as this.
const MaxBatch = 10

// batcher gathers a producer's sends into batch calls (SendMessageBatch): a call leaves when
// it holds Batch messages or Linger after its first message, whichever comes first. Retries
// of throttled entries (with the SDK backoff, as for single sends) join the next call. The
// buffers are reused: steady-state batching allocates nothing.
type batcher struct {
	size   int          // entries per call; ≤ 1 means no batching
	msgs   []core.MsgID // pending entries, owned by the producer
	tokens []int64      // their send tokens (message id and attempt)
	timer  sim.Timer    // the linger timer of the pending call
	sender *core.BatchSender
}

// startBatching turns batching on when it is asked for and the target has a batch API.
func (p *Producer) startBatching() {
	n := min(p.cfg.Batch, MaxBatch)
	if n <= 1 || !p.w.SupportsBatch(p.cfg.Target) {
		return
	}
	p.batch.size = n
	p.batch.msgs = make([]core.MsgID, 0, n)
	p.batch.tokens = make([]int64, 0, n)
	p.batch.sender = core.NewBatchSender(p.w)
}

// addToBatch adds attempt number attempt of message id to the pending call, sending the
// call when it is full and starting the linger timer when it is new.
func (p *Producer) addToBatch(id core.MsgID, attempt int) {
	b := &p.batch
	b.msgs = append(b.msgs, id)
	b.tokens = append(b.tokens, sendToken(id, attempt))
	if len(b.msgs) >= b.size {
		p.w.Eng.Cancel(b.timer)
		p.flush()
		return
	}
	if len(b.msgs) == 1 {
		b.timer = p.w.Eng.AfterTimer(max(p.cfg.Linger, 0), p.h, evLinger, 0, 0)
	}
}

// flush sends the pending entries in one call; each entry's outcome reaches Done.
func (p *Producer) flush() {
	b := &p.batch
	if len(b.msgs) == 0 {
		return
	}
	lat := p.w.SendLatency(p.cfg.Target, p.rng)
	if p.w.Tracing() {
		for _, m := range b.msgs {
			p.w.Tracef(p.id, m, "sent in a batch call of %d messages", len(b.msgs))
		}
	}
	b.sender.Send(b.msgs, b.tokens, p.cfg.Target, lat, p.id)
	b.msgs = b.msgs[:0]
	b.tokens = b.tokens[:0]
}
