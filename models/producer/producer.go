package producer

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"msgsim/models/core"
	"msgsim/sim"
)

// Attr generates one message attribute: a categorical value drawn with weights, or a
// number drawn from a distribution.
type Attr struct {
	Name    string
	Values  []string  // categorical values ...
	Weights []float64 // ... and their weights (any positive scale)
	Number  sim.Dist  // or a numeric distribution (Values empty)
}

// Config describes a producer.
type Config struct {
	Name    string
	Target  core.ComponentID
	Arrival Arrival
	Size    sim.Dist // message size in bytes; nil means 1 KiB
	Poison  float64  // fraction of messages that always fail processing
	Attrs   []Attr
	Groups  int // FIFO message groups to spread messages over uniformly; 0 = no group
	// DedupIDs gives every message a MessageDeduplicationId (its trace id), as a FIFO
	// sender must unless the queue uses content-based deduplication.
	DedupIDs bool
	// Duplicates is the fraction of messages sent a second time, right after the first,
	// with the same deduplication id and content — what an SDK retry after a lost response
	// does. Standard queues keep both; FIFO queues and topics drop the second.
	Duplicates float64
	Limit      int64 // stop after this many messages; 0 = until the run ends
	// Retry is the SDK retry schedule for throttled sends (zero value: core.DefaultSDKBackoff).
	Retry core.Backoff
	// Batch is the most messages sent in one batch call (SendMessageBatch), 1–10; 0 means
	// 1 (no batching). It applies when the target has a batch API (core.BatchTarget);
	// other targets get one send per message.
	Batch int
	// Linger is how long a batch waits for more messages after its first one before it is
	// sent anyway (0: sent at the instant of its first message, with whatever arrived then).
	Linger time.Duration
}

// Producer emits messages into its target at the times of its arrival process. Throttled
// sends are retried with the SDK's backoff; a send still refused after the last attempt is
// dropped and counted.
type Producer struct {
	cfg    Config
	w      *core.World
	id     core.ComponentID
	index  int32
	h      sim.HandlerID
	rng    *rand.Rand
	attrs  []attrGen
	groups []int32

	emitted    int64
	produced   *core.Counter
	retries    *core.Counter
	duplicates *core.Counter
	failed     core.DropKey
	rejected   core.DropKey
	retrying   int
	finished   bool
	lastTime   time.Duration

	batch batcher // pending batch call (batch.go)

	// blank is what a new message's attributes start as: the slots not generated marked
	// absent, one copy instead of a loop per message.
	blank core.Attrs
}

type attrGen struct {
	values []int32
	cum    []float64
	number sim.Dist
}

const (
	evArrive int32 = iota
	evRetry
	evLinger
)

// New builds a producer and registers it with the world.
func New(w *core.World, cfg Config) *Producer {
	if cfg.Retry.MaxAttempts == 0 {
		cfg.Retry = core.DefaultSDKBackoff
	}
	p := &Producer{cfg: cfg, w: w, rng: w.Stream("producer/" + cfg.Name)}
	p.id = w.Add(p)
	p.h = w.Eng.Register(p)
	p.index = w.Paths().AddProducer(cfg.Name)
	for _, a := range cfg.Attrs {
		g := attrGen{number: a.Number}
		total := 0.0
		for i, v := range a.Values {
			g.values = append(g.values, w.Strings.ID(v))
			total += a.Weights[i]
			g.cum = append(g.cum, total)
		}
		for i := range g.cum {
			g.cum[i] /= total
		}
		p.attrs = append(p.attrs, g)
	}
	for i := len(p.attrs); i < len(p.blank); i++ {
		p.blank[i].Str = core.AttrAbsent
	}
	for i := 0; i < cfg.Groups; i++ {
		p.groups = append(p.groups, w.Strings.ID(cfg.Name+"-g"+itoa(i)))
	}
	p.produced = w.Metrics.Counter(cfg.Name, "MessagesProduced", "messages")
	p.retries = w.Metrics.Counter(cfg.Name, "SendRetries", "requests")
	p.duplicates = w.Metrics.Counter(cfg.Name, "DuplicateSends", "messages")
	p.failed = w.DropReason(cfg.Name, "send throttled, retries exhausted")
	p.rejected = w.DropReason(cfg.Name, "send rejected")
	return p
}

// ID is the producer's component id.
func (p *Producer) ID() core.ComponentID { return p.id }

// Index is the producer's index in Message.Producer.
func (p *Producer) Index() int32 { return p.index }

// Name is the producer's name.
func (p *Producer) Name() string { return p.cfg.Name }

// Holding counts messages waiting for a send retry or in a batch not yet sent.
func (p *Producer) Holding() int { return p.retrying + len(p.batch.msgs) }

// Emitted is the number of messages produced so far.
func (p *Producer) Emitted() int64 { return p.emitted }

// Start decides whether sends are batched and schedules the first arrival.
func (p *Producer) Start() {
	p.startBatching()
	p.scheduleNext()
}

func (p *Producer) scheduleNext() {
	if p.cfg.Limit > 0 && p.emitted >= p.cfg.Limit {
		p.finished = true
		return
	}
	next, ok := p.cfg.Arrival.Next(p.lastTime, p.rng)
	if !ok {
		p.finished = true
		return
	}
	if next < p.w.Now() {
		next = p.w.Now()
	}
	p.lastTime = next
	_ = p.w.Eng.Schedule(sim.Event{At: next, Target: sim.Target{Handler: p.h, Kind: evArrive}})
}

// Fire handles arrivals and send retries.
func (p *Producer) Fire(ev sim.Event) {
	switch ev.Kind {
	case evArrive:
		p.emit()
		p.scheduleNext()
	case evRetry:
		p.retrying--
		p.send(core.MsgID(ev.A), int(ev.B))
	case evLinger:
		p.flush()
	}
}

func (p *Producer) emit() {
	size := int32(1024)
	if p.cfg.Size != nil {
		size = int32(p.cfg.Size.Sample(p.rng))
		if size < 1 {
			size = 1
		}
	}
	id := p.w.Produce(p.index, size)
	m := p.w.Msg(id)
	if p.cfg.Poison > 0 && p.rng.Float64() < p.cfg.Poison {
		m.Poison = true
	}
	attrs := p.w.Attrs(id)
	*attrs = p.blank
	for i := range p.attrs {
		g := &p.attrs[i]
		if g.number != nil {
			attrs[i] = core.AttrValue{Str: core.AttrNumber, Num: g.number.Sample(p.rng)}
			continue
		}
		u := p.rng.Float64()
		k := 0
		for k < len(g.cum)-1 && u >= g.cum[k] {
			k++
		}
		attrs[i].Str = g.values[k]
	}
	if len(p.groups) > 0 {
		m.Group = p.groups[p.rng.IntN(len(p.groups))]
	}
	if p.cfg.DedupIDs {
		m.Dedup = m.Trace
	}
	p.emitted++
	p.produced.Inc()
	if p.w.Tracing() {
		p.w.Tracef(p.id, id, "produced%s, sent to %s", p.describe(id), p.w.Component(p.cfg.Target).Name())
	}
	dup := p.cfg.Duplicates > 0 && p.rng.Float64() < p.cfg.Duplicates
	if dup {
		again := p.w.Derive(id) // same trace, group and dedup id: the same message again
		p.duplicates.Inc()
		p.send(again, 1)
	}
	p.send(id, 1)
}

// send makes attempt number attempt (1-based) to send message id.
// With batching on, the attempt joins the pending batch call instead (batch.go).
func (p *Producer) send(id core.MsgID, attempt int) {
	if p.batch.size > 1 {
		p.addToBatch(id, attempt)
		return
	}
	lat := p.w.SendLatency(p.cfg.Target, p.rng)
	if lat == 0 {
		// A target without a send latency (a service, an endpoint) takes the message at
		// once: no transit event, and the outcome is handled here as Done would.
		p.Done(sendToken(id, attempt), p.w.DeliverNow(id, p.cfg.Target))
		return
	}
	p.w.Send(id, p.cfg.Target, lat, p.id, sendToken(id, attempt))
}

// sendToken is the token of a send: the message id and the attempt number, which Done
// decodes.
func sendToken(id core.MsgID, attempt int) int64 { return int64(id)<<8 | int64(attempt) }

// Done learns the outcome of a send: throttled sends are retried with backoff.
func (p *Producer) Done(token int64, st core.Status) {
	id := core.MsgID(token >> 8)
	attempt := int(token & 0xff)
	switch st {
	case core.OK:
		return
	case core.Throttled:
		if attempt < p.cfg.Retry.MaxAttempts {
			p.retries.Inc()
			p.retrying++
			d := p.cfg.Retry.Delay(attempt, p.rng.Float64())
			if p.w.Tracing() {
				p.w.Tracef(p.id, id, "send throttled (attempt %d), retry in %.3f s", attempt, d.Seconds())
			}
			p.w.Eng.After(d, p.h, evRetry, int64(id), int64(attempt+1))
			return
		}
		if p.w.Tracing() {
			p.w.Tracef(p.id, id, "send throttled (attempt %d): no retries left", attempt)
		}
		p.w.Drop(id, p.failed)
	default:
		p.w.Drop(id, p.rejected)
	}
}

// describe renders what a produced message carries, for narration: its attributes in
// schema order, its FIFO group and whether it is poison (" {type: order, amount: 80.5}").
func (p *Producer) describe(id core.MsgID) string {
	m, attrs := p.w.Msg(id), p.w.Attrs(id)
	var b strings.Builder
	for i, a := range p.cfg.Attrs {
		v := attrs[i]
		if v.Str == core.AttrAbsent {
			continue
		}
		if b.Len() == 0 {
			b.WriteString(" {")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(a.Name)
		b.WriteString(": ")
		if v.Str == core.AttrNumber {
			b.WriteString(strconv.FormatFloat(v.Num, 'g', 4, 64))
		} else {
			b.WriteString(p.w.AttrText(v))
		}
	}
	if b.Len() > 0 {
		b.WriteString("}")
	}
	if m.Group != core.NoGroup {
		b.WriteString(" in group " + p.w.Strings.Name(m.Group))
	}
	if m.Poison {
		b.WriteString(" (poison: every attempt to process it fails)")
	}
	return b.String()
}

// AttrNames returns the attribute names in message order.
func (p *Producer) AttrNames() []string {
	names := make([]string, len(p.cfg.Attrs))
	for i, a := range p.cfg.Attrs {
		names[i] = a.Name
	}
	return names
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	n := len(b)
	for i > 0 {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
	}
	return string(b[n:])
}

// Kind is "producer" (core.Kinded).
func (p *Producer) Kind() string { return core.KindProducer }
