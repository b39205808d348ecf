package apigateway

import (
	"errors"
	"fmt"
	"math"
	"time"

	"msgsim/models/core"
	"msgsim/models/fault"
	"msgsim/sim"
)

// Flavor is the kind of API (§6.1).
type Flavor uint8

// API flavours.
const (
	REST Flavor = iota // REST API: usage plans, caching, 29 s timeout
	HTTP               // HTTP API: cheaper and faster, no caching, 30 s timeout
)

func (f Flavor) String() string {
	if f == HTTP {
		return "http"
	}
	return "rest"
}

// Limit is a throttle: a token bucket of Burst tokens refilled at Rate per second. A zero
// Rate means no limit at this level (inherit the level above); a zero Burst means 1 s of
// Rate (modelling note 39).
type Limit struct {
	Rate, Burst float64
}

func (l Limit) bucket() (core.TokenBucket, bool) {
	if l.Rate <= 0 {
		return core.TokenBucket{}, false
	}
	return core.NewTokenBucket(l.Rate, l.Burst), true
}

func (l Limit) valid() bool {
	return l.Rate >= 0 && l.Burst >= 0 && !math.IsInf(l.Rate, 0) && !math.IsInf(l.Burst, 0)
}

// UsagePlan limits each client (API key) separately (§6.2; REST in AWS, allowed on both
// flavours here).
type UsagePlan struct {
	// ClientAttr names the message attribute carrying the client's API key (a string); a
	// request without it gets 403. "" identifies clients by producer instead.
	ClientAttr string
	Limit      Limit // per client
	Method     Limit // per client on this API's method (applied first)
	// QuotaPerDay is the most requests a client may make per 24 h; 0 means no quota.
	QuotaPerDay int64
}

// Cache is REST response caching (§6.3).
type Cache struct {
	// TTL is how long a response stays cached; 0 means 300 s. Range 1 s..3,600 s.
	TTL time.Duration
	// Keys is the number of distinct cache keys, drawn uniformly per request; used when
	// KeyAttr is empty.
	Keys int
	// KeyAttr names the message attribute whose value is the cache key.
	KeyAttr string
	// Capacity is the number of entries kept (memory bound); 0 means Keys, or 65,536 with
	// KeyAttr.
	Capacity int
}

// IntegrationKind is how the API reaches its backend.
type IntegrationKind uint8

// Integrations.
const (
	// Proxy calls Target synchronously (a Lambda function, a service) and answers with
	// the call's outcome.
	Proxy IntegrationKind = iota
	// Direct sends the request to Target (an SQS queue: a direct service integration) and
	// answers 200 when the target accepts it.
	Direct
)

// Config describes an API.
type Config struct {
	Name   string
	Flavor Flavor
	// Account holds the account-level throttle shared by every API of the account; nil
	// gives the API an account of its own with the default limits.
	Account *Account
	Stage   Limit // stage throttle; zero inherits the account's
	Route   Limit // route (HTTP) / method (REST) throttle; zero inherits the stage's
	// UsagePlan, if set, limits each client separately.
	UsagePlan *UsagePlan
	// Latency is the latency API Gateway adds (seconds); nil means the flavour's default
	// (note 33).
	Latency sim.Dist
	// Timeout is the integration timeout; 0 means 29 s (REST) or 30 s (HTTP).
	Timeout     time.Duration
	Integration IntegrationKind
	Target      core.ComponentID
	// ThrottleStatus is the status a client gets when the Lambda (or service) behind a
	// proxy integration throttles: 429 (default), 500 or 502. With a REST Lambda proxy
	// integration AWS reports a throttled invoke as an integration failure (500, or 502
	// as some report) unless a gateway response is mapped; see doc.go.
	ThrottleStatus int
	// RetryThrottled returns API Gateway's own 429s to the sender as core.Throttled, so
	// that a producer's SDK retries them; otherwise they are dropped, counted.
	RetryThrottled bool
	// Cache enables response caching (REST only).
	Cache *Cache
	// Faults are the API's outages and changes over time (package fault).
	Faults fault.Config
	// Sink records a request's end-to-end latency when its 2xx response is returned.
	Sink bool
}

// Limits and defaults of §6 and note 33.
const (
	DefaultAccountRate  = 10000
	DefaultAccountBurst = 5000
	DefaultRESTTimeout  = 29 * time.Second
	MaxHTTPTimeout      = 30 * time.Second
	MinTimeout          = 50 * time.Millisecond
	DefaultCacheTTL     = 300 * time.Second
	MaxCacheTTL         = 3600 * time.Second
	defaultCacheSlots   = 65536
	maxCacheSlots       = 1 << 22
)

// defaultLatency is note 33's added latency of a flavour.
func defaultLatency(f Flavor) sim.Dist {
	p := map[string]float64{"p50": 0.010, "p99": 0.040}
	if f == HTTP {
		p = map[string]float64{"p50": 0.006, "p99": 0.030}
	}
	d, err := sim.NewDist(sim.DistSpec{Kind: "lognormal", Params: p})
	if err != nil {
		panic("apigateway: default latency: " + err.Error()) // fixed constants: cannot happen
	}
	return d
}

// normalize fills defaults and validates cfg, returning every problem at once.
func (cfg *Config) normalize(w *core.World) error {
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("apigateway %s: "+format, append([]any{cfg.Name}, a...)...))
	}
	if cfg.Name == "" {
		bad("name: must not be empty")
	}
	if cfg.Flavor > HTTP {
		bad("flavor: unknown flavour %d", cfg.Flavor)
	}
	if cfg.Latency == nil {
		cfg.Latency = defaultLatency(cfg.Flavor)
	}
	maxTimeout := DefaultRESTTimeout
	if cfg.Flavor == HTTP {
		maxTimeout = MaxHTTPTimeout
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = maxTimeout
	}
	if cfg.Timeout < MinTimeout || cfg.Timeout > maxTimeout {
		bad("timeout: %v is out of range %v..%v", cfg.Timeout, MinTimeout, maxTimeout)
	}
	if !cfg.Stage.valid() {
		bad("stage: rate and burst must be finite and >= 0")
	}
	if !cfg.Route.valid() {
		bad("route: rate and burst must be finite and >= 0")
	}
	if p := cfg.UsagePlan; p != nil {
		if !p.Limit.valid() || !p.Method.valid() {
			bad("usage_plan: rate and burst must be finite and >= 0")
		}
		if p.QuotaPerDay < 0 {
			bad("usage_plan.quota: %d must be >= 0", p.QuotaPerDay)
		}
	}
	switch cfg.ThrottleStatus {
	case 0:
		cfg.ThrottleStatus = 429
	case 429, 500, 502:
	default:
		bad("throttle_status: %d is not 429, 500 or 502", cfg.ThrottleStatus)
	}
	switch cfg.Integration {
	case Proxy:
		if cfg.Target < 0 || int(cfg.Target) >= len(w.Components()) || !w.IsCallee(cfg.Target) {
			bad("target: component %d does not serve calls (proxy integration)", cfg.Target)
		}
	case Direct:
		if cfg.Target < 0 || int(cfg.Target) >= len(w.Components()) || !w.IsTarget(cfg.Target) {
			bad("target: component %d does not accept sends (direct integration)", cfg.Target)
		}
	default:
		bad("integration: unknown kind %d", cfg.Integration)
	}
	if c := cfg.Cache; c != nil {
		if cfg.Flavor != REST {
			bad("cache: caching is available on REST APIs only")
		}
		if c.TTL == 0 {
			c.TTL = DefaultCacheTTL
		}
		if c.TTL < time.Second || c.TTL > MaxCacheTTL {
			bad("cache.ttl: %v is out of range 1s..1h", c.TTL)
		}
		if (c.Keys > 0) == (c.KeyAttr != "") {
			bad("cache: set exactly one of keys (> 0) and key_attribute")
		}
		if c.Keys < 0 || c.Capacity < 0 || c.Capacity > maxCacheSlots {
			bad("cache: keys and capacity must be >= 0 (capacity at most %d)", maxCacheSlots)
		}
		if c.Capacity == 0 {
			c.Capacity = defaultCacheSlots
			if c.Keys > 0 {
				c.Capacity = min(c.Keys, maxCacheSlots)
			}
		}
	}
	if _, err := fault.Compile(cfg.Faults); err != nil {
		bad("faults: %v", err)
	}
	return errors.Join(errs...)
}

// Account is the account-level throttle of API Gateway in one Region: every API built
// with the same Account shares its token bucket (§6.2: 10,000 rps, burst 5,000).
type Account struct {
	bucket core.TokenBucket
}

// NewAccount returns an account throttle; a zero rate or burst takes the default.
func NewAccount(rate, burst float64) *Account {
	if rate <= 0 {
		rate = DefaultAccountRate
	}
	if burst <= 0 {
		burst = DefaultAccountBurst
	}
	return &Account{bucket: core.NewTokenBucket(rate, burst)}
}
