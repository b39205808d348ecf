package lambda

import (
	"math/rand/v2"
	"msgsim/models/service"
	"time"

	"msgsim/models/core"
	"msgsim/models/sqs"
	"msgsim/sim"
)

// Function is a Lambda function: its execution environments, its share of the account's
// concurrency, and its three invocation paths — synchronous (core.Callee), asynchronous
// (core.Target) and SQS event source mappings (pollers started by Start).
type Function struct {
	// The fields read on every invocation step come first, together, so that an event
	// touches a few cache lines of the function rather than one per field (the struct is
	// about 900 bytes; config and rarely used state follow).
	w         *core.World
	invs      []invocation
	freeInv   []int32
	steps     []Step
	rng       *rand.Rand
	deadlines *core.Timeouts // every running invocation's timeout (one engine event for all)
	h         sim.HandlerID
	id        core.ComponentID
	memMB     uint64
	// copies of cfg.Timeout (timeLimit), cfg.Duration, cfg.ErrorProbability and
	// cfg.Sink, which every invocation reads
	timeLimit time.Duration
	duration  sim.Dist
	errProb   float64
	sink      bool
	breakers  bool // some step has a circuit breaker (else opDone need not read the step)
	// the async dispatcher is stopped by a throttle (asyncQueue); here rather than in
	// f.async because every finish reads it (capacityFreed)
	asyncBlocked bool

	// the ESM path's (Received, batchDone, poll), together
	workers []worker
	esms    []*esm
	handles []sqs.Handle       // scratch for DeleteMessageBatch
	observe func(sqs.Received) // tests: sees every record an ESM poll returns (read per poll)
	acct    *Account

	envs environments
	m    metrics

	cfg      Config
	freeWk   []int32
	async    asyncQueue
	sendHeld int // derived messages held between send retries

	dropSendFailed, dropSendCaught, dropSendAbandoned core.DropKey
	dropRetries, dropAge, dropDest                    core.DropKey
}

// metrics are the function's CloudWatch metrics (§5.6), registered at build time.
type metrics struct {
	// the six that every invocation touches first, next to each other
	invocations, errors                    *core.Counter
	duration                               *core.Latency
	concurrent                             *sim.Gauge
	billedMs, billedMBms                   *core.Counter
	throttles, coldStarts                  *core.Counter
	initDuration, asyncAge                 *core.Latency
	asyncReceived, asyncDropped, dlqErrors *core.Counter
	shortCircuited                         *core.Counter

	// Provisioned concurrency, registered only when the function has some (nil otherwise,
	// and never touched then): invocations on provisioned and spilled-over environments,
	// the provisioned gauges, and the two quantities priced separately — billed duration
	// on provisioned environments (MB-ms, also included in billedMBms) and the configured
	// provisioned concurrency over the measured period (MB-ms, see accrueProvisioned).
	provInvocations, provSpillover  *core.Counter
	provConcurrent, provUtilization *sim.Gauge
	provBilledMBms, provConfMBms    *core.Counter
	provAccrued                     uint64 // provConfMBms already added
}

// Event kinds of a Function.
const (
	evResume             int32 = iota // an invocation's compute ended: continue its steps
	evEnd                             // an invocation's last compute ended: finish it
	evTimeout                         // an invocation reached its timeout
	evSendRetry                       // resend a throttled derived message
	evAsyncRetry                      // an async event's error-retry delay is over
	evAsyncThrottleRetry              // an async event's throttle backoff is over
	evESMTick                         // the scaling clock of an event source mapping
	evBatchRetry                      // retry invoking a throttled ESM batch
	evDeadline                        // the earliest invocation deadline (f.deadlines) is due
	evProvReady                       // a provisioned environment finished re-running INIT
)

// New builds a function on account acct, registers it with the world and its metrics,
// and validates cfg (every problem reported at once).
func New(w *core.World, acct *Account, cfg Config) (*Function, error) {
	if acct == nil {
		acct = NewAccount(0)
	}
	if err := cfg.normalize(w); err != nil {
		return nil, err
	}
	switch {
	case cfg.ReservedConcurrency > 0:
		// provisioned ≤ reserved (normalize): the reservation covers both
		if err := acct.reserve("reserved_concurrency", cfg.ReservedConcurrency); err != nil {
			return nil, err
		}
	case cfg.ReservedConcurrency < 0 && cfg.ProvisionedConcurrency > 0:
		// without a reservation, provisioned environments are claimed from the account
		// pool all the same: the unreserved pool shrinks by them
		if err := acct.reserve("provisioned_concurrency", cfg.ProvisionedConcurrency); err != nil {
			return nil, err
		}
	}
	f := &Function{cfg: cfg, w: w, acct: acct, rng: w.Stream("lambda/" + cfg.Name), memMB: uint64(cfg.Memory),
		timeLimit: cfg.Timeout, duration: cfg.Duration, errProb: cfg.ErrorProbability, sink: cfg.Sink}
	f.steps = append([]Step(nil), cfg.Steps...)
	for i := range f.steps {
		if b := f.steps[i].Breaker; b != nil {
			own := service.Breaker{Failures: b.Failures, Window: b.Window, OpenFor: b.OpenFor, HalfOpenProbes: b.HalfOpenProbes}
			f.steps[i].Breaker = &own
			f.breakers = true
		}
	}
	f.id = w.Add(f)
	f.h = w.Eng.Register(f)
	f.deadlines = core.NewTimeouts(w.Eng, f.h, evDeadline, f.deadlineLive, f.deadlineDue)
	f.envs.init(cfg)
	n := cfg.Name
	f.m = metrics{
		invocations:    w.Metrics.Counter(n, "Invocations", "count"),
		errors:         w.Metrics.Counter(n, "Errors", "count"),
		throttles:      w.Metrics.Counter(n, "Throttles", "count"),
		duration:       w.Metrics.Latency(n, "Duration"),
		concurrent:     w.Metrics.Gauge(n, "ConcurrentExecutions", "count"),
		coldStarts:     w.Metrics.Counter(n, "ColdStarts", "count"),
		initDuration:   w.Metrics.Latency(n, "InitDuration"),
		asyncReceived:  w.Metrics.Counter(n, "AsyncEventsReceived", "count"),
		asyncAge:       w.Metrics.Latency(n, "AsyncEventAge"),
		asyncDropped:   w.Metrics.Counter(n, "AsyncEventsDropped", "count"),
		dlqErrors:      w.Metrics.Counter(n, "DeadLetterErrors", "count"),
		billedMs:       w.Metrics.Counter(n, "BilledDuration", "ms"),
		billedMBms:     w.Metrics.Counter(n, "BilledGBSeconds", "MB-ms"),
		shortCircuited: w.Metrics.Counter(n, "ShortCircuitedCalls", "calls"),
	}
	if cfg.ProvisionedConcurrency > 0 {
		f.m.provInvocations = w.Metrics.Counter(n, "ProvisionedConcurrencyInvocations", "count")
		f.m.provSpillover = w.Metrics.Counter(n, "ProvisionedConcurrencySpilloverInvocations", "count")
		f.m.provConcurrent = w.Metrics.Gauge(n, "ProvisionedConcurrentExecutions", "count")
		f.m.provUtilization = w.Metrics.Gauge(n, "ProvisionedConcurrencyUtilization", "fraction")
		f.m.provBilledMBms = w.Metrics.Counter(n, "ProvisionedBilledGBSeconds", "MB-ms")
		f.m.provConfMBms = w.Metrics.Counter(n, "ProvisionedConcurrencyGBSeconds", "MB-ms")
	}
	f.dropSendFailed = w.DropReason(n, "send failed")
	f.dropSendCaught = w.DropReason(n, "send failed (caught)")
	f.dropSendAbandoned = w.DropReason(n, "send abandoned: invocation timed out")
	f.dropRetries = w.DropReason(n, "async: retries exhausted")
	f.dropAge = w.DropReason(n, "async: max event age")
	f.dropDest = w.DropReason(n, "async: on-failure destination refused")
	for i := range cfg.Triggers {
		f.esms = append(f.esms, newESM(f, int32(i), cfg.Triggers[i]))
	}
	return f, nil
}

// ID is the function's component id.
func (f *Function) ID() core.ComponentID { return f.id }

// Name is the function's name.
func (f *Function) Name() string { return f.cfg.Name }

// Config returns the function's configuration with defaults filled in.
func (f *Function) Config() Config { return f.cfg }

// Holding counts the messages the function owns: async events (queued, waiting for a
// retry or running) and derived messages waiting for a send retry. Records of a
// synchronous call stay the caller's; records of an SQS batch stay the queue's.
func (f *Function) Holding() int { return f.async.held + f.sendHeld }

// Concurrency is the number of busy execution environments (ConcurrentExecutions).
func (f *Function) Concurrency() int { return f.envs.busy }

// Environments is the number of environments that exist now: busy plus idle ones not yet
// past their idle lifetime, plus free provisioned ones.
func (f *Function) Environments() int {
	e := &f.envs
	return e.busy + e.liveIdle(f.w.Now()) + e.prov - e.provBusy
}

// ProvisionedBusy is the number of provisioned environments busy now
// (ProvisionedConcurrentExecutions), re-initialising ones included.
func (f *Function) ProvisionedBusy() int { return f.envs.provBusy }

// BilledGBSeconds is the billed compute so far in GB-seconds: Σ memory (GB, 1,024 MB) ×
// billed duration (1 ms granularity, INIT included on cold starts, §8). The counter
// "BilledGBSeconds" holds the same quantity exactly, as an integer in MB-ms:
// GB-s = MB-ms / 1,024,000.
func (f *Function) BilledGBSeconds() float64 {
	return float64(f.m.billedMBms.Value()) / 1024000
}

// Fire handles the function's events.
func (f *Function) Fire(ev sim.Event) {
	switch ev.Kind {
	case evResume:
		if s, inv := f.inv(ev.A, ev.B); inv != nil {
			f.run(s, inv, 0, true)
		}
	case evEnd:
		if s, inv := f.inv(ev.A, ev.B); inv != nil {
			f.finish(s, inv, false)
		}
	case evTimeout:
		if s, inv := f.inv(ev.A, ev.B); inv != nil {
			f.timeout(s, inv)
		}
	case evSendRetry:
		if s, inv := f.inv(ev.A, ev.B); inv != nil {
			f.resend(s, inv)
		}
	case evAsyncRetry:
		f.asyncRetry(int32(ev.A))
	case evAsyncThrottleRetry:
		f.asyncThrottleRetry(int32(ev.A))
	case evESMTick:
		f.esms[ev.A].tick()
	case evBatchRetry:
		f.batchRetry(int32(ev.A), uint32(ev.B))
	case evDeadline:
		f.deadlines.Fire()
	case evProvReady:
		f.provReady()
	}
}

// Token layout for Done: a call or send of an invocation carries slot | (generation mod
// 2^30)<<32; the send of a failed async event to its on-failure destination carries
// destFlag | message id.
const (
	destFlag = int64(1) << 62
	genMask  = 1<<30 - 1
)

// opToken is the Done token of the operation of invocation slot, generation gen.
func opToken(slot int32, gen uint32) int64 {
	return int64(slot) | int64(gen&genMask)<<32
}

// Done hears how the function's calls and sends ended.
func (f *Function) Done(token int64, st core.Status) {
	if token&destFlag != 0 {
		f.destDone(core.MsgID(token&^destFlag), st)
		return
	}
	slot := token & 0xffffffff
	if slot < int64(len(f.invs)) {
		if inv := &f.invs[slot]; int64(inv.gen&genMask) == token>>32 {
			f.opDone(int32(slot), inv, st)
		}
	}
}

// Start starts the pollers of the event source mappings.
func (f *Function) Start() {
	for _, e := range f.esms {
		e.start()
	}
}

// Finish brings the configured provisioned concurrency counter up to the end of the run
// (core.Finisher).
func (f *Function) Finish() {
	if f.envs.prov > 0 {
		f.accrueProvisioned(f.w.End())
	}
}

// accrueProvisioned brings ProvisionedConcurrencyGBSeconds up to now. The counter holds
// provisioned environments × memory (MB) × whole milliseconds elapsed since the end of
// the warm-up — the configured provisioned concurrency over the measured period only,
// which AWS bills whether used or not (the warm-up's share is never added, so the
// post-warm-up total is exact). Called when an invocation finishes, so the time series
// grows with the run, and by Finish.
func (f *Function) accrueProvisioned(now time.Duration) {
	warm := f.w.Config().Warmup
	if now <= warm {
		return
	}
	want := uint64(f.envs.prov) * f.memMB * uint64((now-warm)/time.Millisecond)
	if want > f.m.provAccrued {
		f.m.provConfMBms.Add(want - f.m.provAccrued)
		f.m.provAccrued = want
	}
}

// ceilMs rounds a duration up to whole milliseconds (Lambda's billing granularity).
func ceilMs(d time.Duration) uint64 {
	if d <= 0 {
		return 0
	}
	return (uint64(d) + uint64(time.Millisecond) - 1) / uint64(time.Millisecond) // unsigned: a multiply, no sign fix-up
}
