package sqs

import (
	"time"

	"msgsim/models/core"
	"msgsim/sim"
)

// metrics are the queue's CloudWatch metrics (§1.6, §2.5) and the simulator's own counts.
type metrics struct {
	// per message first (one cache line)
	requests, sent, received, deleted *core.Counter
	visible, notVisible               *sim.Gauge
	queueTime                         *core.Latency

	emptyReceives, movedToDLQ, expired *core.Counter
	duplicates, outOfOrder, rejected   *core.Counter
	deduplicated, throttled            *core.Counter // FIFO only

	delayed, age   *sim.Gauge
	groupsInFlight *sim.Gauge // FIFO only

	dropExpired, dropDedup core.DropKey
}

func (m *metrics) register(w *core.World, cfg Config) {
	n := cfg.Name
	r := w.Metrics
	m.sent = r.Counter(n, "NumberOfMessagesSent", "messages")
	m.received = r.Counter(n, "NumberOfMessagesReceived", "messages")
	m.deleted = r.Counter(n, "NumberOfMessagesDeleted", "messages")
	m.emptyReceives = r.Counter(n, "NumberOfEmptyReceives", "requests")
	m.visible = r.Gauge(n, "ApproximateNumberOfMessagesVisible", "messages")
	m.notVisible = r.Gauge(n, "ApproximateNumberOfMessagesNotVisible", "messages")
	m.delayed = r.Gauge(n, "ApproximateNumberOfMessagesDelayed", "messages")
	m.age = r.Gauge(n, "ApproximateAgeOfOldestMessage", "s")
	m.movedToDLQ = r.Counter(n, "NumberOfMessagesMovedToDLQ", "messages")
	m.expired = r.Counter(n, "NumberOfMessagesExpired", "messages")
	m.duplicates = r.Counter(n, "DuplicatesDelivered", "messages")
	m.outOfOrder = r.Counter(n, "OutOfOrderDeliveries", "messages")
	m.requests = r.Counter(n, "Requests", "requests")
	m.rejected = r.Counter(n, "RejectedSends", "requests")
	m.queueTime = r.Latency(n, "QueueTime")
	m.dropExpired = w.DropReason(n, "expired")
	if cfg.FIFO {
		m.deduplicated = r.Counter(n, "NumberOfDeduplicatedSentMessages", "messages")
		m.throttled = r.Counter(n, "ThrottledSends", "requests")
		m.groupsInFlight = r.Gauge(n, "ApproximateNumberOfGroupsWithInflightMessages", "groups")
		m.dropDedup = w.DropReason(n, "deduplicated")
	}
}

// Gauge updates: every change of a count goes to its gauge at once.

func (q *Queue) addVisible(d int) {
	q.nVisible += d
	q.m.visible.Set(q.w.Now(), float64(q.nVisible))
}

func (q *Queue) addInFlight(d int) {
	q.nInFlight += d
	q.m.notVisible.Set(q.w.Now(), float64(q.nInFlight))
}

func (q *Queue) addDelayed(d int) {
	q.nDelayed += d
	q.m.delayed.Set(q.w.Now(), float64(q.nDelayed))
}

// ageTicks is how many times per time-series bucket the age gauge is refreshed: the age
// grows continuously, so it is sampled rather than tracked, and a bucket's mean is then
// the mean of ageTicks step values.
const ageTicks = 10

func (q *Queue) scheduleAgeTick() {
	d := q.w.Metrics.Width() / ageTicks
	if d <= 0 {
		d = time.Second
	}
	if q.w.Now()+d <= q.w.End() {
		q.w.Eng.After(d, q.h, evAgeTick, 0, 0)
	}
}

func (q *Queue) ageTick() {
	q.updateAge()
	q.scheduleAgeTick()
}

// updateAge sets ApproximateAgeOfOldestMessage: the time since the oldest held message
// arrived in this queue (in a DLQ: since the move), leaving out back-of-queue poison pills
// (note 6).
func (q *Queue) updateAge() {
	q.m.age.Set(q.w.Now(), q.OldestAge().Seconds())
}

// OldestAge is the age of the oldest held message counted by ApproximateAgeOfOldestMessage.
func (q *Queue) OldestAge() time.Duration {
	for q.age.len() > 0 && !q.ageValid(q.age.front()) {
		q.age.popFront()
	}
	if q.age.len() == 0 {
		return 0
	}
	s, _ := unpack(q.age.front())
	return core.Since(q.w.Now(), q.recs[s].arrived)
}
