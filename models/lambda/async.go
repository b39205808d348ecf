package lambda

import (
	"time"

	"msgsim/models/core"
)

// Async retry timing (modelling note 28): function errors are retried exactly 60 s and
// 120 s after the failed attempt; throttled events back off from 1 s, doubling, to 300 s.
const (
	asyncErrorDelay    = 60 * time.Second
	asyncThrottleFirst = time.Second
	asyncThrottleCap   = 300 * time.Second
)

// asyncEvent is one event accepted by an asynchronous invoke.
type asyncEvent struct {
	msg       core.MsgID
	received  time.Duration
	errors    uint8 // failed attempts so far
	throttles uint8 // throttled attempts so far
}

// asyncQueue is the function's internal event queue (§5.4, notes 28–29): unbounded, FIFO
// by arrival. Events wait in the queue, or out of it for a retry delay, or run.
//
// The dispatcher starts queued events while concurrency is available. When a start is
// throttled, that event backs off (1 s doubling to 300 s) and the dispatcher stops
// (Function.asyncBlocked) until this function frees an environment or the backoff ends;
// the backed-off event then goes back to the head of the queue (it is older than the
// rest).
// Assumption: capacity freed by another function of the account wakes the dispatcher
// only through the backoff timer. Events past MaxEventAge are found when they reach the
// head of the queue or when a retry delay ends.
type asyncQueue struct {
	events []asyncEvent
	free   []int32
	queue  ring[int32]
	held   int // events owned: queued, delayed or running
}

// Deliver is an asynchronous invoke (Event, §5.4): the event is accepted into the
// function's queue (OK, AsyncEventsReceived) and the function owns it from then on, or it
// is Rejected when larger than the async payload limit.
func (f *Function) Deliver(m core.MsgID) core.Status {
	if f.w.Msg(m).Size > f.cfg.Async.MaxPayload {
		if f.w.Tracing() {
			f.w.Tracef(f.id, m, "asynchronous invoke rejected: %d bytes is over the payload limit", f.w.Msg(m).Size)
		}
		return core.Rejected
	}
	a := &f.async
	var slot int32
	if n := len(a.free); n > 0 {
		slot = a.free[n-1]
		a.free = a.free[:n-1]
	} else {
		a.events = append(a.events, asyncEvent{})
		slot = int32(len(a.events) - 1)
	}
	a.events[slot] = asyncEvent{msg: m, received: f.w.Now()}
	a.held++
	f.m.asyncReceived.Inc()
	a.queue.pushBack(slot)
	f.dispatch()
	return core.OK
}

// dispatch starts queued events while the function has concurrency.
func (f *Function) dispatch() {
	a := &f.async
	for !f.asyncBlocked && a.queue.len() > 0 {
		slot := a.queue.popFront()
		ev := &a.events[slot]
		now := f.w.Now()
		if now-ev.received > f.cfg.Async.MaxEventAge {
			f.asyncFail(slot, f.dropAge)
			continue
		}
		res := f.acquire()
		if res == throttledConcurrency || res == throttledRate {
			f.m.throttles.Inc()
			ev.throttles++
			d := min(asyncThrottleFirst<<min(ev.throttles-1, 20), asyncThrottleCap)
			if f.w.Tracing() {
				f.w.Tracef(f.id, ev.msg, "throttled: no concurrency free; retry in %.3f s", d.Seconds())
			}
			f.w.Eng.After(d, f.h, evAsyncThrottleRetry, int64(slot), 0)
			f.asyncBlocked = true
			return
		}
		f.m.asyncAge.Record(now - ev.received)
		f.begin(srcAsync, slot, 1, res)
	}
}

// capacityFreed wakes a dispatcher blocked by a throttle when an environment is released.
func (f *Function) capacityFreed() {
	if f.asyncBlocked {
		f.asyncBlocked = false
		f.dispatch()
	}
}

// asyncThrottleRetry puts a backed-off event back at the head of the queue.
func (f *Function) asyncThrottleRetry(slot int32) {
	a := &f.async
	f.asyncBlocked = false
	if f.w.Now()-a.events[slot].received > f.cfg.Async.MaxEventAge {
		f.asyncFail(slot, f.dropAge)
	} else {
		a.queue.pushFront(slot)
	}
	f.dispatch()
}

// asyncDone learns the outcome of an event's invocation: success consumes it; a
// function error (failure or timeout) is retried after 60 s, then 120 s, up to
// MaxRetries, then the event has failed for good.
func (f *Function) asyncDone(slot int32, st core.Status) {
	a := &f.async
	ev := &a.events[slot]
	if st == core.OK {
		f.w.Consume(ev.msg, f.id, f.cfg.Sink)
		a.held--
		a.free = append(a.free, slot)
		return
	}
	ev.errors++
	if int(ev.errors) <= f.cfg.Async.MaxRetries {
		d := time.Duration(ev.errors) * asyncErrorDelay
		if f.w.Tracing() {
			f.w.Tracef(f.id, ev.msg, "async retry %d in %.3f s", ev.errors, d.Seconds())
		}
		f.w.Eng.After(d, f.h, evAsyncRetry, int64(slot), 0)
		return
	}
	f.asyncFail(slot, f.dropRetries)
}

// asyncRetry queues an event again after its error-retry delay (at the tail: retries
// join the queue like new arrivals, note 29).
func (f *Function) asyncRetry(slot int32) {
	a := &f.async
	if f.w.Now()-a.events[slot].received > f.cfg.Async.MaxEventAge {
		f.asyncFail(slot, f.dropAge)
		return
	}
	a.queue.pushBack(slot)
	f.dispatch()
}

// asyncFail ends an event whose retries are exhausted or whose age expired: it goes to
// the on-failure destination if there is one (the message itself moves there), else it
// is dropped with reason k and counted in AsyncEventsDropped.
func (f *Function) asyncFail(slot int32, k core.DropKey) {
	a := &f.async
	m := a.events[slot].msg
	a.held--
	a.free = append(a.free, slot)
	if f.w.Tracing() {
		f.w.Tracef(f.id, m, "asynchronous event failed for good: %s", f.w.Ledger.Drops()[k].Reason)
	}
	if dest := f.cfg.Async.OnFailure; dest != core.None {
		if f.w.Tracing() {
			f.w.Tracef(f.id, m, "sent to the on-failure destination %s", f.componentName(dest))
		}
		f.w.Send(m, dest, f.w.SendLatency(dest, f.rng), f.id, destFlag|int64(m))
		return
	}
	f.m.asyncDropped.Inc()
	f.w.Drop(m, k)
}

// destDone hears whether the on-failure destination took a failed event; if not, the
// event is lost: DeadLetterErrors, and a counted drop.
func (f *Function) destDone(m core.MsgID, st core.Status) {
	if st == core.OK {
		return
	}
	f.m.dlqErrors.Inc()
	f.w.Drop(m, f.dropDest)
}
