package scenarios

import (
	"gopkg.in/yaml.v3"

	"msgsim/models/apigateway"
	"msgsim/models/fault"
)

// APIGatewaySettings is an API Gateway REST or HTTP API (`type: apigateway`) in front of
// one integration: a proxy call to a function or service (the client waits for its
// answer) or a direct service integration that sends to a queue, topic or bus. Defaults
// are AWS's (behaviour reference §6):
//
//	api: {type: apigateway, flavor: http, throttle: {rate: 1000/s, burst: 500}, target: validate}
type APIGatewaySettings struct {
	Flavor         string          `yaml:"flavor" default:"rest" enum:"rest,http" doc:"REST API (caching, usage plans, 29 s timeout) or HTTP API (cheaper, faster, 30 s timeout)."`
	Target         Ref             `yaml:"target" required:"true" doc:"The integration's backend: a function or service (called; the client waits) or a queue, topic or bus (sent to)."`
	Integration    string          `yaml:"integration" enum:"proxy,direct" doc:"proxy: call the target and answer with its outcome; direct: send to it and answer 200 when it accepts. Default: proxy for functions and services, direct otherwise."`
	Timeout        Duration        `yaml:"timeout" range:"50ms..30s" doc:"Integration timeout: the client gets 504 after it (default 29 s REST, 30 s HTTP)."`
	Latency        *DurationDist   `yaml:"latency" doc:"Latency API Gateway adds (default REST lognormal p50 10 ms, p99 40 ms; HTTP p50 6 ms, p99 30 ms)."`
	Throttle       *ThrottleBlock  `yaml:"throttle" doc:"Stage throttle (default: the account's 10,000/s, burst 5,000)."`
	RouteThrottle  *ThrottleBlock  `yaml:"route_throttle" doc:"Route (HTTP) or method (REST) throttle (default: the stage's)."`
	UsagePlan      *UsagePlanBlock `yaml:"usage_plan" doc:"Per-client limits (API keys)."`
	Cache          *CacheBlock     `yaml:"cache" doc:"REST only: response caching."`
	ThrottleStatus int             `yaml:"throttle_status" default:"429" range:"429..502" doc:"What a client gets when the backend throttles: 429, 500 or 502 (a REST Lambda proxy without a mapped gateway response reports a server error)."`
	RetryThrottled bool            `yaml:"retry_throttled" doc:"Clients retry API Gateway's own 429s with the SDK's backoff (otherwise a throttled request is lost, counted)."`
	Outages        []OutageBlock   `yaml:"outages" doc:"Windows during which the API answers 503 (mode error) or 504 (mode timeout)."`
	Sink           bool            `yaml:"sink" doc:"Measure end-to-end latency when the API answers 2xx even though the request goes on (a direct integration)."`
}

// ThrottleBlock is a token bucket: rate and burst.
type ThrottleBlock struct {
	Rate  Rate `yaml:"rate" required:"true" doc:"Steady-state requests per second (throttlingRateLimit)."`
	Burst int  `yaml:"burst" default:"0" range:"0..100000000" doc:"Bucket size (throttlingBurstLimit; 0: one second of rate)."`
}

// UsagePlanBlock is a usage plan: limits per client.
type UsagePlanBlock struct {
	ClientAttribute string         `yaml:"client_attribute" doc:"The message attribute carrying the client's API key (absent: each producer is a client). A request without it gets 403."`
	Throttle        ThrottleBlock  `yaml:"throttle" required:"true" doc:"Per-client rate and burst."`
	MethodThrottle  *ThrottleBlock `yaml:"method_throttle" doc:"Per-client limit on this API's method, checked first."`
	QuotaPerDay     int64          `yaml:"quota_per_day" default:"0" range:"0.." doc:"Requests a client may make per 24 h (0: no quota); over it 429."`
}

// CacheBlock is REST response caching.
type CacheBlock struct {
	TTL          Duration `yaml:"ttl" default:"300s" range:"1s..3600s" doc:"How long a response stays cached (caching TTL)."`
	Keys         int      `yaml:"keys" range:"1..100000000" doc:"Distinct cache keys, each request's drawn uniformly (or use key_attribute)."`
	KeyAttribute string   `yaml:"key_attribute" doc:"The message attribute whose value is the cache key."`
	Capacity     int      `yaml:"capacity" range:"1..4194304" doc:"Entries the cache holds (default: keys, or 65,536)."`
}

// ValidateYAML checks the flavour-specific settings.
func (s *APIGatewaySettings) ValidateYAML(d *Decoder, n *yaml.Node, path string) {
	if s.Flavor == "http" {
		if hasKey(n, "cache") {
			d.Errorf(d.Field(n, "cache"), JoinPath(path, "cache"), "caching is available on REST APIs only (flavor: rest)")
		}
	} else if s.Timeout.D() > apigateway.DefaultRESTTimeout {
		d.Errorf(d.Field(n, "timeout"), JoinPath(path, "timeout"), "%s is above a REST API's maximum integration timeout of 29s", s.Timeout)
	}
	switch s.ThrottleStatus {
	case 429, 500, 502:
	default:
		d.Errorf(d.Field(n, "throttle_status"), JoinPath(path, "throttle_status"), "%d is not 429, 500 or 502", s.ThrottleStatus)
	}
}

// ValidateYAML requires exactly one way of choosing the key.
func (c *CacheBlock) ValidateYAML(d *Decoder, n *yaml.Node, path string) {
	if (c.Keys > 0) == (c.KeyAttribute != "") {
		d.Errorf(n, path, "set exactly one of keys and key_attribute")
	}
}

func (t *ThrottleBlock) limit() apigateway.Limit {
	if t == nil {
		return apigateway.Limit{}
	}
	return apigateway.Limit{Rate: t.Rate.PerSecond(), Burst: float64(t.Burst)}
}

func (s *APIGatewaySettings) graphKind() string { return "apigateway-" + s.Flavor }

// direct reports whether the integration sends rather than calls, given the target's
// resource type.
func (s *APIGatewaySettings) direct(kind string) bool {
	if s.Integration != "" {
		return s.Integration == "direct"
	}
	return capabilities(kind)&canServe == 0
}

// check verifies the target: a proxy integration needs a resource that serves calls, a
// direct one a resource that accepts sends.
func (s *APIGatewaySettings) check(c *checker, name string) {
	if s.direct(c.kinds[s.Target.Name]) {
		if c.ref(s.Target, canReceive, "a direct integration's target") {
			c.g.edge(name, s.Target.Name, "send")
		}
		return
	}
	if c.ref(s.Target, canServe, "a proxy integration's target (called)") {
		c.g.edge(name, s.Target.Name, "call")
	}
}

func (s *APIGatewaySettings) config(b *builder, name string) apigateway.Config {
	cfg := apigateway.Config{
		Name: name, Flavor: apigateway.REST,
		Stage: s.Throttle.limit(), Route: s.RouteThrottle.limit(),
		Timeout: s.Timeout.D(), Target: b.id(s.Target.Name),
		ThrottleStatus: s.ThrottleStatus, RetryThrottled: s.RetryThrottled,
		Sink: s.Sink || b.sink(name),
	}
	if s.Flavor == "http" {
		cfg.Flavor = apigateway.HTTP
	}
	if r, ok := b.f.Resources.Get(s.Target.Name); ok && s.direct(r.Type) {
		cfg.Integration = apigateway.Direct
	}
	if s.Latency != nil {
		cfg.Latency = s.Latency.Dist
	}
	if p := s.UsagePlan; p != nil {
		cfg.UsagePlan = &apigateway.UsagePlan{
			ClientAttr: p.ClientAttribute, Limit: p.Throttle.limit(),
			Method: p.MethodThrottle.limit(), QuotaPerDay: p.QuotaPerDay,
		}
	}
	if c := s.Cache; c != nil {
		cfg.Cache = &apigateway.Cache{TTL: c.TTL.D(), Keys: c.Keys, KeyAttr: c.KeyAttribute, Capacity: c.Capacity}
	}
	for _, o := range s.Outages {
		mode := fault.ModeError
		if o.Mode == "timeout" {
			mode = fault.ModeTimeout
		}
		cfg.Faults.Outages = append(cfg.Faults.Outages, fault.Outage{From: o.From.D(), To: o.To.D(), Mode: mode})
	}
	return cfg
}

func (s *APIGatewaySettings) build(b *builder, name string, _ Loc) { b.buildInOrder(name, nil) }

func (s *APIGatewaySettings) construct(b *builder, name string, loc Loc) {
	if _, err := apigateway.New(b.w, s.config(b, name)); err != nil {
		b.fail(loc, err)
	}
}
