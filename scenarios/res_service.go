package scenarios

import (
	"msgsim/models/core"
	"msgsim/models/service"
	"msgsim/sim"
)

// ServiceSettings is a generic downstream service (`type: service`): parallel servers, a
// waiting line, a latency distribution and an error rate — an external API, a payment
// provider, a warehouse system. `type: dynamodb` is the same station with DynamoDB's
// latency and effectively unlimited concurrency (on-demand capacity).
type ServiceSettings struct {
	Concurrency int           `yaml:"concurrency" default:"100" range:"1..1000000" doc:"Parallel servers: requests served at once."`
	QueueLimit  int           `yaml:"queue_limit" default:"-1" range:"-1..100000000" doc:"Waiting-line capacity (-1 unbounded, 0 none); beyond it requests are rejected (counted)."`
	Latency     *DurationDist `yaml:"latency" doc:"Service time of one request."`
	Errors      Percent       `yaml:"errors" doc:"Probability that a served request fails."`
	Target      *Ref          `yaml:"target" doc:"Where a completed request goes next (absent: the service is the end of the path)."`
	Sink        bool          `yaml:"sink" doc:"Measure end-to-end latency here even though requests go on to a target."`
}

// DynamoDBSettings is a DynamoDB table called by functions (`type: dynamodb`).
type DynamoDBSettings struct {
	Latency *DurationDist `yaml:"latency" doc:"Request latency (default lognormal p50 4 ms, p99 15 ms; assumption — AWS says single-digit ms)."`
	Errors  Percent       `yaml:"errors" doc:"Probability that a request fails (system errors)."`
}

var (
	defaultServiceLatency  = mustSpec(sim.DistSpec{Kind: "exponential", Params: map[string]float64{"mean": 0.05}})
	defaultDynamoDBLatency = mustSpec(sim.DistSpec{Kind: "lognormal", Params: map[string]float64{"p50": 0.004, "p99": 0.015}})
)

// mustSpec builds a distribution from a constant, valid spec.
func mustSpec(s sim.DistSpec) sim.Dist {
	d, err := sim.NewDist(s)
	if err != nil {
		panic("scenarios: invalid built-in distribution: " + err.Error())
	}
	return d
}

func (s *ServiceSettings) config(name string, target core.ComponentID) service.Config {
	lat := defaultServiceLatency
	if s.Latency != nil {
		lat = s.Latency.Dist
	}
	return service.Config{
		Name: name, Concurrency: s.Concurrency, QueueLimit: s.QueueLimit, Latency: lat,
		ErrorProbability: s.Errors.Fraction(), Target: target, Sink: s.Sink,
	}
}

func (s *DynamoDBSettings) config(name string) service.Config {
	lat := defaultDynamoDBLatency
	if s.Latency != nil {
		lat = s.Latency.Dist
	}
	return service.Config{
		Name: name, Concurrency: 1000000, QueueLimit: 0, Latency: lat,
		ErrorProbability: s.Errors.Fraction(), Target: core.None,
	}
}
