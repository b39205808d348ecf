package lambda

import (
	"time"

	"msgsim/models/core"
	"msgsim/sim"
)

// source is the invocation path that started an invocation.
type source uint8

const (
	srcSync  source = iota // a synchronous call (ref is the core.CallID)
	srcAsync               // an async event (ref is the event slot)
	srcESM                 // an SQS batch (ref is the poller slot holding the batch)
)

// opKind is the external operation an invocation is waiting for.
type opKind uint8

const (
	opNone     opKind = iota
	opCall            // a synchronous call to a Callee
	opSend            // a derived message in transit to a Target
	opSendWait        // a throttled derived message waiting for its SDK retry
)

// invocation is one run of the handler in an execution environment. Invocations live in
// a slab with a free list; events and tokens name them by slot and generation, so an
// event for a finished invocation is recognised and ignored.
//
// Timeline: [INIT on a cold start] → the handler's own Duration → for each record, its
// steps in order. Consecutive Compute steps are summed into one event. The timeout runs
// from the end of INIT; it is enforced without a timer while the invocation computes (a
// compute that would end after the deadline is replaced by the timeout) and through the
// function's deadlines (core.Timeouts, one engine event for all invocations) while it
// waits for a call or a send. A timed-out invocation is a
// function error billed to the timeout; a call or send in flight at that moment is
// abandoned and its late reply ignored (note 35) — the slot is kept until that reply
// comes, so a refused derived message can still be dropped with a count.
//
// Layout: 64 bytes and no pointers, so the slab needs no allocation header and each
// invocation fills exactly one cache line, which every step touches; keep it that way
// (a field more means a second line per step, or a hot/cold split that costs one at
// begin and finish).
type invocation struct {
	gen        uint32
	src        source
	op         opKind
	abandoned  bool // timed out with an operation in flight
	handlerErr bool // failed in the handler's own code (ErrorProbability)
	prov       bool // runs on a provisioned environment
	failed     bool // a record failed and the invocation stopped with a function error
	attempt    uint8
	ref        int32
	n, rec     int32
	step       int32 // next step of record rec; -1 = record not started
	stopAt     int32 // records from here on were not processed (FIFO partial failure)
	init       time.Duration
	start      time.Duration // end of INIT: the invoke phase starts
	deadline   time.Duration
	held       core.MsgID // derived message of the send in progress
	msg        core.MsgID // record rec's message, read once when the record starts
}

func (f *Function) allocInv() int32 {
	if n := len(f.freeInv); n > 0 {
		s := f.freeInv[n-1]
		f.freeInv = f.freeInv[:n-1]
		return s
	}
	f.invs = append(f.invs, invocation{})
	return int32(len(f.invs) - 1)
}

// freeInvocation returns invocation slot (inv) to the free list; the new generation
// makes every event and token still naming it stale.
func (f *Function) freeInvocation(slot int32, inv *invocation) {
	inv.gen++
	f.freeInv = append(f.freeInv, slot)
}

// inv resolves an event's (slot, generation) to a live invocation, nil if it has ended.
//
// Pointers into f.invs stay valid until the slab grows, which only begin does (allocInv):
// a pointer is passed down the steps of one event and never kept past a call into
// another component (a Call or Send may start an invocation of this very function).
func (f *Function) inv(a, b int64) (int32, *invocation) {
	if a < 0 || a >= int64(len(f.invs)) || f.invs[a].gen != uint32(b) {
		return 0, nil
	}
	return int32(a), &f.invs[a]
}

// recMsg is record i of an invocation.
func (f *Function) recMsg(inv *invocation, i int32) core.MsgID {
	switch inv.src {
	case srcSync:
		return f.w.CallMsg(core.CallID(inv.ref))
	case srcAsync:
		return f.async.events[inv.ref].msg
	default:
		return f.workers[inv.ref].recs[i].msg
	}
}

// begin starts an invocation with n records in an environment just acquired.
func (f *Function) begin(src source, ref, n int32, res acquireResult) {
	slot := f.allocInv()
	inv := &f.invs[slot]
	gen := inv.gen
	*inv = invocation{} // then the non-zero fields: a literal would be built on the stack and copied
	inv.gen, inv.src, inv.ref, inv.n, inv.step, inv.stopAt, inv.held = gen, src, ref, n, -1, n, core.NoMsg
	now := f.w.Now()
	switch res {
	case coldStart:
		d := f.initDuration()
		inv.init = d
		f.m.coldStarts.Inc()
		f.m.initDuration.Record(d)
	case provisionedStart:
		inv.prov = true
	}
	if f.envs.prov > 0 {
		if inv.prov {
			f.m.provInvocations.Inc()
		} else {
			f.m.provSpillover.Inc()
		}
	}
	inv.start = now + inv.init
	inv.deadline = inv.start + f.timeLimit
	f.deadlines.Add(inv.deadline, slot, inv.gen)
	f.m.invocations.Inc()
	if f.w.Tracing() {
		f.traceInvoke(slot, res)
	}
	acc := inv.init
	if f.duration != nil {
		acc += sim.SampleDuration(f.duration, f.rng)
	}
	if f.errProb > 0 && f.rng.Float64() < f.errProb {
		inv.handlerErr = true
		f.after(slot, inv, acc, evEnd)
		return
	}
	f.run(slot, inv, acc, false)
}

// initDuration draws an INIT phase, capped at the 10 s init limit.
func (f *Function) initDuration() time.Duration {
	return min(sim.SampleDuration(f.cfg.InitDuration, f.rng), maxInit)
}

// after schedules the next event of invocation slot (inv) acc from now, or its timeout
// if that comes first.
func (f *Function) after(slot int32, inv *invocation, acc time.Duration, kind int32) {
	if left := inv.deadline - f.w.Now(); acc > left {
		acc, kind = left, evTimeout
	}
	f.w.Eng.After(acc, f.h, kind, int64(slot), int64(inv.gen))
}

// run executes steps from the current position, acc of compute already owed, until the
// invocation must wait (an event for the compute, a call or a send) or ends.
//
// endNow says that run was reached from one of the function's own event handlers (a
// compute ended, a call or send came back), where the invocation may finish on the spot
// when nothing is owed — an event of zero delay per invocation saved. From begin (inside
// another component's Call or receive) it always ends through an event, so that the
// caller never hears of the end before its own call has returned.
func (f *Function) run(slot int32, inv *invocation, acc time.Duration, endNow bool) {
	for {
		if inv.rec >= inv.n {
			if acc == 0 && endNow {
				f.finish(slot, inv, false)
				return
			}
			f.after(slot, inv, acc, evEnd)
			return
		}
		i := int(inv.step)
		if i < 0 { // a new record: poison messages always fail
			inv.step, i = 0, 0
			inv.msg = f.recMsg(inv, inv.rec)
			if f.w.Msg(inv.msg).Poison {
				if f.recordFailed(inv) {
					f.after(slot, inv, acc, evEnd)
					return
				}
				continue
			}
		}
		steps := f.steps
		if uint(i) >= uint(len(steps)) { // record done (0 ≤ i ≤ len(steps) here)
			inv.rec++
			inv.step = -1
			continue
		}
		s := &steps[i] // 0 ≤ i < len(steps): no bounds check
		switch s.Kind {
		case Compute:
			acc += sim.SampleDuration(s.Duration, f.rng)
			inv.step++
		case Fail:
			inv.step++
			if s.Probability > 0 && f.rng.Float64() < s.Probability && f.recordFailed(inv) {
				f.after(slot, inv, acc, evEnd)
				return
			}
		default: // Call, Send
			if acc > 0 {
				f.after(slot, inv, acc, evResume)
				return
			}
			f.startOp(slot, inv, s)
			return
		}
	}
}

// recordFailed handles the failure of the current record and reports whether the
// invocation stops. A single record (sync, async) or a batch without partial responses
// fails as a whole: the handler throws, a function error. With ReportBatchItemFailures
// the handler catches it and reports the record; on a FIFO queue it stops there and
// reports that record and all later ones (§5.5, [L-SQSERR]).
func (f *Function) recordFailed(inv *invocation) bool {
	if inv.src == srcESM {
		wk := &f.workers[inv.ref]
		if e := f.esms[wk.esm]; e.cfg.ReportBatchItemFailures {
			if e.fifo {
				inv.stopAt = inv.rec
				inv.rec = inv.n
				return true
			}
			wk.recs[inv.rec].failed = true
			inv.rec++
			inv.step = -1
			return false
		}
	}
	inv.failed = true
	return true
}

// startOp starts the call or send of step s for the current record of invocation slot
// (the invocation's deadline was added to f.deadlines when it began). inv must not be
// used after the Call or Send: either may start an invocation of f and grow f.invs.
func (f *Function) startOp(slot int32, inv *invocation, s *Step) {
	now := f.w.Now()
	msg := inv.msg
	token := opToken(slot, inv.gen)
	if now >= inv.deadline {
		// a compute ended exactly at the deadline: the operation starts and times out at
		// once (the deadline itself passed while the invocation computed)
		f.w.Eng.After(0, f.h, evTimeout, int64(slot), int64(inv.gen))
	}
	if s.Kind == Call {
		inv.op = opCall
		if s.Breaker != nil && !s.Breaker.Allow(now) {
			// the breaker is open: fail fast, without latency or load on the callee
			f.m.shortCircuited.Inc()
			if f.w.Tracing() {
				f.traceTarget(msg, "call to %s short-circuited: its circuit breaker is open", s.Target)
			}
			f.callFailed(slot, inv, core.Failed, false)
			return
		}
		if f.w.Tracing() {
			f.traceTarget(msg, "calls %s", s.Target)
		}
		f.w.Call(f.id, token, s.Target, msg)
		return
	}
	inv.op = opSend
	inv.attempt = 1
	inv.held = f.w.Derive(msg)
	if f.w.Tracing() {
		f.traceTarget(inv.held, "sends a copy to %s", s.Target)
	}
	f.w.Send(inv.held, s.Target, f.w.SendLatency(s.Target, f.rng), f.id, token)
}

// opDone continues invocation slot (inv) when its call or send ends. The step is read
// only when needed (a breaker to inform, a failure, a retry): a call or send that
// succeeded continues without touching it.
func (f *Function) opDone(slot int32, inv *invocation, st core.Status) {
	if inv.abandoned {
		if inv.op == opSend && st != core.OK {
			f.w.Drop(inv.held, f.dropSendAbandoned)
		}
		f.freeInvocation(slot, inv)
		return
	}
	switch inv.op {
	case opCall:
		if f.breakers {
			if b := f.steps[inv.step].Breaker; b != nil {
				b.Record(f.w.Now(), st == core.OK)
			}
		}
		if st != core.OK {
			f.callFailed(slot, inv, st, true)
			return
		}
		inv.op = opNone
		inv.step++
		f.run(slot, inv, 0, true)
	case opSend:
		if st == core.Throttled && int(inv.attempt) < core.DefaultSDKBackoff.MaxAttempts {
			f.sendHeld++
			inv.op = opSendWait
			d := core.DefaultSDKBackoff.Delay(int(inv.attempt), f.rng.Float64())
			if f.w.Tracing() {
				f.traceRetry(inv.held, f.steps[inv.step].Target, d)
			}
			f.w.Eng.After(d, f.h, evSendRetry, int64(slot), int64(inv.gen))
			return
		}
		inv.op = opNone
		if st == core.OK {
			inv.step++
			inv.held = core.NoMsg
			f.run(slot, inv, 0, true)
			return
		}
		// refused for good, or still throttled after the last attempt: the function owns
		// the derived message again and drops it with a count
		s := &f.steps[inv.step]
		inv.step++
		k := f.dropSendFailed
		if s.Catch {
			k = f.dropSendCaught
		}
		if f.w.Tracing() {
			f.traceStatus(inv.held, "send to %s %s", s.Target, st)
		}
		f.w.Drop(inv.held, k)
		inv.held = core.NoMsg
		if !s.Catch && f.recordFailed(inv) {
			f.finish(slot, inv, false)
			return
		}
		f.run(slot, inv, 0, true)
	}
}

// callFailed continues an invocation after the call of its current step failed with st
// (a call that succeeded continues in opDone). endNow is as for run: false when the call
// never left the function (an open breaker).
func (f *Function) callFailed(slot int32, inv *invocation, st core.Status, endNow bool) {
	s := &f.steps[inv.step]
	if f.w.Tracing() {
		f.traceStatus(inv.msg, "call to %s %s", s.Target, st)
	}
	inv.op = opNone
	inv.step++
	if !s.Catch && f.recordFailed(inv) {
		f.finish(slot, inv, false)
		return
	}
	f.run(slot, inv, 0, endNow)
}

// resend makes the next SDK attempt of a throttled send.
func (f *Function) resend(slot int32, inv *invocation) {
	if inv.op != opSendWait {
		return
	}
	f.sendHeld--
	inv.attempt++
	inv.op = opSend
	s := &f.steps[inv.step]
	token := opToken(slot, inv.gen)
	f.w.Send(inv.held, s.Target, f.w.SendLatency(s.Target, f.rng), f.id, token)
}

// deadlineLive reports whether an invocation's deadline still matters: the invocation is
// running (same generation) and has not already timed out.
func (f *Function) deadlineLive(slot int32, gen uint32) bool {
	inv := &f.invs[slot]
	return inv.gen == gen && !inv.abandoned
}

// deadlineDue times out an invocation that reached its deadline waiting for a call or a
// send. One that is computing needs nothing: a compute that would pass the deadline was
// scheduled as the timeout itself (see after).
func (f *Function) deadlineDue(slot int32, _ uint32) {
	if inv := &f.invs[slot]; inv.op != opNone {
		f.timeout(slot, inv)
	}
}

// timeout ends invocation slot (inv) at its deadline.
func (f *Function) timeout(slot int32, inv *invocation) {
	switch inv.op {
	case opCall, opSend:
		if s := &f.steps[inv.step]; inv.op == opCall && s.Breaker != nil {
			s.Breaker.Record(f.w.Now(), false) // the call timed out for this caller
		}
		inv.abandoned = true
	case opSendWait:
		f.sendHeld--
		f.w.Drop(inv.held, f.dropSendAbandoned)
		inv.held = core.NoMsg
		inv.op = opNone
	}
	f.finish(slot, inv, true)
}

// finish ends invocation slot (inv): bills it, releases its environment and reports the
// outcome to the path that started it.
func (f *Function) finish(slot int32, inv *invocation, timedOut bool) {
	now := f.w.Now()
	dur := max(now-inv.start, 0)
	billed := ceilMs(inv.init + dur)
	f.m.billedMs.Add(billed)
	f.m.billedMBms.Add(billed * f.memMB)
	if f.envs.prov > 0 {
		if inv.prov {
			f.m.provBilledMBms.Add(billed * f.memMB)
		}
		f.accrueProvisioned(now)
	}
	f.m.duration.Record(dur)
	st := core.OK
	switch {
	case timedOut:
		st = core.TimedOut
	case inv.handlerErr || inv.failed:
		st = core.Failed
	}
	if st != core.OK {
		f.m.errors.Inc()
	}
	if f.w.Tracing() {
		f.traceFinish(slot, st, inv.init+dur)
	}
	src, ref, stopAt, prov := inv.src, inv.ref, inv.stopAt, inv.prov
	if !inv.abandoned {
		f.freeInvocation(slot, inv)
	}
	f.release(prov, timedOut)
	switch src {
	case srcSync:
		c := core.CallID(ref)
		if st == core.OK && f.sink {
			f.w.Arrive(f.w.CallMsg(c), f.id)
		}
		f.w.Reply(c, st)
	case srcAsync:
		f.asyncDone(ref, st)
	case srcESM:
		f.batchDone(ref, st, stopAt)
	}
	f.capacityFreed()
}
