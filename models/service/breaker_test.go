package service

import (
	"testing"
	"time"
)

func TestCircuitBreakerStateTransitions(t *testing.T) {
	const ms = time.Millisecond
	// op: 'a' = Allow (want is the answer), 'f' = Record failure, 's' = Record success;
	// state is the state after the op.
	type op struct {
		at    time.Duration
		kind  byte
		want  bool
		state BreakerState
	}
	b := func() *Breaker { return &Breaker{Failures: 3, Window: 100 * ms, OpenFor: time.Second} }
	tests := []struct {
		name string
		b    *Breaker
		ops  []op
	}{
		{"opens after N failures within the window", b(), []op{
			{0, 'a', true, Closed}, {10 * ms, 'f', false, Closed}, {20 * ms, 'f', false, Closed},
			{30 * ms, 'f', false, Open}, {31 * ms, 'a', false, Open},
		}},
		{"failures outside the window do not count", b(), []op{
			{0, 'f', false, Closed}, {50 * ms, 'f', false, Closed},
			{100 * ms, 'f', false, Closed}, // the failure at 0 left the window (0, 100ms]
			{149 * ms, 'f', false, Open},
		}},
		{"successes do not clear failures in the window", b(), []op{
			{0, 'f', false, Closed}, {1 * ms, 's', false, Closed}, {2 * ms, 'f', false, Closed},
			{3 * ms, 's', false, Closed}, {4 * ms, 'f', false, Open},
		}},
		{"open fails fast until OpenFor, then one probe", b(), []op{
			{0, 'f', false, Closed}, {0, 'f', false, Closed}, {0, 'f', false, Open},
			{999 * ms, 'a', false, Open}, {time.Second, 'a', true, HalfOpen},
			{time.Second + ms, 'a', false, HalfOpen}, // only one probe at a time
		}},
		{"successful probe closes", b(), []op{
			{0, 'f', false, Closed}, {0, 'f', false, Closed}, {0, 'f', false, Open},
			{2 * time.Second, 'a', true, HalfOpen}, {2*time.Second + 5*ms, 's', false, Closed},
			{2*time.Second + 6*ms, 'a', true, Closed},
			{2*time.Second + 7*ms, 'f', false, Closed}, // failures were cleared on closing
		}},
		{"failed probe opens again for OpenFor", b(), []op{
			{0, 'f', false, Closed}, {0, 'f', false, Closed}, {0, 'f', false, Open},
			{time.Second, 'a', true, HalfOpen}, {time.Second + 10*ms, 'f', false, Open},
			{2*time.Second + 9*ms, 'a', false, Open}, {2*time.Second + 10*ms, 'a', true, HalfOpen},
		}},
		{"outcomes of old calls are ignored while open", b(), []op{
			{0, 'f', false, Closed}, {0, 'f', false, Closed}, {0, 'f', false, Open},
			{5 * ms, 's', false, Open}, {6 * ms, 'f', false, Open}, {7 * ms, 'a', false, Open},
		}},
		{"several probes must all succeed", &Breaker{Failures: 1, OpenFor: time.Second, HalfOpenProbes: 2}, []op{
			{0, 'f', false, Open},
			{time.Second, 'a', true, HalfOpen}, {time.Second, 'a', true, HalfOpen}, {time.Second, 'a', false, HalfOpen},
			{time.Second + ms, 's', false, HalfOpen}, {time.Second + 2*ms, 's', false, Closed},
		}},
		{"no window counts every failure since closing", &Breaker{Failures: 2, OpenFor: time.Second}, []op{
			{0, 'f', false, Closed}, {time.Hour, 'f', false, Open},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.b.Validate(); err != nil {
				t.Fatal(err)
			}
			for i, o := range tc.ops {
				switch o.kind {
				case 'a':
					if got := tc.b.Allow(o.at); got != o.want {
						t.Fatalf("op %d: Allow(%v) = %v, want %v", i, o.at, got, o.want)
					}
				case 'f', 's':
					tc.b.Record(o.at, o.kind == 's')
				}
				if got := tc.b.State(o.at); got != o.state {
					t.Fatalf("op %d (%c at %v): state %v, want %v", i, o.kind, o.at, got, o.state)
				}
			}
		})
	}
}

func TestBadBreakersAreErrors(t *testing.T) {
	for _, b := range []Breaker{{}, {Failures: 1}, {Failures: 1, OpenFor: 1, Window: -1}} {
		if b.Validate() == nil {
			t.Errorf("%+v accepted", b)
		}
	}
}

func TestBreakerAllocatesNothingAfterTheFirstFailure(t *testing.T) {
	b := &Breaker{Failures: 5, Window: time.Second, OpenFor: time.Second}
	b.Record(0, false)
	now := time.Duration(0)
	n := testing.AllocsPerRun(1000, func() {
		now += time.Millisecond
		if b.Allow(now) {
			b.Record(now, now%(7*time.Millisecond) != 0)
		}
	})
	if n != 0 {
		t.Fatalf("%v allocs per call", n)
	}
}
