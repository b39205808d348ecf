package eventbridge

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"time"

	"msgsim/models/core"
	"msgsim/models/eventbridge/pattern"
	"msgsim/sim"
)

// Config describes one event bus and its rules. Zero values take the AWS defaults of §4.1
// and modelling notes 20–23 of the behaviour reference.
type Config struct {
	Name   string
	Region string // default "us-east-1"; chooses the PutEvents and invocation quotas

	// Quotas are the account's quotas in the Region, shared by every bus of the Region
	// (NewQuotas). nil gives the bus quotas of its own from the three fields below.
	Quotas *Quotas
	// PutEventsRate is the PutEvents quota in entries/s, a token bucket with burst
	// PutEventsBurst (0: 1 s of rate, note 39). 0 means the Region's quota (§4.1);
	// negative means unlimited.
	PutEventsRate  float64
	PutEventsBurst float64
	// InvocationRate is the invocation quota in invocations/s (0: the Region's quota,
	// negative: unlimited), burst 1 s of rate (note 21).
	InvocationRate float64

	// MaxEntrySize is the largest PutEvents entry in bytes (default 256 KiB, the legacy
	// profile; 1 MB in the current one, note 41). Larger entries are Rejected.
	MaxEntrySize int32

	// APILatency is the latency of a PutEvents call, drawn by senders (core.APILatency);
	// nil means lognormal p50 20 ms, p99 100 ms (an assumption: §4.6 only measures the
	// whole path).
	APILatency sim.Dist
	// DeliveryLatency is ingestion → target invocation for each attempt (note 23); nil
	// means lognormal p50 150 ms, p99 400 ms.
	DeliveryLatency sim.Dist

	// RetryBase and RetryCap shape the retry backoff (note 20): retry k waits a uniform
	// time in [0, min(RetryCap, RetryBase·2^(k-1))]. Defaults 1 s and 980 s.
	RetryBase, RetryCap time.Duration
	// NoJitter makes retry k wait exactly min(RetryCap, RetryBase·2^(k-1)), so that retry
	// times are deterministic (for tests and teaching).
	NoJitter bool

	// Source and DetailType fill the envelope of the events the bus receives; "" means
	// the producer's name. An attribute named "source" or "detail-type" overrides them
	// per message (see event.go).
	Source, DetailType string
	// Start is the wall-clock instant of simulated time 0, for event times and cron
	// schedules; zero means DefaultStart.
	Start time.Time

	Rules []Rule
}

// Rule is one rule of a bus: an event pattern or a schedule, and its targets.
type Rule struct {
	Name string
	// Pattern is the event pattern as JSON (§4.2); empty for a scheduled rule.
	Pattern string
	// Schedule is "rate(value unit)" or "cron(min hour dom month dow year)" (§4.4); empty
	// for a pattern rule.
	Schedule string
	// Disabled rules match nothing and never fire.
	Disabled bool
	Targets  []Target // at most MaxTargets
}

// Target is one target of a rule. Start from NewTarget, which sets DLQ to core.None.
type Target struct {
	ID    string           // the target's id within the rule (default "target-<i>")
	To    core.ComponentID // a queue, topic, function (async invoke) or another bus
	Input Input
	// Retry is the target's RetryPolicy; nil means the defaults (185 attempts, 24 h).
	Retry *RetryPolicy
	// DLQ is the target's dead-letter queue (a standard SQS queue), or core.None.
	DLQ core.ComponentID
}

// NewTarget returns a target that receives the whole event, with the default retry
// policy and no dead-letter queue.
func NewTarget(to core.ComponentID) Target { return Target{To: to, DLQ: core.None} }

// RetryPolicy is a target's retry policy (§4.1, [E-RETRY]).
type RetryPolicy struct {
	MaximumRetryAttempts int           // 0 – 185
	MaximumEventAge      time.Duration // 60 s – 24 h
}

// InputKind says what a target receives.
type InputKind uint8

// Input kinds.
const (
	InputEvent       InputKind = iota // the whole event (default)
	InputConstant                     // constant JSON text
	InputPath                         // the part of the event a JSON path selects
	InputTransformer                  // InputPathsMap + InputTemplate
)

// Input is what a target receives. Only its size matters to the simulation: the copy
// sent to the target carries the size of the input (see transform.go).
type Input struct {
	Kind     InputKind
	Constant string            // InputConstant: valid JSON text
	Path     string            // InputPath: a JSON path such as "$.detail"
	PathsMap map[string]string // InputTransformer: variable name → JSON path
	Template string            // InputTransformer: the InputTemplate
}

// Defaults and limits (§4.1, notes 20, 23, 41).
const (
	MaxTargets              = 5
	MaxRules                = 300
	DefaultMaxRetryAttempts = 185
	MaxRetryAttempts        = 185
	DefaultMaximumEventAge  = 24 * time.Hour
	MinMaximumEventAge      = 60 * time.Second
	DefaultMaxEntrySize     = 256 * 1024
	MaxEntrySizeCurrent     = 1024 * 1024
	DefaultRetryBase        = time.Second
	DefaultRetryCap         = 980 * time.Second
	MaxPathsMapEntries      = 100
	MaxTemplateLength       = 8192
	// ChunkBytes is the billing unit of a PutEvents entry (§8): each 64 KiB is one event.
	ChunkBytes = 64 * 1024
	// Account is the account id written into every event envelope.
	Account = "123456789012"
)

// DefaultStart is the wall-clock instant of simulated time 0 unless Config.Start is set.
var DefaultStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// DefaultRetryPolicy returns the AWS default retry policy.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaximumRetryAttempts: DefaultMaxRetryAttempts, MaximumEventAge: DefaultMaximumEventAge}
}

// PutEventsQuota is the PutEvents quota of a Region in entries per second (§4.1, [E-QUOTA]).
func PutEventsQuota(region string) float64 {
	switch region {
	case "us-east-1", "us-west-2", "eu-west-1":
		return 10000
	case "us-east-2", "eu-central-1", "eu-south-2":
		return 2400
	case "us-west-1", "ap-northeast-1", "ap-southeast-1", "ap-southeast-2", "eu-west-2":
		return 1200
	case "ap-east-1", "ap-northeast-2", "ap-south-1", "ca-central-1", "eu-north-1", "eu-west-3", "sa-east-1":
		return 600
	}
	return 400
}

// InvocationsQuota is the invocation quota of a Region in target invocations per second
// (§4.1, [E-QUOTA]).
func InvocationsQuota(region string) float64 {
	switch region {
	case "us-east-1", "us-west-2", "eu-west-1":
		return 18750
	case "us-east-2", "eu-central-1", "eu-south-2":
		return 4500
	case "us-west-1", "ap-northeast-1", "ap-southeast-1", "ap-southeast-2", "eu-west-2":
		return 2250
	case "ap-east-1", "ap-northeast-2", "ap-south-1", "ca-central-1", "eu-north-1", "eu-west-3", "sa-east-1":
		return 1100
	}
	return 750
}

func lognormal(p50, p99 float64) sim.Dist {
	d, err := sim.NewDist(sim.DistSpec{Kind: "lognormal", Params: map[string]float64{"p50": p50, "p99": p99}})
	if err != nil {
		panic("eventbridge: default latency: " + err.Error()) // fixed constants: cannot happen
	}
	return d
}

var (
	regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
	// variable names of InputPathsMap ([E-INPUTTR]).
	varPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
)

// withDefaults fills zero fields and checks every setting that does not need the World,
// returning all problems at once.
func (c Config) withDefaults() (Config, []error) {
	if c.Region == "" {
		c.Region = "us-east-1"
	}
	if c.PutEventsRate == 0 {
		c.PutEventsRate = PutEventsQuota(c.Region)
	}
	if c.InvocationRate == 0 {
		c.InvocationRate = InvocationsQuota(c.Region)
	}
	if c.MaxEntrySize == 0 {
		c.MaxEntrySize = DefaultMaxEntrySize
	}
	if c.APILatency == nil {
		c.APILatency = lognormal(0.020, 0.100)
	}
	if c.DeliveryLatency == nil {
		c.DeliveryLatency = lognormal(0.150, 0.400)
	}
	if c.RetryBase == 0 {
		c.RetryBase = DefaultRetryBase
	}
	if c.RetryCap == 0 {
		c.RetryCap = DefaultRetryCap
	}
	if c.Start.IsZero() {
		c.Start = DefaultStart
	}
	c.Start = c.Start.UTC()
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("eventbridge %q: "+format, append([]any{c.Name}, args...)...))
	}
	if c.Name == "" {
		bad("name must not be empty")
	}
	if !regionPattern.MatchString(c.Region) {
		bad("region %q is not a Region name such as us-east-1", c.Region)
	}
	if c.PutEventsBurst < 0 {
		bad("put events burst %v must be ≥ 0", c.PutEventsBurst)
	}
	if c.MaxEntrySize < 1 || c.MaxEntrySize > MaxEntrySizeCurrent {
		bad("max entry size %d is out of range 1..%d", c.MaxEntrySize, MaxEntrySizeCurrent)
	}
	if c.RetryBase < 0 || c.RetryCap < c.RetryBase {
		bad("retry backoff base %v and cap %v must satisfy 0 ≤ base ≤ cap", c.RetryBase, c.RetryCap)
	}
	if len(c.Rules) > MaxRules {
		bad("%d rules, at most %d per bus", len(c.Rules), MaxRules)
	}
	seen := make(map[string]bool)
	for i, r := range c.Rules {
		where := fmt.Sprintf("rules.%d (%q)", i, r.Name)
		if r.Name == "" {
			bad("%s: name must not be empty", where)
		} else if seen[r.Name] {
			bad("%s: duplicate rule name", where)
		}
		seen[r.Name] = true
		switch {
		case r.Pattern == "" && r.Schedule == "":
			bad("%s: needs an event pattern or a schedule", where)
		case r.Pattern != "" && r.Schedule != "":
			bad("%s: has both an event pattern and a schedule; give one", where)
		}
		if len(r.Targets) > MaxTargets {
			bad("%s: %d targets, at most %d per rule", where, len(r.Targets), MaxTargets)
		}
		ids := make(map[string]bool)
		for j, t := range r.Targets {
			tw := fmt.Sprintf("%s: targets.%d", where, j)
			id := targetID(t, j)
			if ids[id] {
				bad("%s: duplicate target id %q", tw, id)
			}
			ids[id] = true
			if t.Retry != nil {
				p := t.Retry
				if p.MaximumRetryAttempts < 0 || p.MaximumRetryAttempts > MaxRetryAttempts {
					bad("%s: maximum retry attempts %d is out of range 0..%d", tw, p.MaximumRetryAttempts, MaxRetryAttempts)
				}
				if p.MaximumEventAge < MinMaximumEventAge || p.MaximumEventAge > DefaultMaximumEventAge {
					bad("%s: maximum event age %v is out of range 60s..24h", tw, p.MaximumEventAge)
				}
			}
			if err := checkInput(t.Input); err != nil {
				bad("%s: input: %v", tw, err)
			}
		}
	}
	return c, errs
}

func targetID(t Target, j int) string {
	if t.ID != "" {
		return t.ID
	}
	return fmt.Sprintf("target-%d", j)
}

// checkInput validates a target's input settings.
func checkInput(in Input) error {
	switch in.Kind {
	case InputEvent:
		return nil
	case InputConstant:
		if !json.Valid([]byte(in.Constant)) {
			return errors.New("constant input is not valid JSON")
		}
		return nil
	case InputPath:
		_, err := compilePath(in.Path)
		return err
	case InputTransformer:
		if len(in.PathsMap) > MaxPathsMapEntries {
			return fmt.Errorf("input paths map has %d entries, at most %d", len(in.PathsMap), MaxPathsMapEntries)
		}
		if len(in.Template) < 1 || len(in.Template) > MaxTemplateLength {
			return fmt.Errorf("input template length %d is out of range 1..%d", len(in.Template), MaxTemplateLength)
		}
		var errs []error
		for _, name := range sortedKeys(in.PathsMap) {
			if !varPattern.MatchString(name) || len(name) > 256 || hasAWSPrefix(name) {
				errs = append(errs, fmt.Errorf("input paths map key %q must match [A-Za-z0-9_-]+, ≤ 256 characters, not starting with \"AWS.\"", name))
			}
			if _, err := compilePath(in.PathsMap[name]); err != nil {
				errs = append(errs, fmt.Errorf("input paths map %q: %w", name, err))
			}
		}
		return errors.Join(errs...)
	}
	return fmt.Errorf("unknown input kind %d", in.Kind)
}

func hasAWSPrefix(s string) bool {
	return len(s) >= 4 && (s[:4] == "AWS." || s[:4] == "aws.")
}

// checkTargets validates the parts of the targets that need the World: targets must
// accept sends, DLQs must be standard SQS queues.
func checkTargets(w *core.World, c Config) []error {
	var errs []error
	n := core.ComponentID(len(w.Components()))
	for i, r := range c.Rules {
		for j, t := range r.Targets {
			tw := fmt.Sprintf("eventbridge %q: rules.%d (%q): targets.%d", c.Name, i, r.Name, j)
			if t.To < 0 || t.To >= n {
				errs = append(errs, fmt.Errorf("%s: target %d is not a component", tw, t.To))
			} else if !w.IsTarget(t.To) && !unbound(w, t.To) {
				errs = append(errs, fmt.Errorf("%s: %q does not accept sends", tw, w.Component(t.To).Name()))
			}
			if t.DLQ == core.None {
				continue
			}
			if t.DLQ < 0 || t.DLQ >= n {
				errs = append(errs, fmt.Errorf("%s: dead-letter queue %d is not a component", tw, t.DLQ))
				continue
			}
			if unbound(w, t.DLQ) {
				continue
			}
			dlq := w.Component(t.DLQ)
			if k := core.KindOf(dlq); !w.IsTarget(t.DLQ) || (k != "" && k != core.KindSQS) {
				errs = append(errs, fmt.Errorf("%s: dead-letter queue %q must be a standard SQS queue", tw, dlq.Name()))
			}
		}
	}
	return errs
}

// unbound reports whether id is a reserved name whose component is not added yet.
func unbound(w *core.World, id core.ComponentID) bool {
	name := w.Component(id).Name()
	for _, u := range w.Unbound() {
		if u == name {
			return true
		}
	}
	return false
}

// compileRule compiles a rule's pattern or schedule.
func compileRule(r Rule) (*pattern.Pattern, *schedule, error) {
	if r.Pattern != "" {
		p, err := pattern.Compile([]byte(r.Pattern))
		return p, nil, err
	}
	if r.Schedule != "" {
		s, err := parseSchedule(r.Schedule)
		return nil, s, err
	}
	return nil, nil, nil
}
