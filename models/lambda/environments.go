package lambda

import (
	"time"

	"msgsim/models/core"
)

// environments is the pool of execution environments of one function (behaviour
// reference §5.2).
//
// An invoke needs a free unit of concurrency — the function's reservation if it has one,
// else the account's unreserved pool — and then an environment: an idle one of the
// function (warm start), else a new one (cold start: INIT, then the invoke), which takes
// a scaling token (note 27; warm reuse takes none). No concurrency or no token means a
// throttle. ConcurrentExecutions counts busy environments, INIT included.
//
// Idle environments form a stack ordered by the time they went idle; an invoke reuses the
// most recently used one. AWS does not document the routing; most-recently-used is
// assumed because it keeps the warm set as small as the load needs, so environments left
// over from a burst go unused and are reclaimed after their idle lifetime, as measured in
// practice (note 25). Reclamation is lazy but exact: an environment idle for IdleLifetime
// or longer is never reused, and since the stack is sorted, when the most recent idle
// environment is too old all of them are, and they are discarded together.
//
// An environment whose invocation timed out is discarded (the runtime is restarted), so
// the next invoke there is a cold start (assumption).
type environments struct {
	busy     int
	reserved int // -1: none
	idle     ring[time.Duration]
	lifetime time.Duration
	tokens   core.TokenBucket
	limited  bool // scaling-rate limit on
}

// start outcomes.
type acquireResult uint8

const (
	warmStart acquireResult = iota
	coldStart
	throttledConcurrency
	throttledRate
)

func (e *environments) init(cfg Config) {
	e.reserved = cfg.ReservedConcurrency
	e.lifetime = cfg.IdleLifetime
	e.limited = cfg.Scaling.PerSecond > 0
	e.tokens = core.NewTokenBucket(cfg.Scaling.PerSecond, cfg.Scaling.Burst)
}

// liveIdle counts the idle environments still within their idle lifetime.
func (e *environments) liveIdle(now time.Duration) int {
	e.reclaim(now)
	return e.idle.len()
}

// reclaim discards idle environments that reached their idle lifetime (the oldest are
// at the front).
func (e *environments) reclaim(now time.Duration) {
	for e.idle.len() > 0 && now-e.idle.front() >= e.lifetime {
		e.idle.popFront()
	}
}

// acquire finds an environment for an invoke of f at now.
func (f *Function) acquire() acquireResult {
	e := &f.envs
	a := f.acct
	if e.reserved >= 0 {
		if e.busy >= e.reserved {
			return throttledConcurrency
		}
	} else if a.unreservedBusy >= a.limit-a.reserved {
		return throttledConcurrency
	}
	now := f.w.Now()
	res := warmStart
	if e.idle.len() > 0 && now-e.idle.back() < e.lifetime {
		e.idle.popBack()
	} else {
		e.idle.clear() // all idle environments are past their lifetime
		if e.limited && !e.tokens.Take(now, 1) {
			return throttledRate
		}
		res = coldStart
	}
	e.busy++
	if e.reserved < 0 {
		a.unreservedBusy++
	}
	f.m.concurrent.Set(now, float64(e.busy))
	return res
}

// release returns an environment after an invocation: idle again, or discarded after a
// timeout.
func (f *Function) release(discard bool) {
	e := &f.envs
	now := f.w.Now()
	e.busy--
	if e.reserved < 0 {
		f.acct.unreservedBusy--
	}
	f.m.concurrent.Set(now, float64(e.busy))
	if !discard {
		e.reclaim(now)
		e.idle.pushBack(now)
	}
}
