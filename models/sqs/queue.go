package sqs

import (
	"math/rand/v2"
	"time"

	"msgsim/models/core"
	"msgsim/sim"
)

// Queue is one SQS queue, standard or FIFO. It owns every message it holds (delayed,
// visible or in flight) until the message is deleted, moved to the dead-letter queue or
// expires. A Queue is not safe for concurrent use; like the rest of a World it runs on
// one goroutine.
type Queue struct {
	w   *core.World
	cfg Config
	id  core.ComponentID
	h   sim.HandlerID
	rng *rand.Rand

	recs    []record
	free    []int32
	waitPos []int32 // index in the delayed heap or a partition's late heap (partition.go)
	expPos  []int32 // index in the expiry heap (or -1)

	parts         []visPart             // standard: visible messages per virtual partition, keyed by seq (partition.go)
	partKeep      func(partEntry) bool  // q.partValid, made once (a method value per call would allocate)
	partsVer      uint64                // bumped by every push to, removal from or pick of the partitions
	heads         [32]heapItem          // scratch of pick: the head of each partition
	partsNonEmpty uint32                // standard: bit p set ⇔ parts[p] is not empty (picks skip the others)
	delayed       idxHeap               // delayed messages keyed by the time they become visible
	expiry        idxHeap               // messages that expire out of enqueue order, keyed by expiry time (retention.go)
	retain        orderedRing[deadline] // the others, in expiry order (retention.go)
	retainKeep    func(deadline) bool
	expRun        []int32 // scratch: the messages expiring at one instant
	delayTimer    sim.Timer
	delayAt       time.Duration
	expTimer      sim.Timer
	expAt         time.Duration

	visTimeouts *core.Timeouts // default visibility timeouts (visibility_ring.go)
	waits       *core.Timeouts // ends of long-poll waits (receive.go)

	age     ring // arrival order, for ApproximateAgeOfOldestMessage
	ageLive int  // entries of age that are still valid
	ageKeep func(uint64) bool

	nextSeq      uint64
	maxDelivered uint64 // standard: largest send sequence delivered so far (order check)
	shortSampled bool   // the last short poll read a sample of the partitions

	nVisible, nInFlight, nDelayed, nDead, nLive int

	fifo *fifoState

	waiters   []waiter
	freeWait  []int32
	waitRing  ring
	nWaiting  int
	responses []response
	freeResp  []int32
	scratch   [MaxBatch]Received

	m metrics
}

// Handle is a receipt handle: the record slot and the receipt number of one receive.
// Every receive issues a new handle; only the latest one acts on the message.
type Handle struct {
	slot    int32
	receipt uint32
}

// Received is one message of a receive answer.
type Received struct {
	Msg          core.MsgID
	Handle       Handle
	ReceiveCount int           // ApproximateReceiveCount, this receive included
	SentAt       time.Duration // when the message arrived in this queue
	GroupID      int32         // FIFO message group (interned), core.NoGroup on standard queues
}

// Consumer receives the answers to its Receive calls. batch is only valid during the
// call; the messages stay owned by the queue, and the consumer reads them with w.Msg while
// they are in flight.
type Consumer interface {
	Received(token int64, batch []Received)
}

// ReceiveRequest is one ReceiveMessage call.
type ReceiveRequest struct {
	Max        int           // MaxNumberOfMessages, 1..10
	Wait       time.Duration // WaitTimeSeconds; < 0 means the queue's ReceiveWait
	Visibility time.Duration // VisibilityTimeout; < 0 means the queue's
}

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
	flExcluded                   // back-of-queue poison pill: left out of the age metric
	flDupCopy                    // a duplicate copy (note 1): never duplicated again
	flDupShown                   // the duplicate copy's first delivery was counted
	flOwnTimer                   // in flight with its own visibility timer (not in q.visTimeouts)
	flExpHeap                    // its retention clock is in the heap q.expiry (not in q.retain)
)

// record is what the queue knows of one message it holds.
type record struct {
	msg        core.MsgID
	state      state
	flags      uint8
	part       uint8
	recvCount  int32
	receipt    uint32 // bumped at every receive and at allocation: (slot, receipt) is unique
	gen        uint32 // bumped when the slot is freed
	size       int32  // the message's payload bytes when it arrived (receives bill it without reading the message)
	seq        uint64 // order among visible messages (re-assigned by the back-of-queue rule)
	sendSeq    uint64 // order of arrival in this queue (order checks)
	enqueued   time.Duration
	arrived    time.Duration
	visibleAt  time.Duration
	receivedAt time.Duration
	timer      sim.Timer // own visibility timer (flOwnTimer)
	group      int32     // FIFO: queue-local group index
	prev, next int32     // FIFO: links in the group's list
}

// Event kinds.
const (
	evVisibility  int32 = iota // A slot, B receipt: the visibility timeout expired
	evDelay                    // the earliest delayed message is due
	evExpiry                   // the earliest expiry is due
	evRespond                  // A response slot: deliver a receive answer
	evWaitEnd                  // the earliest long-poll wait (q.waits) is due
	evAgeTick                  // update ApproximateAgeOfOldestMessage
	evVisTimeouts              // the earliest default visibility timeout (q.visTimeouts) is due
)

// New builds a queue and registers it with the world. A dead-letter queue must be built
// first and be of the same type.
func New(w *core.World, cfg Config) (*Queue, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	q := &Queue{w: w, cfg: cfg, rng: w.Stream("sqs/" + cfg.Name)}
	q.id = w.Add(q)
	q.h = w.Eng.Register(q)
	q.delayed.pos = &q.waitPos
	q.expiry.pos = &q.expPos
	q.visTimeouts = core.NewTimeouts(w.Eng, q.h, evVisTimeouts, q.visValid, q.visibilityExpired)
	q.waits = core.NewTimeouts(w.Eng, q.h, evWaitEnd, q.waitLive, q.waitEnd)
	q.retainKeep = q.retainValid
	q.ageKeep = q.ageValid
	if cfg.FIFO {
		q.fifo = newFIFO(q)
	} else {
		q.parts = make([]visPart, cfg.ShortPollPartitions)
		for i := range q.parts {
			q.parts[i].late.pos = &q.waitPos
		}
		q.partKeep = q.partValid
	}
	q.m.register(w, cfg)
	return q, nil
}

// ID is the queue's component id.
func (q *Queue) ID() core.ComponentID { return q.id }

// Name is the queue's name.
func (q *Queue) Name() string { return q.cfg.Name }

// Config returns the queue's settings, defaults filled in.
func (q *Queue) Config() Config { return q.cfg }

// FIFO reports whether the queue is a FIFO queue.
func (q *Queue) FIFO() bool { return q.cfg.FIFO }

// SendLatency is the latency of SendMessage (core.APILatency).
func (q *Queue) SendLatency() sim.Dist { return q.cfg.APILatency }

// Holding is the number of messages the queue holds (core.Component).
func (q *Queue) Holding() int { return q.nLive }

// HoldingDeadLetters is the number of held messages that arrived as dead letters
// (core.DeadLetterHolder).
func (q *Queue) HoldingDeadLetters() int { return q.nDead }

// Visible is the number of visible messages (ApproximateNumberOfMessagesVisible).
func (q *Queue) Visible() int { return q.nVisible }

// InFlight is the number of in-flight messages (ApproximateNumberOfMessagesNotVisible).
func (q *Queue) InFlight() int { return q.nInFlight }

// Delayed is the number of delayed messages (ApproximateNumberOfMessagesDelayed).
func (q *Queue) Delayed() int { return q.nDelayed }

// alloc takes a record slot for message m, arrived now.
func (q *Queue) alloc(m core.MsgID) int32 {
	var s int32
	if n := len(q.free); n > 0 {
		s = q.free[n-1]
		q.free = q.free[:n-1]
	} else {
		q.recs = append(q.recs, record{})
		q.waitPos = append(q.waitPos, -1)
		q.expPos = append(q.expPos, -1)
		s = int32(len(q.recs) - 1)
	}
	r := &q.recs[s]
	gen, receipt := r.gen, r.receipt+1
	now := q.w.Now()
	*r = record{msg: m, gen: gen, receipt: receipt, size: q.w.Msg(m).Size, arrived: now, enqueued: now, group: -1, prev: -1, next: -1}
	q.waitPos[s], q.expPos[s] = -1, -1
	q.nLive++
	// compact before pushing: the new record has no state yet, and compaction would take
	// it for a finished one and drop it from the age ring
	if q.age.len() > compactAbove(q.ageLive) { // 4/3 checks per push, not 2 (see compactAbove)
		q.age.compact(q.ageKeep)
	}
	q.ageLive++
	q.age.push(pack(s, gen))
	return s
}

// release frees a record whose message has just been finished or handed on.
func (q *Queue) release(s int32) {
	r := &q.recs[s]
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

// ageValid reports whether an age-ring entry is a held message the age metric counts.
func (q *Queue) ageValid(v uint64) bool {
	s, gen := unpack(v)
	r := &q.recs[s]
	return r.gen == gen && r.state != stFree && r.flags&flExcluded == 0
}

// Fire handles the queue's events.
func (q *Queue) Fire(ev sim.Event) {
	switch ev.Kind {
	case evVisibility:
		q.visibilityExpired(int32(ev.A), uint32(ev.B))
	case evDelay:
		q.delaySweep()
	case evExpiry:
		q.expirySweep()
	case evRespond:
		q.respond(int32(ev.A))
	case evWaitEnd:
		q.waits.Fire()
	case evAgeTick:
		q.ageTick()
	case evVisTimeouts:
		q.visTimeouts.Fire()
	}
}

// Start begins the periodic update of ApproximateAgeOfOldestMessage.
func (q *Queue) Start() { q.scheduleAgeTick() }

// Finish brings the age gauge up to date at the end of the run.
func (q *Queue) Finish() { q.updateAge() }

// chunks is the number of billable requests for a payload: one per 64 KiB, at least one.
func chunks(bytes int64) uint64 {
	if bytes <= 0 {
		return 1
	}
	return uint64((bytes + 65535) / 65536)
}

// mix hashes an id for partitioning: one SplitMix64 step (its increment, then
// core.Mix64), as this package has always hashed ids, so that partitions stay as they were.
func mix(x uint64) uint64 { return core.Mix64(x + 0x9e3779b97f4a7c15) }
