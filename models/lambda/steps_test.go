package lambda

import (
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/sim"
)

// throttler is a target that refuses every message as throttled.
type throttler struct {
	w        *core.World
	attempts []time.Duration
}

func (th *throttler) Name() string { return "throttler" }
func (th *throttler) Holding() int { return 0 }
func (th *throttler) Deliver(core.MsgID) core.Status {
	th.attempts = append(th.attempts, th.w.Now())
	return core.Throttled
}

func TestSendRetriesThrottlesThenFails(t *testing.T) {
	// a target that always throttles: the SDK makes 3 attempts, then the send fails and
	// the record with it (or not, when the step catches the error)
	for _, catch := range []bool{false, true} {
		w := newWorld(time.Minute)
		th := &throttler{w: w}
		id := w.Add(th)
		cfg := fixedFn("f", 0, time.Millisecond)
		cfg.Steps = []Step{{Kind: Send, Target: id, Catch: catch}}
		f := mustFn(t, w, NewAccount(0), cfg)
		c := newCaller(w, "client", f.ID())
		c.at(time.Second)
		if err := w.Run(); err != nil {
			t.Fatal(err)
		}
		want := core.Failed
		k := f.dropSendFailed
		if catch {
			want, k = core.OK, f.dropSendCaught
		}
		if len(c.replies) != 1 || c.replies[0].st != want {
			t.Errorf("catch %v: replies %v, want %v", catch, c.replies, want)
		}
		if len(th.attempts) != core.DefaultSDKBackoff.MaxAttempts {
			t.Errorf("catch %v: %d attempts, want %d", catch, len(th.attempts), core.DefaultSDKBackoff.MaxAttempts)
		}
		if w.Dropped(k) != 1 {
			t.Errorf("catch %v: derived message not dropped with a count", catch)
		}
		checkConservation(t, w)
	}
}

// slowThrottler is a throttler whose send API takes 2 s.
type slowThrottler struct{ throttler }

func (*slowThrottler) SendLatency() sim.Dist { return sim.Constant(2) }

func TestTimeoutAbandonsSendInFlight(t *testing.T) {
	w := newWorld(time.Minute)
	th := &slowThrottler{throttler{w: w}}
	id := w.Add(th)
	cfg := fixedFn("f", 0, time.Millisecond)
	cfg.Timeout = time.Second
	cfg.Steps = []Step{{Kind: Send, Target: id}}
	f := mustFn(t, w, NewAccount(0), cfg)
	c := newCaller(w, "client", f.ID())
	c.at(time.Second)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if want := (reply{2 * time.Second, core.TimedOut}); len(c.replies) != 1 || c.replies[0] != want {
		t.Errorf("replies %v, want [%v]", c.replies, want)
	}
	// the late refusal at 3.001 s hands the derived message back: dropped with a count,
	// and no retry is made for an invocation that is over
	if len(th.attempts) != 1 || w.Dropped(f.dropSendAbandoned) != 1 {
		t.Errorf("attempts %v, abandoned drops %d; want 1 and 1", th.attempts, w.Dropped(f.dropSendAbandoned))
	}
	checkConservation(t, w)
}
