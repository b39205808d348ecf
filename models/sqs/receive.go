package sqs

import (
	"time"

	"msgsim/models/core"
	"msgsim/sim"
)

// waiter is a long poll waiting for a message.
type waiter struct {
	c      Consumer
	token  int64
	max    int
	vis    time.Duration
	gen    uint32
	active bool
}

// response is a receive answer on its way back to the consumer.
//
// The generations come before the items, so that the fields a one-item answer (the common
// case) uses are 128 contiguous bytes, where header, item and generation lay in three
// places 400 bytes apart.
type response struct {
	c        Consumer
	token    int64
	n        int
	bytes    int64
	reclaims uint64           // q.reclaims when the response was made
	gens     [MaxBatch]uint32 // record generation of each item when it was picked
	items    [MaxBatch]Received
}

// Receive is ReceiveMessage (§1.3). It completes later with exactly one c.Received call,
// always from an event, never from inside Receive:
//   - messages are picked at once if any are receivable and reach the consumer one API
//     latency later;
//   - a short poll (wait 0) with nothing receivable answers empty after one API latency;
//     on a standard queue it reads only a sample of the partitions (note 2), so it can
//     answer empty while messages exist;
//   - a long poll waits: it is served as soon as a message becomes receivable (note 3), or
//     answers empty exactly at the end of the wait.
//
// Max is clamped to 1..10, Wait to 0..20 s and Visibility to 0..12 h. At the in-flight
// limit nothing is receivable. Every call is one billed request (more for answers over
// 64 KiB), empty ones included.
func (q *Queue) Receive(req ReceiveRequest, c Consumer, token int64) {
	maxN := min(max(req.Max, 1), MaxBatch)
	wait := req.Wait
	if wait < 0 {
		wait = q.cfg.ReceiveWait
	}
	wait = min(wait, MaxWait)
	vis := req.Visibility
	if vis < 0 {
		vis = q.cfg.VisibilityTimeout
	}
	vis = min(vis, MaxVisibilityTimeout)

	if wait == 0 {
		ri := q.newResponse(c, token)
		q.pick(ri, maxN, vis, q.shortPollMask())
		q.sendResponse(ri, q.latency())
		return
	}
	if q.receivable() { // else a long poll waits without taking a response
		ri := q.newResponse(c, token)
		q.pick(ri, maxN, vis, q.allPartitions())
		if q.responses[ri].n > 0 {
			q.sendResponse(ri, q.latency())
			return
		}
		q.freeResponse(ri)
	}
	q.addWaiter(c, token, maxN, vis, wait)
}

func (q *Queue) latency() time.Duration { return sim.SampleDuration(q.cfg.APILatency, q.rng) }

func (q *Queue) allPartitions() uint32 { return q.allParts }

// shortPollMask picks the partitions a short poll reads (note 2): ceil(K/2) at random,
// or all of them when the queue holds fewer than 1,000 visible messages and the previous
// short poll read a sample.
func (q *Queue) shortPollMask() uint32 {
	if q.fifo != nil {
		return 0
	}
	k := len(q.parts)
	if q.shortSampled && q.nVisible < 1000 {
		q.shortSampled = false
		return q.allPartitions()
	}
	q.shortSampled = true
	var idx [32]uint8
	for i := range k {
		idx[i] = uint8(i)
	}
	var mask uint32
	for i := range (k + 1) / 2 {
		j := i + q.rng.IntN(k-i)
		idx[i], idx[j] = idx[j], idx[i]
		mask |= 1 << idx[i]
	}
	return mask
}

// receivable reports whether a long poll could be served now.
func (q *Queue) receivable() bool {
	if q.nInFlight >= q.cfg.InFlightLimit {
		return false
	}
	if q.fifo != nil {
		return q.fifo.ready.len() > 0
	}
	return q.nVisible > 0
}

// pick moves up to maxN receivable messages into response ri, in flight.
func (q *Queue) pick(ri int32, maxN int, vis time.Duration, mask uint32) {
	if q.fifo != nil {
		q.fifo.pick(ri, maxN, vis)
		return
	}
	resp := &q.responses[ri] // stays valid: nothing in the loop makes a response of this queue
	for resp.n < maxN && q.nInFlight < q.cfg.InFlightLimit {
		s, ok := q.popVisible(mask)
		if !ok {
			return
		}
		q.addVisible(-1)
		r := &q.recs[s]
		if q.redriveDue(r) {
			q.moveToDLQ(s)
			continue
		}
		q.deliver(resp, s, r, vis)
	}
}

// deliver marks visible record r (slot s, already out of the visible structure) in flight
// and adds it to response resp.
func (q *Queue) deliver(resp *response, s int32, r *record, vis time.Duration) {
	now := q.w.Now()
	r.state = stInFlight
	visibleAt := r.since
	r.recvCount++
	r.receipt++
	r.since = now
	q.startVisibility(s, r, vis)
	q.addInFlight(1)
	q.m.received.Inc()
	q.m.queueTime.Record(now - visibleAt)
	if r.flags&(flDupCopy|flDupShown) == flDupCopy {
		r.flags |= flDupShown
		q.m.duplicates.Inc()
	}
	group := core.NoGroup
	if q.fifo != nil {
		group = q.w.Msg(r.msg).Group
		q.fifo.delivered(s)
	} else if r.sendSeq < q.maxDelivered {
		q.m.outOfOrder.Inc()
	} else {
		q.maxDelivered = r.sendSeq
	}
	if q.w.Tracing() {
		q.w.Tracef(q.id, r.msg, "received by %s (receive %d; visible again at %.3f s)",
			consumerName(resp.c), r.recvCount, (now + vis).Seconds())
	}
	it := &resp.items[resp.n] // field by field: a literal would be built aside and copied
	it.Msg, it.Handle, it.ReceiveCount = r.msg, Handle{slot: s, receipt: r.receipt}, int(r.recvCount)
	it.SentAt, it.GroupID = r.arrived, group
	resp.gens[resp.n] = r.gen
	resp.n++
	resp.bytes += int64(r.size)
}

func (q *Queue) newResponse(c Consumer, token int64) int32 {
	var ri int32
	if n := len(q.freeResp); n > 0 {
		ri = q.freeResp[n-1]
		q.freeResp = q.freeResp[:n-1]
	} else {
		q.responses = append(q.responses, response{})
		ri = int32(len(q.responses) - 1)
	}
	r := &q.responses[ri]
	r.c, r.token, r.n, r.bytes, r.reclaims = c, token, 0, 0, q.reclaims
	return ri
}

func (q *Queue) freeResponse(ri int32) {
	q.responses[ri].c = nil
	q.freeResp = append(q.freeResp, ri)
}

// sendResponse bills the call and schedules the answer after d.
func (q *Queue) sendResponse(ri int32, d time.Duration) {
	r := &q.responses[ri]
	q.m.requests.Add(chunks(r.bytes))
	if r.n == 0 {
		q.m.emptyReceives.Inc()
	}
	q.w.Eng.After(d, q.h, evRespond, int64(ri), 0)
}

// respond hands an answer to its consumer. Items whose message left the queue since it
// was picked are left out, the others moved up in place. The response is freed only
// after the call, so that a Receive made during it takes another response and the batch
// stays as it was (were the slice of responses to grow meanwhile, batch still points into
// the old one, which nothing writes any more).
//
// An item's message can leave on the way only if it expires, or if it becomes visible
// again and is then received and deleted or moved to the DLQ by someone else: a delete
// needs the receipt of its latest receive, which only this response holds until then. So
// while q.reclaims (bumped at every expiry and return to visible) has not moved since the
// response was made, no item can have left, and no record is read: the common case, in
// which these reads were an L1 miss per message (BenchmarkZZProf1m).
func (q *Queue) respond(ri int32) {
	r := &q.responses[ri]
	n := r.n
	if r.reclaims != q.reclaims {
		n = q.stillHeld(r)
	}
	r.c.Received(r.token, r.items[:n])
	q.freeResponse(ri)
}

// stillHeld moves up the items of r whose message is still held (same record generation,
// not freed) and returns how many there are.
func (q *Queue) stillHeld(r *response) int {
	n := 0
	for i := 0; i < r.n; i++ {
		s := r.items[i].Handle.slot
		if rec := &q.recs[s]; rec.gen == r.gens[i] && rec.state != stFree {
			if n != i {
				r.items[n] = r.items[i]
			}
			n++
		}
	}
	return n
}

// addWaiter parks a long poll until a message is receivable or wait ends.
func (q *Queue) addWaiter(c Consumer, token int64, maxN int, vis, wait time.Duration) {
	var wi int32
	if n := len(q.freeWait); n > 0 {
		wi = q.freeWait[n-1]
		q.freeWait = q.freeWait[:n-1]
	} else {
		q.waiters = append(q.waiters, waiter{})
		wi = int32(len(q.waiters) - 1)
	}
	wt := &q.waiters[wi]
	wt.c, wt.token, wt.max, wt.vis, wt.active = c, token, maxN, vis, true
	if q.waits.Len() > compactAbove(q.nWaiting) {
		q.waits.Compact()
	}
	q.waits.Add(q.w.Now()+wait, wi, wt.gen)
	q.nWaiting++
	q.waitRing.push(pack(wi, wt.gen))
	if q.waitRing.len() > compactAbove(q.nWaiting) {
		q.waitRing.compact(q.waiterValid)
	}
}

// waiterValid is waitLive for an entry of the waiting ring (slot and generation packed).
func (q *Queue) waiterValid(v uint64) bool { return q.waitLive(unpack(v)) }

// endWaiter retires waiter wi.
func (q *Queue) endWaiter(wi int32) {
	wt := &q.waiters[wi]
	wt.active = false
	wt.c = nil
	wt.gen++
	q.nWaiting--
	q.freeWait = append(q.freeWait, wi)
}

// waitLive reports whether waiter wi of generation gen still waits (q.waits).
func (q *Queue) waitLive(wi int32, gen uint32) bool {
	wt := &q.waiters[wi]
	return wt.gen == gen && wt.active
}

// waitEnd answers a long poll whose wait ended with nothing: an empty receive.
func (q *Queue) waitEnd(wi int32, gen uint32) {
	wt := &q.waiters[wi]
	ri := q.newResponse(wt.c, wt.token)
	q.endWaiter(wi)
	q.sendResponse(ri, 0)
}

// serveWaiters serves waiting long polls, oldest first, while messages are receivable.
func (q *Queue) serveWaiters() {
	for q.nWaiting > 0 && q.receivable() {
		for !q.waiterValid(q.waitRing.front()) {
			q.waitRing.popFront()
		}
		wi, _ := unpack(q.waitRing.front())
		wt := &q.waiters[wi]
		ri := q.newResponse(wt.c, wt.token)
		q.pick(ri, wt.max, wt.vis, q.allPartitions())
		if q.responses[ri].n == 0 { // everything receivable went to the DLQ, or is out of the scan window
			q.freeResponse(ri)
			return
		}
		q.waitRing.popFront()
		q.endWaiter(wi)
		q.sendResponse(ri, q.latency())
	}
}

// handOver serves the oldest waiting long poll with standard record r (slot s), just made
// visible (and counted) in a queue where it is the only visible message, as serveWaiters
// would, without passing it through its partition: serveWaiters' first pick would pop it
// from the partition at once and find nothing after it, and, nothing being left visible,
// serve no other waiter. Its partition, empty before, stays empty, its remembered head
// unknown (partition.go); the record gets its partition only if it returns to visible
// (placePart). BenchmarkZZProf1m (cachegrind): the push, the pop and serveWaiters' checks
// around them cost ~280 instructions a message handed over.
func (q *Queue) handOver(s int32, r *record) {
	for !q.waiterValid(q.waitRing.front()) {
		q.waitRing.popFront()
	}
	wi, _ := unpack(q.waitRing.front())
	wt := &q.waiters[wi]
	ri := q.newResponse(wt.c, wt.token)
	q.addVisible(-1)
	if q.redriveDue(r) { // a dead letter moved into a DLQ that has a DLQ of its own
		q.moveToDLQ(s)
		q.freeResponse(ri)
		return
	}
	q.deliver(&q.responses[ri], s, r, wt.vis)
	q.waitRing.popFront()
	q.endWaiter(wi)
	q.sendResponse(ri, q.latency())
}

// consumerName names a consumer in narration: its Name() if it has one.
func consumerName(c Consumer) string {
	if n, ok := c.(interface{ Name() string }); ok {
		return n.Name()
	}
	return "a consumer"
}

// componentName names component id in narration ("someone" for core.None).
func componentName(w *core.World, id core.ComponentID) string {
	if id < 0 || int(id) >= len(w.Components()) {
		return "someone"
	}
	return w.Component(id).Name()
}
