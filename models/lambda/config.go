package lambda

import (
	"errors"
	"fmt"
	"msgsim/models/service"
	"time"

	"msgsim/models/core"
	"msgsim/models/sqs"
	"msgsim/sim"
)

// StepKind is what one step of a function does with a record.
type StepKind uint8

// Step kinds.
const (
	// Compute spends Duration of the function's own time.
	Compute StepKind = iota
	// Call calls Target (a core.Callee) synchronously and waits for its reply.
	Call
	// Send sends a derived copy of the record to Target (a core.Target) and waits for
	// the acknowledgement, retrying throttles with the SDK backoff.
	Send
	// Fail fails the record with Probability.
	Fail
)

var stepNames = [...]string{"compute", "call", "send", "fail"}

func (k StepKind) String() string {
	if int(k) < len(stepNames) {
		return stepNames[k]
	}
	return "unknown"
}

// Step is one thing the handler does with each record (or message) it processes. A Call
// or Send that fails (error, throttle after retries, timeout) fails the record unless
// Catch is set, in which case the handler carries on as if it had succeeded.
type Step struct {
	Kind        StepKind
	Duration    sim.Dist         // Compute: how long (seconds)
	Target      core.ComponentID // Call, Send: whom
	Catch       bool             // Call, Send: the handler catches the error
	Probability float64          // Fail: probability that the record fails
	// Breaker, on a Call step, is a circuit breaker in front of the call: while it is open
	// the call fails at once without reaching the callee (counted in ShortCircuitedCalls).
	// Each function gets its own copy of the breaker's settings and state.
	Breaker *service.Breaker
}

// Scaling is the per-function scaling-rate limit (behaviour reference §5.2, modelling
// note 27): a token bucket of Burst tokens refilled at PerSecond; each new execution
// environment takes one token, warm reuse takes none. Zero values mean the current AWS
// rule (1,000 new environments per 10 s: Burst 1,000, PerSecond 100); a negative
// PerSecond disables the limit.
type Scaling struct {
	Burst     float64
	PerSecond float64
}

// AsyncConfig is the asynchronous invocation configuration (§5.4, [L-EIC]).
type AsyncConfig struct {
	// MaxRetries is MaximumRetryAttempts after function errors, 0..2 (AWS default 2, set by
	// DefaultConfig; the zero value means no retries).
	MaxRetries int
	// MaxEventAge is MaximumEventAgeInSeconds, 60 s..6 h; 0 means 6 h.
	MaxEventAge time.Duration
	// OnFailure is where exhausted or expired events go (a queue, topic or function), or
	// core.None to drop them with a counted reason.
	OnFailure core.ComponentID
	// MaxPayload is the async payload limit in bytes; larger events are rejected.
	// 0 means 1 MiB (the current limit; 256 KiB under the legacy profile, note 41).
	MaxPayload int32
}

// ESMConfig is one SQS event source mapping (§5.5).
type ESMConfig struct {
	Queue *sqs.Queue
	// BatchSize is the most records per invocation: 1..10,000 (standard), 1..10 (FIFO);
	// 0 means 10.
	BatchSize int
	// BatchingWindow is MaximumBatchingWindowInSeconds, 0..300 s; must be ≥ 1 s when
	// BatchSize > 10; not allowed for FIFO queues.
	BatchingWindow time.Duration
	// MaxConcurrency is ScalingConfig.MaximumConcurrency: 0 = unset, else 2..1,000.
	MaxConcurrency int
	// ReportBatchItemFailures turns on partial batch responses.
	ReportBatchItemFailures bool
}

// Config describes a Lambda function. Start from DefaultConfig: the zero values of
// ReservedConcurrency (0 = function disabled) and Async.MaxRetries (0 = no retries) are
// meaningful AWS settings, not defaults.
type Config struct {
	Name         string
	Memory       int           // MB, 128..10,240; 0 means 128
	Architecture string        // "x86_64" (default) or "arm64"; changes only the price
	Timeout      time.Duration // 1 s..900 s; 0 means 3 s
	// Duration is the handler's own compute per invocation (seconds), before the records'
	// steps; nil means none.
	Duration sim.Dist
	// ErrorProbability is the probability that an invocation fails in the handler's own
	// code (after Duration, before any record is processed): a function error.
	ErrorProbability float64
	Steps            []Step // run for every record, in order
	// ReservedConcurrency: -1 = none (shares the unreserved pool), 0 = disabled, n > 0.
	ReservedConcurrency int
	// ProvisionedConcurrency is the number of environments initialised before the run
	// starts and kept for its whole length (§5.2); 0 = none. It may not exceed
	// ReservedConcurrency when that is set (AWS rule); without a reservation it is claimed
	// from the account pool, which must still keep 100 unreserved. See environments.
	ProvisionedConcurrency int
	// InitDuration is the cold-start INIT phase (seconds); nil means lognormal p50 250 ms,
	// p99 1 s (note 26). Draws are capped at the 10 s init limit.
	InitDuration sim.Dist
	// IdleLifetime is how long an idle environment survives after its last use (note 25);
	// 0 means 10 min.
	IdleLifetime time.Duration
	Scaling      Scaling
	Async        AsyncConfig
	Triggers     []ESMConfig
	// Sink marks the end of a path: a successfully processed record records its
	// end-to-end latency.
	Sink bool
}

// DefaultConfig returns a configuration with the AWS defaults: 128 MB, x86_64, 3 s
// timeout, no reserved or provisioned concurrency, 2 async retries, 6 h maximum event age, no
// destination.
func DefaultConfig(name string) Config {
	return Config{
		Name:                name,
		Memory:              128,
		Architecture:        "x86_64",
		Timeout:             3 * time.Second,
		ReservedConcurrency: -1,
		IdleLifetime:        10 * time.Minute,
		Async:               AsyncConfig{MaxRetries: 2, MaxEventAge: 6 * time.Hour, OnFailure: core.None},
	}
}

// Limits and defaults of §5.1 and §5.5.
const (
	minMemory        = 128
	maxMemory        = 10240
	maxTimeout       = 900 * time.Second
	maxInit          = 10 * time.Second // init phase limit
	maxBatchStandard = 10000
	maxBatchFIFO     = 10
	maxWindow        = 300 * time.Second
	maxESMConc       = 1000
	batchPayloadCap  = 6 << 20 // bytes per ESM batch
	defaultPayload   = 1 << 20 // async payload, current profile
	maxEventAgeMax   = 6 * time.Hour
	maxEventAgeMin   = 60 * time.Second
)

// defaultInit is note 26's cold start: lognormal with p50 250 ms and p99 1 s.
func defaultInit() sim.Dist {
	d, err := sim.NewDist(sim.DistSpec{Kind: "lognormal", Params: map[string]float64{"p50": 0.25, "p99": 1}})
	if err != nil {
		panic("lambda: default init distribution: " + err.Error())
	}
	return d
}

// normalize fills defaults and validates cfg, returning every problem at once.
func (cfg *Config) normalize(w *core.World) error {
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("lambda %s: "+format, append([]any{cfg.Name}, a...)...))
	}
	if cfg.Name == "" {
		bad("name: must not be empty")
	}
	if cfg.Memory == 0 {
		cfg.Memory = minMemory
	}
	if cfg.Memory < minMemory || cfg.Memory > maxMemory {
		bad("memory: %d MB is out of range %d..%d", cfg.Memory, minMemory, maxMemory)
	}
	switch cfg.Architecture {
	case "":
		cfg.Architecture = "x86_64"
	case "x86_64", "arm64":
	default:
		bad("architecture: %q is not x86_64 or arm64", cfg.Architecture)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 3 * time.Second
	}
	if cfg.Timeout < time.Second || cfg.Timeout > maxTimeout {
		bad("timeout: %v is out of range 1s..15m", cfg.Timeout)
	}
	if !(cfg.ErrorProbability >= 0 && cfg.ErrorProbability <= 1) {
		bad("error_probability: %v is out of range 0..1", cfg.ErrorProbability)
	}
	if cfg.ReservedConcurrency < -1 {
		bad("reserved_concurrency: %d must be -1 (none) or ≥ 0", cfg.ReservedConcurrency)
	}
	if cfg.ProvisionedConcurrency < 0 {
		bad("provisioned_concurrency: %d must be ≥ 0", cfg.ProvisionedConcurrency)
	}
	if p, r := cfg.ProvisionedConcurrency, cfg.ReservedConcurrency; p > 0 && r >= 0 && p > r {
		bad("provisioned_concurrency: %d is more than reserved_concurrency %d (AWS does not allow provisioned concurrency above the function's reserved concurrency)", p, r)
	}
	if cfg.InitDuration == nil {
		cfg.InitDuration = defaultInit()
	}
	if cfg.IdleLifetime == 0 {
		cfg.IdleLifetime = 10 * time.Minute
	}
	if cfg.IdleLifetime < 0 {
		bad("idle_lifetime: %v must be > 0", cfg.IdleLifetime)
	}
	if cfg.Scaling.Burst == 0 {
		cfg.Scaling.Burst = 1000
	}
	if cfg.Scaling.PerSecond == 0 {
		cfg.Scaling.PerSecond = 100
	}
	if cfg.Scaling.Burst < 1 {
		bad("scaling.burst: %v must be ≥ 1", cfg.Scaling.Burst)
	}
	for i, s := range cfg.Steps {
		switch s.Kind {
		case Compute:
			if s.Duration == nil {
				bad("steps.%d.compute: needs a duration", i)
			}
		case Call:
			if s.Target < 0 || int(s.Target) >= len(w.Components()) || !w.IsCallee(s.Target) {
				bad("steps.%d.call: target %d does not serve calls", i, s.Target)
			}
		case Send:
			if s.Target < 0 || int(s.Target) >= len(w.Components()) || !w.IsTarget(s.Target) {
				bad("steps.%d.send: target %d does not accept sends", i, s.Target)
			}
		case Fail:
			if !(s.Probability >= 0 && s.Probability <= 1) {
				bad("steps.%d.fail: probability %v is out of range 0..1", i, s.Probability)
			}
		default:
			bad("steps.%d: unknown kind %d", i, s.Kind)
		}
	}
	a := &cfg.Async
	if a.MaxRetries < 0 || a.MaxRetries > 2 {
		bad("async.maximum_retry_attempts: %d is out of range 0..2", a.MaxRetries)
	}
	if a.MaxEventAge == 0 {
		a.MaxEventAge = maxEventAgeMax
	}
	if a.MaxEventAge < maxEventAgeMin || a.MaxEventAge > maxEventAgeMax {
		bad("async.maximum_event_age: %v is out of range 1m..6h", a.MaxEventAge)
	}
	if a.MaxPayload == 0 {
		a.MaxPayload = defaultPayload
	}
	if a.OnFailure != core.None && (a.OnFailure < 0 || int(a.OnFailure) >= len(w.Components()) || !w.IsTarget(a.OnFailure)) {
		bad("async.on_failure: component %d does not accept sends", a.OnFailure)
	}
	for i := range cfg.Triggers {
		t := &cfg.Triggers[i]
		if t.Queue == nil {
			bad("triggers.%d.queue: missing", i)
			continue
		}
		fifo := queueFIFO(t.Queue)
		if t.BatchSize == 0 {
			t.BatchSize = 10
		}
		maxBatch := maxBatchStandard
		if fifo {
			maxBatch = maxBatchFIFO
		}
		if t.BatchSize < 1 || t.BatchSize > maxBatch {
			bad("triggers.%d.batch_size: %d is out of range 1..%d", i, t.BatchSize, maxBatch)
		}
		if t.BatchingWindow < 0 || t.BatchingWindow > maxWindow {
			bad("triggers.%d.batching_window: %v is out of range 0s..5m", i, t.BatchingWindow)
		}
		if fifo && t.BatchingWindow > 0 {
			bad("triggers.%d.batching_window: not allowed for a FIFO queue", i)
		}
		if t.BatchSize > 10 && t.BatchingWindow < time.Second {
			bad("triggers.%d.batching_window: must be ≥ 1s when batch_size > 10", i)
		}
		if t.MaxConcurrency != 0 && (t.MaxConcurrency < 2 || t.MaxConcurrency > maxESMConc) {
			bad("triggers.%d.maximum_concurrency: %d is out of range 2..%d", i, t.MaxConcurrency, maxESMConc)
		}
	}
	return errors.Join(errs...)
}
