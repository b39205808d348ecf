package lambda

import (
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/models/sqs"
)

// fixedFn is a function with constant INIT and duration, so that reply times are exact.
func fixedFn(name string, init, dur time.Duration) Config {
	cfg := DefaultConfig(name)
	cfg.InitDuration = constant(init)
	cfg.Duration = constant(dur)
	return cfg
}

func TestSyncThrottleIsImmediate(t *testing.T) {
	w := newWorld(time.Minute)
	cfg := fixedFn("f", 200*time.Millisecond, 100*time.Millisecond)
	cfg.ReservedConcurrency = 1
	f := mustFn(t, w, NewAccount(0), cfg)
	c := newCaller(w, "client", f.ID())
	c.at(time.Second, time.Second)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	want := []reply{
		{time.Second, core.Throttled},      // the second call: 429 at once
		{1300 * time.Millisecond, core.OK}, // the first: INIT 200 ms + 100 ms
	}
	if len(c.replies) != len(want) {
		t.Fatalf("replies %v, want %v", c.replies, want)
	}
	for i := range want {
		if c.replies[i] != want[i] {
			t.Errorf("reply %d = %v, want %v", i, c.replies[i], want[i])
		}
	}
	if got := counter(t, w, "f", "Throttles"); got != 1 {
		t.Errorf("Throttles = %d, want 1", got)
	}
	if got := counter(t, w, "f", "Invocations"); got != 1 {
		t.Errorf("Invocations = %d, want 1 (throttles are not invocations)", got)
	}
	checkConservation(t, w)
}

func TestConcurrencyNeverExceedsReserved(t *testing.T) {
	for _, reserved := range []int{1, 5, 50} {
		w := newWorld(2 * time.Minute)
		cfg := fixedFn("f", 100*time.Millisecond, 300*time.Millisecond)
		cfg.ReservedConcurrency = reserved
		f := mustFn(t, w, NewAccount(0), cfg)
		c := newCaller(w, "client", f.ID())
		for i := 0; i < 2000; i++ { // 20 calls every 50 ms for 5 s: far more than reserved
			c.at(time.Second + time.Duration(i/20)*50*time.Millisecond)
		}
		if err := w.Run(); err != nil {
			t.Fatal(err)
		}
		g := w.Metrics.Find("f", "ConcurrentExecutions").Gauge
		if g.Max() != float64(reserved) {
			t.Errorf("reserved %d: max ConcurrentExecutions = %v, want exactly %d (reached, never exceeded)", reserved, g.Max(), reserved)
		}
		if counter(t, w, "f", "Throttles") == 0 {
			t.Errorf("reserved %d: no throttles under overload", reserved)
		}
		checkConservation(t, w)
	}
}

func TestAccountPoolIsShared(t *testing.T) {
	w := newWorld(time.Minute)
	acct := NewAccount(200) // 100 may be reserved, 100 stay unreserved
	r := fixedFn("reserved", 0, time.Second)
	r.ReservedConcurrency = 100
	mustFn(t, w, acct, r)
	a := mustFn(t, w, acct, fixedFn("a", 0, 2*time.Second))
	b := mustFn(t, w, acct, fixedFn("b", 0, 2*time.Second))
	ca, cb := newCaller(w, "ca", a.ID()), newCaller(w, "cb", b.ID())
	for i := 0; i < 80; i++ {
		ca.at(time.Second)
		cb.at(2 * time.Second)
	}
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	// a takes 80 of the 100 unreserved; b gets the remaining 20 and 60 throttles
	if got := counter(t, w, "b", "Throttles"); got != 60 {
		t.Errorf("b throttles = %d, want 60", got)
	}
	if got := counter(t, w, "a", "Throttles"); got != 0 {
		t.Errorf("a throttles = %d, want 0", got)
	}
	bad := fixedFn("greedy", 0, time.Second)
	bad.ReservedConcurrency = 1
	if _, err := New(w, acct, bad); err == nil {
		t.Error("reserving beyond quota − 100 unreserved: no error")
	}
	checkConservation(t, w)
}

func TestColdStartsAfterIdleLifetime(t *testing.T) {
	const (
		init = 200 * time.Millisecond
		dur  = 100 * time.Millisecond
		life = 10 * time.Minute
	)
	// Each case places calls one after the other; a call's environment went idle when
	// the previous call ended (start + INIT if cold + duration).
	tests := []struct {
		name string
		gaps []time.Duration // idle time before each call after the first
		cold []bool          // expected cold start per call
	}{
		{"warm just within the idle lifetime", []time.Duration{life - time.Millisecond}, []bool{true, false}},
		{"cold at exactly the idle lifetime", []time.Duration{life}, []bool{true, true}},
		{"cold after a longer idle period", []time.Duration{life + time.Minute}, []bool{true, true}},
		{"reuse renews the lifetime", []time.Duration{9 * time.Minute, 9 * time.Minute, 9 * time.Minute}, []bool{true, false, false, false}},
		{"cold again after warm calls", []time.Duration{time.Minute, 11 * time.Minute, time.Second}, []bool{true, false, true, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(2 * time.Hour)
			cfg := fixedFn("f", init, dur)
			cfg.IdleLifetime = life
			f := mustFn(t, w, NewAccount(0), cfg)
			c := newCaller(w, "client", f.ID())
			at := time.Second
			var starts []time.Duration
			for i, cold := range tt.cold {
				if i > 0 {
					at += tt.gaps[i-1]
				}
				starts = append(starts, at)
				c.at(at)
				at += dur
				if cold {
					at += init
				}
			}
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			for i, cold := range tt.cold {
				want := starts[i] + dur
				if cold {
					want += init
				}
				if c.replies[i].at != want || c.replies[i].st != core.OK {
					t.Errorf("call %d: reply %v, want OK at %v (cold %v)", i, c.replies[i], want, cold)
				}
			}
			n := uint64(0)
			for _, cold := range tt.cold {
				if cold {
					n++
				}
			}
			if got := counter(t, w, "f", "ColdStarts"); got != n {
				t.Errorf("ColdStarts = %d, want %d", got, n)
			}
			if got := f.Environments(); got != 0 {
				t.Errorf("environments at the end (long idle) = %d, want 0 (reclaimed)", got)
			}
			checkConservation(t, w)
		})
	}
}

func TestScalingTokensLimitNewEnvironments(t *testing.T) {
	w := newWorld(time.Minute)
	cfg := fixedFn("f", 0, 10*time.Second)
	cfg.Timeout = 15 * time.Second
	cfg.Scaling = Scaling{Burst: 10, PerSecond: 1}
	f := mustFn(t, w, NewAccount(0), cfg)
	c := newCaller(w, "client", f.ID())
	for i := 0; i < 20; i++ {
		c.at(time.Second)     // 10 tokens: 10 new environments, 10 throttles
		c.at(4 * time.Second) // 3 s later: 3 tokens refilled
	}
	for i := 0; i < 13; i++ {
		c.at(30 * time.Second) // 13 idle environments: warm reuse takes no token
	}
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if got := counter(t, w, "f", "ColdStarts"); got != 13 {
		t.Errorf("ColdStarts = %d, want 10 + 3", got)
	}
	if got := counter(t, w, "f", "Throttles"); got != 10+17 {
		t.Errorf("Throttles = %d, want 10 + 17", got)
	}
	if got := counter(t, w, "f", "Invocations"); got != 26 {
		t.Errorf("Invocations = %d, want 10 + 3 + 13", got)
	}
	checkConservation(t, w)
}

func TestTimeoutIsBilledErrorAndAbandonsCall(t *testing.T) {
	w := newWorld(time.Minute)
	slow := newService(w, 5*time.Second, core.OK)
	cfg := fixedFn("f", 250*time.Millisecond, 400*time.Millisecond)
	cfg.Memory = 1024
	cfg.Timeout = time.Second
	cfg.Steps = []Step{{Kind: Call, Target: slow.id}}
	f := mustFn(t, w, NewAccount(0), cfg)
	c := newCaller(w, "client", f.ID())
	c.at(time.Second)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	// timeout counts from the end of INIT: 1 s + 250 ms + 1 s
	if want := (reply{2250 * time.Millisecond, core.TimedOut}); len(c.replies) != 1 || c.replies[0] != want {
		t.Fatalf("replies %v, want [%v]", c.replies, want)
	}
	if got := counter(t, w, "f", "Errors"); got != 1 {
		t.Errorf("Errors = %d, want 1", got)
	}
	if got := counter(t, w, "f", "BilledDuration"); got != 1250 {
		t.Errorf("BilledDuration = %d ms, want 1250 (INIT 250 + timeout 1000)", got)
	}
	if got, want := f.BilledGBSeconds(), 1.25; got != want {
		t.Errorf("BilledGBSeconds = %v, want %v (1 GB × 1.25 s)", got, want)
	}
	if slow.calls != 1 {
		t.Errorf("service calls = %d, want 1", slow.calls)
	}
	checkConservation(t, w)
}

func TestSyncSendDerivesCopiesAndLeavesCallerMessage(t *testing.T) {
	w := newWorld(time.Minute)
	q := mustQueue(t, w, sqs.DefaultConfig("out", false))
	cfg := fixedFn("f", 0, 10*time.Millisecond)
	cfg.Steps = []Step{{Kind: Send, Target: q.ID()}, {Kind: Send, Target: q.ID()}}
	f := mustFn(t, w, NewAccount(0), cfg)
	c := newCaller(w, "client", f.ID())
	c.at(time.Second, 2*time.Second)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if len(c.replies) != 2 || c.replies[0].st != core.OK || c.replies[1].st != core.OK {
		t.Fatalf("replies %v, want two OK", c.replies)
	}
	if q.Holding() != 4 || w.Ledger.Derived != 4 {
		t.Errorf("queue holds %d, derived %d; want 4 copies", q.Holding(), w.Ledger.Derived)
	}
	if w.Ledger.Consumed != 2 {
		t.Errorf("consumed %d, want the caller's 2 (the function consumes nothing)", w.Ledger.Consumed)
	}
	checkConservation(t, w)
}
