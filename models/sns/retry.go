package sns

import (
	"fmt"
	"math"
	"time"
)

// Backoff is the function that spaces the retries of the backoff phase of a delivery
// policy between its minimum and maximum delay ("backoffFunction", §3.4).
type Backoff uint8

// The backoff functions of an HTTP/S delivery policy. AWS shows them only as curves, so
// the shapes are assumptions (note 12): with x = j/(n−1) for the j-th of n backoff retries,
//
//	linear       d = min + (max−min)·x
//	arithmetic   d = min + (max−min)·x²
//	geometric    d = min + (max−min)·x³
//	exponential  d = min·(max/min)^x        (note 12's formula)
//
// A backoff phase of one retry waits min.
const (
	Linear Backoff = iota
	Arithmetic
	Geometric
	Exponential
)

var backoffNames = [...]string{"linear", "arithmetic", "geometric", "exponential"}

// String returns the AWS name of the function.
func (b Backoff) String() string {
	if int(b) < len(backoffNames) {
		return backoffNames[b]
	}
	return "unknown"
}

// ParseBackoff reads a backoffFunction name.
func ParseBackoff(s string) (Backoff, error) {
	for i, n := range backoffNames {
		if n == s {
			return Backoff(i), nil
		}
	}
	return 0, fmt.Errorf("backoffFunction %q is not one of linear, arithmetic, geometric, exponential", s)
}

// RetryPolicy is an SNS delivery retry policy (§3.4): after a failed first attempt,
// NoDelay immediate retries, then MinDelayRetries retries MinDelay apart (pre-backoff),
// then the backoff phase's retries growing from MinDelay to MaxDelay by Function, then
// MaxDelayRetries retries MaxDelay apart (post-backoff). Retries is the total of all four
// phases (note 13: totals count retries after the first attempt), so the backoff phase has
// Retries − NoDelay − MinDelayRetries − MaxDelayRetries retries.
//
// Only HTTP/S subscriptions may set their own ("healthyRetryPolicy"); the others use
// AWSManaged (sqs, lambda) or CustomerManaged (email, sms).
type RetryPolicy struct {
	Retries         int // numRetries
	NoDelay         int // numNoDelayRetries
	MinDelayRetries int // numMinDelayRetries
	MaxDelayRetries int // numMaxDelayRetries
	MinDelay        time.Duration
	MaxDelay        time.Duration
	Function        Backoff
}

// The documented policies of §3.4.
var (
	// AWSManaged is the policy of sqs and lambda subscriptions: 3 immediate, 2 × 1 s,
	// 10 exponential 1 → 20 s, 100,000 × 20 s (100,015 retries over ≈23 days).
	AWSManaged = RetryPolicy{Retries: 100015, NoDelay: 3, MinDelayRetries: 2, MaxDelayRetries: 100000,
		MinDelay: time.Second, MaxDelay: 20 * time.Second, Function: Exponential}
	// CustomerManaged is the policy of email and sms subscriptions: 0 immediate, 2 × 10 s,
	// 10 exponential 10 → 600 s, 38 × 600 s (50 retries over ≈6 h).
	CustomerManaged = RetryPolicy{Retries: 50, MinDelayRetries: 2, MaxDelayRetries: 38,
		MinDelay: 10 * time.Second, MaxDelay: 600 * time.Second, Function: Exponential}
	// HTTPDefault is the default policy of http/https subscriptions: 3 retries 20 s apart.
	HTTPDefault = RetryPolicy{Retries: 3, MinDelay: 20 * time.Second, MaxDelay: 20 * time.Second, Function: Linear}
)

// Limits of a custom HTTP/S policy (§3.4).
const (
	MaxHTTPRetries   = 100
	MaxHTTPRetryTime = 3600 * time.Second
)

// backoffRetries is the number of retries in the backoff phase.
func (p RetryPolicy) backoffRetries() int {
	return p.Retries - p.NoDelay - p.MinDelayRetries - p.MaxDelayRetries
}

// Delay is the wait before retry number k (k = 1 for the first retry, up to Retries),
// without jitter. It is computed in O(1), so a policy of 100,015 retries stores nothing.
func (p RetryPolicy) Delay(k int) time.Duration {
	if k <= p.NoDelay {
		return 0
	}
	k -= p.NoDelay
	if k <= p.MinDelayRetries {
		return p.MinDelay
	}
	k -= p.MinDelayRetries
	n := p.backoffRetries()
	if k > n {
		return p.MaxDelay
	}
	j := k - 1
	if n == 1 {
		return p.MinDelay
	}
	x := float64(j) / float64(n-1)
	lo, hi := p.MinDelay.Seconds(), p.MaxDelay.Seconds()
	var d float64
	switch p.Function {
	case Arithmetic:
		d = lo + (hi-lo)*x*x
	case Geometric:
		d = lo + (hi-lo)*x*x*x
	case Exponential:
		d = lo * math.Pow(hi/lo, x)
	default:
		d = lo + (hi-lo)*x
	}
	return time.Duration(math.Round(d * 1e9))
}

// Total is the sum of all retry delays without jitter: the longest a delivery can keep
// retrying.
func (p RetryPolicy) Total() time.Duration {
	n := p.backoffRetries()
	t := time.Duration(p.MinDelayRetries)*p.MinDelay + time.Duration(p.MaxDelayRetries)*p.MaxDelay
	for k := 1; k <= n; k++ {
		t += p.Delay(p.NoDelay + p.MinDelayRetries + k)
	}
	return t
}

// validate checks the phases add up; http adds the limits of a custom HTTP/S policy.
func (p RetryPolicy) validate(http bool) error {
	switch {
	case p.Retries < 0 || p.NoDelay < 0 || p.MinDelayRetries < 0 || p.MaxDelayRetries < 0:
		return fmt.Errorf("retry counts must be ≥ 0")
	case p.backoffRetries() < 0:
		return fmt.Errorf("numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries = %d exceeds numRetries %d",
			p.NoDelay+p.MinDelayRetries+p.MaxDelayRetries, p.Retries)
	case p.MinDelay <= 0 || p.MaxDelay < p.MinDelay:
		return fmt.Errorf("need 0 < minDelayTarget ≤ maxDelayTarget, got %v and %v", p.MinDelay, p.MaxDelay)
	case int(p.Function) >= len(backoffNames):
		return fmt.Errorf("unknown backoff function %d", p.Function)
	}
	if !http {
		return nil
	}
	switch {
	case p.Retries > MaxHTTPRetries:
		return fmt.Errorf("numRetries %d is out of range 0..%d", p.Retries, MaxHTTPRetries)
	case p.MinDelay%time.Second != 0 || p.MaxDelay%time.Second != 0:
		return fmt.Errorf("minDelayTarget and maxDelayTarget must be whole seconds, got %v and %v", p.MinDelay, p.MaxDelay)
	case p.Total() > MaxHTTPRetryTime:
		return fmt.Errorf("total retry time %v exceeds the HTTP/S limit of %v", p.Total(), MaxHTTPRetryTime)
	}
	return nil
}
