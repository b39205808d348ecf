package sns

import (
	"errors"
	"fmt"
	"math"

	"msgsim/models/core"
	"msgsim/models/sns/filter"
	"msgsim/sim"
)

// Subscription protocols.
const (
	ProtocolSQS    = "sqs"
	ProtocolLambda = "lambda"
	ProtocolHTTP   = "http"
	ProtocolHTTPS  = "https"
	ProtocolEmail  = "email"
	ProtocolSMS    = "sms"
)

// protocols lists the protocols in the order their Deliveries.<protocol> counters are
// registered.
var protocols = [...]string{ProtocolSQS, ProtocolLambda, ProtocolHTTP, ProtocolHTTPS, ProtocolEmail, ProtocolSMS}

// Subscription is one confirmed subscription of a topic.
type Subscription struct {
	Protocol string           // sqs, lambda, http, https, email or sms
	Target   core.ComponentID // the queue, function or endpoint (models/endpoint)
	// FilterPolicy is the JSON filter policy (empty: every message); FilterScope is where it
	// looks (§3.3).
	FilterPolicy []byte
	FilterScope  filter.Scope
	// RawMessageDelivery sends the bare body instead of the JSON envelope (sqs, http, https
	// only, §3.2); without it a copy is EnvelopeBytes larger.
	RawMessageDelivery bool
	// DLQ is the subscription's redrive dead-letter queue (an SQS queue of the topic's
	// type), or core.None — which must be set explicitly: the zero value is component 0.
	DLQ core.ComponentID
	// RetryPolicy is a custom HTTP/S delivery policy (healthyRetryPolicy); nil means the
	// protocol's policy (§3.4). Only http and https subscriptions may set it.
	RetryPolicy *RetryPolicy
	// DeliveryLatency is publish → arrival at the target for each attempt; nil means the
	// protocol's default (note 16).
	DeliveryLatency sim.Dist
	// MaxReceivesPerSecond is the HTTP/S throttlePolicy: SNS paces deliveries (first
	// attempts and retries) to at most this many per second, evenly spaced; 0 means no
	// throttle policy.
	MaxReceivesPerSecond float64
}

// Config describes a topic. Zero values take the AWS defaults.
type Config struct {
	Name string
	FIFO bool
	// ContentBasedDedup derives a missing deduplication id from the content (the message's
	// trace id: identical content means the same produced message). FIFO only.
	ContentBasedDedup bool
	// DedupScope is "Topic" (default) or "MessageGroup" (FifoThroughputScope). FIFO only.
	DedupScope    string
	Subscriptions []Subscription
	// PublishRate is the publish quota in messages/s, a token bucket with a burst of 1 s
	// (notes 18, 39). 0 means DefaultPublishRate (standard) or DefaultFIFOPublishRate (FIFO);
	// negative means unlimited.
	PublishRate float64
	// GroupPublishRate is the FIFO per-message-group quota (300 msg/s); 0 means the
	// default, negative unlimited.
	GroupPublishRate float64
	// APILatency is the latency of the Publish call, drawn by publishers (nil: the default).
	APILatency sim.Dist
	// Jitter spreads each retry delay uniformly over ±Jitter of itself (note 12). 0 means
	// DefaultJitter; NoJitter makes retry times exact.
	Jitter float64
}

// Defaults and limits (§3.1, notes 12, 16, 18).
const (
	DefaultPublishRate     = 30000 // us-east-1
	DefaultFIFOPublishRate = 3000  // per FIFO topic (2023 announcement)
	DefaultGroupRate       = 300   // per FIFO message group
	DefaultJitter          = 0.10
	NoJitter               = -1
	MaxMessageBytes        = 256 * 1024
	// EnvelopeBytes is what the JSON envelope (Type, MessageId, TopicArn, Timestamp,
	// Signature, ...) adds to a copy delivered without raw message delivery — an assumption,
	// the size of a typical envelope around an escaped body.
	EnvelopeBytes = 1024
	// chunkBytes is the billing unit of publishes and deliveries (§8).
	chunkBytes = 64 * 1024
)

// defaultDist builds a lognormal from its p50 and p99 (fixed constants: cannot fail).
func defaultDist(p50, p99 float64) sim.Dist {
	d, err := sim.NewDist(sim.DistSpec{Kind: "lognormal", Params: map[string]float64{"p50": p50, "p99": p99}})
	if err != nil {
		panic("sns: default latency: " + err.Error())
	}
	return d
}

// DefaultAPILatency is the Publish call latency: lognormal p50 20 ms, p99 100 ms (an
// assumption like SQS's note 7; AWS publishes no figure).
func DefaultAPILatency() sim.Dist { return defaultDist(0.020, 0.100) }

// DefaultDeliveryLatency is publish → delivery per protocol (note 16): to SQS p50 30 ms,
// p99 150 ms; to Lambda p50 73 ms, p99 225 ms including the async dispatch; to HTTP/S,
// email and SMS endpoints SNS's own share is taken to be SQS's (the endpoint adds its own).
func DefaultDeliveryLatency(protocol string) sim.Dist {
	if protocol == ProtocolLambda {
		return defaultDist(0.073, 0.225)
	}
	return defaultDist(0.030, 0.150)
}

// defaultPolicy is the retry policy of a protocol (§3.4).
func defaultPolicy(protocol string) RetryPolicy {
	switch protocol {
	case ProtocolSQS, ProtocolLambda:
		return AWSManaged
	case ProtocolHTTP, ProtocolHTTPS:
		return HTTPDefault
	}
	return CustomerManaged
}

// fifoReporter is implemented by queues that say whether they are FIFO (*sqs.Queue).
type fifoReporter interface{ FIFO() bool }

// queueType reports whether component c is an SQS queue and whether it is FIFO: a queue
// implements FIFO() bool (as *sqs.Queue does) or has kind "sqs" or "sqs-fifo".
func queueType(c core.Component) (fifo, queue bool) {
	if f, ok := c.(fifoReporter); ok {
		return f.FIFO(), true
	}
	switch core.KindOf(c) {
	case core.KindSQSFIFO:
		return true, true
	case core.KindSQS:
		return false, true
	}
	return false, false
}

// validate fills defaults and checks every setting, returning all problems together.
func (c *Config) validate(w *core.World) error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("sns %q: "+format, append([]any{c.Name}, args...)...))
	}
	if c.Name == "" {
		bad("name must not be empty")
	}
	if c.PublishRate == 0 {
		c.PublishRate = DefaultPublishRate
		if c.FIFO {
			c.PublishRate = DefaultFIFOPublishRate
		}
	}
	if c.GroupPublishRate == 0 {
		c.GroupPublishRate = DefaultGroupRate
	}
	if c.APILatency == nil {
		c.APILatency = DefaultAPILatency()
	}
	switch {
	case c.Jitter == 0:
		c.Jitter = DefaultJitter
	case c.Jitter == NoJitter:
		c.Jitter = 0
	case c.Jitter < 0 || c.Jitter >= 1:
		bad("jitter %v is out of range [0, 1)", c.Jitter)
	}
	switch c.DedupScope {
	case "":
		c.DedupScope = "Topic"
	case "Topic", "MessageGroup":
	default:
		bad("dedup scope %q is not Topic or MessageGroup", c.DedupScope)
	}
	if !c.FIFO && (c.ContentBasedDedup || c.DedupScope == "MessageGroup") {
		bad("content-based deduplication and dedup scope apply to FIFO topics only")
	}
	if c.FIFO && len(c.Subscriptions) > 100 {
		bad("a FIFO topic has at most 100 subscriptions, got %d", len(c.Subscriptions))
	}
	for i := range c.Subscriptions {
		s := &c.Subscriptions[i]
		if err := s.validate(w, c.FIFO); err != nil {
			bad("subscriptions.%d: %v", i, err)
		}
	}
	return errors.Join(errs...)
}

func (s *Subscription) validate(w *core.World, fifoTopic bool) error {
	var errs []error
	known := false
	for _, p := range protocols {
		known = known || s.Protocol == p
	}
	if !known {
		errs = append(errs, fmt.Errorf("protocol %q is not one of sqs, lambda, http, https, email, sms", s.Protocol))
	}
	if s.Target < 0 || int(s.Target) >= len(w.Components()) {
		errs = append(errs, fmt.Errorf("target %d is not a component", s.Target))
	} else if _, req := w.Component(s.Target).(core.Requester); req && !w.IsTarget(s.Target) {
		errs = append(errs, fmt.Errorf("target %q does not accept messages", w.Component(s.Target).Name()))
	}
	if fifoTopic && s.Protocol != ProtocolSQS {
		errs = append(errs, fmt.Errorf("a FIFO topic delivers only to SQS queues, not %s", s.Protocol))
	}
	if s.Protocol == ProtocolSQS {
		if err := checkQueue(w, s.Target, "target", fifoTopic); err != nil {
			errs = append(errs, err)
		}
	}
	if s.DLQ != core.None {
		if err := checkQueue(w, s.DLQ, "dead-letter queue", fifoTopic); err != nil {
			errs = append(errs, err)
		}
	}
	if s.RawMessageDelivery && s.Protocol != ProtocolSQS && s.Protocol != ProtocolHTTP && s.Protocol != ProtocolHTTPS {
		errs = append(errs, fmt.Errorf("raw message delivery applies to sqs, http and https only, not %s", s.Protocol))
	}
	if s.MaxReceivesPerSecond != 0 {
		if s.Protocol != ProtocolHTTP && s.Protocol != ProtocolHTTPS {
			errs = append(errs, fmt.Errorf("only http and https subscriptions take a throttle policy, not %s", s.Protocol))
		} else if !(s.MaxReceivesPerSecond > 0) || math.IsInf(s.MaxReceivesPerSecond, 0) {
			errs = append(errs, fmt.Errorf("maxReceivesPerSecond must be > 0, got %v", s.MaxReceivesPerSecond))
		}
	}
	if s.RetryPolicy != nil {
		if s.Protocol != ProtocolHTTP && s.Protocol != ProtocolHTTPS {
			errs = append(errs, fmt.Errorf("only http and https subscriptions take a custom retry policy, not %s", s.Protocol))
		} else if err := s.RetryPolicy.validate(true); err != nil {
			errs = append(errs, fmt.Errorf("retry policy: %v", err))
		}
	}
	if len(s.FilterPolicy) > 0 {
		if _, err := filter.Compile(s.FilterPolicy, s.FilterScope); err != nil {
			errs = append(errs, fmt.Errorf("filter policy: %v", err))
		}
	}
	return errors.Join(errs...)
}

// checkQueue checks that id is an SQS queue of the topic's type: FIFO topics deliver only
// to FIFO queues and need FIFO dead-letter queues; standard topics cannot deliver to FIFO
// queues (§3.1, §3.4). A component that does not accept messages may be reserved and not
// yet added (unless it is a requester, which a queue never is): Topic.Check verifies it
// once the model is complete.
func checkQueue(w *core.World, id core.ComponentID, what string, fifoTopic bool) error {
	if id < 0 || int(id) >= len(w.Components()) {
		return fmt.Errorf("%s %d is not a component", what, id)
	}
	c := w.Component(id)
	if !w.IsTarget(id) {
		if _, ok := c.(core.Requester); ok {
			return fmt.Errorf("%s %q does not accept messages (DLQ: set core.None for none)", what, c.Name())
		}
		return nil
	}
	fifo, queue := queueType(c)
	switch {
	case !queue:
		return fmt.Errorf("%s %q is not an SQS queue", what, c.Name())
	case fifoTopic && !fifo:
		return fmt.Errorf("%s %q must be a FIFO queue for a FIFO topic", what, c.Name())
	case !fifoTopic && fifo:
		return fmt.Errorf("%s %q is a FIFO queue: only FIFO topics deliver to FIFO queues", what, c.Name())
	}
	return nil
}
