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
// A Message holds the fields every hop reads (generation, liveness, origin, producer...)
// in exactly one 64-byte cache line; its attributes, read only by filters, patterns and
// keys, live beside it in a slab of their own (World.Attrs). The pool is far larger than
// the caches (some 30,000 live messages at 1,000 orders/s), so a message touched once per
// hop costs one cache miss: with the attributes inside, a Message was 184 bytes, most
// messages had those first 56 bytes straddle two lines, and the slab was three times
// larger for the caches to hold.
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
	attrs    int32         // its attributes' slot in the pool (shared by copies)
	_        [4]byte       // pads the size to 64 bytes: one message, one cache line
}

// Attrs is the attributes a message carries (message attributes and body fields, for
// filter policies and event patterns). A new message's are zero; its producer marks the
// slots it does not use AttrAbsent. Copies of a message (World.Derive) share its
// attributes, which nothing changes after the producer has set them: a copy costs no
// 128-byte copy, and a fan-out's copies read one set of attributes, not one each.
type Attrs [MaxAttrs]AttrValue

// NoGroup is the Group of a message without a FIFO message group.
const NoGroup int32 = -1

// Ref is a MsgID with the generation it had when the reference was taken; a Ref to a
// finished message no longer resolves.
type Ref struct {
	ID  MsgID
	Gen uint32
}

// pool is a slab of messages with a free list, and a slab of attribute sets shared by a
// message and its copies, counted by references: allocation and release are O(1) and the
// steady state allocates nothing.
type pool struct {
	msgs      []Message
	free      []MsgID
	live      int
	attrs     []Attrs
	attrRefs  []int32 // messages holding attrs[i]
	attrsFree []int32
}

// alloc returns a new, empty message with attributes of its own.
func (p *pool) alloc() MsgID {
	id := p.take()
	m := &p.msgs[id]
	var a int32
	if n := len(p.attrsFree); n > 0 {
		a = p.attrsFree[n-1]
		p.attrsFree = p.attrsFree[:n-1]
		p.attrs[a] = Attrs{}
	} else {
		p.attrs = append(p.attrs, Attrs{})
		p.attrRefs = append(p.attrRefs, 0)
		a = int32(len(p.attrs) - 1)
	}
	p.attrRefs[a] = 1
	*m = Message{gen: m.gen, live: true, Group: NoGroup, attrs: a}
	return id
}

// share notes one more message holding the attributes of m.
func (p *pool) share(m *Message) { p.attrRefs[m.attrs]++ }

// take returns the slot of a new message with its generation but the contents the slot
// last had: the caller sets them all (alloc, or Derive, which copies a message over it
// and would otherwise write it twice).
func (p *pool) take() MsgID {
	var id MsgID
	if n := len(p.free); n > 0 {
		id = p.free[n-1]
		p.free = p.free[:n-1]
	} else {
		p.msgs = append(p.msgs, Message{})
		id = MsgID(len(p.msgs) - 1)
	}
	p.live++
	return id
}

func (p *pool) release(id MsgID) {
	m := &p.msgs[id]
	m.live = false
	m.gen++
	a := m.attrs
	p.free = append(p.free, id)
	p.live--
	if r := &p.attrRefs[a]; *r > 1 {
		*r--
	} else {
		*r = 0
		p.attrsFree = append(p.attrsFree, a)
	}
}
