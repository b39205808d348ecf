package consumer

import (
	"math/rand/v2"

	"msgsim/models/core"
	"msgsim/models/sqs"
	"msgsim/sim"
)

// Consumer is a fleet of workers polling one queue (see the package comment). It is a
// core.Component, a core.Starter (every worker polls at the start of the run) and an
// sqs.Consumer.
type Consumer struct {
	cfg     Config
	w       *core.World
	id      core.ComponentID
	h       sim.HandlerID
	rng     *rand.Rand
	q       *sqs.Queue
	fifo    bool
	req     sqs.ReceiveRequest
	workers []worker

	receives, empties, processed, failed *core.Counter
	processing                           *core.Latency
	busy                                 *sim.Gauge
}

// worker is one polling process and the batch it holds. The batch is copied out of the
// queue's answer (valid only during Received) into a fixed array.
type worker struct {
	items  [sqs.MaxBatch]sqs.Received
	poison [sqs.MaxBatch]bool // read at receipt, while the message is surely in flight
	ok     [sqs.MaxBatch]sqs.Handle
	n      int // messages in the batch
	next   int // the message being processed
	nOK    int // successes so far, to delete
}

// Event kinds of a consumer; A is the worker's index.
const (
	evProcessed int32 = iota // the worker finished processing its current message
	evPoll                   // the pause after an empty receive is over
)

// New validates cfg and registers the fleet with the world. Every problem with cfg is
// reported in one error.
func New(w *core.World, cfg Config) (*Consumer, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	c := &Consumer{
		cfg:     cfg,
		w:       w,
		rng:     w.Stream("consumer/" + cfg.Name),
		q:       cfg.Queue,
		fifo:    cfg.Queue.FIFO(),
		req:     sqs.ReceiveRequest{Max: cfg.MaxMessages, Wait: cfg.Wait, Visibility: cfg.Visibility},
		workers: make([]worker, cfg.Workers),
	}
	c.id = w.Add(c)
	c.h = w.Eng.Register(c)
	m := w.Metrics
	c.receives = m.Counter(cfg.Name, "Receives", "requests")
	c.empties = m.Counter(cfg.Name, "EmptyReceives", "requests")
	c.processed = m.Counter(cfg.Name, "Processed", "messages")
	c.failed = m.Counter(cfg.Name, "Failed", "messages")
	c.processing = m.Latency(cfg.Name, "ProcessingTime")
	c.busy = m.Gauge(cfg.Name, "Busy", "workers")
	return c, nil
}

// ID is the consumer's component id.
func (c *Consumer) ID() core.ComponentID { return c.id }

// Name is the consumer's name in the scenario.
func (c *Consumer) Name() string { return c.cfg.Name }

// Config returns the settings in force, defaults filled in.
func (c *Consumer) Config() Config { return c.cfg }

// Holding is 0: messages a worker holds stay owned by the queue (in flight).
func (c *Consumer) Holding() int { return 0 }

// Start makes every worker poll (core.Starter).
func (c *Consumer) Start() {
	for i := range c.workers {
		c.poll(i)
	}
}

// Fire handles the consumer's events.
func (c *Consumer) Fire(ev sim.Event) {
	i := int(ev.A)
	if i < 0 || i >= len(c.workers) {
		return // cannot happen: events carry a worker index
	}
	switch ev.Kind {
	case evProcessed:
		c.processedOne(i)
	case evPoll:
		c.poll(i)
	}
}

// poll issues worker i's ReceiveMessage.
func (c *Consumer) poll(i int) {
	c.receives.Inc()
	c.q.Receive(c.req, c, int64(i))
}

// Received takes the answer to worker i's receive (sqs.Consumer).
func (c *Consumer) Received(token int64, batch []sqs.Received) {
	i := int(token)
	if i < 0 || i >= len(c.workers) {
		return // cannot happen: the token is the worker's index
	}
	if len(batch) == 0 {
		c.empties.Inc()
		if c.cfg.PollInterval > 0 {
			c.w.Eng.After(c.cfg.PollInterval, c.h, evPoll, int64(i), 0)
			return
		}
		c.poll(i) // the queue answers from its own event, so this does not recurse
		return
	}
	wk := &c.workers[i]
	wk.n = copy(wk.items[:], batch)
	for j := 0; j < wk.n; j++ {
		wk.poison[j] = c.w.Msg(wk.items[j].Msg).Poison
	}
	wk.next, wk.nOK = 0, 0
	c.busy.Add(c.w.Now(), 1)
	c.start(i)
}

// start begins processing worker i's current message.
func (c *Consumer) start(i int) {
	wk := &c.workers[i]
	r := &wk.items[wk.next]
	d := sim.SampleDuration(c.cfg.ProcessingTime, c.rng)
	if c.w.Tracing() {
		c.w.Tracef(c.id, r.Msg, "processing starts at worker %d (receive %d, message %d of %d in the batch)",
			i, r.ReceiveCount, wk.next+1, wk.n)
	}
	c.processing.Record(d)
	c.w.Eng.After(d, c.h, evProcessed, int64(i), 0)
}

// processedOne ends the processing of worker i's current message: a success is kept for
// the delete, a failure is left to return after its visibility timeout.
func (c *Consumer) processedOne(i int) {
	wk := &c.workers[i]
	r := &wk.items[wk.next]
	poison := wk.poison[wk.next]
	if poison || (c.cfg.ErrorProbability > 0 && c.rng.Float64() < c.cfg.ErrorProbability) {
		c.failed.Inc()
		if c.w.Tracing() {
			why := ""
			if poison {
				why = " (poison message)"
			}
			c.w.Tracef(c.id, r.Msg, "processing failed at worker %d%s; not deleted: it returns when its visibility timeout ends", i, why)
		}
		if c.fifo { // keep the group's order: leave the rest of the batch too
			c.leaveRest(i)
			c.finishBatch(i)
			return
		}
	} else {
		c.processed.Inc()
		wk.ok[wk.nOK] = r.Handle
		wk.nOK++
	}
	wk.next++
	if wk.next < wk.n {
		c.start(i)
		return
	}
	c.finishBatch(i)
}

// leaveRest narrates the messages of a FIFO batch left unprocessed after a failure.
func (c *Consumer) leaveRest(i int) {
	wk := &c.workers[i]
	if !c.w.Tracing() {
		return
	}
	for j := wk.next + 1; j < wk.n; j++ {
		c.w.Tracef(c.id, wk.items[j].Msg, "left unprocessed by worker %d after an earlier failure in its FIFO batch", i)
	}
}

// finishBatch deletes worker i's successes with one DeleteMessageBatch and polls again.
func (c *Consumer) finishBatch(i int) {
	wk := &c.workers[i]
	if wk.nOK > 0 {
		c.q.DeleteBatch(wk.ok[:wk.nOK], c.id, c.cfg.Sink)
	}
	wk.n, wk.next, wk.nOK = 0, 0, 0
	c.busy.Add(c.w.Now(), -1)
	c.poll(i)
}

// Busy is the number of workers processing a batch right now.
func (c *Consumer) Busy() int {
	n := 0
	for i := range c.workers {
		if c.workers[i].n > 0 {
			n++
		}
	}
	return n
}

var _ sqs.Consumer = (*Consumer)(nil)
