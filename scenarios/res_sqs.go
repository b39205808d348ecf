package scenarios

import (
	"strings"

	"gopkg.in/yaml.v3"

	"msgsim/models/sqs"
)

// SQSSettings is an SQS queue (`type: sqs`): standard, or FIFO with `fifo: true`.
// Defaults are AWS's (behaviour reference §1–2).
type SQSSettings struct {
	FIFO                 bool          `yaml:"fifo" doc:"A FIFO queue: ordered per message group, deduplicated; its name should end in .fifo."`
	VisibilityTimeout    Duration      `yaml:"visibility_timeout" default:"30s" range:"0s..12h" doc:"VisibilityTimeout: how long a received message stays invisible."`
	Delay                Duration      `yaml:"delay" default:"0s" range:"0s..15m" doc:"DelaySeconds: how long a new message stays invisible (delay queue)."`
	Retention            Duration      `yaml:"retention" default:"4d" range:"60s..14d" doc:"MessageRetentionPeriod: messages older than this expire (counted)."`
	MaxMessageSize       Size          `yaml:"max_message_size" default:"256KB" range:"1KB..1MB" doc:"MaximumMessageSize: larger sends are rejected."`
	ReceiveWait          Duration      `yaml:"receive_wait" default:"0s" range:"0s..20s" doc:"ReceiveMessageWaitTimeSeconds: the default long-poll wait (0 = short polling)."`
	Redrive              *RedriveBlock `yaml:"redrive" doc:"RedrivePolicy: the dead-letter queue and maxReceiveCount."`
	DuplicateProbability Percent       `yaml:"duplicate_probability" doc:"Standard queues: chance that a deleted message is delivered once more (assumption; AWS says duplicates are rare)."`
	ContentBasedDedup    bool          `yaml:"content_based_deduplication" doc:"FIFO: deduplicate by message content when no deduplication id is given."`
	DedupScope           string        `yaml:"deduplication_scope" default:"queue" enum:"queue,messageGroup" doc:"FIFO: DeduplicationScope."`
	HighThroughput       bool          `yaml:"high_throughput" doc:"FIFO: high-throughput mode (FifoThroughputLimit=perMessageGroupId, DeduplicationScope=messageGroup)."`
	Region               string        `yaml:"region" default:"us-east-1" doc:"Region of the FIFO high-throughput quota table."`
	APILatency           *DurationDist `yaml:"api_latency" doc:"Latency of one API call (default: lognormal p50 15 ms, p99 100 ms standard; see the model notes)."`
	Sink                 bool          `yaml:"sink" doc:"The queue is the end of a path: end-to-end latency is measured when a message arrives."`
}

// RedriveBlock is a queue's redrive policy.
type RedriveBlock struct {
	DLQ             Ref `yaml:"dlq" required:"true" doc:"The dead-letter queue (same type: standard or FIFO)."`
	MaxReceiveCount int `yaml:"max_receive_count" default:"10" range:"1..1000" doc:"maxReceiveCount: receives before a message moves to the DLQ."`
}

// ValidateYAML checks FIFO-only settings and the .fifo name rule.
func (s *SQSSettings) ValidateYAML(d *Decoder, n *yaml.Node, path string) {
	if !s.FIFO {
		for _, k := range []string{"content_based_deduplication", "deduplication_scope", "high_throughput"} {
			if hasKey(n, k) {
				d.Errorf(d.Field(n, k), JoinPath(path, k), "only FIFO queues have %s (set fifo: true)", k)
			}
		}
		return
	}
	if hasKey(n, "duplicate_probability") {
		d.Errorf(d.Field(n, "duplicate_probability"), JoinPath(path, "duplicate_probability"), "FIFO queues deliver exactly once; duplicate_probability is for standard queues")
	}
}

// config turns the settings into the model's configuration (the DLQ is wired by the builder).
func (s *SQSSettings) config(name string) sqs.Config {
	c := sqs.DefaultConfig(name, s.FIFO)
	c.VisibilityTimeout = s.VisibilityTimeout.D()
	c.Delay = s.Delay.D()
	c.Retention = s.Retention.D()
	c.MaxMessageSize = int32(s.MaxMessageSize)
	c.ReceiveWait = s.ReceiveWait.D()
	c.DuplicateProbability = s.DuplicateProbability.Fraction()
	if s.FIFO {
		c.ContentBasedDedup = s.ContentBasedDedup
		c.DedupScope = s.DedupScope
		c.HighThroughput = s.HighThroughput
		c.ThroughputRegion = s.Region
	}
	if s.APILatency != nil {
		c.APILatency = s.APILatency.Dist
	}
	c.Sink = s.Sink
	if s.Redrive != nil {
		c.MaxReceiveCount = s.Redrive.MaxReceiveCount
	}
	return c
}

// isFIFOName reports whether a queue name has the FIFO suffix.
func isFIFOName(name string) bool { return strings.HasSuffix(name, ".fifo") }
