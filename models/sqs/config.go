package sqs

import (
	"errors"
	"fmt"
	"regexp"
	"time"

	"msgsim/sim"
)

// Config describes one queue. Start from DefaultConfig, which holds the AWS defaults of
// §1.1 and §2.1; fields where zero is not a valid AWS value (Retention, MaxMessageSize,
// ShortPollPartitions, InFlightLimit, DedupScope, APILatency) take their default when zero.
type Config struct {
	Name string
	FIFO bool

	VisibilityTimeout time.Duration // default 30 s, 0 – 12 h
	Delay             time.Duration // DelaySeconds, default 0, 0 – 15 min
	Retention         time.Duration // MessageRetentionPeriod, default 4 days, 60 s – 14 days
	MaxMessageSize    int32         // MaximumMessageSize, default 262,144 (legacy profile), 1,024 – 1,048,576
	ReceiveWait       time.Duration // ReceiveMessageWaitTimeSeconds, default 0 (short polling), 0 – 20 s

	// DLQ and MaxReceiveCount are the redrive policy (nil: none). The DLQ must be of the
	// same type (standard or FIFO) as this queue.
	DLQ             *Queue
	MaxReceiveCount int

	DuplicateProbability float64 // standard only: note 1, default 0
	ShortPollPartitions  int     // note 2: virtual partitions K, default 8, 1 – 32
	InFlightLimit        int     // in-flight cap, default 120,000 (standard; FIFO note 9)

	// FIFO only.
	ContentBasedDedup bool   // deduplicate by content (the message's Trace) when it has no Dedup id
	DedupScope        string // "queue" (default) or "messageGroup"
	HighThroughput    bool   // FifoThroughputLimit=perMessageGroupId and DedupScope=messageGroup
	ThroughputRegion  string // Region of the high-throughput quota table (§2.2); default us-east-1

	// APILatency is the latency of one API call (note 7); nil gives the default of the type.
	APILatency sim.Dist
	// DeadLetterQueue marks a queue used only to collect failures (the DLQ of SNS
	// subscriptions, EventBridge targets or Lambda on-failure destinations): every message
	// sent to it counts as a dead letter (core.DeadLetterHolder), like one moved here by a
	// redrive policy.
	DeadLetterQueue bool
	// Sink marks the queue as the end of a path: end-to-end latency is recorded when a
	// message is accepted.
	Sink bool
}

// Defaults and limits from §1.1, §2.1 and §2.2 of the behaviour reference.
const (
	DefaultVisibilityTimeout = 30 * time.Second
	DefaultRetention         = 4 * 24 * time.Hour
	DefaultMaxMessageSize    = 262144
	DefaultPartitions        = 8
	DefaultInFlightLimit     = 120000
	MaxVisibilityTimeout     = 12 * time.Hour
	MaxDelay                 = 15 * time.Minute
	MinRetention             = 60 * time.Second
	MaxRetention             = 14 * 24 * time.Hour
	MaxWait                  = 20 * time.Second
	MaxBatch                 = 10
	DedupInterval            = 5 * time.Minute
	FIFOScanWindow           = 120000
	partitionTPS             = 300
)

// Dedup scopes.
const (
	ScopeQueue        = "queue"
	ScopeMessageGroup = "messageGroup"
)

// DefaultConfig returns the AWS defaults for a standard or FIFO queue.
func DefaultConfig(name string, fifo bool) Config {
	return Config{
		Name:                name,
		FIFO:                fifo,
		VisibilityTimeout:   DefaultVisibilityTimeout,
		Retention:           DefaultRetention,
		MaxMessageSize:      DefaultMaxMessageSize,
		ShortPollPartitions: DefaultPartitions,
		InFlightLimit:       DefaultInFlightLimit,
		DedupScope:          ScopeQueue,
	}
}

// defaultLatency returns the per-call API latency of note 7.
func defaultLatency(fifo bool) sim.Dist {
	spec := sim.DistSpec{Kind: "lognormal", Params: map[string]float64{"p50": 0.015, "p99": 0.100}}
	if fifo {
		spec.Params = map[string]float64{"p50": 0.028, "p99": 0.200}
	}
	d, err := sim.NewDist(spec)
	if err != nil {
		panic("sqs: default latency: " + err.Error()) // fixed constants: cannot happen
	}
	return d
}

var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// regionQuota is the high-throughput FIFO quota of a Region in API calls per second (§2.2).
func regionQuota(region string) float64 {
	switch region {
	case "us-east-1", "us-west-2", "eu-west-1":
		return 70000
	case "us-east-2", "eu-central-1":
		return 19000
	case "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1":
		return 9000
	case "eu-west-2", "sa-east-1":
		return 4500
	}
	return 2400
}

// withDefaults fills zero fields that have no valid zero value and checks every range,
// returning all problems at once.
func (c Config) withDefaults() (Config, error) {
	if c.Retention == 0 {
		c.Retention = DefaultRetention
	}
	if c.MaxMessageSize == 0 {
		c.MaxMessageSize = DefaultMaxMessageSize
	}
	if c.ShortPollPartitions == 0 {
		c.ShortPollPartitions = DefaultPartitions
	}
	if c.InFlightLimit == 0 {
		c.InFlightLimit = DefaultInFlightLimit
	}
	if c.DedupScope == "" {
		c.DedupScope = ScopeQueue
	}
	if c.HighThroughput {
		c.DedupScope = ScopeMessageGroup
		if c.ThroughputRegion == "" {
			c.ThroughputRegion = "us-east-1"
		}
	}
	if c.APILatency == nil {
		c.APILatency = defaultLatency(c.FIFO)
	}
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("sqs %q: "+format, append([]any{c.Name}, args...)...))
	}
	if c.Name == "" {
		bad("name must not be empty")
	}
	if c.VisibilityTimeout < 0 || c.VisibilityTimeout > MaxVisibilityTimeout {
		bad("visibility timeout %v is out of range 0s..12h", c.VisibilityTimeout)
	}
	if c.Delay < 0 || c.Delay > MaxDelay {
		bad("delay %v is out of range 0s..15m", c.Delay)
	}
	if c.Retention < MinRetention || c.Retention > MaxRetention {
		bad("retention %v is out of range 1m..336h", c.Retention)
	}
	if c.MaxMessageSize < 1024 || c.MaxMessageSize > 1048576 {
		bad("max message size %d is out of range 1024..1048576", c.MaxMessageSize)
	}
	if c.ReceiveWait < 0 || c.ReceiveWait > MaxWait {
		bad("receive wait %v is out of range 0s..20s", c.ReceiveWait)
	}
	if c.DLQ != nil {
		if c.DLQ.cfg.FIFO != c.FIFO {
			bad("dead-letter queue %q must be the same type as the queue (fifo %v, dlq fifo %v)", c.DLQ.cfg.Name, c.FIFO, c.DLQ.cfg.FIFO)
		}
		if c.MaxReceiveCount < 1 {
			bad("max receive count %d must be ≥ 1 with a dead-letter queue", c.MaxReceiveCount)
		}
	}
	if !(c.DuplicateProbability >= 0 && c.DuplicateProbability <= 1) {
		bad("duplicate probability %v is out of range 0..1", c.DuplicateProbability)
	}
	if c.FIFO && c.DuplicateProbability > 0 {
		bad("duplicate probability applies to standard queues only")
	}
	if c.ShortPollPartitions < 1 || c.ShortPollPartitions > 32 {
		bad("short poll partitions %d is out of range 1..32", c.ShortPollPartitions)
	}
	if c.InFlightLimit < 1 {
		bad("in-flight limit %d must be ≥ 1", c.InFlightLimit)
	}
	if c.DedupScope != ScopeQueue && c.DedupScope != ScopeMessageGroup {
		bad("dedup scope %q must be %q or %q", c.DedupScope, ScopeQueue, ScopeMessageGroup)
	}
	if !c.FIFO && (c.ContentBasedDedup || c.HighThroughput || c.DedupScope != ScopeQueue || c.ThroughputRegion != "") {
		bad("content-based deduplication, dedup scope, high throughput and throughput region apply to FIFO queues only")
	}
	if c.ThroughputRegion != "" && !regionPattern.MatchString(c.ThroughputRegion) {
		bad("throughput region %q is not a Region name such as us-east-1", c.ThroughputRegion)
	}
	return c, errors.Join(errs...)
}
