package scenarios

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"msgsim/models/core"
	"msgsim/models/eventbridge"
	"msgsim/models/eventbridge/pattern"
)

// EventBridgeSettings is an EventBridge event bus and its rules (`type: eventbridge`).
// Defaults are AWS's (behaviour reference §4):
//
//	orders-bus:
//	  type: eventbridge
//	  rules:
//	    big-orders:
//	      event_pattern: {detail: {amount: [{numeric: [">", 100]}]}}
//	      targets: [{arn: audit-queue, retry_policy: {maximum_retry_attempts: 3}, dlq: eb-dlq}]
//	    nightly: {schedule: "cron(0 2 * * ? *)", targets: [{arn: report}]}
type EventBridgeSettings struct {
	Region          string                `yaml:"region" default:"us-east-1" doc:"Region: chooses the PutEvents (10,000/s) and invocation (18,750/s) quotas."`
	PutEventsRate   Rate                  `yaml:"put_events_rate" default:"0/s" doc:"PutEvents quota in entries per second (0: the Region's quota)."`
	InvocationRate  Rate                  `yaml:"invocation_rate" default:"0/s" doc:"Target invocation quota per second (0: the Region's quota); over it invocations are delayed, not dropped."`
	Source          string                `yaml:"source" doc:"The events' source field (default: the producer's name; an attribute named source overrides it)."`
	DetailType      string                `yaml:"detail_type" doc:"The events' detail-type field (default: the producer's name; an attribute named detail-type overrides it)."`
	APILatency      *DurationDist         `yaml:"api_latency" doc:"Latency of a PutEvents call (default lognormal p50 20 ms, p99 100 ms; assumption)."`
	DeliveryLatency *DurationDist         `yaml:"delivery_latency" doc:"Ingestion → target invocation per attempt (default lognormal p50 150 ms, p99 400 ms)."`
	Rules           OrderedMap[RuleBlock] `yaml:"rules" doc:"The bus's rules by name: an event pattern or a schedule, and up to 5 targets."`
}

// RuleBlock is one rule of a bus.
type RuleBlock struct {
	EventPattern *JSONValue    `yaml:"event_pattern" doc:"EventPattern as YAML: {source: [shop], detail: {amount: [{numeric: ['>', 100]}]}}."`
	Schedule     string        `yaml:"schedule" doc:"ScheduleExpression: rate(5 minutes) or cron(0 2 * * ? *), in UTC from 2026-01-01T00:00Z at time 0."`
	State        string        `yaml:"state" default:"ENABLED" enum:"ENABLED,DISABLED" doc:"State: a disabled rule matches nothing and never fires."`
	Targets      []TargetBlock `yaml:"targets" required:"true" doc:"Up to 5 targets: queues, topics, functions or buses."`
}

// TargetBlock is one target of a rule.
type TargetBlock struct {
	ARN              Ref                    `yaml:"arn" required:"true" doc:"The target resource: a queue, topic, function or bus."`
	ID               string                 `yaml:"id" doc:"The target's Id within the rule (default target-<index>)."`
	Input            *JSONValue             `yaml:"input" doc:"Input: constant JSON sent instead of the event."`
	InputPath        string                 `yaml:"input_path" doc:"InputPath: the part of the event sent, such as $.detail."`
	InputTransformer *InputTransformerBlock `yaml:"input_transformer" doc:"InputTransformer: input_paths_map and input_template."`
	RetryPolicy      *EBRetryPolicyBlock    `yaml:"retry_policy" doc:"RetryPolicy (default 185 attempts over 24 h)."`
	DLQ              *Ref                   `yaml:"dlq" doc:"DeadLetterConfig: a standard SQS queue for events that could not be delivered."`
}

// InputTransformerBlock is a target's InputTransformer.
type InputTransformerBlock struct {
	InputPathsMap OrderedMap[string] `yaml:"input_paths_map" doc:"InputPathsMap: variable name → JSON path in the event."`
	InputTemplate string             `yaml:"input_template" required:"true" doc:"InputTemplate: text with <variable> placeholders."`
}

// EBRetryPolicyBlock is a target's RetryPolicy.
type EBRetryPolicyBlock struct {
	MaximumRetryAttempts int      `yaml:"maximum_retry_attempts" default:"185" range:"0..185" doc:"MaximumRetryAttempts."`
	MaximumEventAge      Duration `yaml:"maximum_event_age" default:"24h" range:"60s..24h" doc:"MaximumEventAgeInSeconds."`
}

// ValidateYAML compiles the pattern with EventBridge's matcher (an invalid pattern is an
// error at the field it names, with EventBridge's reason), checks the schedule, and
// limits the targets to five.
func (r *RuleBlock) ValidateYAML(d *Decoder, n *yaml.Node, path string) {
	hasPattern, hasSchedule := r.EventPattern != nil, r.Schedule != ""
	switch {
	case !hasPattern && !hasSchedule:
		d.Errorf(n, path, "a rule needs an event_pattern or a schedule")
	case hasPattern && hasSchedule:
		d.Errorf(d.Field(n, "schedule"), JoinPath(path, "schedule"), "a rule has an event_pattern or a schedule, not both")
	}
	if hasPattern && r.EventPattern.JSON != nil {
		if _, err := pattern.Compile(r.EventPattern.JSON); err != nil {
			d.matcherError(*r.EventPattern, JoinPath(path, "event_pattern"), err)
		}
	}
	if hasSchedule {
		if err := probeRule(eventbridge.Rule{Schedule: r.Schedule}); err != nil {
			d.Errorf(d.Field(n, "schedule"), JoinPath(path, "schedule"), "%v", err)
		}
	}
	if len(r.Targets) > eventbridge.MaxTargets {
		d.Errorf(d.Field(n, "targets"), JoinPath(path, "targets"), "%d targets; a rule has at most %d", len(r.Targets), eventbridge.MaxTargets)
	}
	ids := map[string]int{}
	for i, t := range r.Targets {
		id := t.ID
		if id == "" {
			continue
		}
		if j, dup := ids[id]; dup {
			tn := Resolve(d.Field(n, "targets"))
			if tn != nil && tn.Kind == yaml.SequenceNode && i < len(tn.Content) {
				d.Errorf(d.Field(tn.Content[i], "id"), JoinPath(path, "targets."+strconv.Itoa(i)+".id"), "duplicate target id %q (also targets.%d)", id, j)
			}
			continue
		}
		ids[id] = i
	}
}

// ValidateYAML allows one input form per target and checks it with EventBridge's rules.
func (t *TargetBlock) ValidateYAML(d *Decoder, n *yaml.Node, path string) {
	var forms []string
	for _, k := range []string{"input", "input_path", "input_transformer"} {
		if hasKey(n, k) && !IsNull(d.Field(n, k)) {
			forms = append(forms, k)
		}
	}
	if len(forms) > 1 {
		d.Errorf(d.Field(n, forms[1]), JoinPath(path, forms[1]), "a target takes one of input, input_path and input_transformer; %s given", strings.Join(forms, " and "))
		return
	}
	if len(forms) == 0 {
		return
	}
	if err := probeRule(eventbridge.Rule{Pattern: `{"source":["x"]}`, Targets: []eventbridge.Target{{Input: t.input()}}}); err != nil {
		d.Errorf(d.Field(n, forms[0]), JoinPath(path, forms[0]), "%v", err)
	}
}

// input is the target's input in the model's form.
func (t *TargetBlock) input() eventbridge.Input {
	switch {
	case t.Input != nil:
		return eventbridge.Input{Kind: eventbridge.InputConstant, Constant: string(t.Input.JSON)}
	case t.InputPath != "":
		return eventbridge.Input{Kind: eventbridge.InputPath, Path: t.InputPath}
	case t.InputTransformer != nil:
		m := map[string]string{}
		for _, e := range t.InputTransformer.InputPathsMap.Entries() {
			m[e.Key] = e.Value
		}
		return eventbridge.Input{Kind: eventbridge.InputTransformer, PathsMap: m, Template: t.InputTransformer.InputTemplate}
	}
	return eventbridge.Input{Kind: eventbridge.InputEvent}
}

// probeRule validates one rule's schedule and target inputs with the model's own checks,
// on a throwaway bus whose only target is an unbuilt placeholder, and returns the
// model's reason without the bus and rule prefix.
func probeRule(r eventbridge.Rule) error {
	w := core.NewWorld(core.Config{Duration: 1})
	r.Name = "rule"
	for i := range r.Targets {
		r.Targets[i].To = w.Reserve("probe-target")
		r.Targets[i].DLQ = core.None
	}
	_, err := eventbridge.New(w, eventbridge.Config{Name: "probe", Rules: []eventbridge.Rule{r}})
	if err == nil {
		return nil
	}
	var msgs []string
	for _, line := range strings.Split(err.Error(), "\n") {
		line = strings.TrimPrefix(line, `eventbridge "probe": rules.0 ("rule"): `)
		line = strings.TrimPrefix(line, "targets.0: input: ")
		if !slices.Contains(msgs, line) {
			msgs = append(msgs, line)
		}
	}
	return errors.New(strings.Join(msgs, "; "))
}

func (s *EventBridgeSettings) graphKind() string { return "eventbridge" }

// check verifies every target (a resource that accepts sends; c.ref reports producers and
// unknown names) and dead-letter queue (a standard SQS queue).
func (s *EventBridgeSettings) check(c *checker, name string) {
	for _, e := range s.Rules.Entries() {
		for _, t := range e.Value.Targets {
			if c.ref(t.ARN, canReceive, "a rule target") {
				c.g.edge(name, t.ARN.Name, "deliver")
			}
			if t.DLQ != nil && c.ref(*t.DLQ, isQueue, "a target's dead-letter queue") {
				if q := c.queue(t.DLQ.Name); q != nil && q.FIFO {
					c.errorf(t.DLQ.Loc, "a rule target's dead-letter queue must be a standard queue (%q is FIFO)", t.DLQ.Name)
				}
				c.g.edge(name, t.DLQ.Name, "redrive")
			}
		}
	}
}

func (s *EventBridgeSettings) config(b *builder, name string) eventbridge.Config {
	cfg := eventbridge.Config{
		Name: name, Region: s.Region,
		PutEventsRate: s.PutEventsRate.PerSecond(), InvocationRate: s.InvocationRate.PerSecond(),
		Source: s.Source, DetailType: s.DetailType,
	}
	if s.APILatency != nil {
		cfg.APILatency = s.APILatency.Dist
	}
	if s.DeliveryLatency != nil {
		cfg.DeliveryLatency = s.DeliveryLatency.Dist
	}
	for _, e := range s.Rules.Entries() {
		r := eventbridge.Rule{Name: e.Key, Schedule: e.Value.Schedule, Disabled: e.Value.State == "DISABLED"}
		if e.Value.EventPattern != nil {
			r.Pattern = string(e.Value.EventPattern.JSON)
		}
		for _, t := range e.Value.Targets {
			tg := eventbridge.NewTarget(b.id(t.ARN.Name))
			tg.ID, tg.Input = t.ID, t.input()
			if t.RetryPolicy != nil {
				tg.Retry = &eventbridge.RetryPolicy{
					MaximumRetryAttempts: t.RetryPolicy.MaximumRetryAttempts,
					MaximumEventAge:      t.RetryPolicy.MaximumEventAge.D(),
				}
			}
			if t.DLQ != nil {
				tg.DLQ = b.id(t.DLQ.Name)
			}
			r.Targets = append(r.Targets, tg)
		}
		cfg.Rules = append(cfg.Rules, r)
	}
	return cfg
}

func (s *EventBridgeSettings) build(b *builder, name string, _ Loc) { b.buildInOrder(name, nil) }

func (s *EventBridgeSettings) construct(b *builder, name string, loc Loc) {
	if _, err := eventbridge.New(b.w, s.config(b, name)); err != nil {
		b.fail(loc, err)
	}
}
