package scenarios

import (
	"testing"
	"time"
)

func TestEventBridgeDecodesAWSDefaults(t *testing.T) {
	f := mustLoadReal(t, `
resources:
  bus:
    type: eventbridge
    rules:
      all:
        event_pattern: {source: [shop]}
        targets: [{arn: q, retry_policy: {}}]
  q: {type: sqs}
`)
	r, _ := f.Resources.Get("bus")
	s := r.Settings.(*EventBridgeSettings)
	if s.Region != "us-east-1" || s.PutEventsRate != 0 || s.InvocationRate != 0 {
		t.Errorf("bus = %+v, want us-east-1 and the Region's quotas", s)
	}
	rule, _ := s.Rules.Get("all")
	if rule.State != "ENABLED" || string(rule.EventPattern.JSON) != `{"source":["shop"]}` {
		t.Errorf("rule = %+v", rule)
	}
	p := rule.Targets[0].RetryPolicy
	if p.MaximumRetryAttempts != 185 || p.MaximumEventAge.D() != 24*time.Hour {
		t.Errorf("retry policy = %+v, want 185 attempts over 24h", p)
	}
}

func TestEventBridgeReportsProblemsAtTheirPositions(t *testing.T) {
	const base = `
producers:
  p: {target: bus, arrival: {process: poisson, rate: 1/s}}
resources:
  q: {type: sqs}
  fq: {type: sqs, fifo: true}
  bus:
    type: eventbridge
    rules:
      r:
`
	tests := []struct{ name, src, want string }{
		{"a target that does not exist", "        event_pattern: {source: [x]}\n        targets: [{arn: qq}]",
			`x.yaml:12:25: resources.bus.rules.r.targets.0.arn: resource "qq" does not exist (did you mean "q"?)`},
		{"a producer is not a target", "        event_pattern: {source: [x]}\n        targets: [{arn: p}]",
			`x.yaml:12:25: resources.bus.rules.r.targets.0.arn: "p" is a producer; a rule target must be a resource`},
		{"a target DLQ must be a standard queue", "        event_pattern: {source: [x]}\n        targets: [{arn: q, dlq: fq}]",
			`x.yaml:12:33: resources.bus.rules.r.targets.0.dlq: a rule target's dead-letter queue must be a standard queue ("fq" is FIFO)`},
		{"at most five targets", "        event_pattern: {source: [x]}\n        targets: [{arn: q}, {arn: q}, {arn: q}, {arn: q}, {arn: q}, {arn: q}]",
			`x.yaml:12:18: resources.bus.rules.r.targets: 6 targets; a rule has at most 5`},
		{"a pattern or a schedule", "        targets: [{arn: q}]",
			`x.yaml:11:9: resources.bus.rules.r: a rule needs an event_pattern or a schedule`},
		{"an invalid pattern is reported at the field with EventBridge's reason", "        event_pattern:\n          detail:\n            amount: [{numeric: [\">\", \"x\"]}]\n        targets: [{arn: q}]",
			`x.yaml:13:21: resources.bus.rules.r.event_pattern.detail.amount: event pattern is not valid`},
		{"a leaf that is not a list", "        event_pattern: {source: shop}\n        targets: [{arn: q}]",
			`x.yaml:11:33: resources.bus.rules.r.event_pattern.source: event pattern is not valid: source: "source" must be an object or an array`},
		{"an invalid schedule", "        schedule: rate(5 fortnights)\n        targets: [{arn: q}]",
			`x.yaml:11:19: resources.bus.rules.r.schedule: schedule "rate(5 fortnights)": rate unit "fortnights" must be minute(s), hour(s) or day(s)`},
		{"one input form per target", "        schedule: rate(5 minutes)\n        targets: [{arn: q, input: {a: 1}, input_path: $.detail}]",
			`x.yaml:12:55: resources.bus.rules.r.targets.0.input_path: a target takes one of input, input_path and input_transformer; input and input_path given`},
		{"an invalid input path", "        schedule: rate(5 minutes)\n        targets: [{arn: q, input_path: detail}]",
			`x.yaml:12:40: resources.bus.rules.r.targets.0.input_path: JSON path "detail" must start with $`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantErrorLines(t, realErrors(t, base+tt.src+"\n"), tt.want)
		})
	}
}

func TestEventBridgeRoutesAndConservesMessages(t *testing.T) {
	m := runReal(t, `
duration: 2m
producers:
  orders:
    target: bus
    arrival: {process: constant, rate: 10/s}
    attributes:
      type: {order: 0.5, refund: 0.5}
      amount: {dist: uniform, min: 0, max: 200}
resources:
  bus:
    type: eventbridge
    rules:
      orders:
        event_pattern: {detail: {type: [order]}}
        targets: [{arn: orders-q}, {arn: fn, input_transformer: {input_paths_map: {t: $.detail.type}, input_template: '{"t": <t>}'}}]
      big:
        event_pattern: {detail: {amount: [{numeric: [">", 100]}]}}
        targets: [{arn: big-q, retry_policy: {maximum_retry_attempts: 2, maximum_event_age: 60s}, dlq: dlq}]
      tick:
        schedule: rate(1 minute)
        targets: [{arn: big-q}]
  orders-q: {type: sqs}
  big-q: {type: sqs}
  dlq: {type: sqs}
  fn: {type: lambda, steps: [{compute: 5ms}]}
`)
	if n := counter(t, m, "orders-q", "NumberOfMessagesSent"); n < 400 || n > 800 {
		t.Errorf("orders-q got %v events, want about half of 1,200", n)
	}
}
