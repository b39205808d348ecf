package service

import (
	"errors"
	"fmt"
	"time"
)

// BreakerState is the state of a circuit breaker.
type BreakerState uint8

// Circuit breaker states.
const (
	Closed   BreakerState = iota // calls go through; failures are counted
	Open                         // calls fail fast without reaching the callee
	HalfOpen                     // a few probe calls go through to test the callee
)

var breakerNames = [...]string{"closed", "open", "half-open"}

func (s BreakerState) String() string {
	if int(s) < len(breakerNames) {
		return breakerNames[s]
	}
	return "unknown"
}

// Breaker is a circuit breaker a caller puts in front of its calls to a downstream (the
// "implement circuit breakers" practice of resilient architectures; not an AWS feature,
// so its behaviour is the usual one of resilience libraries):
//
//   - Closed: every call is allowed. A failure (error, throttle, timeout) is recorded
//     with its time; when Failures failures fall within Window (a sliding window; 0 means
//     since the breaker last closed) the breaker opens. Successes do not clear failures:
//     old ones leave the window.
//   - Open: Allow refuses every call for OpenFor; the caller fails fast (no latency, no
//     load on the callee). After OpenFor the breaker is half-open.
//   - HalfOpen: the next HalfOpenProbes calls (0 means 1) are allowed as probes, the rest
//     refused. A failed probe opens the breaker again for OpenFor; when every probe has
//     succeeded it closes, with no failures recorded.
//
// Outcomes recorded while open (calls that began before it opened) are ignored; in
// half-open, any outcome counts as a probe's. The zero value is not usable: Failures and
// OpenFor must be > 0 (see Validate). Allow and Record allocate nothing after the first
// failure.
//
// How a caller uses it, e.g. a Lambda Call step: before w.Call, `if !b.Allow(now)` treat
// the call as failed at once (core.Failed, counted as short-circuited) without calling;
// else make the call and in Done do `b.Record(now, st == core.OK)`. One Breaker per
// caller and callee (a breaker shared by all of a function's environments models a shared
// cache of the callee's health; one per environment is the in-process library).
type Breaker struct {
	Failures       int           // failures within Window that open the breaker (≥ 1)
	Window         time.Duration // sliding window for counting failures; 0: since closing
	OpenFor        time.Duration // how long the breaker stays open (> 0)
	HalfOpenProbes int           // probes allowed in half-open; 0 means 1

	state    BreakerState
	fails    []time.Duration // ring of recent failure times
	head, n  int
	openedAt time.Duration
	probes   int // probes allowed so far in half-open
	probeOK  int // probes that succeeded
	opened   uint64
}

// Validate reports a breaker that cannot work.
func (b *Breaker) Validate() error {
	var errs []error
	if b.Failures < 1 {
		errs = append(errs, fmt.Errorf("circuit breaker: failures must be >= 1, got %d", b.Failures))
	}
	if b.OpenFor <= 0 {
		errs = append(errs, fmt.Errorf("circuit breaker: open_for must be > 0, got %v", b.OpenFor))
	}
	if b.Window < 0 || b.HalfOpenProbes < 0 {
		errs = append(errs, errors.New("circuit breaker: window and half_open_probes must be >= 0"))
	}
	return errors.Join(errs...)
}

// State is the breaker's state at time now (an open breaker whose OpenFor has passed is
// half-open).
func (b *Breaker) State(now time.Duration) BreakerState {
	if b.state == Open && now >= b.openedAt+b.OpenFor {
		return HalfOpen
	}
	return b.state
}

// Opened is how many times the breaker has opened.
func (b *Breaker) Opened() uint64 { return b.opened }

// Allow reports whether a call may go through now. In half-open it hands out one of the
// probes, so call it only for a call that will then be made.
func (b *Breaker) Allow(now time.Duration) bool {
	switch b.state {
	case Closed:
		return true
	case Open:
		if now < b.openedAt+b.OpenFor {
			return false
		}
		b.state, b.probes, b.probeOK = HalfOpen, 0, 0
	}
	if b.probes < max(b.HalfOpenProbes, 1) {
		b.probes++
		return true
	}
	return false
}

// Record tells the breaker how a call it allowed ended at time now.
func (b *Breaker) Record(now time.Duration, ok bool) {
	switch b.State(now) {
	case Closed:
		if !ok {
			b.fail(now)
		}
	case HalfOpen:
		if b.state == Open { // OpenFor passed without a call: results of old calls
			return
		}
		if !ok {
			b.open(now)
			return
		}
		b.probeOK++
		if b.probeOK >= max(b.HalfOpenProbes, 1) {
			b.state, b.n = Closed, 0
		}
	}
}

// fail records a failure in the closed state and opens the breaker when there are
// Failures of them within Window.
func (b *Breaker) fail(now time.Duration) {
	if b.fails == nil {
		b.fails = make([]time.Duration, max(b.Failures, 1))
	}
	size := len(b.fails)
	if b.Window > 0 {
		for b.n > 0 && b.fails[b.head] <= now-b.Window {
			b.head = (b.head + 1) % size
			b.n--
		}
	}
	if b.n == size { // full: forget the oldest
		b.head = (b.head + 1) % size
		b.n--
	}
	b.fails[(b.head+b.n)%size] = now
	b.n++
	if b.n >= b.Failures {
		b.open(now)
	}
}

func (b *Breaker) open(now time.Duration) {
	b.state, b.openedAt, b.n, b.head = Open, now, 0, 0
	b.opened++
}
