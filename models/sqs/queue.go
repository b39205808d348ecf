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
	// The fields every send, receive and delete reads or writes come first, together in a
	// few cache lines: the queue is touched between the work of every other component,
	// and with these spread over the struct's ~30 lines, many reads were an L1 miss
	// (BenchmarkZZProf1m: 0.45 million more a simulated minute). The rarely used ones
	// (delays, expiry sweeps, construction) follow cfg.
	w    *core.World
	fifo *fifoState
	recs []record // see record.go
	free []int32

	parts         []*visPart // standard: visible messages per virtual partition, keyed by seq (partition.go)
	partsNonEmpty uint32     // standard: bit p set ⇔ parts[p] is not empty (picks skip the others)
	headsKnown    uint32     // bit p set ⇔ heads[p] is partition p's head (partition.go)
	headsInRing   uint32     // bit p set ⇔ that head is at the front of parts[p].inOrder
	allParts      uint32     // standard: bit p set for every partition (0 on FIFO queues)

	nVisible, nInFlight, nDelayed, nDead, nLive int

	nextSeq      uint64
	maxDelivered uint64 // standard: largest send sequence delivered so far (order check)

	age     ring // arrival order: the age metric, and retention clocks of messages enqueued on arrival (retention.go)
	ageLive int  // entries of age that are still valid

	expiry   idxHeap // the other messages' retention clocks, keyed by expiry time (retention.go)
	expTimer sim.Timer
	expAt    time.Duration
	expArmed bool // expTimer is pending (set when armed, cleared when it fires): no engine lookup per send

	visTimeouts *core.Timeouts // default visibility timeouts (visibility_ring.go)
	waits       *core.Timeouts // ends of long-poll waits (receive.go)

	responses []response
	freeResp  []int32
	reclaims  uint64 // in-flight messages that became visible again or expired, so far (respond)
	waiters   []waiter
	freeWait  []int32
	waitRing  ring
	nWaiting  int

	h   sim.HandlerID
	id  core.ComponentID
	rng *rand.Rand
	m   metrics
	cfg Config

	heads [32]heapItem // the head of each partition whose headsKnown bit is set

	cold    []recordCold // parallel to recs
	waitPos []int32      // index in the delayed heap or a partition's late heap (partition.go)
	expPos  []int32      // index in the expiry heap (or -1)

	partKeep     func(partEntry) bool // q.partValid, made once (a method value per call would allocate)
	ageKeep      func(uint64) bool
	delayed      idxHeap // delayed messages keyed by the time they become visible
	delayTimer   sim.Timer
	delayAt      time.Duration
	expRun       []int32 // scratch: the messages expiring at one instant
	shortSampled bool    // the last short poll read a sample of the partitions
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
	q.ageKeep = q.ageValid
	if cfg.FIFO {
		q.fifo = newFIFO(q)
	} else {
		q.parts = make([]*visPart, cfg.ShortPollPartitions)
		for i := range q.parts {
			q.parts[i] = &visPart{late: idxHeap{pos: &q.waitPos}}
		}
		q.partKeep = q.partValid
		q.allParts = 1<<uint(len(q.parts)) - 1
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
