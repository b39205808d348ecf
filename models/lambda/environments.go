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
// environment is too old all of them are, and they are discarded together. Otherwise
// expired environments are discarded only when they are counted (Environments) or when
// the stack is full and a release needs room, so a release reads no more than the top.
//
// An environment whose invocation timed out is discarded (the runtime is restarted), so
// the next invoke there is a cold start (assumption).
//
// Provisioned concurrency (§5.2, [L-ENV][L-METRICS]): prov environments have run INIT
// before the run starts; they are never reclaimed for idleness and take no scaling token.
// An invoke takes a free provisioned environment first (a warm start counted in
// ProvisionedConcurrencyInvocations); only when all are busy does it spill over to the
// on-demand environments above, under their usual rules, and count
// ProvisionedConcurrencySpilloverInvocations. Provisioned environments are identical, so
// only their number matters. They count in busy (ConcurrentExecutions) and so against a
// reservation; a function without one claimed its provisioned environments from the
// account pool at build time (Function.New), so they do not count in the unreserved pool.
// A provisioned environment whose invocation timed out is re-initialised (assumption: the
// runtime is restarted in place, as for an on-demand one): INIT, drawn from InitDuration,
// runs on it again before it is free; meanwhile it stays busy (as an on-demand
// environment in INIT counts in ConcurrentExecutions), and that INIT is billed to no
// invocation — it is covered by the provisioned-concurrency charge — nor counted as a
// cold start.
//
// The order "provisioned first" keeps reservations exact: an on-demand environment is
// started only while every provisioned one is busy, so busy on-demand environments never
// exceed reserved − prov, and a free provisioned environment always fits the reservation.
type environments struct {
	busy     int // busy environments, provisioned ones included
	reserved int // -1: none
	prov     int // provisioned environments
	provBusy int // provisioned environments running an invocation or re-running INIT
	idle     idleStack
	lifetime time.Duration
	limited  bool             // scaling-rate limit on
	tokens   core.TokenBucket // taken only by cold starts: last, after the fields every invoke reads
}

// start outcomes.
type acquireResult uint8

const (
	warmStart acquireResult = iota
	coldStart
	provisionedStart // a free provisioned environment: warm, no scaling token
	throttledConcurrency
	throttledRate
)

func (e *environments) init(cfg Config) {
	e.reserved = cfg.ReservedConcurrency
	e.prov = cfg.ProvisionedConcurrency
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
// at the bottom).
func (e *environments) reclaim(now time.Duration) {
	for e.idle.len() > 0 && now-e.idle.bottom() >= e.lifetime {
		e.idle.dropBottom()
	}
}

// acquire finds an environment for an invoke of f at now: a free provisioned one, else
// an on-demand one (spillover).
func (f *Function) acquire() acquireResult {
	e := &f.envs
	a := f.acct
	if e.provBusy < e.prov {
		e.provBusy++
		e.busy++
		f.setGauges(f.w.Now())
		return provisionedStart
	}
	if e.reserved >= 0 {
		if e.busy >= e.reserved {
			return throttledConcurrency
		}
	} else if a.unreservedBusy >= a.limit-a.reserved {
		return throttledConcurrency
	}
	now := f.w.Now()
	res := warmStart
	if e.idle.len() > 0 && now-e.idle.top() < e.lifetime {
		e.idle.pop()
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

// release returns an environment after an invocation: an on-demand one idle again, or
// discarded after a timeout; a provisioned one free again, or re-initialised after a
// timeout (free when provReady fires).
func (f *Function) release(prov, timedOut bool) {
	e := &f.envs
	now := f.w.Now()
	if prov {
		if timedOut {
			f.w.Eng.After(f.initDuration(), f.h, evProvReady, 0, 0)
			return
		}
		e.provBusy--
		e.busy--
		f.setGauges(now)
		return
	}
	e.busy--
	if e.reserved < 0 {
		f.acct.unreservedBusy--
	}
	f.m.concurrent.Set(now, float64(e.busy))
	if !timedOut {
		if e.idle.full() {
			e.reclaim(now) // expired environments make room before the stack grows
		}
		e.idle.push(now)
	}
}

// provReady frees a provisioned environment whose re-initialisation after a timeout ended.
func (f *Function) provReady() {
	e := &f.envs
	e.provBusy--
	e.busy--
	f.setGauges(f.w.Now())
	f.capacityFreed()
}

// setGauges records the concurrency gauges after a provisioned environment changed state:
// ConcurrentExecutions, ProvisionedConcurrentExecutions and
// ProvisionedConcurrencyUtilization (busy provisioned ÷ provisioned, time-weighted).
func (f *Function) setGauges(now time.Duration) {
	e := &f.envs
	f.m.concurrent.Set(now, float64(e.busy))
	f.m.provConcurrent.Set(now, float64(e.provBusy))
	f.m.provUtilization.Set(now, float64(e.provBusy)/float64(e.prov))
}
