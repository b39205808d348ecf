package lambda

import (
	"time"

	"msgsim/models/core"
	"msgsim/models/sqs"
	"msgsim/sim"
)

// ESM poller settings (modelling note 30).
const (
	pollWait      = 20 * time.Second // WaitTimeSeconds of every poll
	pollMax       = 10               // MaxNumberOfMessages of every poll
	batchRetryCap = 64 * time.Second // cap of the throttled-batch backoff
)

// esm is one SQS event source mapping: a set of pollers ("workers"), each of which
// assembles a batch, invokes the function synchronously with it and deletes what
// succeeded, then starts over. The number of workers is the ESM's concurrency (the number
// of concurrent batches), scaled as esm_scaling.go describes.
//
// Batch lifecycle (§5.5, [L-WITHSQS][L-SQSERR]): a worker long-polls (20 s, up to 10
// messages) and repeats until the batch holds BatchSize records, is too full for another
// message of the queue's maximum size under the 6 MB cap, or the batching window
// (started by the first record) has elapsed; with no window it invokes with what the
// first non-empty poll returned. Polls ask only for as many messages as surely fit under
// the cap, so a batch never exceeds 6 MB. Then:
//   - success: every record is deleted (the queue consumes it; as a sink the function
//     records end-to-end latency);
//   - function error or timeout: nothing is deleted; the whole batch reappears after the
//     visibility timeout;
//   - ReportBatchItemFailures: the records the handler reported failed stay, the others
//     are deleted (FIFO: the first failure and everything after it stay);
//   - throttled (no concurrency): the worker keeps the batch and retries the invoke with a
//     backoff of 1 s doubling while the batch's visibility timeout lasts, then lets the
//     messages go: they reappear when the visibility expires, with a higher receive count
//     (note 31). The backoff is undocumented: 1 s doubling is an assumption.
type esm struct {
	f    *Function
	idx  int32
	cfg  ESMConfig
	q    *sqs.Queue
	fifo bool
	vis  time.Duration

	target, active int
	scaling        esmScaling

	// sized: a batch could reach the 6 MB cap (BatchSize × the queue's largest message,
	// maxMsg), so message sizes are summed while it is assembled
	sized  bool
	maxMsg int64

	polled, invoked, failed, deleted *core.Counter
	conc                             *sim.Gauge
}

// record is one message of a batch.
type record struct {
	msg    core.MsgID
	handle sqs.Handle
	failed bool // reported in batchItemFailures
}

// worker is one poller with the batch it is assembling or running. Workers live in a
// slab with a free list; their slot and generation form the Receive token.
//
// bytes comes last: the Go allocator puts an 8-byte header in front of an object that
// holds pointers and is 512 B to 32 KB long, so the slab's workers start 8 bytes into a
// cache line and a worker's last 8 bytes lie in the next line. Every batch touches the
// fields before bytes; only a batch that could reach the size cap (esm.sized) touches it.
type worker struct {
	gen       uint32
	esm       int32
	throttles uint8
	recs      []record
	deadline  time.Duration // end of the batching window
	visBy     time.Duration // when the batch's first messages become visible again
	bytes     int64         // payload of the batch so far, kept only when esm.sized
}

func newESM(f *Function, idx int32, cfg ESMConfig) *esm {
	e := &esm{f: f, idx: idx, cfg: cfg, q: cfg.Queue, fifo: queueFIFO(cfg.Queue), vis: queueVisibility(cfg.Queue)}
	e.maxMsg = int64(cfg.Queue.Config().MaxMessageSize)
	e.sized = int64(cfg.BatchSize)*e.maxMsg > batchPayloadCap
	name := f.cfg.Name + "/esm/" + cfg.Queue.Name()
	m := f.w.Metrics
	e.polled = m.Counter(name, "PolledEventCount", "count")
	e.invoked = m.Counter(name, "InvokedEventCount", "count")
	e.failed = m.Counter(name, "FailedInvokeEventCount", "count")
	e.deleted = m.Counter(name, "DeletedEventCount", "count")
	e.conc = m.Gauge(name, "ESMConcurrency", "count")
	e.scaling.init(cfg)
	if g := m.Find(cfg.Queue.Name(), "ApproximateNumberOfMessagesVisible"); g != nil && g.Gauge != nil {
		e.scaling.visible = g.Gauge
	}
	return e
}

// ESMConcurrency is the target concurrency of event source mapping i (in Triggers order).
func (f *Function) ESMConcurrency(i int) int { return f.esms[i].target }

func (f *Function) allocWorker(esmIdx int32) int32 {
	var s int32
	if n := len(f.freeWk); n > 0 {
		s = f.freeWk[n-1]
		f.freeWk = f.freeWk[:n-1]
	} else {
		f.workers = append(f.workers, worker{})
		s = int32(len(f.workers) - 1)
	}
	wk := &f.workers[s]
	wk.esm = esmIdx
	wk.recs = wk.recs[:0]
	wk.bytes, wk.throttles = 0, 0
	return s
}

// spawn starts workers until the ESM runs its target concurrency.
func (e *esm) spawn() {
	for e.active < e.target {
		e.active++
		e.f.poll(e.f.allocWorker(e.idx))
	}
}

// poll issues the worker's next ReceiveMessage, or retires the worker if the ESM has
// scaled down and it holds no batch.
func (f *Function) poll(slot int32) {
	wk := &f.workers[slot]
	e := f.esms[wk.esm]
	if len(wk.recs) == 0 && e.active > e.target {
		wk.gen++
		f.freeWk = append(f.freeWk, slot)
		e.active--
		return
	}
	want := min(pollMax, e.cfg.BatchSize-len(wk.recs))
	if e.sized { // ask only for what surely fits under the cap
		want = min(want, int((batchPayloadCap-wk.bytes)/e.maxMsg))
	}
	wait := pollWait
	if len(wk.recs) > 0 {
		wait = min(pollWait, max(wk.deadline-f.w.Now(), 0))
	}
	e.q.Receive(sqs.ReceiveRequest{Max: want, Wait: wait, Visibility: -1}, f, int64(slot)|int64(wk.gen)<<32)
}

// Received takes the messages of one poll (sqs.Consumer).
func (f *Function) Received(token int64, batch []sqs.Received) {
	slot := int32(token & 0xffffffff)
	if slot < 0 || int(slot) >= len(f.workers) || f.workers[slot].gen != uint32(token>>32) {
		return // cannot happen: a worker is retired only between polls
	}
	wk := &f.workers[slot]
	e := f.esms[wk.esm]
	now := f.w.Now()
	if n := len(batch); n > 0 {
		e.polled.Add(uint64(n))
		e.scaling.sawMessages(now)
		if len(wk.recs) == 0 {
			wk.deadline = now + e.cfg.BatchingWindow
			wk.visBy = now + e.vis
			if e.sized {
				wk.bytes = 0
			}
		}
		for i := range batch {
			if f.observe != nil {
				f.observe(batch[i])
			}
			wk.recs = append(wk.recs, record{msg: batch[i].Msg, handle: batch[i].Handle})
			if e.sized {
				wk.bytes += int64(f.w.Msg(batch[i].Msg).Size)
			}
		}
	}
	full := len(wk.recs) >= e.cfg.BatchSize || (e.sized && wk.bytes+e.maxMsg > batchPayloadCap)
	if len(wk.recs) > 0 && (full || now >= wk.deadline) {
		f.invokeBatch(slot)
		return
	}
	f.poll(slot) // the queue calls Received from its own event, so this does not recurse
}

// invokeBatch invokes the function synchronously with the worker's batch.
func (f *Function) invokeBatch(slot int32) {
	wk := &f.workers[slot]
	e := f.esms[wk.esm]
	res := f.acquire()
	if res == throttledConcurrency || res == throttledRate {
		f.m.throttles.Inc()
		e.scaling.throttled = true
		wk.throttles++
		d := min(time.Second<<min(wk.throttles-1, 20), batchRetryCap)
		if f.w.Now()+d < wk.visBy {
			if f.w.Tracing() {
				f.traceWorker(slot, "batch throttled: no concurrency free; retry in %.3f s", d.Seconds())
			}
			f.w.Eng.After(d, f.h, evBatchRetry, int64(slot), int64(wk.gen))
			return
		}
		if f.w.Tracing() {
			f.traceWorker(slot, "batch throttled until its visibility timeout runs out: the messages go back to the queue")
		}
		// the visibility timeout is running out: let the messages reappear
		wk.recs = wk.recs[:0]
		wk.throttles = 0
		f.poll(slot)
		return
	}
	wk.throttles = 0
	e.invoked.Add(uint64(len(wk.recs)))
	f.begin(srcESM, slot, int32(len(wk.recs)), res)
}

// batchRetry retries a throttled batch.
func (f *Function) batchRetry(slot int32, gen uint32) {
	if int(slot) < len(f.workers) && f.workers[slot].gen == gen {
		f.invokeBatch(slot)
	}
}

// batchDone deletes what succeeded after the invocation of a batch and starts the worker
// over. Records from stopAt on were not processed (FIFO partial failure).
func (f *Function) batchDone(slot int32, st core.Status, stopAt int32) {
	wk := &f.workers[slot]
	e := f.esms[wk.esm]
	upTo := 0
	if st == core.OK {
		upTo = int(stopAt)
	} else {
		e.scaling.sawError(f.w.Now())
	}
	// DeleteMessageBatch, 10 handles per request
	hs := f.handles[:0]
	for i := range wk.recs {
		if r := &wk.recs[i]; i < upTo && !r.failed {
			hs = append(hs, r.handle)
		}
	}
	deleted := 0
	for i := 0; i < len(hs); i += pollMax {
		deleted += e.q.DeleteBatch(hs[i:min(i+pollMax, len(hs))], f.id, f.sink)
	}
	f.handles = hs[:0]
	e.deleted.Add(uint64(deleted))
	e.failed.Add(uint64(len(wk.recs) - len(hs)))
	wk.recs = wk.recs[:0]
	if e.sized {
		wk.bytes = 0
	}
	f.poll(slot)
}
