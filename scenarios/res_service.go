package scenarios

import (
	"gopkg.in/yaml.v3"

	"msgsim/models/core"
	"msgsim/models/fault"
	"msgsim/models/service"
	"msgsim/sim"
)

// ServiceSettings is a generic downstream service (`type: service`): parallel servers, a
// waiting line, a latency distribution, an error rate, a rate limit and outage windows —
// an external API, a payment provider, a warehouse system. A `preset` starts from a
// typical service (models/service presets: http-api, email, sms, warehouse); the settings
// written next to it override the preset's.
type ServiceSettings struct {
	Preset      string        `yaml:"preset" enum:"http-api,email,sms,warehouse" doc:"Start from a typical service: http-api (100 concurrent, 100/s, p50 100 ms), email (14/s, p50 1 s), sms (20/s, p50 2 s), warehouse (10 workers, line of 100, p50 200 ms, 1% errors). Settings given here override it."`
	Concurrency int           `yaml:"concurrency" default:"100" range:"1..1000000" doc:"Parallel servers: requests served at once."`
	QueueLimit  int           `yaml:"queue_limit" default:"-1" range:"-1..100000000" doc:"Waiting-line capacity (-1 unbounded, 0 none); beyond it requests are rejected (counted)."`
	Latency     *DurationDist `yaml:"latency" doc:"Service time of one request."`
	Errors      Percent       `yaml:"errors" doc:"Probability that a served request fails."`
	RateLimit   Rate          `yaml:"rate_limit" default:"0/s" doc:"Requests admitted per second (a token bucket; over it a 429, counted as Throttled). 0: no limit."`
	RateBurst   int           `yaml:"rate_burst" default:"0" range:"0..100000000" doc:"Token-bucket burst of the rate limit (0: one second of rate)."`
	Outages     []OutageBlock `yaml:"outages" doc:"Windows during which every request fails (mode error) or hangs until the caller gives up (mode timeout)."`
	Target      *Ref          `yaml:"target" doc:"Where a completed request goes next (absent: the service is the end of the path)."`
	Sink        bool          `yaml:"sink" doc:"Measure end-to-end latency here even though requests go on to a target."`

	set map[string]bool // keys written in the scenario (they override the preset)
}

// OutageBlock is an outage window of a service.
type OutageBlock struct {
	From Duration `yaml:"from" required:"true" doc:"Start of the outage (simulated time from the start of the run)."`
	To   Duration `yaml:"to" required:"true" doc:"End of the outage (exclusive)."`
	Mode string   `yaml:"mode" default:"error" enum:"error,timeout" doc:"error: requests fail at once (5xx); timeout: requests hang (30 s) and time out."`
}

// ValidateYAML checks from < to.
func (o *OutageBlock) ValidateYAML(d *Decoder, n *yaml.Node, path string) {
	if hasKey(n, "from") && hasKey(n, "to") && o.To <= o.From {
		d.Errorf(d.Field(n, "to"), JoinPath(path, "to"), "%s is not after from %s", o.To, o.From)
	}
}

// ValidateYAML records which settings were written, so that they override the preset.
func (s *ServiceSettings) ValidateYAML(d *Decoder, n *yaml.Node, path string) {
	s.set = map[string]bool{}
	if pairs, ok := d.Pairs(n, path); ok {
		for _, p := range pairs {
			s.set[p.Key] = true
		}
	}
}

// DynamoDBSettings is a DynamoDB table called by functions (`type: dynamodb`), with the
// capacity model of models/service (behaviour reference §7): on-demand or provisioned
// capacity, per-partition limits, throttling.
type DynamoDBSettings struct {
	Latency            *DurationDist `yaml:"latency" doc:"Request latency (default lognormal p50 4 ms, p99 15 ms; assumption — AWS says single-digit ms)."`
	Errors             Percent       `yaml:"errors" doc:"Probability that a request fails (system errors)."`
	BillingMode        string        `yaml:"billing_mode" default:"PAY_PER_REQUEST" enum:"PAY_PER_REQUEST,PROVISIONED" doc:"BillingMode: on-demand (limits follow the peak) or provisioned capacity."`
	ReadCapacityUnits  float64       `yaml:"read_capacity_units" default:"0" range:"0..1000000000" doc:"PROVISIONED: ReadCapacityUnits per second."`
	WriteCapacityUnits float64       `yaml:"write_capacity_units" default:"0" range:"0..1000000000" doc:"PROVISIONED: WriteCapacityUnits per second."`
	ReadFraction       Percent       `yaml:"read_fraction" doc:"Share of requests that are reads (GetItem); the rest are writes (PutItem)."`
	ConsistentRead     bool          `yaml:"consistent_read" doc:"Reads are strongly consistent (a full read unit; default eventually consistent, half)."`
	Transactional      bool          `yaml:"transactional" doc:"Requests are transactions (twice the units)."`
	ItemSize           Size          `yaml:"item_size" range:"1B..400KB" doc:"Bytes per item (absent: the message's size)."`
	PartitionKey       string        `yaml:"partition_key" doc:"The message attribute holding the partition key (absent: keys spread evenly)."`
}

// ValidateYAML checks that provisioned capacity is given, and only then.
func (s *DynamoDBSettings) ValidateYAML(d *Decoder, n *yaml.Node, path string) {
	if s.BillingMode == "PROVISIONED" {
		for _, k := range []string{"read_capacity_units", "write_capacity_units"} {
			if !hasKey(n, k) {
				d.Errorf(n, JoinPath(path, k), "PROVISIONED billing needs %s", k)
			}
		}
		return
	}
	for _, k := range []string{"read_capacity_units", "write_capacity_units"} {
		if hasKey(n, k) {
			d.Errorf(d.Field(n, k), JoinPath(path, k), "%s applies to billing_mode PROVISIONED", k)
		}
	}
}

var defaultServiceLatency = mustSpec(sim.DistSpec{Kind: "exponential", Params: map[string]float64{"mean": 0.05}})

// mustSpec builds a distribution from a constant, valid spec.
func mustSpec(s sim.DistSpec) sim.Dist {
	d, err := sim.NewDist(s)
	if err != nil {
		panic("scenarios: invalid built-in distribution: " + err.Error())
	}
	return d
}

// presetConfig returns the preset's configuration, or the generic station's defaults.
func (s *ServiceSettings) presetConfig(name string) service.Config {
	switch s.Preset {
	case "http-api":
		return service.HTTPAPI(name)
	case "email":
		return service.Email(name)
	case "sms":
		return service.SMS(name)
	case "warehouse":
		return service.Warehouse(name)
	}
	return service.Config{Name: name, Concurrency: s.Concurrency, QueueLimit: s.QueueLimit, Latency: defaultServiceLatency}
}

func (s *ServiceSettings) config(name string, target core.ComponentID) service.Config {
	c := s.presetConfig(name)
	given := func(key string) bool { return s.Preset == "" || s.set[key] }
	if given("concurrency") {
		c.Concurrency = s.Concurrency
	}
	if given("queue_limit") {
		c.QueueLimit = s.QueueLimit
	}
	if s.Latency != nil {
		c.Latency = s.Latency.Dist
	}
	if given("errors") {
		c.ErrorProbability = s.Errors.Fraction()
	}
	if given("rate_limit") {
		c.RateLimit = s.RateLimit.PerSecond()
	}
	if given("rate_burst") {
		c.RateBurst = float64(s.RateBurst)
	}
	for _, o := range s.Outages {
		mode := fault.ModeError
		if o.Mode == "timeout" {
			mode = fault.ModeTimeout
		}
		c.Faults.Outages = append(c.Faults.Outages, fault.Outage{From: o.From.D(), To: o.To.D(), Mode: mode})
	}
	c.Target, c.Sink = target, s.Sink
	return c
}

func (s *DynamoDBSettings) config(name string) service.Config {
	t := service.DynamoDB{
		ReadFraction:       s.ReadFraction.Fraction(),
		StronglyConsistent: s.ConsistentRead,
		Transactional:      s.Transactional,
		ItemSize:           int32(s.ItemSize),
		KeyAttr:            s.PartitionKey,
	}
	if s.BillingMode == "PROVISIONED" {
		t.Mode = service.Provisioned
		t.ReadCapacity, t.WriteCapacity = s.ReadCapacityUnits, s.WriteCapacityUnits
	}
	c := service.DynamoDBTable(name, t)
	if s.Latency != nil {
		c.Latency = s.Latency.Dist
	}
	c.ErrorProbability = s.Errors.Fraction()
	return c
}
