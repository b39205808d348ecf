package scenarios

import (
	"math"
	"testing"
	"time"
)

func TestSNSDecodesAWSDefaults(t *testing.T) {
	f := mustLoadReal(t, `
resources:
  topic:
    type: sns
    subscriptions:
      - {protocol: sqs, endpoint: q}
      - {protocol: https, endpoint: hook, delivery_policy: {}}
  q: {type: sqs}
  hook: {type: endpoint, protocol: https}
`)
	r, _ := f.Resources.Get("topic")
	s := r.Settings.(*SNSSettings)
	if s.FIFO || s.FIFOThroughputScope != "Topic" || s.PublishRate != 0 {
		t.Errorf("topic = %+v, want a standard topic with the AWS quota", s)
	}
	sub := s.Subscriptions[0]
	if sub.FilterPolicy != nil || sub.FilterPolicyScope != "MessageAttributes" || sub.RawMessageDelivery || sub.DLQ != nil {
		t.Errorf("sqs subscription = %+v, want no filter, attribute scope, envelope, no DLQ", sub)
	}
	p := s.Subscriptions[1].DeliveryPolicy
	if p == nil || p.NumRetries != 3 || p.MinDelayTarget.D() != 20*time.Second || p.MaxDelayTarget.D() != 20*time.Second || p.BackoffFunction != "linear" {
		t.Errorf("delivery policy = %+v, want 3 retries 20 s apart (linear)", p)
	}
	ep, _ := f.Resources.Get("hook")
	if e := ep.Settings.(*EndpointSettings); e.Capacity != 0 || e.Rate != 0 || e.Errors != 0 {
		t.Errorf("endpoint = %+v, want unlimited, no errors", e)
	}
}

func TestFilterPolicyBecomesCanonicalJSON(t *testing.T) {
	f := mustLoadReal(t, `
resources:
  topic:
    type: sns
    subscriptions:
      - protocol: sqs
        endpoint: q
        filter_policy:
          type: [order, "refund"]
          amount: [{numeric: [">", 100, "<=", 1.5e3]}]
          vip: [{exists: true}]
  q: {type: sqs}
`)
	r, _ := f.Resources.Get("topic")
	got := string(r.Settings.(*SNSSettings).Subscriptions[0].FilterPolicy.JSON)
	want := `{"type":["order","refund"],"amount":[{"numeric":[">",100,"<=",1500]}],"vip":[{"exists":true}]}`
	if got != want {
		t.Errorf("JSON = %s\nwant   %s", got, want)
	}
}

func TestSNSReportsProblemsAtTheirPositions(t *testing.T) {
	const base = `
producers:
  p: {target: topic, arrival: {process: poisson, rate: 1/s}}
resources:
  q: {type: sqs}
  fq: {type: sqs, fifo: true}
  fn: {type: lambda, steps: [{compute: 1ms}]}
  mail: {type: endpoint, protocol: email}
  topic:
    type: sns
`
	tests := []struct {
		name, src, want string
	}{
		{"an endpoint that does not exist", `    subscriptions: [{protocol: sqs, endpoint: qq}]`,
			`x.yaml:11:47: resources.topic.subscriptions.0.endpoint: resource "qq" does not exist (did you mean "q"?)`},
		{"a producer is not an endpoint", `    subscriptions: [{protocol: sqs, endpoint: p}]`,
			`x.yaml:11:47: resources.topic.subscriptions.0.endpoint: "p" is a producer; a subscription endpoint must be a resource`},
		{"an sqs subscription needs a queue", `    subscriptions: [{protocol: sqs, endpoint: fn}]`,
			`x.yaml:11:47: resources.topic.subscriptions.0.endpoint: "fn" is a lambda; an sqs subscription delivers to an SQS queue`},
		{"a lambda subscription needs a function", `    subscriptions: [{protocol: lambda, endpoint: q}]`,
			`x.yaml:11:50: resources.topic.subscriptions.0.endpoint: "q" is a sqs; a lambda subscription delivers to a function`},
		{"the endpoint's protocol must match", `    subscriptions: [{protocol: sms, endpoint: mail}]`,
			`x.yaml:11:47: resources.topic.subscriptions.0.endpoint: the endpoint "mail" speaks email, not sms`},
		{"a standard topic cannot feed a FIFO queue", `    subscriptions: [{protocol: sqs, endpoint: fq}]`,
			`x.yaml:11:47: resources.topic.subscriptions.0.endpoint: a standard topic cannot deliver to the FIFO queue "fq"`},
		{"a FIFO topic delivers only to FIFO queues", "    fifo: true\n    subscriptions: [{protocol: email, endpoint: mail}]",
			`x.yaml:12:49: resources.topic.subscriptions.0.endpoint: a FIFO topic delivers only to FIFO SQS queues, not over email`},
		{"a subscription DLQ has the topic's type", `    subscriptions: [{protocol: sqs, endpoint: q, dlq: fq}]`,
			`x.yaml:11:55: resources.topic.subscriptions.0.dlq: the dead-letter queue of a standard topic's subscription must be a standard queue ("fq" is FIFO)`},
		{"raw delivery is for sqs and http", `    subscriptions: [{protocol: email, endpoint: mail, raw_message_delivery: true}]`,
			`x.yaml:11:77: resources.topic.subscriptions.0.raw_message_delivery: raw message delivery applies to sqs, http and https subscriptions, not email`},
		{"an invalid filter policy is reported at the field with SNS's reason", "    subscriptions:\n      - protocol: sqs\n        endpoint: q\n        filter_policy:\n          type: [{prefix: 5}]",
			`x.yaml:15:17: resources.topic.subscriptions.0.filter_policy.type: filter policy is not valid`},
		{"nested keys are not allowed in attribute scope", "    subscriptions:\n      - protocol: sqs\n        endpoint: q\n        filter_policy: {a: {b: [x]}}",
			`x.yaml:14:`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantErrorLines(t, realErrors(t, base+tt.src+"\n"), tt.want)
		})
	}
}

func TestSNSFanOutRunsAndConservesMessages(t *testing.T) {
	m := runReal(t, `
duration: 2m
producers:
  orders:
    target: topic
    arrival: {process: constant, rate: 10/s}
    attributes: {type: {order: 0.5, refund: 0.5}}
resources:
  topic:
    type: sns
    subscriptions:
      - {protocol: sqs, endpoint: all}
      - {protocol: sqs, endpoint: orders-only, filter_policy: {type: [order]}}
      - {protocol: email, endpoint: mail}
      - {protocol: lambda, endpoint: fn}
  all: {type: sqs}
  orders-only: {type: sqs}
  mail: {type: endpoint, protocol: email, rate: 100/s}
  fn: {type: lambda, steps: [{compute: 5ms}]}
`)
	published := counter(t, m, "topic", "NumberOfMessagesPublished")
	if published < 1100 || published > 1200 {
		t.Fatalf("published %v, want about 1200 (10/s for 2 min)", published)
	}
	filtered := counter(t, m, "topic", "NumberOfNotificationsFilteredOut")
	// Binomial(published, 0.5): mean n/2, sd sqrt(n)/2 ≈ 17; 5 sd is 87.
	if d := filtered - published/2; d > 5*0.5*math.Sqrt(published) || -d > 5*0.5*math.Sqrt(published) {
		t.Errorf("filtered out %v of %v, want about half", filtered, published)
	}
}
