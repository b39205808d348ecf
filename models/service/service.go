// Package service models downstream services — a DynamoDB table, an external HTTP API, an
// email or SMS gateway, a warehouse system — as a generic service station: c parallel
// servers, a FIFO waiting line (unbounded, bounded, or absent), a service-time
// distribution and an error probability.
//
// The station is the classic G/G/c/K queue of queueing theory, so it is validated against
// closed forms (M/M/1, M/M/c with Erlang C, M/D/1 with Pollaczek–Khinchine, M/M/c/K
// blocking, Little's law) through the real engine; see validation_test.go.
//
// A service accepts both kinds of interaction of DESIGN.md: asynchronous requests (a send:
// the service owns the message from Deliver until it finishes it) and synchronous calls
// (a function calling a table: the caller keeps the message and waits for the reply).
//
// Beyond the queueing station, a service may have a rate limit (a token bucket: requests
// over it are refused with core.Throttled), a fault schedule (models/fault: outage
// windows, error-rate, latency and rate-limit changes over time, consulted at every
// request) and, for DynamoDB, a capacity model (dynamodb.go). A service whose
// concurrency is Unlimited is an infinite-server station (M/G/∞), as a managed service
// such as DynamoDB appears to one caller.
//
// Files: service.go is the station, line.go its waiting line, theory.go the closed forms
// it is checked against, mmc.go the single-station run behind `msgsim run`, faults.go the
// outage and rate-limit handling, dynamodb.go the table capacity model, presets.go the
// preset configurations (DynamoDB, HTTP API, email, SMS, warehouse), breaker.go the
// circuit breaker callers can put in front of their calls, attrkey.go the lookup of a
// message attribute by name.
package service

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"msgsim/models/core"
	"msgsim/models/fault"
	"msgsim/sim"
)

// Config describes a service station.
type Config struct {
	Name string
	// Concurrency is the number of parallel servers c (≥ 1): requests served at once, or
	// Unlimited for an infinite-server station (every request is served at once).
	Concurrency int
	// QueueLimit is the capacity of the waiting line: -1 is unbounded, 0 is no line at all
	// (a request that finds every server busy is refused: the M/M/c/c loss system), K-c for
	// an M/M/c/K station holding at most K requests.
	QueueLimit int
	// Latency is the service time (seconds), drawn when a request starts service.
	Latency sim.Dist
	// ErrorProbability is the chance that a served request fails: a call is answered
	// core.Failed, an asynchronous request is dropped with the counted reason
	// "request failed". Failures are drawn independently after service.
	ErrorProbability float64
	// Target is where an asynchronous request goes when it completes (sent on with the
	// target's API latency); core.None makes the service the end of the path. A Target must
	// already be registered (add downstream components first, or wire later with
	// SetTarget). The zero value 0 is a real component id, so say core.None explicitly.
	Target core.ComponentID
	// Sink records the end-to-end latency of a completed request at this service even
	// though it forwards to a Target. A service without a Target is always a sink.
	Sink bool
	// Observer, if set, hears of every completed request (validation, tracing).
	Observer Observer

	// RateLimit is the most requests per second the service admits (a token bucket
	// refilled at RateLimit with RateBurst tokens; RateBurst 0 means 1 s of rate, modelling
	// note 39). A request over the limit is refused with core.Throttled (a 429) and counted
	// in the Throttled metric. 0 means no limit.
	RateLimit, RateBurst float64
	// Faults are the service's outages and changes over time (see package fault): in an
	// error outage a request fails at once (core.Failed); in a timeout outage it hangs for
	// OutageTimeout and is then answered core.TimedOut (a caller with a shorter timeout
	// gives up first); error rates replace ErrorProbability, latency factors multiply the
	// service time drawn at the start of service, rate limits replace RateLimit.
	Faults fault.Config
	// OutageTimeout is how long a request hangs in a timeout outage; 0 means 30 s
	// (assumption: a typical client socket timeout).
	OutageTimeout time.Duration
	// DynamoDB, if set, makes the service a DynamoDB table: requests consume read or write
	// capacity units and are throttled by partition and table limits (dynamodb.go).
	DynamoDB *DynamoDB

	// lifo serves the newest waiting request first. It exists only so that a test can show
	// that the validation catches a wrong service discipline.
	lifo bool
}

// Unlimited is the Concurrency of an infinite-server station.
const Unlimited = -1

// DefaultOutageTimeout is how long a request hangs in a timeout outage by default.
const DefaultOutageTimeout = 30 * time.Second

// Observer hears of every request the station serves, in completion order, with its
// arrival, service start and completion times. An Observer that also implements
// RejectionObserver hears of refused requests.
type Observer interface {
	Completed(arrival, start, end time.Duration)
}

// RejectionObserver is an optional Observer extension told of every request refused
// because the line was full, at its arrival time.
type RejectionObserver interface {
	Rejected(arrival time.Duration)
}

// Service is a service station registered with a World. It implements core.Target
// (asynchronous requests) and core.Callee (synchronous calls).
type Service struct {
	// What a request's admission and completion read, together at the front: spread
	// behind the configuration they were a cache miss each per event. latency, errProb,
	// observer, sink and lifo are copies of cfg's (fixed after New).
	w        *core.World
	rng      *rand.Rand
	h        sim.HandlerID
	id       core.ComponentID
	busy     int
	servers  int        // Concurrency, or math.MaxInt for Unlimited
	capacity int        // QueueLimit, or math.MaxInt for an unbounded line
	owned    int        // asynchronous requests held (in service or waiting)
	serving  []customer // per server slot (not for requests in evDoneNow events); slots in use are not in free
	free     []int32    // idle server slots
	line     line
	faults   *fault.Schedule
	table    *table
	latency  sim.Dist
	observer Observer
	errProb  float64
	target   core.ComponentID
	e2e      bool // record end-to-end latency on completion
	sink     bool
	lifo     bool
	limited  bool // a rate limit is in force (configured or from a fault)
	lastQ    int  // the line length queueLen last recorded

	requests, completed, rejected, errs *core.Counter
	throttled                           *core.Counter
	inService, queueLen, inSystem       *sim.Gauge
	wait, sojourn                       *core.Latency
	limit                               core.TokenBucket
	rate                                float64 // the rate limit in force (for fault changes)

	cfg      Config
	rejObs   RejectionObserver
	failKey  core.DropKey
	hangKey  core.DropKey
	hung     []customer
	hungFree []int32
	nHung    int // asynchronous requests hanging in a timeout outage
}

// Service event kinds.
const (
	evDone    int32 = iota // a server finished; A is the server slot
	evHang                 // a request hanging in a timeout outage gives up; A is its slot
	evDoneNow              // a server finished a request that never waited; A is its message and call, B its arrival
)

// New validates cfg, builds the station and registers it with the world. Every problem
// with cfg is reported in one error.
func New(w *core.World, cfg Config) (*Service, error) {
	if err := cfg.validate(w); err != nil {
		return nil, err
	}
	s := &Service{
		cfg:      cfg,
		w:        w,
		rng:      w.Stream("service/" + cfg.Name),
		target:   cfg.Target,
		e2e:      cfg.Sink || cfg.Target == core.None,
		capacity: cfg.QueueLimit,
		servers:  cfg.Concurrency,
		latency:  cfg.Latency,
		observer: cfg.Observer,
		errProb:  cfg.ErrorProbability,
		sink:     cfg.Sink,
		lifo:     cfg.lifo,
	}
	if s.capacity < 0 {
		s.capacity = math.MaxInt
	}
	if cfg.Concurrency == Unlimited {
		s.servers = math.MaxInt
		cfg.Concurrency = 0 // no server slot yet: they are added as needed
	}
	s.serving = make([]customer, cfg.Concurrency)
	s.free = make([]int32, cfg.Concurrency)
	if err := s.initFaults(); err != nil {
		return nil, err
	}
	// Hand out slot 0 first, so a lightly loaded station reuses the same few slots.
	for i := range s.free {
		s.free[i] = int32(cfg.Concurrency - 1 - i)
	}
	s.rejObs, _ = cfg.Observer.(RejectionObserver)
	s.id = w.Add(s)
	s.h = w.Eng.Register(s)
	s.failKey = w.DropReason(cfg.Name, "request failed")
	s.hangKey = w.DropReason(cfg.Name, "timed out (outage)")

	m := w.Metrics
	s.requests = m.Counter(cfg.Name, "Requests", "requests")
	s.completed = m.Counter(cfg.Name, "Completed", "requests")
	s.rejected = m.Counter(cfg.Name, "Rejected", "requests")
	s.errs = m.Counter(cfg.Name, "Errors", "requests")
	s.throttled = m.Counter(cfg.Name, "Throttled", "requests")
	s.inService = m.Gauge(cfg.Name, "InService", "requests")
	s.queueLen = m.Gauge(cfg.Name, "QueueLength", "requests")
	s.inSystem = m.Gauge(cfg.Name, "InSystem", "requests")
	s.wait = m.Latency(cfg.Name, "WaitTime")
	s.sojourn = m.Latency(cfg.Name, "SojournTime")
	if cfg.DynamoDB != nil {
		s.table = newTable(w, cfg.Name, *cfg.DynamoDB, s.rng)
	}
	return s, nil
}

func (cfg *Config) validate(w *core.World) error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("service %q: "+format, append([]any{cfg.Name}, args...)...))
	}
	if cfg.Name == "" {
		bad("name is required")
	}
	if cfg.Concurrency < 1 && cfg.Concurrency != Unlimited {
		bad("concurrency must be >= 1, got %d", cfg.Concurrency)
	}
	if !(cfg.RateLimit >= 0) || math.IsInf(cfg.RateLimit, 0) || !(cfg.RateBurst >= 0) || math.IsInf(cfg.RateBurst, 0) {
		bad("rate limit and burst must be finite and >= 0, got %v and %v", cfg.RateLimit, cfg.RateBurst)
	}
	if cfg.OutageTimeout < 0 {
		bad("outage timeout must be >= 0, got %v", cfg.OutageTimeout)
	}
	if _, err := fault.Compile(cfg.Faults); err != nil {
		bad("faults: %v", err)
	}
	if cfg.DynamoDB != nil {
		if err := cfg.DynamoDB.validate(); err != nil {
			bad("dynamodb: %v", err)
		}
	}
	if cfg.QueueLimit < -1 {
		bad("queue limit must be -1 (unbounded) or >= 0, got %d", cfg.QueueLimit)
	}
	if cfg.Latency == nil {
		bad("latency distribution is required")
	}
	if !(cfg.ErrorProbability >= 0 && cfg.ErrorProbability <= 1) {
		bad("error probability must be in [0, 1], got %v", cfg.ErrorProbability)
	}
	if err := checkTarget(w, cfg.Target); err != nil {
		bad("%v", err)
	}
	return errors.Join(errs...)
}

func checkTarget(w *core.World, id core.ComponentID) error {
	switch {
	case id == core.None:
		return nil
	case id < 0 || int(id) >= len(w.Components()):
		return fmt.Errorf("target %d is not a registered component", id)
	case !w.IsTarget(id):
		return fmt.Errorf("target %q does not accept sends", w.Component(id).Name())
	}
	return nil
}

// SetTarget wires (or rewires) where completed asynchronous requests go, for graphs whose
// downstream is registered after this service. core.None makes it the end of the path.
func (s *Service) SetTarget(id core.ComponentID) error {
	if id == s.id {
		return fmt.Errorf("service %q: cannot target itself", s.cfg.Name)
	}
	if err := checkTarget(s.w, id); err != nil {
		return fmt.Errorf("service %q: %w", s.cfg.Name, err)
	}
	s.target = id
	s.e2e = s.sink || id == core.None
	return nil
}

// ID is the service's component id.
func (s *Service) ID() core.ComponentID { return s.id }

// Name is the service's name.
func (s *Service) Name() string { return s.cfg.Name }

// Kind is "dynamodb" for a DynamoDB table, "service" otherwise (core.Kinded).
func (s *Service) Kind() string {
	if s.table != nil {
		return core.KindDynamoDB
	}
	return core.KindService
}

// Holding counts the asynchronous requests the service owns (in service, waiting, or
// hanging in a timeout outage). Calls are not counted: their messages stay with the caller.
func (s *Service) Holding() int { return s.owned + s.nHung }

// Busy is the number of servers serving a request now.
func (s *Service) Busy() int { return s.busy }

// Waiting is the number of requests in the line now.
func (s *Service) Waiting() int { return s.line.len() }

// Deliver accepts an asynchronous request: the service owns m from now on. A request that
// finds the line full is refused with core.Rejected, one over the rate limit or the
// table's capacity with core.Throttled, one in an error outage with core.Failed; the
// sender keeps m. In a timeout outage the service accepts m and drops it, counted, when
// the outage timeout expires.
func (s *Service) Deliver(m core.MsgID) core.Status {
	st := s.admit(m, noCall)
	switch st {
	case core.OK:
		s.owned++
		s.w.Msg(m).Entered = s.w.Now()
	case core.TimedOut:
		return core.OK // hanging: owned through s.nHung
	}
	return st
}

// Call accepts a synchronous call. The reply is core.OK after service, core.Failed with the
// error probability or in an error outage, core.TimedOut after the outage timeout in a
// timeout outage, or core.Throttled at once when the line is full or a rate or capacity
// limit refuses it.
func (s *Service) Call(c core.CallID) {
	switch st := s.admit(s.w.CallMsg(c), c); st {
	case core.OK, core.TimedOut:
	case core.Rejected:
		s.w.Reply(c, core.Throttled)
	default:
		s.w.Reply(c, st)
	}
}

// admit starts serving a new request, queues it, hangs it (core.TimedOut, in a timeout
// outage) or refuses it (core.Rejected when the line is full, core.Throttled over a
// limit, core.Failed in an error outage).
func (s *Service) admit(m core.MsgID, c core.CallID) core.Status {
	now := s.w.Now()
	s.requests.Inc()
	cu := customer{arrival: now, msg: m, call: c}
	if st := s.checkLimits(cu, now); st != core.OK {
		if s.w.Tracing() {
			s.traceRefused(m, st)
		}
		return st
	}
	switch {
	case s.busy < s.servers:
		s.startService(cu, now)
	case s.line.len() < s.capacity:
		s.line.push(cu)
		if s.w.Tracing() {
			s.w.Tracef(s.id, m, "waits in line: all %d servers busy, %d waiting", s.servers, s.line.len())
		}
	default:
		s.rejected.Inc()
		if s.w.Tracing() {
			s.w.Tracef(s.id, m, "rejected: the line is full (%d waiting)", s.line.len())
		}
		if s.rejObs != nil {
			s.rejObs.Rejected(now)
		}
		return core.Rejected
	}
	s.updateGauges(now)
	return core.OK
}

// startService puts cu on an idle server and schedules the end of its service.
//
// A request that never waited (arrival == start: every request of an Unlimited station)
// travels in the event itself (evDoneNow) instead of a server slot written now and read a
// service time later, long out of the caches. With an Observer (the validation runs) every
// request keeps a slot, where a test can find the requests in the station.
func (s *Service) startService(cu customer, now time.Duration) {
	s.busy++
	s.wait.Record(now - cu.arrival)
	d := sim.SampleDuration(s.latency, s.rng)
	if s.faults != nil {
		d = s.faults.At(now).Latency(d)
	}
	if s.w.Tracing() {
		s.w.Tracef(s.id, cu.msg, "being served; done at %.3f s", (now + d).Seconds())
	}
	if cu.arrival == now && s.observer == nil {
		s.w.Eng.After(d, s.h, evDoneNow, int64(uint32(cu.msg))|int64(cu.call)<<32, int64(now))
		return
	}
	if len(s.free) == 0 { // an Unlimited station adds a server slot
		s.serving = append(s.serving, customer{})
		s.free = append(s.free, int32(len(s.serving)-1))
	}
	n := len(s.free) - 1
	slot := s.free[n]
	s.free = s.free[:n]
	cu.start = now
	s.serving[slot] = cu
	s.w.Eng.After(d, s.h, evDone, int64(slot), 0)
}

// updateGauges records the servers busy, the line's length and their sum at now. An empty
// line that was empty already is not recorded again: setting a gauge from 0 to 0 changes
// nothing in it (0 × the time since adds +0 to its integral), and most stations,
// Unlimited ones always, never queue.
func (s *Service) updateGauges(now time.Duration) {
	q := s.line.len()
	s.inService.Set(now, float64(s.busy))
	if q != 0 || s.lastQ != 0 {
		s.queueLen.Set(now, float64(q))
		s.lastQ = q
	}
	s.inSystem.Set(now, float64(s.busy+q))
}

// Fire handles the end of a service: the request completes (or fails), and the server
// takes the next request from the line.
func (s *Service) Fire(ev sim.Event) {
	if ev.Kind == evHang {
		s.giveUp(int32(ev.A))
		return
	}
	var cu customer
	switch ev.Kind {
	case evDoneNow:
		at := time.Duration(ev.B)
		cu = customer{arrival: at, start: at, msg: core.MsgID(int32(ev.A)), call: core.CallID(ev.A >> 32)}
	case evDone:
		slot := int32(ev.A)
		cu = s.serving[slot]
		s.free = append(s.free, slot)
	default:
		return
	}
	now := s.w.Now()
	s.busy--
	s.completed.Inc()
	s.sojourn.Record(now - cu.arrival)
	p := s.errProb
	if s.faults != nil {
		if st := s.faults.At(now); st.HasErrorProbability() {
			p = st.ErrorProbability
		}
	}
	failed := p > 0 && s.rng.Float64() < p
	if failed {
		s.errs.Inc()
		if s.w.Tracing() {
			s.w.Tracef(s.id, cu.msg, "request failed: an error after %.3f s", (now - cu.start).Seconds())
		}
	}
	if s.observer != nil {
		s.observer.Completed(cu.arrival, cu.start, now)
	}
	s.finish(cu, failed)
	if s.line.len() > 0 {
		var next customer
		if s.lifo {
			next = s.line.popBack()
		} else {
			next = s.line.popFront()
		}
		s.startService(next, now)
	}
	s.updateGauges(now)
}

// finish hands a served request on: a call is answered; an asynchronous request is
// dropped if it failed, else sent to the target or consumed here.
func (s *Service) finish(cu customer, failed bool) {
	if cu.call != noCall {
		st := core.OK
		if failed {
			st = core.Failed
		} else if s.sink {
			s.w.Arrive(cu.msg, s.id)
		}
		s.w.Reply(cu.call, st)
		return
	}
	s.owned--
	switch {
	case failed:
		s.w.Drop(cu.msg, s.failKey)
	case s.target != core.None:
		if s.e2e {
			s.w.Arrive(cu.msg, s.id)
		}
		s.w.Msg(cu.msg).Hops++
		if s.w.Tracing() {
			s.w.Tracef(s.id, cu.msg, "done; sent on to %s", s.w.Component(s.target).Name())
		}
		s.w.Send(cu.msg, s.target, s.w.SendLatency(s.target, s.rng), core.None, 0)
	default:
		s.w.Consume(cu.msg, s.id, s.e2e)
	}
}

// traceRefused narrates why a request was refused before it reached a server (guarded by
// Tracing by the caller).
func (s *Service) traceRefused(m core.MsgID, st core.Status) {
	switch st {
	case core.Failed:
		s.w.Tracef(s.id, m, "request failed: %s is in an error outage", s.cfg.Name)
	case core.TimedOut:
		s.w.Tracef(s.id, m, "request hangs: %s is in a timeout outage (gives up after %v)", s.cfg.Name, s.cfg.OutageTimeout)
	case core.Throttled:
		s.w.Tracef(s.id, m, "throttled: over the rate or capacity limit")
	default:
		s.w.Tracef(s.id, m, "refused: %s", st)
	}
}
