package core

import (
	"math"
	"time"
)

// TokenBucket is the rate limiter AWS documents for API Gateway throttling, FIFO send
// quotas, SNS publish and EventBridge quotas: capacity Burst tokens, refilled continuously
// at Rate per second; a request takes one token (or n) or is refused. Quotas without a
// documented burst use Burst = 1 s of Rate (behaviour reference, modelling note 39).
type TokenBucket struct {
	Rate   float64 // tokens per second; ≤ 0 means unlimited
	Burst  float64 // capacity
	tokens float64
	last   time.Duration
	init   bool
}

// unlimited is what Tokens returns for an unlimited bucket, +Inf. Read from a variable
// rather than computed by math.Inf, Tokens fits Go's inlining budget: a request checks up
// to five buckets, each check a call otherwise.
var unlimited = math.Inf(1)

// NewTokenBucket returns a full bucket.
func NewTokenBucket(rate, burst float64) TokenBucket {
	if burst <= 0 {
		burst = rate
	}
	return TokenBucket{Rate: rate, Burst: burst}
}

func (b *TokenBucket) refill(now time.Duration) {
	if !b.init {
		b.tokens, b.last, b.init = b.Burst, now, true
		return
	}
	if now > b.last {
		// the builtin min: math.Min's results (NaN, ±0) without its call
		b.tokens = min(b.Burst, b.tokens+b.Rate*(now-b.last).Seconds())
		b.last = now
	}
}

// Take removes n tokens if available and reports whether it did.
func (b *TokenBucket) Take(now time.Duration, n float64) bool {
	if b.Rate <= 0 {
		return true
	}
	b.refill(now)
	return b.Spend(n)
}

// Spend is Take for a bucket that Tokens or Take has just brought up to the current time:
// it removes n tokens if available and reports whether it did, without refilling first.
// A caller that checks several buckets before it takes from any (a request must pass
// every throttling level, a DynamoDB request its partition and its table) saves the
// second refill, which at the same time would add nothing.
func (b *TokenBucket) Spend(n float64) bool {
	if b.Rate <= 0 {
		return true
	}
	// a tiny epsilon absorbs float rounding of rate × elapsed time
	if b.tokens+1e-9 >= n {
		b.tokens -= n
		return true
	}
	return false
}

// Wait is how long from now until n tokens are available (0 if they are now).
func (b *TokenBucket) Wait(now time.Duration, n float64) time.Duration {
	if b.Rate <= 0 {
		return 0
	}
	b.refill(now)
	if b.tokens+1e-9 >= n {
		return 0
	}
	return time.Duration(math.Ceil((n - b.tokens) / b.Rate * 1e9))
}

// Tokens is the number of tokens available now (+Inf for an unlimited bucket).
func (b *TokenBucket) Tokens(now time.Duration) float64 {
	if b.Rate <= 0 {
		return unlimited
	}
	b.refill(now)
	return b.tokens
}

// Backoff is an SDK-style retry schedule: attempt k (k = 1 for the first retry) waits a
// uniformly random time in [0, min(Cap, Base·2^(k-1))] ("full jitter"), up to MaxAttempts
// attempts in all including the first.
type Backoff struct {
	Base        time.Duration
	Cap         time.Duration
	MaxAttempts int
}

// DefaultSDKBackoff is the AWS SDK standard retry mode: 3 attempts, base 25 ms, cap 20 s,
// full jitter (behaviour reference, modelling note 38).
var DefaultSDKBackoff = Backoff{Base: 25 * time.Millisecond, Cap: 20 * time.Second, MaxAttempts: 3}

// Delay is the wait before retry number k (k ≥ 1), given a uniform draw u in [0,1).
func (b Backoff) Delay(k int, u float64) time.Duration {
	d := b.Base
	for i := 1; i < k && d < b.Cap; i++ {
		d *= 2
	}
	if d > b.Cap {
		d = b.Cap
	}
	return time.Duration(u * float64(d))
}
