package core

import (
	"testing"
	"time"
)

func TestTokenBucketAdmitsRateTimesTPlusBurstAndNoMore(t *testing.T) {
	const rate, burst = 100.0, 50.0
	b := NewTokenBucket(rate, burst)
	admitted := 0
	// offer one request every 100 µs (10,000/s) for 2 s
	for now := time.Duration(0); now <= 2*time.Second; now += 100 * time.Microsecond {
		if b.Take(now, 1) {
			admitted++
		}
	}
	want := int(rate*2 + burst) // rate × t + burst
	if admitted != want {
		t.Fatalf("admitted %d, want %d", admitted, want)
	}
}

func TestTokenBucketWaitIsTimeToNextToken(t *testing.T) {
	b := NewTokenBucket(10, 1)
	if !b.Take(0, 1) {
		t.Fatal("full bucket refused")
	}
	if w := b.Wait(0, 1); w != 100*time.Millisecond {
		t.Fatalf("wait %v, want 100ms", w)
	}
	if b.Take(99*time.Millisecond, 1) || !b.Take(100*time.Millisecond, 1) {
		t.Fatal("token available at the wrong time")
	}
}

// TestTokenBucketSpendAfterTokensIsTake: checking with Tokens and then spending takes
// exactly what Take would have, token for token, in every case: enough tokens, too few,
// a fractional cost, an unlimited bucket.
func TestTokenBucketSpendAfterTokensIsTake(t *testing.T) {
	for _, tc := range []struct {
		name        string
		rate, burst float64
		n           float64
	}{
		{"one token at a time", 100, 50, 1},
		{"more than the burst refills", 10, 3, 4},
		{"fractional units", 3000, 3000, 1.5},
		{"unlimited", 0, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			taken, spent := NewTokenBucket(tc.rate, tc.burst), NewTokenBucket(tc.rate, tc.burst)
			for now := time.Duration(0); now <= time.Second; now += 7 * time.Millisecond {
				spent.Tokens(now)
				if a, b := taken.Take(now, tc.n), spent.Spend(tc.n); a != b || taken.Tokens(now) != spent.Tokens(now) {
					t.Fatalf("at %v: Take %v, Spend %v; tokens %v and %v", now, a, b, taken.Tokens(now), spent.Tokens(now))
				}
			}
		})
	}
}

func TestBackoffIsFullJitterCappedExponential(t *testing.T) {
	b := Backoff{Base: 25 * time.Millisecond, Cap: 100 * time.Millisecond, MaxAttempts: 5}
	for k, want := range map[int]time.Duration{1: 25 * time.Millisecond, 2: 50 * time.Millisecond, 3: 100 * time.Millisecond, 4: 100 * time.Millisecond} {
		if got := b.Delay(k, 0.999999999); got < want-time.Microsecond || got > want {
			t.Errorf("retry %d: max delay %v, want %v", k, got, want)
		}
		if got := b.Delay(k, 0); got != 0 {
			t.Errorf("retry %d: min delay %v, want 0", k, got)
		}
	}
}
