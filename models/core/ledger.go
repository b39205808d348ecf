package core

import "fmt"

// DropKey names one counted reason for which a component dropped messages
// ("apigw: throttled (429)", "order-queue: expired"). Keys are registered while the model
// is built, so counting a drop on the hot path is an array increment.
type DropKey int32

// Ledger accounts for every message copy the run created. Each copy is created once
// (produced by a producer, or derived inside the architecture: a fan-out copy, a message a
// function sends) and ends once: consumed, dropped for a counted reason, or still held at
// the end of the run — in flight, or sitting in a dead-letter queue.
//
//	Produced + Derived = Consumed + Dropped + InDLQ + InFlight
//
// is the message-conservation identity; Conservation checks it against an independent count
// of what the components hold.
type Ledger struct {
	Produced     uint64 // emitted by producers
	Derived      uint64 // created inside the architecture (fan-out copies, sends by functions)
	Consumed     uint64 // processed to completion by a consumer or sink
	DeadLettered uint64 // moves into a dead-letter queue (they stay there: see InDLQ)
	drops        []DropCount
}

// DropCount is the number of messages one component dropped for one reason.
type DropCount struct {
	Component string
	Reason    string
	N         uint64
}

// Drops returns the drop counts in registration order.
func (l *Ledger) Drops() []DropCount { return append([]DropCount(nil), l.drops...) }

// Dropped is the total of all drop counts.
func (l *Ledger) Dropped() uint64 {
	var n uint64
	for _, d := range l.drops {
		n += d.N
	}
	return n
}

// Conservation is the result of checking the ledger at a point in time.
type Conservation struct {
	Produced, Derived uint64
	Consumed, Dropped uint64
	InDLQ, InFlight   uint64
	// Held is what the components and the transit queue report holding, counted
	// independently of the ledger; Live is what the message pool holds.
	Held, Live uint64
	OK         bool
}

// String renders the identity, e.g.
// "produced 1000 + derived 3000 = consumed 3900 + dropped 30 + in DLQ 50 + in flight 20 ✓".
func (c Conservation) String() string {
	mark := "✓"
	if !c.OK {
		mark = fmt.Sprintf("✗ MISMATCH (pool holds %d, components hold %d)", c.Live, c.Held)
	}
	return fmt.Sprintf("produced %d + derived %d = consumed %d + dropped %d + in DLQ %d + in flight %d %s",
		c.Produced, c.Derived, c.Consumed, c.Dropped, c.InDLQ, c.InFlight, mark)
}
