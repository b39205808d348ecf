package lambda

import (
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/models/service"
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

func TestBreakerShortCircuitsCallsWhileOpen(t *testing.T) {
	w := core.NewWorld(core.Config{Seed: testSeed(), Duration: 25 * time.Second})
	down := newService(w, 10*time.Millisecond, core.Failed)
	cfg := DefaultConfig("fn")
	// catch: the record succeeds anyway, so no async retries muddle the count
	cfg.Steps = []Step{{Kind: Call, Target: down.id, Catch: true,
		Breaker: &service.Breaker{Failures: 3, Window: time.Minute, OpenFor: 30 * time.Second}}}
	fn, err := New(w, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	src := newInjector(w, "p", fn.ID())
	// one record a second for 20 s: three calls fail, the breaker opens, the next
	// seventeen fail fast without reaching the service
	for i := 1; i <= 20; i++ {
		src.at(time.Duration(i) * time.Second)
	}
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if down.calls != 3 {
		t.Fatalf("service saw %d calls, want 3 before the breaker opened", down.calls)
	}
	if got := counter(t, w, "fn", "ShortCircuitedCalls"); got != 17 {
		t.Fatalf("short-circuited %d, want 17", got)
	}
	if err := w.CheckConservation(); err != nil {
		t.Fatal(err)
	}
}
