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
// Files: service.go is the station, line.go its waiting line, theory.go the closed forms
// it is checked against, mmc.go the single-station run behind `msgsim run`. Rate limits,
// presets (DynamoDB, HTTP API, email, SMS) and circuit breakers belong in files of their
// own beside these.
package service

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"msgsim/models/core"
	"msgsim/sim"
)

// Config describes a service station.
type Config struct {
	Name string
	// Concurrency is the number of parallel servers c (≥ 1): requests served at once.
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

	// lifo serves the newest waiting request first. It exists only so that a test can show
	// that the validation catches a wrong service discipline.
	lifo bool
}

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
	cfg      Config
	w        *core.World
	id       core.ComponentID
	h        sim.HandlerID
	rng      *rand.Rand
	target   core.ComponentID
	e2e      bool // record end-to-end latency on completion
	rejObs   RejectionObserver
	failKey  core.DropKey
	line     line
	serving  []customer // per server slot; slots in use are not in free
	free     []int32    // idle server slots
	busy     int
	owned    int // asynchronous requests held (in service or waiting)
	capacity int // QueueLimit, or math.MaxInt for an unbounded line

	requests, completed, rejected, errs *core.Counter
	inService, queueLen, inSystem       *sim.Gauge
	wait, sojourn                       *core.Latency
}

// Service event kinds.
const evDone int32 = 0 // a server finished; A is the server slot

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
		serving:  make([]customer, cfg.Concurrency),
		free:     make([]int32, cfg.Concurrency),
		capacity: cfg.QueueLimit,
	}
	if s.capacity < 0 {
		s.capacity = math.MaxInt
	}
	// Hand out slot 0 first, so a lightly loaded station reuses the same few slots.
	for i := range s.free {
		s.free[i] = int32(cfg.Concurrency - 1 - i)
	}
	s.rejObs, _ = cfg.Observer.(RejectionObserver)
	s.id = w.Add(s)
	s.h = w.Eng.Register(s)
	s.failKey = w.DropReason(cfg.Name, "request failed")

	m := w.Metrics
	s.requests = m.Counter(cfg.Name, "Requests", "requests")
	s.completed = m.Counter(cfg.Name, "Completed", "requests")
	s.rejected = m.Counter(cfg.Name, "Rejected", "requests")
	s.errs = m.Counter(cfg.Name, "Errors", "requests")
	s.inService = m.Gauge(cfg.Name, "InService", "requests")
	s.queueLen = m.Gauge(cfg.Name, "QueueLength", "requests")
	s.inSystem = m.Gauge(cfg.Name, "InSystem", "requests")
	s.wait = m.Latency(cfg.Name, "WaitTime")
	s.sojourn = m.Latency(cfg.Name, "SojournTime")
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
	if cfg.Concurrency < 1 {
		bad("concurrency must be >= 1, got %d", cfg.Concurrency)
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
	s.e2e = s.cfg.Sink || id == core.None
	return nil
}

// ID is the service's component id.
func (s *Service) ID() core.ComponentID { return s.id }

// Name is the service's name.
func (s *Service) Name() string { return s.cfg.Name }

// Holding counts the asynchronous requests the service owns (in service or waiting).
// Calls are not counted: their messages stay with the caller.
func (s *Service) Holding() int { return s.owned }

// Busy is the number of servers serving a request now.
func (s *Service) Busy() int { return s.busy }

// Waiting is the number of requests in the line now.
func (s *Service) Waiting() int { return s.line.len() }

// Deliver accepts an asynchronous request: the service owns m from now on. A request that
// finds the line full is refused with core.Rejected, and the sender keeps m.
func (s *Service) Deliver(m core.MsgID) core.Status {
	if !s.admit(m, noCall) {
		return core.Rejected
	}
	s.owned++
	s.w.Msg(m).Entered = s.w.Now()
	return core.OK
}

// Call accepts a synchronous call. The reply is core.OK after service, core.Failed with the
// error probability, or core.Throttled at once when the line is full.
func (s *Service) Call(c core.CallID) {
	if !s.admit(s.w.CallMsg(c), c) {
		s.w.Reply(c, core.Throttled)
	}
}

// admit starts serving a new request, queues it, or refuses it (false).
func (s *Service) admit(m core.MsgID, c core.CallID) bool {
	now := s.w.Now()
	s.requests.Inc()
	cu := customer{arrival: now, msg: m, call: c}
	switch {
	case s.busy < s.cfg.Concurrency:
		s.startService(cu, now)
	case s.line.len() < s.capacity:
		s.line.push(cu)
	default:
		s.rejected.Inc()
		if s.rejObs != nil {
			s.rejObs.Rejected(now)
		}
		return false
	}
	s.updateGauges(now)
	return true
}

// startService puts cu on an idle server and schedules the end of its service.
func (s *Service) startService(cu customer, now time.Duration) {
	n := len(s.free) - 1
	slot := s.free[n]
	s.free = s.free[:n]
	s.busy++
	cu.start = now
	s.serving[slot] = cu
	s.wait.Record(now - cu.arrival)
	d := sim.SampleDuration(s.cfg.Latency, s.rng)
	s.w.Eng.After(d, s.h, evDone, int64(slot), 0)
}

func (s *Service) updateGauges(now time.Duration) {
	q := s.line.len()
	s.inService.Set(now, float64(s.busy))
	s.queueLen.Set(now, float64(q))
	s.inSystem.Set(now, float64(s.busy+q))
}

// Fire handles the end of a service: the request completes (or fails), and the server
// takes the next request from the line.
func (s *Service) Fire(ev sim.Event) {
	if ev.Kind != evDone {
		return
	}
	now := s.w.Now()
	slot := int32(ev.A)
	cu := s.serving[slot]
	s.free = append(s.free, slot)
	s.busy--
	s.completed.Inc()
	s.sojourn.Record(now - cu.arrival)
	failed := s.cfg.ErrorProbability > 0 && s.rng.Float64() < s.cfg.ErrorProbability
	if failed {
		s.errs.Inc()
	}
	if s.cfg.Observer != nil {
		s.cfg.Observer.Completed(cu.arrival, cu.start, now)
	}
	s.finish(cu, failed)
	if s.line.len() > 0 {
		var next customer
		if s.cfg.lifo {
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
		} else if s.cfg.Sink {
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
		s.w.Send(cu.msg, s.target, s.w.SendLatency(s.target, s.rng), core.None, 0)
	default:
		s.w.Consume(cu.msg, s.id, s.e2e)
	}
}
