package lambda

import "msgsim/models/core"

// Call is a synchronous invoke (RequestResponse, §5.3): with no concurrency or no scaling
// token free the caller gets a 429 at once (core.Throttled) and decides itself whether to
// retry; otherwise the function runs the caller's message as its only record and replies
// OK, Failed (function error) or TimedOut. The caller owns the message throughout: the
// function never consumes it, it only derives copies for its sends; as a sink it records
// the end-to-end latency on success.
func (f *Function) Call(c core.CallID) {
	res := f.acquire()
	if res == throttledConcurrency || res == throttledRate {
		f.m.throttles.Inc()
		if f.w.Tracing() {
			f.w.Tracef(f.id, f.w.CallMsg(c), "throttled: no concurrency free (429 to %s)", f.componentName(f.w.CallFrom(c)))
		}
		f.w.Reply(c, core.Throttled)
		return
	}
	f.begin(srcSync, int32(c), 1, res)
}
