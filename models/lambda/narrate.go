package lambda

import (
	"strconv"
	"time"

	"msgsim/models/core"
)

// Narration for `msgsim trace` (core.Tracer). Every function here formats text, so
// callers guard each call with f.w.Tracing(): an untraced run pays one branch.

// traceRecords narrates the same event for every record of invocation slot, so that
// following any message of a batch shows what happened to its batch.
func (f *Function) traceRecords(slot int32, format string, args ...any) {
	inv := &f.invs[slot]
	for i := int32(0); i < inv.n; i++ {
		f.w.Tracef(f.id, f.recMsg(inv, i), format, args...)
	}
}

// traceWorker narrates the same event for every message of ESM worker slot's batch.
func (f *Function) traceWorker(slot int32, format string, args ...any) {
	for _, r := range f.workers[slot].recs {
		f.w.Tracef(f.id, r.msg, format, args...)
	}
}

// traceInvoke narrates the start of invocation slot: how it was invoked and whether the
// environment was warm or had to be initialised (cold start).
func (f *Function) traceInvoke(slot int32, res acquireResult) {
	inv := &f.invs[slot]
	how := ""
	switch inv.src {
	case srcSync:
		how = "invoked synchronously by " + f.componentName(f.w.CallFrom(core.CallID(inv.ref)))
	case srcAsync:
		how = "invoked asynchronously"
		if n := f.async.events[inv.ref].errors; n > 0 {
			how += " (retry " + strconv.Itoa(int(n)) + ")"
		}
	default:
		wk := &f.workers[inv.ref]
		how = "invoked with a batch of " + strconv.Itoa(int(inv.n)) + " from " + f.esms[wk.esm].q.Name()
	}
	if f.envs.prov > 0 && res != provisionedStart {
		how += " (provisioned concurrency spillover)"
	}
	if res == coldStart && inv.init > 0 {
		f.traceRecords(slot, "%s: cold start with INIT %.3f s", how, inv.init.Seconds())
		return
	}
	if res == coldStart {
		f.traceRecords(slot, "%s: cold start", how)
		return
	}
	if res == provisionedStart {
		f.traceRecords(slot, "%s: warm start on a provisioned environment", how)
		return
	}
	f.traceRecords(slot, "%s: warm start", how)
}

// traceFinish narrates, for each record, how invocation slot ended with status st, took
// after the invoke (INIT included).
func (f *Function) traceFinish(slot int32, st core.Status, took time.Duration) {
	inv := &f.invs[slot]
	secs := took.Seconds()
	for i := int32(0); i < inv.n; i++ {
		m := f.recMsg(inv, i)
		switch {
		case st == core.TimedOut:
			f.w.Tracef(f.id, m, "timed out after %.3f s (timeout %v): a function error", secs, f.cfg.Timeout)
		case inv.handlerErr:
			f.w.Tracef(f.id, m, "function error after %.3f s: the handler failed", secs)
		case st != core.OK && f.w.Msg(m).Poison:
			f.w.Tracef(f.id, m, "function error after %.3f s: a poison message", secs)
		case st != core.OK && inv.n > 1:
			f.w.Tracef(f.id, m, "function error after %.3f s: the batch failed", secs)
		case st != core.OK:
			f.w.Tracef(f.id, m, "function error after %.3f s: a step failed", secs)
		case inv.src == srcESM && i >= inv.stopAt:
			f.w.Tracef(f.id, m, "reported failed after %.3f s (FIFO: this record and every later one stay in the queue)", secs)
		case inv.src == srcESM && f.workers[inv.ref].recs[i].failed:
			f.w.Tracef(f.id, m, "reported as a batch item failure after %.3f s: stays in the queue", secs)
		default:
			f.w.Tracef(f.id, m, "finished in %.3f s", secs)
		}
	}
}

// traceTarget narrates an event of message m that involves component target: format has
// one %s, for target's name. This and the two below keep the formatting (an []any of
// converted values) out of the functions that run every invocation step, whose code then
// fits in fewer instruction-cache lines; they are never inlined for the same reason.
//
//go:noinline
func (f *Function) traceTarget(m core.MsgID, format string, target core.ComponentID) {
	f.w.Tracef(f.id, m, format, f.componentName(target))
}

// traceStatus narrates how an operation of message m on component target ended with st:
// format has two %s, for target's name and st.
//
//go:noinline
func (f *Function) traceStatus(m core.MsgID, format string, target core.ComponentID, st core.Status) {
	f.w.Tracef(f.id, m, format, f.componentName(target), st)
}

// traceRetry narrates a throttled send of derived message m to target, retried after d.
//
//go:noinline
func (f *Function) traceRetry(m core.MsgID, target core.ComponentID, d time.Duration) {
	f.w.Tracef(f.id, m, "send to %s throttled, retry in %.3f s", f.componentName(target), d.Seconds())
}

// componentName names component id in narration ("someone" for core.None).
func (f *Function) componentName(id core.ComponentID) string {
	if id < 0 || int(id) >= len(f.w.Components()) {
		return "someone"
	}
	return f.w.Component(id).Name()
}
