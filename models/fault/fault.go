// Package fault turns the faults of a scenario — outage windows, error-rate and latency
// changes over time, rate-limit changes — into a schedule that a service or an API
// consults at every request.
//
// Faults are scenario data, not code (DESIGN.md "Faults are part of the scenario"): a
// Config lists them by time, Compile validates it and precomputes the piecewise-constant
// State between consecutive change points, and Schedule.At answers "what holds now?" in
// O(1) amortised time with a cursor, because simulated time only moves forward. Looking
// up a time earlier than the last one (never done by the models) falls back to a binary
// search, so the answer is always right.
//
// Semantics, for every model that consults a schedule (models/service, models/apigateway):
//
//   - Outage{From, To, Mode}: in [From, To) every request fails at once (ModeError: an
//     error reply, e.g. a 5xx) or hangs until the caller gives up (ModeTimeout). Overlapping
//     outages are allowed; where a timeout outage overlaps an error outage, the timeout wins
//     (a hung service cannot answer with an error).
//   - Level changes (ErrorRates, LatencyFactors, RateLimits): from At onwards the value
//     holds, until the next change of the same list. Before the first change the model's
//     own configuration holds (State says "inherit").
package fault

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// Mode is how a service behaves during an outage.
type Mode uint8

// Outage modes.
const (
	ModeNone    Mode = iota // no outage
	ModeError               // every request fails at once (connection refused, 5xx)
	ModeTimeout             // every request hangs: the caller's timeout decides
)

var modeNames = [...]string{"none", "error", "timeout"}

func (m Mode) String() string {
	if int(m) < len(modeNames) {
		return modeNames[m]
	}
	return "unknown"
}

// Outage is a window [From, To) during which the service is down.
type Outage struct {
	From, To time.Duration
	Mode     Mode // ModeError or ModeTimeout; ModeNone means ModeError
}

// Level is a piecewise-constant change: from At onwards the value is Value.
type Level struct {
	At    time.Duration
	Value float64
}

// Config is the fault schedule of one component, as a scenario states it.
type Config struct {
	Outages []Outage
	// ErrorRates sets the error probability (0..1) from each At onwards, replacing the
	// component's configured error probability.
	ErrorRates []Level
	// LatencyFactors multiplies the component's latency draws by Value (> 0) from each At.
	LatencyFactors []Level
	// RateLimits sets the component's rate limit to Value requests per second (≥ 0; 0
	// refuses everything) from each At, with a burst of 1 s of rate (modelling note 39).
	RateLimits []Level
}

// Empty reports whether the configuration has no fault at all.
func (c Config) Empty() bool {
	return len(c.Outages) == 0 && len(c.ErrorRates) == 0 && len(c.LatencyFactors) == 0 && len(c.RateLimits) == 0
}

// Inherit is the value of a State field that leaves the component's own setting in force.
var Inherit = math.NaN()

// State is what holds between two change points.
type State struct {
	Down Mode // ModeNone when the component is up
	// ErrorProbability, LatencyFactor and RateLimit are NaN (Inherit) when no change is in
	// force; test with math.IsNaN or the Has* methods.
	ErrorProbability float64
	LatencyFactor    float64
	RateLimit        float64
}

// HasErrorProbability reports whether an error-rate change is in force.
func (s State) HasErrorProbability() bool { return !math.IsNaN(s.ErrorProbability) }

// HasRateLimit reports whether a rate-limit change is in force.
func (s State) HasRateLimit() bool { return !math.IsNaN(s.RateLimit) }

// Latency scales a latency draw by the factor in force (1 if none).
func (s State) Latency(d time.Duration) time.Duration {
	if math.IsNaN(s.LatencyFactor) {
		return d
	}
	return time.Duration(float64(d) * s.LatencyFactor)
}

// normal is the State with no fault in force.
var normal = State{ErrorProbability: Inherit, LatencyFactor: Inherit, RateLimit: Inherit}

// Normal returns the State with no fault in force (the zero State is not: its zero
// error probability and latency factor would be in force).
func Normal() State { return normal }

// Schedule is a compiled fault configuration. The zero value and a nil *Schedule have no
// faults. A Schedule is owned by one component (it keeps a cursor).
type Schedule struct {
	starts []time.Duration // starts[i] is when states[i] begins; starts[0] == 0
	states []State
	cur    int
}

// Compile validates c and precomputes its states. Every problem is reported at once, each
// with the path of the field ("outages.1: ...").
func Compile(c Config) (*Schedule, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	points := []time.Duration{0}
	for _, o := range c.Outages {
		points = append(points, o.From, o.To)
	}
	for _, list := range [][]Level{c.ErrorRates, c.LatencyFactors, c.RateLimits} {
		for _, l := range list {
			points = append(points, l.At)
		}
	}
	slices.Sort(points)
	points = slices.Compact(points)
	s := &Schedule{}
	for _, t := range points {
		st := c.eval(t)
		if n := len(s.states); n > 0 && sameState(s.states[n-1], st) {
			continue
		}
		s.starts = append(s.starts, t)
		s.states = append(s.states, st)
	}
	return s, nil
}

// MustCompile is Compile for configurations known to be valid (tests, examples); it
// panics on an invalid one.
func MustCompile(c Config) *Schedule {
	s, err := Compile(c)
	if err != nil {
		panic(err)
	}
	return s
}

func (c Config) validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	for i, o := range c.Outages {
		if o.From < 0 || o.To <= o.From {
			bad("outages.%d: need 0 ≤ from < to, got %v..%v", i, o.From, o.To)
		}
		if o.Mode > ModeTimeout {
			bad("outages.%d.mode: unknown mode %d", i, o.Mode)
		}
	}
	check := func(name string, list []Level, ok func(float64) bool, want string) {
		for i, l := range list {
			if l.At < 0 {
				bad("%s.%d.at: %v is negative", name, i, l.At)
			}
			if i > 0 && l.At <= list[i-1].At {
				bad("%s.%d.at: %v is not after the previous change (%v)", name, i, l.At, list[i-1].At)
			}
			if !ok(l.Value) {
				bad("%s.%d.value: %v is out of range %s", name, i, l.Value, want)
			}
		}
	}
	check("error_rates", c.ErrorRates, func(v float64) bool { return v >= 0 && v <= 1 }, "0..1")
	check("latency_factors", c.LatencyFactors, func(v float64) bool { return v > 0 && !math.IsInf(v, 0) }, "> 0")
	check("rate_limits", c.RateLimits, func(v float64) bool { return v >= 0 && !math.IsInf(v, 0) }, "≥ 0")
	return errors.Join(errs...)
}

// eval computes the state at time t by scanning the configuration (build time only).
func (c Config) eval(t time.Duration) State {
	st := normal
	for _, o := range c.Outages {
		if t >= o.From && t < o.To {
			m := o.Mode
			if m == ModeNone {
				m = ModeError
			}
			if m > st.Down {
				st.Down = m
			}
		}
	}
	st.ErrorProbability = levelAt(c.ErrorRates, t)
	st.LatencyFactor = levelAt(c.LatencyFactors, t)
	st.RateLimit = levelAt(c.RateLimits, t)
	return st
}

// levelAt is the value of the last change at or before t, or Inherit.
func levelAt(list []Level, t time.Duration) float64 {
	v := Inherit
	for _, l := range list {
		if l.At <= t {
			v = l.Value
		}
	}
	return v
}

func sameState(a, b State) bool {
	eq := func(x, y float64) bool { return x == y || (math.IsNaN(x) && math.IsNaN(y)) }
	return a.Down == b.Down && eq(a.ErrorProbability, b.ErrorProbability) &&
		eq(a.LatencyFactor, b.LatencyFactor) && eq(a.RateLimit, b.RateLimit)
}

// At returns the state in force at time now. Successive calls with non-decreasing times
// cost O(1) amortised; it allocates nothing.
func (s *Schedule) At(now time.Duration) State {
	if s == nil || len(s.states) == 0 {
		return normal
	}
	if now < s.starts[s.cur] {
		// time went backwards (not done by the models): search from the start
		i, found := slices.BinarySearch(s.starts, now)
		if !found {
			i--
		}
		s.cur = max(i, 0)
		return s.states[s.cur]
	}
	for s.cur+1 < len(s.starts) && s.starts[s.cur+1] <= now {
		s.cur++
	}
	return s.states[s.cur]
}

// Active reports whether the schedule has any fault at all (a nil or empty one has none),
// so that models can skip the lookup entirely.
func (s *Schedule) Active() bool {
	return s != nil && (len(s.states) > 1 || (len(s.states) == 1 && !sameState(s.states[0], normal)))
}

// Changes returns the change points and the states that begin at them, for reports and
// traces ("from 2m0s: down (error)").
func (s *Schedule) Changes() ([]time.Duration, []State) {
	if s == nil {
		return nil, nil
	}
	return slices.Clone(s.starts), slices.Clone(s.states)
}
