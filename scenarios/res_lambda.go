package scenarios

import (
	"slices"

	"gopkg.in/yaml.v3"
)

// LambdaSettings is a Lambda function (`type: lambda`). Defaults are AWS's (behaviour
// reference §5) and the stated assumptions of the model notes (cold starts, idle lifetime).
type LambdaSettings struct {
	Memory                 Memory        `yaml:"memory" default:"128MB" range:"128MB..10240MB" doc:"MemorySize; also sets the GB-seconds billed."`
	Architecture           string        `yaml:"architecture" default:"x86_64" enum:"x86_64,arm64" doc:"Instruction set; arm64 is about 20% cheaper per GB-second."`
	Timeout                Duration      `yaml:"timeout" default:"3s" range:"1s..900s" doc:"Timeout: a longer invocation fails and is billed to the timeout."`
	Duration               *DurationDist `yaml:"duration" doc:"The handler's own compute per invocation, before the steps run for each record."`
	Errors                 Percent       `yaml:"errors" doc:"Probability that an invocation fails in the handler's own code."`
	Steps                  []Step        `yaml:"steps" doc:"What the function does for each record, in order: compute, call, send, fail."`
	ReservedConcurrency    int           `yaml:"reserved_concurrency" default:"-1" range:"-1..100000" doc:"Reserved concurrency (-1: none; 0 disables the function)."`
	ProvisionedConcurrency int           `yaml:"provisioned_concurrency" default:"0" range:"0..100000" doc:"Provisioned concurrency: environments initialised before the run and never reclaimed; invokes beyond them spill over to on-demand environments (cold starts). At most reserved_concurrency when that is set; priced per GB-second configured."`
	InitDuration           *DurationDist `yaml:"init_duration" doc:"Cold-start INIT duration (default lognormal p50 250 ms, p99 1 s; assumption)."`
	IdleLifetime           Duration      `yaml:"idle_lifetime" default:"10m" range:"1s..24h" doc:"How long an idle execution environment survives (assumption: 10 min)."`
	Trigger                *TriggerBlock `yaml:"trigger" doc:"An SQS event source mapping: the queue the function consumes."`
	Async                  *AsyncBlock   `yaml:"async" doc:"Asynchronous invocation settings (retries, maximum event age, on-failure destination)."`
	Sink                   bool          `yaml:"sink" doc:"Measure end-to-end latency here even though the function sends onwards."`
}

// ValidateYAML checks the cross-field rule of provisioned concurrency: AWS does not allow
// more than the function's reserved concurrency (§5.2). Whether the account can spare it
// is checked when the model is built, with every function's reservations known.
func (s *LambdaSettings) ValidateYAML(d *Decoder, n *yaml.Node, path string) {
	if p, r := s.ProvisionedConcurrency, s.ReservedConcurrency; p > 0 && r >= 0 && p > r {
		d.Errorf(d.Field(n, "provisioned_concurrency"), JoinPath(path, "provisioned_concurrency"),
			"%d is more than reserved_concurrency %d: provisioned concurrency cannot exceed the function's reserved concurrency", p, r)
	}
}

// TriggerBlock is an SQS event source mapping.
type TriggerBlock struct {
	Queue                   Ref      `yaml:"queue" required:"true" doc:"The SQS queue polled."`
	BatchSize               int      `yaml:"batch_size" default:"10" range:"1..10000" doc:"BatchSize: records per invocation (1..10 for FIFO queues)."`
	BatchingWindow          Duration `yaml:"batching_window" default:"0s" range:"0s..300s" doc:"MaximumBatchingWindowInSeconds."`
	MaxConcurrency          int      `yaml:"max_concurrency" default:"0" range:"0..1000" doc:"ScalingConfig.MaximumConcurrency (0: unset; else 2..1000)."`
	ReportBatchItemFailures bool     `yaml:"report_batch_item_failures" doc:"Partial batch responses: only failed records return to the queue."`
}

// ValidateYAML checks the cross-field rules of an event source mapping.
func (t *TriggerBlock) ValidateYAML(d *Decoder, n *yaml.Node, path string) {
	if t.MaxConcurrency == 1 {
		d.Errorf(d.Field(n, "max_concurrency"), JoinPath(path, "max_concurrency"), "1 is out of range: 0 (unset) or 2..1000")
	}
	if t.BatchSize > 10 && t.BatchingWindow.D() < 1e9 {
		d.Errorf(d.Field(n, "batch_size"), JoinPath(path, "batch_size"), "a batch_size over 10 needs batching_window of at least 1s")
	}
}

// AsyncBlock configures asynchronous invocation.
type AsyncBlock struct {
	MaxRetries  int      `yaml:"maximum_retry_attempts" default:"2" range:"0..2" doc:"MaximumRetryAttempts after function errors."`
	MaxEventAge Duration `yaml:"maximum_event_age" default:"6h" range:"60s..6h" doc:"MaximumEventAgeInSeconds."`
	OnFailure   *Ref     `yaml:"on_failure" doc:"Destination (queue, topic, function or bus) for events that failed every attempt or expired."`
}

// Step is one thing a function does for each record. In YAML it is a mapping with one
// action key and optional modifiers:
//
//   - compute: {dist: exponential, mean: 5ms}
//   - call: stock-table            (catch: true keeps going when the call fails)
//   - send: payment-queue
//   - fail: 1%
type Step struct {
	Kind    string // compute, call, send, fail
	Compute DurationDist
	Target  Ref
	Catch   bool
	Fail    Percent
	Breaker *BreakerBlock
	Loc     Loc
}

// BreakerBlock is a circuit breaker in front of a call step: after `failures` failed
// calls within `window` it opens and calls fail at once for `open_for`, then
// `half_open_probes` trial calls decide whether it closes again.
type BreakerBlock struct {
	Failures       int      `yaml:"failures" default:"5" range:"1..100000" doc:"Failures within the window that open the breaker."`
	Window         Duration `yaml:"window" default:"10s" doc:"Sliding window in which failures are counted."`
	OpenFor        Duration `yaml:"open_for" default:"30s" range:"1ms.." doc:"How long the breaker stays open (calls fail fast)."`
	HalfOpenProbes int      `yaml:"half_open_probes" default:"1" range:"1..1000" doc:"Trial calls allowed when half-open."`
}

var stepKinds = []string{"compute", "call", "send", "fail"}

// DecodeYAML decodes one step.
func (s *Step) DecodeYAML(d *Decoder, n *yaml.Node, path string) {
	*s = Step{Loc: d.Loc(n, path)}
	pairs, ok := d.Pairs(n, path)
	if !ok {
		return
	}
	for _, p := range pairs {
		kp := JoinPath(path, p.Key)
		switch p.Key {
		case "compute", "call", "send", "fail":
			if s.Kind != "" {
				d.Errorf(p.KeyNode, kp, "a step does one thing: %s and %s given", s.Kind, p.Key)
				continue
			}
			s.Kind = p.Key
			switch p.Key {
			case "compute":
				s.Compute.DecodeYAML(d, Resolve(p.Value), kp)
			case "call", "send":
				s.Target.DecodeYAML(d, Resolve(p.Value), kp)
			case "fail":
				s.Fail.DecodeYAML(d, Resolve(p.Value), kp)
			}
		case "catch":
			d.Decode(p.Value, kp, &s.Catch)
		case "breaker":
			s.Breaker = &BreakerBlock{}
			d.Decode(p.Value, kp, s.Breaker)
		default:
			d.Errorf(p.KeyNode, kp, "unknown field %q in a step%s; a step has one of %v, and catch", p.Key, didYouMean(p.Key, append(slices.Clone(stepKinds), "catch", "breaker")), stepKinds)
		}
	}
	if s.Kind == "" {
		d.Errorf(n, path, "a step needs one of compute, call, send, fail")
	}
	if s.Catch && s.Kind != "call" && s.Kind != "send" {
		d.Errorf(n, JoinPath(path, "catch"), "catch applies to call and send steps")
	}
	if s.Breaker != nil && s.Kind != "call" {
		d.Errorf(n, JoinPath(path, "breaker"), "a circuit breaker applies to call steps")
	}
}
