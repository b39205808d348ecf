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
//
// Layout: the fields that every poll, receive and batch reads come first, in two cache
// lines (q to vis; active to scaling's lastMsg and seenMsg), and the struct is padded to
// 256 bytes, an allocation size class whose objects start on a cache-line boundary; the
// settings read only at build time or by the scaling clock follow.
type esm struct {
	q                                *sqs.Queue
	polled, invoked, failed, deleted *core.Counter
	batchSize                        int           // cfg.BatchSize
	window                           time.Duration // cfg.BatchingWindow
	vis                              time.Duration

	target, active int
	// sized: a batch could reach the 6 MB cap (BatchSize × the queue's largest message,
	// maxMsg), so message sizes are summed while it is assembled
	maxMsg  int64
	sized   bool
	fifo    bool
	scaling esmScaling

	f    *Function
	idx  int32
	cfg  ESMConfig
	conc *sim.Gauge
	_    [16]byte // to 256 bytes (test)
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
	e := &esm{f: f, idx: idx, cfg: cfg, q: cfg.Queue, fifo: queueFIFO(cfg.Queue), vis: queueVisibility(cfg.Queue),
		batchSize: cfg.BatchSize, window: cfg.BatchingWindow}
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
		s := e.f.allocWorker(e.idx)
		e.f.poll(s, &e.f.workers[s], e)
	}
}

// poll issues the next ReceiveMessage of worker slot (wk, of ESM e), or retires the
// worker if the ESM has scaled down and it holds no batch.
//
// The ESM path passes a worker's slot, pointer and ESM down one event's chain (Received,
// invokeBatch, batchDone, poll) rather than re-indexing them at each step; the pointer is
// valid until f.workers grows, which only spawn does (allocWorker), from its own event.
func (f *Function) poll(slot int32, wk *worker, e *esm) {
	if len(wk.recs) == 0 && e.active > e.target {
		wk.gen++
		f.freeWk = append(f.freeWk, slot)
		e.active--
		return
	}
	want := min(pollMax, e.batchSize-len(wk.recs))
	if e.sized { // ask only for what surely fits under the cap
		want = min(want, int((batchPayloadCap-wk.bytes)/e.maxMsg))
	}
	wait := pollWait
	if len(wk.recs) > 0 {
		wait = min(pollWait, max(wk.deadline-f.w.Now(), 0))
	}
	e.q.Receive(sqs.ReceiveRequest{Max: want, Wait: wait, Visibility: -1}, f, int64(slot)|int64(wk.gen)<<32)
}

// Received takes the messages of one poll (sqs.Consumer). The test hook and the size sum
// (when esm.sized) run as loops of their own, so that copying a record tests nothing.
func (f *Function) Received(token int64, batch []sqs.Received) {
	slot := token & 0xffffffff // non-negative: no lower bound to check
	if slot >= int64(len(f.workers)) {
		return // cannot happen: a worker is retired only between polls
	}
	wk := &f.workers[slot]
	if wk.gen != uint32(token>>32) {
		return // cannot happen, as above
	}
	e := f.esms[wk.esm]
	now := f.w.Now()
	if n := len(batch); n > 0 {
		e.polled.Add(uint64(n))
		e.scaling.sawMessages(now)
		if len(wk.recs) == 0 {
			wk.deadline = now + e.window
			wk.visBy = now + e.vis
			if e.sized {
				wk.bytes = 0
			}
		}
		if f.observe != nil {
			for i := range batch {
				f.observe(batch[i])
			}
		}
		recs := wk.recs // a local: the loop neither loads nor stores wk.recs
		for i := range batch {
			recs = append(recs, record{msg: batch[i].Msg, handle: batch[i].Handle})
		}
		wk.recs = recs
		if e.sized {
			for i := range batch {
				wk.bytes += int64(f.w.Msg(batch[i].Msg).Size)
			}
		}
	}
	full := len(wk.recs) >= e.batchSize || (e.sized && wk.bytes+e.maxMsg > batchPayloadCap)
	if len(wk.recs) > 0 && (full || now >= wk.deadline) {
		f.invokeBatch(int32(slot), wk, e)
		return
	}
	f.poll(int32(slot), wk, e) // the queue calls Received from its own event, so this does not recurse
}

// invokeBatch invokes the function synchronously with the batch of worker slot (wk, of
// ESM e).
func (f *Function) invokeBatch(slot int32, wk *worker, e *esm) {
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
		// the visibility timeout is running out: let the messages reappear, and start the
		// next batch empty (its payload too, or the next poll would ask for what was left
		// under the size cap by the records given back)
		wk.recs = wk.recs[:0]
		wk.bytes, wk.throttles = 0, 0
		f.poll(slot, wk, e)
		return
	}
	wk.throttles = 0
	e.invoked.Add(uint64(len(wk.recs)))
	f.begin(srcESM, slot, int32(len(wk.recs)), res)
}

// batchRetry retries a throttled batch.
func (f *Function) batchRetry(slot int32, gen uint32) {
	if int(slot) < len(f.workers) && f.workers[slot].gen == gen {
		wk := &f.workers[slot]
		f.invokeBatch(slot, wk, f.esms[wk.esm])
	}
}

// batchDone deletes what succeeded after the invocation of a batch and starts the worker
// over. Records from stopAt on were not processed (FIFO partial failure).
func (f *Function) batchDone(slot int32, st core.Status, stopAt int32) {
	wk := &f.workers[slot]
	e := f.esms[wk.esm]
	// DeleteMessageBatch, 10 handles per request, for the records processed and not
	// reported failed
	hs := f.handles[:0]
	if st == core.OK {
		for _, r := range wk.recs[:stopAt] {
			if !r.failed {
				hs = append(hs, r.handle)
			}
		}
	} else {
		e.scaling.sawError(f.w.Now())
	}
	e.failed.Add(uint64(len(wk.recs) - len(hs)))
	f.handles = hs[:0]
	deleted := 0
	for len(hs) > pollMax {
		deleted += e.q.DeleteBatch(hs[:pollMax], f.id, f.sink)
		hs = hs[pollMax:]
	}
	if len(hs) > 0 {
		deleted += e.q.DeleteBatch(hs, f.id, f.sink)
	}
	e.deleted.Add(uint64(deleted))
	wk.recs = wk.recs[:0]
	if e.sized {
		wk.bytes = 0
	}
	f.poll(slot, wk, e)
}
