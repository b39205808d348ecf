// Package endpoint models the customer endpoints SNS delivers to over http, https, email
// and sms: a server (or mail or SMS gateway) with its own processing latency, a concurrency
// limit, an optional rate limit, a random error rate and outage windows.
//
// An Endpoint is a core.Target. A delivery's outcome must be known when the copy arrives
// (SNS hears it in its Done), so the endpoint decides at arrival: it refuses with
// core.Failed during an outage window or with the error probability (a 5xx), with
// core.Throttled over its concurrency or rate limit (a 429), and otherwise accepts (2xx),
// holds the message for its processing latency and then consumes it as the end of its path
// (recording end-to-end latency). Assumptions:
//   - Email subscriptions are capped at 10 TPS (§3.1, [REPOST-EMAIL]); AWS deactivates a
//     subscription that exceeds it, the model throttles instead (SNS then retries), so a
//     scenario sees the cap without the subscription disappearing.
//   - Default processing latencies (not documented; user-set in practice): http/https
//     lognormal p50 50 ms, p99 500 ms; email p50 1 s, p99 5 s; sms p50 2 s, p99 10 s.
//   - The HTTP/S per-attempt timeout (15 s, note 15) is not modelled: the endpoint answers
//     at arrival.
package endpoint

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"msgsim/models/core"
	"msgsim/sim"
)

// Protocols an endpoint serves.
const (
	HTTP  = "http"
	HTTPS = "https"
	Email = "email"
	SMS   = "sms"
)

// EmailRate is the per-subscription email delivery cap in messages/s (§3.1).
const EmailRate = 10

// Window is a period [From, To) of simulated time.
type Window struct{ From, To time.Duration }

// Config describes an endpoint. Zero values take the defaults.
type Config struct {
	Name     string
	Protocol string   // http, https, email or sms
	Latency  sim.Dist // processing time of an accepted message; nil: the protocol default
	// Capacity is the number of messages processed at once; an arrival beyond it is
	// throttled. 0 means unlimited.
	Capacity int
	// Rate limits accepted messages per second (token bucket, burst 1 s). 0 means the
	// protocol default (EmailRate for email, unlimited otherwise); negative unlimited.
	Rate float64
	// ErrorRate is the probability that an arrival fails (a 5xx).
	ErrorRate float64
	// Outages are windows during which every arrival fails.
	Outages []Window
}

// Endpoint is one http/https/email/sms endpoint.
type Endpoint struct {
	cfg    Config
	w      *core.World
	id     core.ComponentID
	h      sim.HandlerID
	rng    *rand.Rand
	bucket core.TokenBucket
	busy   int

	requests, delivered, failed, throttled *core.Counter
	latency                                *core.Latency
	concurrency                            *sim.Gauge
}

// New builds an endpoint and registers it with the world.
func New(w *core.World, cfg Config) (*Endpoint, error) {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("endpoint %q: "+format, append([]any{cfg.Name}, args...)...))
	}
	if cfg.Name == "" {
		bad("name must not be empty")
	}
	switch cfg.Protocol {
	case HTTP, HTTPS, Email, SMS:
	default:
		bad("protocol %q is not one of http, https, email, sms", cfg.Protocol)
	}
	if cfg.Capacity < 0 {
		bad("capacity %d must be ≥ 0", cfg.Capacity)
	}
	if !(cfg.ErrorRate >= 0 && cfg.ErrorRate <= 1) {
		bad("error rate %v is out of range 0..1", cfg.ErrorRate)
	}
	for i, o := range cfg.Outages {
		if o.From < 0 || o.To <= o.From {
			bad("outages.%d: need 0 ≤ from < to, got %v..%v", i, o.From, o.To)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if cfg.Latency == nil {
		cfg.Latency = DefaultLatency(cfg.Protocol)
	}
	if cfg.Rate == 0 && cfg.Protocol == Email {
		cfg.Rate = EmailRate
	}
	e := &Endpoint{cfg: cfg, w: w, rng: w.Stream("endpoint/" + cfg.Name)}
	if cfg.Rate > 0 {
		e.bucket = core.NewTokenBucket(cfg.Rate, cfg.Rate)
	}
	e.id = w.Add(e)
	e.h = w.Eng.Register(e)
	e.requests = w.Metrics.Counter(cfg.Name, "Requests", "requests")
	e.delivered = w.Metrics.Counter(cfg.Name, "Delivered", "messages")
	e.failed = w.Metrics.Counter(cfg.Name, "Failed", "requests")
	e.throttled = w.Metrics.Counter(cfg.Name, "Throttled", "requests")
	e.latency = w.Metrics.Latency(cfg.Name, "Latency")
	e.concurrency = w.Metrics.Gauge(cfg.Name, "Concurrency", "messages")
	return e, nil
}

// DefaultLatency is the assumed processing latency of a protocol (see the package doc).
func DefaultLatency(protocol string) sim.Dist {
	p50, p99 := 0.050, 0.500
	switch protocol {
	case Email:
		p50, p99 = 1, 5
	case SMS:
		p50, p99 = 2, 10
	}
	d, err := sim.NewDist(sim.DistSpec{Kind: "lognormal", Params: map[string]float64{"p50": p50, "p99": p99}})
	if err != nil {
		panic("endpoint: default latency: " + err.Error()) // fixed constants: cannot fail
	}
	return d
}

// ID is the endpoint's component id.
func (e *Endpoint) ID() core.ComponentID { return e.id }

// Name is the endpoint's name.
func (e *Endpoint) Name() string { return e.cfg.Name }

// Kind is "endpoint-" + the protocol.
func (e *Endpoint) Kind() string { return "endpoint-" + e.cfg.Protocol }

// Holding is the number of messages being processed.
func (e *Endpoint) Holding() int { return e.busy }

// Down reports whether time t falls inside an outage window.
func (e *Endpoint) Down(t time.Duration) bool {
	for _, o := range e.cfg.Outages {
		if t >= o.From && t < o.To {
			return true
		}
	}
	return false
}

// Deliver answers a delivery at arrival: Failed in an outage or with the error
// probability, Throttled over the capacity or rate, else OK and the message is processed.
func (e *Endpoint) Deliver(m core.MsgID) core.Status {
	now := e.w.Now()
	e.requests.Inc()
	if e.Down(now) {
		e.failed.Inc()
		if e.w.Tracing() {
			e.w.Tracef(e.id, m, "delivery failed: %s is down (outage)", e.cfg.Name)
		}
		return core.Failed
	}
	if (e.cfg.Capacity > 0 && e.busy >= e.cfg.Capacity) || (e.cfg.Rate > 0 && !e.bucket.Take(now, 1)) {
		e.throttled.Inc()
		if e.w.Tracing() {
			e.w.Tracef(e.id, m, "delivery throttled: at capacity or over its rate (%d busy)", e.busy)
		}
		return core.Throttled
	}
	if e.cfg.ErrorRate > 0 && e.rng.Float64() < e.cfg.ErrorRate {
		e.failed.Inc()
		if e.w.Tracing() {
			e.w.Tracef(e.id, m, "delivery failed: the %s endpoint returned an error", e.cfg.Protocol)
		}
		return core.Failed
	}
	e.busy++
	e.concurrency.Set(now, float64(e.busy))
	d := sim.SampleDuration(e.cfg.Latency, e.rng)
	e.latency.Record(d)
	if e.w.Tracing() {
		e.w.Tracef(e.id, m, "accepted by the %s endpoint; done at %.3f s", e.cfg.Protocol, (now + d).Seconds())
	}
	e.w.Eng.After(d, e.h, 0, int64(m), 0)
	return core.OK
}

// Fire ends the processing of a message: it is consumed at this sink.
func (e *Endpoint) Fire(ev sim.Event) {
	e.busy--
	e.concurrency.Set(e.w.Now(), float64(e.busy))
	e.delivered.Inc()
	e.w.Consume(core.MsgID(ev.A), e.id, true)
}
