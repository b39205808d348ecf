package eventbridge

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"msgsim/models/core"
	"msgsim/models/eventbridge/pattern"
	"msgsim/sim"
)

// Bus is an EventBridge event bus with its rules. It is a core.Target: Deliver is
// PutEvents of one entry. It is a core.Requester: it hears how its deliveries to targets
// and dead-letter queues ended.
type Bus struct {
	cfg   Config
	w     *core.World
	id    core.ComponentID
	h     sim.HandlerID
	rng   *rand.Rand
	put   *core.TokenBucket
	quota *InvocationQuota
	rules []ruleInfo
	m     busMetrics

	// the event value (event.go)
	shapes  []*eventShape
	strBox  []any
	timeSec int64
	timeV   any
	needID  bool
	idSeq   uint64
	r       renderer

	// invocations in progress (delivery.go)
	invs []invocation
	free []int32
	held int
}

// ruleInfo is a rule compiled for routing.
type ruleInfo struct {
	name        string
	component   string // "<bus>/<rule>", the component name of its metrics
	arnV, nameV any    // boxed once for the input transformer
	pat         *pattern.Pattern
	sched       *schedule
	disabled    bool
	producer    int32 // scheduled rules: the synthetic producer "schedule:<rule>"
	targets     []targetInfo
	m           counters
	drops       [nDropReasons]core.DropKey
	fires       int // scheduled firings so far
}

// targetInfo is a target compiled for delivery.
type targetInfo struct {
	id         string
	to, dlq    core.ComponentID
	input      inputPlan
	maxRetries int
	maxAge     time.Duration
}

// Bus event kinds.
const (
	evRetry int32 = iota
	evSchedule
)

// New validates cfg, builds the bus and registers it with the world. Every problem is
// reported at once: invalid settings, patterns and schedules (with EventBridge's reason),
// more than five targets on a rule, targets that do not accept sends, dead-letter queues
// that are not standard SQS queues.
func New(w *core.World, cfg Config) (*Bus, error) {
	cfg, errs := cfg.withDefaults()
	errs = append(errs, checkTargets(w, cfg)...)
	b := &Bus{cfg: cfg, w: w, timeSec: -1}
	for i, r := range cfg.Rules {
		ri, err := b.compile(r)
		if err != nil {
			errs = append(errs, fmt.Errorf("eventbridge %q: rules.%d (%q): %w", cfg.Name, i, r.Name, err))
		}
		b.rules = append(b.rules, ri)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	b.rng = w.Stream("eventbridge/" + cfg.Name)
	q := cfg.Quotas
	if q == nil {
		q = NewQuotas(w, cfg.PutEventsRate, cfg.PutEventsBurst, cfg.InvocationRate)
	}
	b.put, b.quota = &q.putEvents, q.Invocations
	b.id = w.Add(b)
	b.h = w.Eng.Register(b)
	b.m = newBusMetrics(w, cfg.Name)
	for i := range b.rules {
		r := &b.rules[i]
		r.component = cfg.Name + "/" + r.name
		r.m = newCounters(w, r.component)
		for k := range r.drops {
			r.drops[k] = w.DropReason(cfg.Name, fmt.Sprintf("rule %s: %s", r.name, dropReasons[k]))
		}
		if r.sched != nil {
			r.producer = w.Paths().AddProducer("schedule:" + r.name)
			arn := []any{r.arnV}
			s := b.newShape(nil, "aws.events", "Scheduled Event", arn)
			for int(r.producer) >= len(b.shapes) {
				b.shapes = append(b.shapes, nil)
			}
			b.shapes[r.producer] = s
		}
	}
	return b, nil
}

// compile turns a rule's settings into its routing form.
func (b *Bus) compile(r Rule) (ruleInfo, error) {
	ri := ruleInfo{name: r.Name, disabled: r.Disabled, nameV: r.Name}
	ri.arnV = ruleARN(b.cfg, r.Name)
	var errs []error
	var err error
	if ri.pat, ri.sched, err = compileRule(r); err != nil {
		errs = append(errs, err)
	}
	if r.Pattern != "" && patternNamesID(r.Pattern) {
		b.needID = true
	}
	for j, t := range r.Targets {
		ti := targetInfo{id: targetID(t, j), to: t.To, dlq: t.DLQ,
			maxRetries: DefaultMaxRetryAttempts, maxAge: DefaultMaximumEventAge}
		if t.Retry != nil {
			ti.maxRetries, ti.maxAge = t.Retry.MaximumRetryAttempts, t.Retry.MaximumEventAge
		}
		if ti.input, err = compileInput(t.Input); err != nil {
			errs = append(errs, fmt.Errorf("targets.%d: input: %w", j, err))
		} else if ti.input.readsID() {
			b.needID = true
		}
		ri.targets = append(ri.targets, ti)
	}
	return ri, errors.Join(errs...)
}

// ruleARN is the rule's ARN (rules of the default bus have no bus name in theirs).
func ruleARN(c Config, rule string) string {
	prefix := "arn:aws:events:" + c.Region + ":" + Account + ":rule/"
	if c.Name == "default" {
		return prefix + rule
	}
	return prefix + c.Name + "/" + rule
}

// ID is the bus's component id.
func (b *Bus) ID() core.ComponentID { return b.id }

// Name is the bus's name.
func (b *Bus) Name() string { return b.cfg.Name }

// Kind is "eventbridge" (core.Kinded).
func (b *Bus) Kind() string { return core.KindEventBridge }

// Config returns the bus's settings with defaults filled in.
func (b *Bus) Config() Config { return b.cfg }

// SendLatency is the PutEvents call latency (core.APILatency).
func (b *Bus) SendLatency() sim.Dist { return b.cfg.APILatency }

// Holding is the number of target copies the bus owns: waiting for the invocation quota
// or for a retry. Copies on their way to a target or DLQ are in transit.
func (b *Bus) Holding() int { return b.held }

// Deliver is PutEvents of one entry. Over the PutEvents quota it returns core.Throttled
// (ThrottledRules); an entry larger than MaxEntrySize is core.Rejected. An accepted event
// is routed at once: a copy per target of every rule whose pattern matches, each enqueued
// for invocation; the event itself is then consumed by the bus, matched or not.
func (b *Bus) Deliver(m core.MsgID) core.Status {
	if !b.put.Take(b.w.Now(), 1) {
		b.m.throttled.Inc()
		b.m.putThrottled.Inc()
		if b.w.Tracing() {
			b.w.Tracef(b.id, m, "PutEvents throttled: over the PutEvents quota")
		}
		return core.Throttled
	}
	size := b.w.Msg(m).Size
	if size > b.cfg.MaxEntrySize {
		b.m.rejected.Inc()
		if b.w.Tracing() {
			b.w.Tracef(b.id, m, "PutEvents rejected: %d bytes is over the %d-byte entry limit", size, b.cfg.MaxEntrySize)
		}
		return core.Rejected
	}
	b.m.entries.Inc()
	b.m.events.Add(chunks(size))
	b.route(m)
	return core.OK
}

// route matches event m against every enabled pattern rule, in rule order, fans it out
// to the matching rules' targets and consumes it.
func (b *Bus) route(m core.MsgID) {
	s := b.fill(m)
	matched := false
	for i := range b.rules {
		r := &b.rules[i]
		if r.pat == nil || r.disabled || !r.pat.MatchValue(s.root) {
			continue
		}
		matched = true
		if b.w.Tracing() {
			b.w.Tracef(b.id, m, "matched rule %s (%d target(s))", r.name, len(r.targets))
		}
		inc(r.m.triggered, b.m.triggered)
		r.m.matched.Inc()
		b.fanOut(m, int32(i), s)
	}
	if matched {
		b.m.matched.Inc()
	} else {
		b.m.unmatched.Inc()
		if b.w.Tracing() {
			b.w.Tracef(b.id, m, "matched no rule")
		}
	}
	b.w.Consume(m, b.id, false)
}

// fanOut makes a copy of m per target of rule ri, sized by the target's input, and
// enqueues each for invocation.
func (b *Bus) fanOut(m core.MsgID, ri int32, s *eventShape) {
	r := &b.rules[ri]
	for ti := range r.targets {
		t := &r.targets[ti]
		c := b.w.Derive(m)
		body := b.w.Msg(c).Size
		b.w.Msg(c).Size = b.inputSize(t, r, s, body)
		b.enqueue(c, ri, int32(ti))
	}
}

// inputSize is the size of what target t receives for the event in s whose detail is
// body bytes (see transform.go).
func (b *Bus) inputSize(t *targetInfo, r *ruleInfo, s *eventShape, body int32) int32 {
	switch t.input.kind {
	case InputConstant:
		return t.input.constSize
	case InputPath:
		b.r.reset(s.detail)
		b.r.path(&t.input.path, s.root)
		return b.r.size(body)
	case InputTransformer:
		b.r.reset(s.detail)
		b.r.template(t.input.tpl, s.root, r)
		return b.r.size(body)
	}
	return body + s.overhead
}

// Start schedules the first firing of every scheduled rule.
func (b *Bus) Start() {
	for i := range b.rules {
		r := &b.rules[i]
		if r.sched == nil || r.disabled {
			continue
		}
		if at, ok := r.sched.first(b.cfg.Start); ok {
			b.scheduleAt(int32(i), at)
		}
	}
}

func (b *Bus) scheduleAt(ri int32, at time.Duration) {
	if at > b.w.End() || at < b.w.Now() {
		return // past the end of the run: never fires
	}
	_ = b.w.Eng.Schedule(sim.Event{At: at, Target: sim.Target{Handler: b.h, Kind: evSchedule}, A: int64(ri), B: int64(at)})
}

// fireSchedule creates a scheduled event for rule ri, sends a copy to each of its
// targets, and schedules the next firing.
func (b *Bus) fireSchedule(ri int32, at time.Duration) {
	r := &b.rules[ri]
	m := b.w.Produce(r.producer, 2) // the detail is {}
	attrs := b.w.Attrs(m)
	for i := range attrs {
		attrs[i].Str = core.AttrAbsent
	}
	s := b.fill(m)
	if b.w.Tracing() {
		b.w.Tracef(b.id, m, "scheduled rule %s fired (%d target(s))", r.name, len(r.targets))
	}
	inc(r.m.triggered, b.m.triggered)
	b.fanOut(m, ri, s)
	b.w.Consume(m, b.id, false)
	if next, ok := r.sched.next(b.cfg.Start, at); ok {
		b.scheduleAt(ri, next)
	}
}

// Fire handles retries and scheduled firings.
func (b *Bus) Fire(ev sim.Event) {
	switch ev.Kind {
	case evRetry:
		b.quota.submit(b, int32(ev.A), uint32(ev.B))
	case evSchedule:
		b.fireSchedule(int32(ev.A), time.Duration(ev.B))
	}
}
