package scenarios

import (
	"gopkg.in/yaml.v3"

	"msgsim/models/core"
	"msgsim/models/sns"
	"msgsim/models/sns/filter"
)

// SNSSettings is an SNS topic (`type: sns`): standard, or FIFO with `fifo: true`, and its
// subscriptions. Defaults are AWS's (behaviour reference §3):
//
//	order-status:
//	  type: sns
//	  subscriptions:
//	    - {protocol: sqs, endpoint: warehouse-queue, filter_policy: {type: [order]}, dlq: status-dlq}
//	    - {protocol: email, endpoint: email-service}
type SNSSettings struct {
	FIFO                bool                `yaml:"fifo" doc:"A FIFO topic: ordered per message group, deduplicated, delivering only to FIFO queues."`
	ContentBasedDedup   bool                `yaml:"content_based_deduplication" doc:"FIFO: ContentBasedDeduplication, for publishes without a deduplication id."`
	FIFOThroughputScope string              `yaml:"fifo_throughput_scope" default:"Topic" enum:"Topic,MessageGroup" doc:"FIFO: FifoThroughputScope (deduplication scope)."`
	PublishRate         Rate                `yaml:"publish_rate" default:"0/s" doc:"Publish quota (0: the AWS quota, 30,000/s standard or 3,000/s FIFO in us-east-1)."`
	APILatency          *DurationDist       `yaml:"api_latency" doc:"Latency of the Publish call (default lognormal p50 20 ms, p99 100 ms; assumption)."`
	Subscriptions       []SubscriptionBlock `yaml:"subscriptions" doc:"The topic's confirmed subscriptions."`
}

// SubscriptionBlock is one subscription of a topic.
type SubscriptionBlock struct {
	Protocol             string               `yaml:"protocol" required:"true" enum:"sqs,lambda,http,https,email,sms" doc:"Protocol: sqs (a queue), lambda (a function, async invoke) or http, https, email, sms (an endpoint resource)."`
	Endpoint             Ref                  `yaml:"endpoint" required:"true" doc:"The queue, function or endpoint resource that receives the notifications."`
	FilterPolicy         *JSONValue           `yaml:"filter_policy" doc:"FilterPolicy as YAML: {type: [order], amount: [{numeric: ['>', 100]}]}. Absent: every message."`
	FilterPolicyScope    string               `yaml:"filter_policy_scope" default:"MessageAttributes" enum:"MessageAttributes,MessageBody" doc:"FilterPolicyScope: match message attributes or the JSON body."`
	RawMessageDelivery   bool                 `yaml:"raw_message_delivery" doc:"RawMessageDelivery (sqs, http, https): deliver the bare body instead of the JSON envelope."`
	DLQ                  *Ref                 `yaml:"dlq" doc:"RedrivePolicy: the SQS dead-letter queue for notifications that fail every retry."`
	DeliveryPolicy       *DeliveryPolicyBlock `yaml:"delivery_policy" doc:"http/https only: healthyRetryPolicy (default 3 retries 20 s apart)."`
	MaxReceivesPerSecond float64              `yaml:"max_receives_per_second" range:"0.." doc:"http/https only: throttlePolicy.maxReceivesPerSecond (0: no throttle policy)."`
	DeliveryLatency      *DurationDist        `yaml:"delivery_latency" doc:"Publish → arrival at the endpoint per attempt (default: lognormal p50 30 ms, p99 150 ms; to Lambda p50 73 ms, p99 225 ms)."`
}

// DeliveryPolicyBlock is an HTTP/S healthyRetryPolicy (§3.4).
type DeliveryPolicyBlock struct {
	NumRetries         int      `yaml:"num_retries" default:"3" range:"0..100" doc:"numRetries: retries after the first attempt, all phases together."`
	NumNoDelayRetries  int      `yaml:"num_no_delay_retries" default:"0" range:"0..100" doc:"numNoDelayRetries: immediate retries."`
	NumMinDelayRetries int      `yaml:"num_min_delay_retries" default:"0" range:"0..100" doc:"numMinDelayRetries: retries min_delay_target apart (pre-backoff)."`
	NumMaxDelayRetries int      `yaml:"num_max_delay_retries" default:"0" range:"0..100" doc:"numMaxDelayRetries: retries max_delay_target apart (post-backoff)."`
	MinDelayTarget     Duration `yaml:"min_delay_target" default:"20s" range:"1s..3600s" doc:"minDelayTarget."`
	MaxDelayTarget     Duration `yaml:"max_delay_target" default:"20s" range:"1s..3600s" doc:"maxDelayTarget."`
	BackoffFunction    string   `yaml:"backoff_function" default:"linear" enum:"linear,arithmetic,geometric,exponential" doc:"backoffFunction of the backoff phase."`
}

// ValidateYAML checks the FIFO-only settings.
func (s *SNSSettings) ValidateYAML(d *Decoder, n *yaml.Node, path string) {
	if s.FIFO {
		return
	}
	for _, k := range []string{"content_based_deduplication", "fifo_throughput_scope"} {
		if hasKey(n, k) {
			d.Errorf(d.Field(n, k), JoinPath(path, k), "only FIFO topics have %s (set fifo: true)", k)
		}
	}
}

// ValidateYAML compiles the filter policy with SNS's matcher (an invalid policy is an
// error at the field it names, with SNS's reason) and checks the protocol-specific
// settings.
func (s *SubscriptionBlock) ValidateYAML(d *Decoder, n *yaml.Node, path string) {
	if s.FilterPolicy != nil && s.FilterPolicy.JSON != nil {
		if _, err := filter.Compile(s.FilterPolicy.JSON, s.scope()); err != nil {
			d.matcherError(*s.FilterPolicy, JoinPath(path, "filter_policy"), err)
		}
	}
	if hasKey(n, "filter_policy_scope") && s.FilterPolicy == nil {
		d.Errorf(d.Field(n, "filter_policy_scope"), JoinPath(path, "filter_policy_scope"), "filter_policy_scope without a filter_policy")
	}
	http := s.Protocol == sns.ProtocolHTTP || s.Protocol == sns.ProtocolHTTPS
	if s.RawMessageDelivery && !http && s.Protocol != sns.ProtocolSQS {
		d.Errorf(d.Field(n, "raw_message_delivery"), JoinPath(path, "raw_message_delivery"), "raw message delivery applies to sqs, http and https subscriptions, not %s", s.Protocol)
	}
	for _, k := range []string{"delivery_policy", "max_receives_per_second"} {
		if hasKey(n, k) && !http && s.Protocol != "" {
			d.Errorf(d.Field(n, k), JoinPath(path, k), "only http and https subscriptions have %s, not %s", k, s.Protocol)
		}
	}
}

// ValidateYAML checks that the phases fit in the total and the delays are ordered.
func (p *DeliveryPolicyBlock) ValidateYAML(d *Decoder, n *yaml.Node, path string) {
	if sum := p.NumNoDelayRetries + p.NumMinDelayRetries + p.NumMaxDelayRetries; sum > p.NumRetries {
		d.Errorf(d.Field(n, "num_retries"), JoinPath(path, "num_retries"), "%d is less than the immediate, pre- and post-backoff retries together (%d)", p.NumRetries, sum)
	}
	if p.MinDelayTarget > p.MaxDelayTarget {
		d.Errorf(d.Field(n, "max_delay_target"), JoinPath(path, "max_delay_target"), "%s is shorter than min_delay_target %s", p.MaxDelayTarget, p.MinDelayTarget)
	}
}

func (s *SubscriptionBlock) scope() filter.Scope {
	if s.FilterPolicyScope == "MessageBody" {
		return filter.MessageBody
	}
	return filter.MessageAttributes
}

func (s *SNSSettings) graphKind() string {
	if s.FIFO {
		return "sns-fifo"
	}
	return "sns"
}

// check verifies each subscription's endpoint against its protocol (sqs → a queue,
// lambda → a function, the others → an endpoint of that protocol), the FIFO rules (a
// FIFO topic delivers only to FIFO queues; a standard topic not to FIFO queues) and the
// dead-letter queues (an SQS queue of the topic's type).
func (s *SNSSettings) check(c *checker, name string) {
	for _, sub := range s.Subscriptions {
		if c.subscriptionEndpoint(s, sub) {
			c.g.edge(name, sub.Endpoint.Name, "deliver")
		}
		if sub.DLQ != nil && c.ref(*sub.DLQ, isQueue, "a subscription's dead-letter queue") {
			if q := c.queue(sub.DLQ.Name); q != nil && q.FIFO != s.FIFO {
				c.errorf(sub.DLQ.Loc, "the dead-letter queue of a %s topic's subscription must be a %s queue (%q is %s)",
					fifoWord(s.FIFO), fifoWord(s.FIFO), sub.DLQ.Name, fifoWord(q.FIFO))
			}
			c.g.edge(name, sub.DLQ.Name, "redrive")
		}
	}
}

func (c *checker) subscriptionEndpoint(s *SNSSettings, sub SubscriptionBlock) bool {
	if !c.ref(sub.Endpoint, canReceive, "a subscription endpoint") {
		return false
	}
	kind := c.kinds[sub.Endpoint.Name]
	switch sub.Protocol {
	case sns.ProtocolSQS:
		q := c.queue(sub.Endpoint.Name)
		if q == nil {
			c.errorf(sub.Endpoint.Loc, "%q is a %s; an sqs subscription delivers to an SQS queue", sub.Endpoint.Name, kind)
			return false
		}
		if q.FIFO != s.FIFO {
			c.errorf(sub.Endpoint.Loc, "a %s topic cannot deliver to the %s queue %q", fifoWord(s.FIFO), fifoWord(q.FIFO), sub.Endpoint.Name)
			return false
		}
		return true
	case sns.ProtocolLambda:
		if kind != "lambda" {
			c.errorf(sub.Endpoint.Loc, "%q is a %s; a lambda subscription delivers to a function", sub.Endpoint.Name, kind)
			return false
		}
	default:
		r, _ := c.f.Resources.Get(sub.Endpoint.Name)
		ep, ok := r.Settings.(*EndpointSettings)
		if !ok {
			c.errorf(sub.Endpoint.Loc, "%q is a %s; an %s subscription delivers to an endpoint resource (type: endpoint, protocol: %s)", sub.Endpoint.Name, kind, sub.Protocol, sub.Protocol)
			return false
		}
		if ep.Protocol != sub.Protocol {
			c.errorf(sub.Endpoint.Loc, "the endpoint %q speaks %s, not %s", sub.Endpoint.Name, ep.Protocol, sub.Protocol)
			return false
		}
	}
	if s.FIFO {
		c.errorf(sub.Endpoint.Loc, "a FIFO topic delivers only to FIFO SQS queues, not over %s", sub.Protocol)
		return false
	}
	return true
}

// config turns the settings into the topic's configuration.
func (s *SNSSettings) config(b *builder, name string) sns.Config {
	cfg := sns.Config{Name: name, FIFO: s.FIFO, PublishRate: s.PublishRate.PerSecond()}
	if s.FIFO {
		cfg.ContentBasedDedup = s.ContentBasedDedup
		cfg.DedupScope = s.FIFOThroughputScope
	}
	if s.APILatency != nil {
		cfg.APILatency = s.APILatency.Dist
	}
	for _, sub := range s.Subscriptions {
		out := sns.Subscription{
			Protocol:             sub.Protocol,
			Target:               b.id(sub.Endpoint.Name),
			FilterScope:          sub.scope(),
			RawMessageDelivery:   sub.RawMessageDelivery,
			DLQ:                  core.None,
			MaxReceivesPerSecond: sub.MaxReceivesPerSecond,
		}
		if sub.FilterPolicy != nil {
			out.FilterPolicy = sub.FilterPolicy.JSON
		}
		if sub.DLQ != nil {
			out.DLQ = b.id(sub.DLQ.Name)
		}
		if sub.DeliveryLatency != nil {
			out.DeliveryLatency = sub.DeliveryLatency.Dist
		}
		if p := sub.DeliveryPolicy; p != nil {
			fn, _ := sns.ParseBackoff(p.BackoffFunction) // the enum tag admits only valid names
			out.RetryPolicy = &sns.RetryPolicy{
				Retries: p.NumRetries, NoDelay: p.NumNoDelayRetries,
				MinDelayRetries: p.NumMinDelayRetries, MaxDelayRetries: p.NumMaxDelayRetries,
				MinDelay: p.MinDelayTarget.D(), MaxDelay: p.MaxDelayTarget.D(), Function: fn,
			}
		}
		cfg.Subscriptions = append(cfg.Subscriptions, out)
	}
	return cfg
}

func (s *SNSSettings) build(b *builder, name string, _ Loc) { b.buildInOrder(name, nil) }

// construct adds the topic; its Check runs once every component exists (a subscription
// in a cycle may point at a resource built after it).
func (s *SNSSettings) construct(b *builder, name string, loc Loc) {
	t, err := sns.New(b.w, s.config(b, name))
	if err != nil {
		b.fail(loc, err)
		return
	}
	b.after = append(b.after, func() {
		if err := t.Check(); err != nil {
			b.fail(loc, err)
		}
	})
}
