package sns

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"msgsim/models/core"
	"msgsim/models/sns/filter"
	"msgsim/sim"
)

// Topic is an SNS topic, standard or FIFO: a core.Target whose Deliver is Publish, a
// core.Requester that hears how each delivery attempt ended, and a core.APILatency whose
// latency is the Publish call's. It owns the copies waiting for a retry or, on a FIFO
// topic, for the copy ahead of them in their message group.
type Topic struct {
	// What a publish and each of its copies touch, ahead of the configuration and the
	// build-time tables: spread behind them, they were a cache miss each per event.
	w          *core.World
	rng        *rand.Rand
	subs       []sub
	deliveries []delivery
	freeSlots  []int32
	id         core.ComponentID
	h          sim.HandlerID
	held       int
	bucket     core.TokenBucket // publish quota
	m          metrics
	cfg        Config

	groups groupBuckets // FIFO per-group quota
	dedup  dedupTable   // FIFO deduplication
	// groupDedup: deduplication ids are scoped to their message group
	groupDedup bool
	lanes      lanes // FIFO per (subscription, group) order

	render renderer

	drops struct{ dedup, exhausted, client, redrive core.DropKey }
}

// sub is a subscription with everything resolved at build time. What every copy reads
// comes first, target a copy of Subscription.Target: a sub is some 200 bytes, and these
// fields spread over it were three or four cache lines per copy.
type sub struct {
	policy  *filter.Policy
	latency sim.Dist
	billed  *core.Counter // Deliveries.<protocol>
	pace    time.Duration // 1 / MaxReceivesPerSecond, or 0
	nextAt  time.Duration // earliest arrival allowed by the throttle policy
	extra   int32         // bytes the envelope adds
	target  core.ComponentID
	Subscription
	retry RetryPolicy
}

// metrics are the topic's CloudWatch metrics (§3.5) and counters for cost and diagnosis.
type metrics struct {
	published, publishSize, requests               *core.Counter
	delivered, failed                              *core.Counter
	filtered, filteredNoAttrs, filteredInvalid     *core.Counter
	redriven, redriveFailed                        *core.Counter
	noMatch, throttled, rejected, deduped, retries *core.Counter
	notificationLatency                            *core.Latency
}

// Event kinds.
const (
	evRetry int32 = iota
)

// New builds a topic and registers it with the world. Every problem with the
// configuration is returned together; nothing is registered then.
func New(w *core.World, cfg Config) (*Topic, error) {
	if err := cfg.validate(w); err != nil {
		return nil, err
	}
	t := &Topic{cfg: cfg, w: w, rng: w.Stream("sns/" + cfg.Name)}
	t.bucket = core.NewTokenBucket(cfg.PublishRate, cfg.PublishRate)
	t.groups = newGroupBuckets(cfg.GroupPublishRate)
	t.dedup = newDedupTable()
	t.groupDedup = cfg.DedupScope == "MessageGroup"
	t.lanes = newLanes()
	t.render = newRenderer(w)

	billed := make(map[string]*core.Counter)
	for _, p := range protocols {
		for _, s := range cfg.Subscriptions {
			if s.Protocol == p && billed[p] == nil {
				billed[p] = w.Metrics.Counter(cfg.Name, "Deliveries."+p, "requests")
			}
		}
	}
	for _, s := range cfg.Subscriptions {
		r := sub{Subscription: s, target: s.Target, retry: defaultPolicy(s.Protocol), latency: s.DeliveryLatency, billed: billed[s.Protocol]}
		if s.RetryPolicy != nil {
			r.retry = *s.RetryPolicy
		}
		if r.latency == nil {
			r.latency = DefaultDeliveryLatency(s.Protocol)
		}
		if s.MaxReceivesPerSecond > 0 {
			r.pace = time.Duration(math.Round(1e9 / s.MaxReceivesPerSecond))
		}
		if !s.RawMessageDelivery {
			r.extra = EnvelopeBytes
		}
		if len(s.FilterPolicy) > 0 {
			p, err := filter.Compile(s.FilterPolicy, s.FilterScope)
			if err != nil { // validated above; kept for safety
				return nil, fmt.Errorf("sns %q: %v", cfg.Name, err)
			}
			r.policy = p
			t.render.need(p.Scope(), s.FilterPolicy)
		}
		t.subs = append(t.subs, r)
	}

	t.id = w.Add(t)
	t.h = w.Eng.Register(t)
	name := cfg.Name
	mc := w.Metrics.Counter
	t.m = metrics{
		published:       mc(name, "NumberOfMessagesPublished", "messages"),
		publishSize:     mc(name, "PublishSize", "bytes"),
		requests:        mc(name, "Requests", "requests"),
		delivered:       mc(name, "NumberOfNotificationsDelivered", "messages"),
		failed:          mc(name, "NumberOfNotificationsFailed", "messages"),
		filtered:        mc(name, "NumberOfNotificationsFilteredOut", "messages"),
		filteredNoAttrs: mc(name, "NumberOfNotificationsFilteredOut-NoMessageAttributes", "messages"),
		filteredInvalid: mc(name, "NumberOfNotificationsFilteredOut-InvalidAttributes", "messages"),
		redriven:        mc(name, "NumberOfNotificationsRedrivenToDlq", "messages"),
		redriveFailed:   mc(name, "NumberOfNotificationsFailedToRedriveToDlq", "messages"),
		noMatch:         mc(name, "NoMatchingSubscription", "messages"),
		throttled:       mc(name, "PublishThrottled", "requests"),
		rejected:        mc(name, "PublishRejected", "requests"),
		deduped:         mc(name, "NumberOfDeduplicatedMessages", "messages"),
		retries:         mc(name, "DeliveryRetries", "requests"),

		notificationLatency: w.Metrics.Latency(name, "NotificationLatency"),
	}
	t.drops.dedup = w.DropReason(name, "duplicate publish (deduplicated)")
	t.drops.exhausted = w.DropReason(name, "delivery failed, retries exhausted")
	t.drops.client = w.DropReason(name, "delivery failed, client error (not retried)")
	t.drops.redrive = w.DropReason(name, "redrive to subscription DLQ failed")
	return t, nil
}

// ID is the topic's component id.
func (t *Topic) ID() core.ComponentID { return t.id }

// Name is the topic's name.
func (t *Topic) Name() string { return t.cfg.Name }

// Config returns the topic's configuration with defaults filled in.
func (t *Topic) Config() Config { return t.cfg }

// FIFO reports whether the topic is a FIFO topic.
func (t *Topic) FIFO() bool { return t.cfg.FIFO }

// Kind is "sns" or "sns-fifo".
func (t *Topic) Kind() string {
	if t.cfg.FIFO {
		return core.KindSNSFIFO
	}
	return core.KindSNS
}

// SendLatency is the Publish call latency (core.APILatency).
func (t *Topic) SendLatency() sim.Dist { return t.cfg.APILatency }

// Holding counts the copies the topic owns: waiting for a retry, or queued behind an
// earlier copy of their FIFO message group.
func (t *Topic) Holding() int { return t.held }

// Check verifies what New could not while some targets were only reserved: every target
// and DLQ accepts messages, and queue types match the topic's (FIFO topics only to FIFO
// queues). Model builders call it once every component is added.
func (t *Topic) Check() error {
	var errs []error
	for i, s := range t.subs {
		for _, id := range []core.ComponentID{s.Target, s.DLQ} {
			if id == core.None {
				continue
			}
			if !t.w.IsTarget(id) {
				errs = append(errs, fmt.Errorf("sns %q: subscriptions.%d: %q does not accept messages", t.cfg.Name, i, t.w.Component(id).Name()))
			}
		}
		if s.Protocol == ProtocolSQS {
			if err := checkQueue(t.w, s.Target, "target", t.cfg.FIFO); err != nil {
				errs = append(errs, fmt.Errorf("sns %q: subscriptions.%d: %v", t.cfg.Name, i, err))
			}
		}
		if s.DLQ != core.None {
			if err := checkQueue(t.w, s.DLQ, "dead-letter queue", t.cfg.FIFO); err != nil {
				errs = append(errs, fmt.Errorf("sns %q: subscriptions.%d: %v", t.cfg.Name, i, err))
			}
		}
	}
	return errors.Join(errs...)
}

// Fire handles retry timers.
func (t *Topic) Fire(ev sim.Event) {
	if ev.Kind == evRetry {
		t.retryNow(int32(ev.A), uint32(ev.B))
	}
}

// chunks is the number of 64 KiB billing units of a payload (at least 1, §8).
func chunks(size int32) uint64 {
	if size <= chunkBytes {
		return 1
	}
	return uint64((size + chunkBytes - 1) / chunkBytes)
}
