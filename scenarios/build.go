package scenarios

import (
	"fmt"

	"msgsim/models/core"
	"msgsim/models/lambda"
	"msgsim/models/producer"
	"msgsim/models/service"
	"msgsim/models/sqs"
)

// Model is a scenario built into a World for one replication: ready to Run.
type Model struct {
	World *core.World
	File  *File
	Graph Graph
}

// Check validates what decoding alone cannot: that every reference names a resource of a
// suitable type, that dead-letter queues match their source queue's type, and that no
// cycle of sends would loop for ever. It reports every problem at once, at the position
// of the offending reference, and returns the architecture graph.
func Check(f *File) (Graph, ErrorList) {
	c := checker{f: f, kinds: map[string]string{}}
	c.run()
	c.errs.Sort()
	return c.g, c.errs
}

type checker struct {
	f     *File
	kinds map[string]string // name -> resource type or "producer"
	names []string          // resources in document order
	errs  ErrorList
	g     Graph
}

func (c *checker) errorf(l Loc, format string, args ...any) { c.errs.Add(l.Errorf(format, args...)) }

// ref checks that r names a resource with capability want; what describes the role.
func (c *checker) ref(r Ref, want capability, what string) bool {
	if e := r.Check("resource", c.names); e != nil {
		if _, isProducer := c.f.Producers.Get(r.Name); isProducer {
			c.errorf(r.Loc, "%q is a producer; %s must be a resource", r.Name, what)
			return false
		}
		c.errs.Add(*e)
		return false
	}
	kind := c.kinds[r.Name]
	if capabilities(kind)&want == 0 {
		c.errorf(r.Loc, "%q is a %s, which cannot be %s", r.Name, kind, what)
		return false
	}
	return true
}

func (c *checker) queue(name string) *SQSSettings {
	r, ok := c.f.Resources.Get(name)
	if !ok {
		return nil
	}
	s, _ := r.Settings.(*SQSSettings)
	return s
}

func (c *checker) run() {
	for _, e := range c.f.Resources.Entries() {
		c.names = append(c.names, e.Key)
		c.kinds[e.Key] = e.Value.Type
	}
	for _, e := range c.f.Producers.Entries() {
		c.g.node(e.Key, "producer")
		if c.ref(e.Value.Target, canReceive, "a producer's target") {
			c.g.edge(e.Key, e.Value.Target.Name, "send")
		}
	}
	for _, e := range c.f.Resources.Entries() {
		rs, ok := e.Value.Settings.(resourceSpec)
		if !ok {
			c.g.node(e.Key, e.Value.Type)
			continue
		}
		c.g.node(e.Key, rs.graphKind())
		rs.check(c, e.Key)
	}
	c.checkCycles()
}

// checkCycles reports cycles of message flow that no message can leave: a cycle is safe
// when one of its queues has a dead-letter queue (a message that keeps failing leaves) —
// anything else would forward copies for ever.
func (c *checker) checkCycles() {
	for _, cyc := range c.g.cycles() {
		safe := false
		for _, n := range cyc {
			if q := c.queue(n); q != nil && q.Redrive != nil {
				safe = true
			}
		}
		if safe {
			continue
		}
		r, _ := c.f.Resources.Entry(cyc[0])
		c.errorf(r.Value.Loc, "cycle %s has no way out: messages would loop for ever (give a queue in it a redrive dead-letter queue)", describeCycle(cyc))
	}
}

func fifoWord(fifo bool) string {
	if fifo {
		return "FIFO"
	}
	return "standard"
}

// Build checks f and builds its architecture into a new World for replication rep.
func Build(f *File, rep int) (*Model, error) {
	g, errs := Check(f)
	if len(errs) > 0 {
		return nil, errs
	}
	w := core.NewWorld(core.Config{
		Seed:        uint64(f.Seed),
		Replication: rep,
		Warmup:      f.Warmup.D(),
		Duration:    f.Duration.D(),
	})
	b := builder{f: f, w: w, g: g, queues: map[string]*sqs.Queue{}}
	if err := b.build(); err != nil {
		return nil, err
	}
	return &Model{World: w, File: f, Graph: g}, nil
}

type builder struct {
	f      *File
	w      *core.World
	g      Graph
	queues map[string]*sqs.Queue
	acct   *lambda.Account
	errs   ErrorList
	after  []func() // checks that need every component built (e.g. a topic's subscriptions)
}

func (b *builder) id(name string) core.ComponentID {
	id, _ := b.w.Lookup(name)
	return id
}

// fifoTarget reports whether name is a FIFO queue or FIFO topic (its senders must give
// message groups and deduplication ids).
func (b *builder) fifoTarget(name string) bool {
	r, ok := b.f.Resources.Get(name)
	if !ok {
		return false
	}
	switch s := r.Settings.(type) {
	case *SQSSettings:
		return s.FIFO
	case *SNSSettings:
		return s.FIFO
	}
	return false
}

// onlyDeadLetters reports whether every message reaching name comes as a dead letter
// (all its incoming edges are redrive edges: a queue used only as a DLQ).
func (b *builder) onlyDeadLetters(name string) bool {
	n := 0
	for _, e := range b.g.Edges {
		if e.To == name {
			if e.Label != "redrive" {
				return false
			}
			n++
		}
	}
	return n > 0
}

// sink reports whether messages end at name: nothing flows on from it, and something
// flows into it other than a synchronous call (a function or table that is only called
// answers its caller, which owns the message and ends its path).
func (b *builder) sink(name string) bool {
	if b.g.forwards(name) {
		return false
	}
	for _, e := range b.g.Edges {
		if e.To == name && e.Label != "call" {
			return true
		}
	}
	return false
}

func (b *builder) fail(l Loc, err error) { b.errs.Add(l.Errorf("%v", err)) }

func (b *builder) build() error {
	// every component gets its id first, so references between them resolve in any order
	for _, name := range b.f.Resources.Keys() {
		b.w.Reserve(name)
	}
	b.acct = lambda.NewAccount(1000)
	// queues first (a DLQ before the queues that redrive into it): functions poll them
	for _, name := range b.queueOrder() {
		r, _ := b.f.Resources.Get(name)
		s := r.Settings.(*SQSSettings)
		cfg := s.config(name)
		if !s.Sink {
			cfg.Sink = b.sink(name)
		}
		if s.Redrive != nil {
			cfg.DLQ = b.queues[s.Redrive.DLQ.Name]
		}
		cfg.DeadLetterQueue = b.onlyDeadLetters(name)
		q, err := sqs.New(b.w, cfg)
		if err != nil {
			b.fail(r.Loc, err)
			continue
		}
		b.queues[name] = q
	}
	for _, e := range b.f.Resources.Entries() {
		if _, isQueue := e.Value.Settings.(*SQSSettings); isQueue {
			continue
		}
		if rs, ok := e.Value.Settings.(resourceSpec); ok {
			rs.build(b, e.Key, e.Value.Loc)
		}
	}
	for _, e := range b.f.Producers.Entries() {
		b.buildProducer(e.Key, e.Loc, e.Value)
	}
	for _, f := range b.after {
		f()
	}
	if len(b.errs) > 0 {
		b.errs.Sort()
		return b.errs
	}
	if un := b.w.Unbound(); len(un) > 0 {
		return fmt.Errorf("scenarios: internal error: resources %v were not built", un)
	}
	return nil
}

// queueOrder lists the queues so that every DLQ comes before the queues redriving into it.
func (b *builder) queueOrder() []string {
	var out []string
	done := map[string]bool{}
	var visit func(name string, depth int)
	visit = func(name string, depth int) {
		if done[name] || depth > 64 {
			return
		}
		r, _ := b.f.Resources.Get(name)
		s, ok := r.Settings.(*SQSSettings)
		if !ok {
			return
		}
		if s.Redrive != nil {
			visit(s.Redrive.DLQ.Name, depth+1)
		}
		if !done[name] {
			done[name] = true
			out = append(out, name)
		}
	}
	for _, name := range b.f.Resources.Keys() {
		visit(name, 0)
	}
	return out
}

// resourceSpec is implemented by the settings struct of every resource type: it names the
// node kind, checks its references (adding its edges to the graph), and builds its model
// component. Queues are built before every other resource, dead-letter queues first.
type resourceSpec interface {
	graphKind() string
	check(c *checker, name string)
	build(b *builder, name string, loc Loc)
}

func (b *builder) buildLambda(name string, loc Loc, s *LambdaSettings) {
	cfg := lambda.DefaultConfig(name)
	cfg.Memory = s.Memory.MB()
	cfg.Architecture = s.Architecture
	cfg.Timeout = s.Timeout.D()
	if s.Duration != nil {
		cfg.Duration = s.Duration.Dist
	}
	cfg.ErrorProbability = s.Errors.Fraction()
	cfg.ReservedConcurrency = s.ReservedConcurrency
	cfg.ProvisionedConcurrency = s.ProvisionedConcurrency
	if s.InitDuration != nil {
		cfg.InitDuration = s.InitDuration.Dist
	}
	cfg.IdleLifetime = s.IdleLifetime.D()
	cfg.Sink = s.Sink || b.sink(name)
	for _, st := range s.Steps {
		var step lambda.Step
		switch st.Kind {
		case "compute":
			step = lambda.Step{Kind: lambda.Compute, Duration: st.Compute.Dist}
		case "call":
			step = lambda.Step{Kind: lambda.Call, Target: b.id(st.Target.Name), Catch: st.Catch}
			if br := st.Breaker; br != nil {
				step.Breaker = &service.Breaker{Failures: br.Failures, Window: br.Window.D(), OpenFor: br.OpenFor.D(), HalfOpenProbes: br.HalfOpenProbes}
			}
		case "send":
			step = lambda.Step{Kind: lambda.Send, Target: b.id(st.Target.Name), Catch: st.Catch}
		case "fail":
			step = lambda.Step{Kind: lambda.Fail, Probability: st.Fail.Fraction()}
		}
		cfg.Steps = append(cfg.Steps, step)
	}
	if s.Async != nil {
		cfg.Async.MaxRetries = s.Async.MaxRetries
		cfg.Async.MaxEventAge = s.Async.MaxEventAge.D()
		if s.Async.OnFailure != nil {
			cfg.Async.OnFailure = b.id(s.Async.OnFailure.Name)
		}
	}
	if t := s.Trigger; t != nil {
		cfg.Triggers = append(cfg.Triggers, lambda.ESMConfig{
			Queue:                   b.queues[t.Queue.Name],
			BatchSize:               t.BatchSize,
			BatchingWindow:          t.BatchingWindow.D(),
			MaxConcurrency:          t.MaxConcurrency,
			ReportBatchItemFailures: t.ReportBatchItemFailures,
		})
	}
	if _, err := lambda.New(b.w, b.acct, cfg); err != nil {
		b.fail(loc, err)
	}
}

func (b *builder) buildProducer(name string, loc Loc, p Producer) {
	cfg := producer.Config{
		Name:   name,
		Target: b.id(p.Target.Name),
		Poison: p.Poison.Fraction(),
		Size:   constSize(p.Size),
	}
	arr, err := arrivalProcess(p.Arrival, b.f)
	if err != nil {
		b.fail(p.Arrival.Loc, err)
		return
	}
	cfg.Arrival = arr
	for _, e := range p.Attributes.Entries() {
		a := producer.Attr{Name: e.Key}
		if e.Value.Number != nil {
			a.Number = e.Value.Number.Dist
		} else if e.Value.Categories != nil {
			for _, c := range e.Value.Categories.Entries() {
				a.Values = append(a.Values, c.Key)
				a.Weights = append(a.Weights, c.Value)
			}
		}
		cfg.Attrs = append(cfg.Attrs, a)
	}
	if len(cfg.Attrs) > core.MaxAttrs {
		b.errs.Add(loc.Errorf("at most %d attributes per producer, got %d", core.MaxAttrs, len(cfg.Attrs)))
		return
	}
	cfg.Groups = p.Groups
	cfg.Duplicates = p.Duplicates.Fraction()
	cfg.Batch = p.BatchSize
	cfg.Linger = p.Linger.D()
	if b.fifoTarget(p.Target.Name) {
		cfg.DedupIDs = true
		if cfg.Groups == 0 {
			cfg.Groups = 100 // a FIFO target needs message groups
		}
	}
	producer.New(b.w, cfg)
}

// arrivalProcess turns an arrival block into the producer's process.
func arrivalProcess(a Arrival, f *File) (producer.Arrival, error) {
	switch s := a.Spec.(type) {
	case *ConstantArrival:
		return producer.Constant{PerSecond: s.Rate.PerSecond()}, nil
	case *PoissonArrival:
		return producer.Poisson{PerSecond: s.Rate.PerSecond()}, nil
	case *RampArrival:
		return producer.Ramp(s.From.PerSecond(), s.To.PerSecond(), s.At.D(), s.Over.D()), nil
	case *SpikeArrival:
		return producer.Spike(s.Base.PerSecond(), s.Peak.PerSecond(), s.At.D(), s.For.D()), nil
	case *DiurnalArrival:
		return producer.Diurnal{Mean: s.Mean.PerSecond(), Amplitude: s.Amplitude, Period: s.Period.D(), Phase: s.Phase.D()}, nil
	case *BurstyArrival:
		return &producer.Bursty{Burst: s.Rate.PerSecond(), Idle: s.IdleRate.PerSecond(), On: s.On.D(), Off: s.Off.D()}, nil
	case *TraceArrival:
		times, err := readTrace(s.File, f.Path)
		if err != nil {
			return nil, err
		}
		return &producer.Trace{Times: times, Loop: s.Loop}, nil
	}
	return nil, fmt.Errorf("arrival process %q is not supported", a.Process)
}
