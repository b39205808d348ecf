package core

import (
	"time"

	"msgsim/sim"
)

// BatchTarget is a Target whose API also takes several messages in one call (SQS
// SendMessageBatch): DeliverBatch writes the status of entry i into st[i] (len(st) ≥
// len(ms)). As with Deliver, the target owns every entry it answers OK and the sender keeps
// the others.
type BatchTarget interface {
	DeliverBatch(ms []MsgID, st []Status)
}

// SupportsBatch reports whether component id takes batch calls.
func (w *World) SupportsBatch(id ComponentID) bool {
	_, ok := w.targets[id].(BatchTarget)
	return ok
}

// BatchSender puts batch calls in transit, the batch counterpart of World.Send: the
// entries are in transit (owned by nobody) for one API latency, then reach the target in one
// DeliverBatch call (one Deliver per entry when the target has no batch API). Each entry's
// outcome goes to from.Done(token of the entry, status) as with Send, so a refused entry is
// back in the sender's hands; with from == None refused entries are dropped as "refused".
// A sender owns one BatchSender; its buffers are reused, so steady-state sends allocate
// nothing.
type BatchSender struct {
	w       *World
	h       sim.HandlerID
	flights []batchFlight
	free    []int32
}

// batchFlight is one batch call in transit.
type batchFlight struct {
	msgs   []MsgID
	tokens []int64
	st     []Status
	to     ComponentID
	from   ComponentID
}

// NewBatchSender registers a batch sender with w's engine.
func NewBatchSender(w *World) *BatchSender {
	b := &BatchSender{w: w}
	b.h = w.Eng.Register(b)
	return b
}

// Send puts the messages ms on their way to target to in one call that arrives after
// latency; tokens[i] is the token reported with ms[i]'s outcome. ms and tokens are copied,
// so the caller may reuse them at once.
func (b *BatchSender) Send(ms []MsgID, tokens []int64, to ComponentID, latency time.Duration, from ComponentID) {
	var slot int32
	if n := len(b.free); n > 0 {
		slot = b.free[n-1]
		b.free = b.free[:n-1]
	} else {
		b.flights = append(b.flights, batchFlight{})
		slot = int32(len(b.flights) - 1)
	}
	f := &b.flights[slot]
	f.msgs = append(f.msgs[:0], ms...)
	f.tokens = append(f.tokens[:0], tokens...)
	f.st = f.st[:0]
	for range ms {
		f.st = append(f.st, OK)
	}
	f.to, f.from = to, from
	b.w.inTransit += len(ms)
	b.w.Eng.After(latency, b.h, 0, int64(slot), 0)
}

// Fire delivers the batch call in slot ev.A and reports every entry's outcome.
func (b *BatchSender) Fire(ev sim.Event) {
	slot := int32(ev.A)
	f := &b.flights[slot]
	w := b.w
	w.inTransit -= len(f.msgs)
	if bt, ok := w.targets[f.to].(BatchTarget); ok {
		bt.DeliverBatch(f.msgs, f.st)
	} else {
		for i, m := range f.msgs {
			f.st[i] = w.targets[f.to].Deliver(m)
		}
	}
	// The slot is freed only after every outcome is reported, so a Done that sends again
	// takes another slot; that may grow flights, so the loop reads through the index.
	for i := range b.flights[slot].msgs {
		g := &b.flights[slot]
		if g.from != None {
			w.requesters[g.from].Done(g.tokens[i], g.st[i])
			continue
		}
		if g.st[i] != OK {
			k := w.refused[g.to]
			if k < 0 {
				k = w.DropReason(w.components[g.to].Name(), "refused ("+g.st[i].String()+")")
				w.refused[g.to] = k
			}
			w.Drop(g.msgs[i], k)
		}
	}
	b.free = append(b.free, slot)
}

// Buffers is the number of batch-call buffers allocated so far: the most calls that were
// in transit at once, since buffers are reused.
func (b *BatchSender) Buffers() int { return len(b.flights) }
