package sns

import (
	"math"
	"strings"
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/sim"
)

// nominal lists the documented retry delays of a policy in seconds, phase by phase,
// written out independently of RetryPolicy.Delay: immediate, pre-backoff, backoff
// (note 12's exponential d_j = min·(max/min)^(j/(n−1))), post-backoff.
func nominal(noDelay, pre int, lo, hi float64, backoff int, exp bool, post int) []float64 {
	var d []float64
	for i := 0; i < noDelay; i++ {
		d = append(d, 0)
	}
	for i := 0; i < pre; i++ {
		d = append(d, lo)
	}
	for j := 0; j < backoff; j++ {
		x := float64(j) / float64(backoff-1)
		if exp {
			d = append(d, lo*math.Pow(hi/lo, x))
		} else {
			d = append(d, lo+(hi-lo)*x)
		}
	}
	for i := 0; i < post; i++ {
		d = append(d, hi)
	}
	return d
}

func TestRetrySchedulesProduceTheDocumentedAttemptTimes(t *testing.T) {
	const lat = 10 * time.Millisecond // every attempt's delivery latency
	custom := RetryPolicy{Retries: 6, NoDelay: 1, MinDelayRetries: 1, MaxDelayRetries: 1,
		MinDelay: 2 * time.Second, MaxDelay: 32 * time.Second, Function: Exponential}
	cases := []struct {
		name     string
		protocol string
		policy   *RetryPolicy
		delays   []float64 // the first len(delays) retry delays, seconds
		attempts int       // attempts in all before the copy is given up
	}{
		{"AWS-managed (sqs): 3 immediate, 2 x 1 s, 10 exponential 1-20 s, then 20 s", ProtocolSQS, nil,
			nominal(3, 2, 1, 20, 10, true, 5), 1 + 100015},
		{"customer-managed (email): 2 x 10 s, 10 exponential 10-600 s, 38 x 600 s", ProtocolEmail, nil,
			nominal(0, 2, 10, 600, 10, true, 38), 1 + 50},
		{"HTTP default: 3 retries 20 s apart", ProtocolHTTP, nil,
			[]float64{20, 20, 20}, 1 + 3},
		{"custom exponential: 1 immediate, 1 x 2 s, 3 exponential 2-32 s, 1 x 32 s", ProtocolHTTPS, &custom,
			[]float64{0, 2, 2, 8, 32, 32}, 1 + 6},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld()
			src := newSource(w)
			var tg *target
			if c.protocol == ProtocolSQS {
				tg = newQueue(w, "q", false).target
			} else {
				tg = newTarget(w, "ep")
			}
			tg.script = func(int, time.Duration) core.Status { return core.Failed }
			tp := mustNew(t, w, Config{Name: "t", Jitter: NoJitter, Subscriptions: []Subscription{
				{Protocol: c.protocol, Target: tg.id, DLQ: core.None, RetryPolicy: c.policy, DeliveryLatency: sim.Constant(lat.Seconds())},
			}})
			src.publish(tp.ID())
			if err := w.Eng.Run(); err != nil {
				t.Fatal(err)
			}
			if len(tg.at) != c.attempts {
				t.Fatalf("%d attempts, want %d", len(tg.at), c.attempts)
			}
			want := lat.Seconds()
			for k, d := range c.delays {
				if k == 0 {
					if got := tg.at[0].Seconds(); math.Abs(got-want) > 1e-6 {
						t.Errorf("first attempt at %.6f s, want %.6f s", got, want)
					}
				}
				want += d + lat.Seconds()
				if got := tg.at[k+1].Seconds(); math.Abs(got-want) > 1e-6 {
					t.Errorf("retry %d at %.6f s, want %.6f s", k+1, got, want)
				}
			}
			if got := counter(t, w, "t", "NumberOfNotificationsFailed"); got != 1 {
				t.Errorf("NumberOfNotificationsFailed = %d, want 1", got)
			}
			if got := dropped(w, "t", "delivery failed, retries exhausted"); got != 1 {
				t.Errorf("dropped %d for exhausted retries, want 1", got)
			}
			conserve(t, w)
		})
	}
}

func TestBackoffFunctionShapes(t *testing.T) {
	// 4 backoff retries from 1 s to 10 s: x = 0, 1/3, 2/3, 1.
	cases := []struct {
		f    Backoff
		want []float64
	}{
		{Linear, []float64{1, 4, 7, 10}},
		{Arithmetic, []float64{1, 2, 5, 10}},
		{Geometric, []float64{1, 1 + 9.0/27, 1 + 9*8.0/27, 10}},
		{Exponential, []float64{1, math.Cbrt(10), math.Cbrt(100), 10}},
	}
	for _, c := range cases {
		t.Run(c.f.String(), func(t *testing.T) {
			p := RetryPolicy{Retries: 4, MinDelay: time.Second, MaxDelay: 10 * time.Second, Function: c.f}
			for k, want := range c.want {
				if got := p.Delay(k + 1).Seconds(); math.Abs(got-want) > 1e-9 {
					t.Errorf("retry %d waits %.9f s, want %.9f s", k+1, got, want)
				}
			}
		})
	}
}

func TestJitterStaysWithinTenPercent(t *testing.T) {
	w := newWorld()
	src := newSource(w)
	tg := newTarget(w, "ep")
	tg.script = func(int, time.Duration) core.Status { return core.Failed }
	tp := mustNew(t, w, Config{Name: "t", Subscriptions: []Subscription{
		{Protocol: ProtocolHTTP, Target: tg.id, DLQ: core.None, DeliveryLatency: zero},
	}})
	for i := 0; i < 50; i++ {
		src.publish(tp.ID())
	}
	if err := w.Eng.Run(); err != nil {
		t.Fatal(err)
	}
	// Arrivals are all at 0 and then after 3 jittered 20 s delays each; every retry
	// of a message comes 18..22 s after its previous attempt, so the sorted retry times
	// of all messages fall in [18k, 22k] for retry k.
	exact := 0
	for _, at := range tg.at[50:] {
		s := at.Seconds()
		k := math.Round(s / 20)
		if s < 18*k || s > 22*k {
			t.Errorf("retry at %.3f s is outside ±10%% of %v s", s, 20*k)
		}
		if s == 20*k {
			exact++
		}
	}
	if exact == len(tg.at)-50 {
		t.Error("no retry was jittered")
	}
	conserve(t, w)
}

func TestCustomHTTPPolicyLimits(t *testing.T) {
	cases := []struct {
		name   string
		policy RetryPolicy
		err    string
	}{
		{"total over 3600 s", RetryPolicy{Retries: 100, MaxDelayRetries: 100, MinDelay: time.Second, MaxDelay: 40 * time.Second}, "exceeds the HTTP/S limit"},
		{"more than 100 retries", RetryPolicy{Retries: 101, NoDelay: 101, MinDelay: time.Second, MaxDelay: time.Second}, "out of range 0..100"},
		{"phases exceed the total", RetryPolicy{Retries: 3, NoDelay: 2, MinDelayRetries: 2, MinDelay: time.Second, MaxDelay: time.Second}, "exceeds numRetries"},
		{"min above max", RetryPolicy{Retries: 3, MinDelay: 5 * time.Second, MaxDelay: time.Second}, "minDelayTarget ≤ maxDelayTarget"},
		{"fractional seconds", RetryPolicy{Retries: 3, MinDelay: 1500 * time.Millisecond, MaxDelay: 2 * time.Second}, "whole seconds"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld()
			tg := newTarget(w, "ep")
			p := c.policy
			_, err := New(w, Config{Name: "t", Subscriptions: []Subscription{{Protocol: ProtocolHTTP, Target: tg.id, DLQ: core.None, RetryPolicy: &p}}})
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("error %v, want one containing %q", err, c.err)
			}
			conserve(t, w)
		})
	}
	w := newWorld()
	tg := newTarget(w, "fn")
	p := HTTPDefault
	if _, err := New(w, Config{Name: "t", Subscriptions: []Subscription{{Protocol: ProtocolLambda, Target: tg.id, DLQ: core.None, RetryPolicy: &p}}}); err == nil {
		t.Error("a lambda subscription accepted a custom retry policy")
	}
	conserve(t, w)
}
