package core

import "time"

// MsgID names a message in the World's pool. IDs are reused after a message is finished,
// so a holder that may outlive the message keeps the generation too (see Ref).
type MsgID int32

// NoMsg is the MsgID of no message.
const NoMsg MsgID = -1

// MaxAttrs is the number of attributes a message carries (message attributes and body
// fields, for filter policies and event patterns). Producers declare at most this many.
const MaxAttrs = 8

// AttrValue is one attribute: an interned string (Str ≥ 0), a number (Str == AttrNumber),
// or absent (Str == AttrAbsent).
type AttrValue struct {
	Str int32
	Num float64
}

// Kinds of AttrValue other than strings.
const (
	AttrAbsent int32 = -1
	AttrNumber int32 = -2
)

// Message is one copy of a message moving through the architecture. A fan-out makes a new
// Message per subscription; a function that sends makes a new Message per send. Copies
// keep the Trace, Origin and Producer of the message they came from, so end-to-end latency
// is measured from the producer whatever path a copy took.
//
// The fields every hop reads (generation, liveness, origin, producer) come first, packed
// into the first 56 bytes, and the attributes — read only by filters and patterns — last:
// the pool is a slab far larger than the caches, so a message touched once per hop should
// cost one cache miss, not one per line its hot fields are spread over (the generation
// and liveness used to sit after the attributes, 184 bytes from Origin).
type Message struct {
	gen      uint32
	live     bool
	Poison   bool          // always fails processing
	Hops     uint16        // how many components it passed (loop guard, traces)
	Producer int32         // index of the producer (start of its paths)
	Size     int32         // payload bytes
	Group    int32         // FIFO message group id, NoGroup if none
	Trace    uint64        // id of the produced message; copies share it
	Origin   time.Duration // when the producer emitted it
	Entered  time.Duration // when it entered the component holding it (per-hop latency)
	Dedup    uint64        // deduplication id (0: derive from content, i.e. Trace)
	Attrs    [MaxAttrs]AttrValue
}

// NoGroup is the Group of a message without a FIFO message group.
const NoGroup int32 = -1

// Ref is a MsgID with the generation it had when the reference was taken; a Ref to a
// finished message no longer resolves.
type Ref struct {
	ID  MsgID
	Gen uint32
}

// pool is a slab of messages with a free list: allocation and release are O(1) and the
// steady state allocates nothing.
type pool struct {
	msgs []Message
	free []MsgID
	live int
}

func (p *pool) alloc() MsgID {
	var id MsgID
	if n := len(p.free); n > 0 {
		id = p.free[n-1]
		p.free = p.free[:n-1]
	} else {
		p.msgs = append(p.msgs, Message{})
		id = MsgID(len(p.msgs) - 1)
	}
	m := &p.msgs[id]
	gen := m.gen
	*m = Message{gen: gen, live: true, Group: NoGroup}
	p.live++
	return id
}

func (p *pool) release(id MsgID) {
	m := &p.msgs[id]
	m.live = false
	m.gen++
	p.free = append(p.free, id)
	p.live--
}
