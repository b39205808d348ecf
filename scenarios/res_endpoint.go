package scenarios

import (
	"gopkg.in/yaml.v3"

	"msgsim/models/endpoint"
)

// EndpointSettings is a customer endpoint that SNS delivers to (`type: endpoint`): an
// HTTP/S server, a mail gateway or an SMS gateway with its own latency, capacity, error
// rate and outage windows (models/endpoint). It ends its path:
//
//	email-service: {type: endpoint, protocol: email, errors: 0.5%, outages: [{from: 3m, to: 4m}]}
type EndpointSettings struct {
	Protocol string        `yaml:"protocol" required:"true" enum:"http,https,email,sms" doc:"What the endpoint speaks; subscriptions to it must use the same protocol."`
	Latency  *DurationDist `yaml:"latency" doc:"Processing time of an accepted message (default http/https lognormal p50 50 ms, p99 500 ms; email p50 1 s, p99 5 s; sms p50 2 s, p99 10 s; assumptions)."`
	Errors   Percent       `yaml:"errors" doc:"Probability that a delivery fails (a 5xx); SNS retries it."`
	Capacity int           `yaml:"capacity" default:"0" range:"0..100000000" doc:"Messages processed at once; a delivery beyond it is throttled (a 429). 0: unlimited."`
	Rate     Rate          `yaml:"rate" default:"0/s" doc:"Accepted deliveries per second (0: the protocol's default, 10/s for email, else unlimited)."`
	Outages  []WindowBlock `yaml:"outages" doc:"Windows of simulated time during which every delivery fails."`
}

// WindowBlock is a period [from, to) of simulated time, counted from the start of the
// run (warm-up included).
type WindowBlock struct {
	From Duration `yaml:"from" required:"true" doc:"Start of the window."`
	To   Duration `yaml:"to" required:"true" doc:"End of the window (exclusive)."`
}

// ValidateYAML checks from < to.
func (w *WindowBlock) ValidateYAML(d *Decoder, n *yaml.Node, path string) {
	if hasKey(n, "from") && hasKey(n, "to") && w.To <= w.From {
		d.Errorf(d.Field(n, "to"), JoinPath(path, "to"), "%s is not after from %s", w.To, w.From)
	}
}

func (s *EndpointSettings) graphKind() string { return "endpoint-" + s.Protocol }

func (s *EndpointSettings) check(*checker, string) {}

func (s *EndpointSettings) build(b *builder, name string, _ Loc) { b.buildInOrder(name, nil) }

func (s *EndpointSettings) construct(b *builder, name string, loc Loc) {
	cfg := endpoint.Config{
		Name: name, Protocol: s.Protocol, Capacity: s.Capacity,
		Rate: s.Rate.PerSecond(), ErrorRate: s.Errors.Fraction(),
	}
	if s.Latency != nil {
		cfg.Latency = s.Latency.Dist
	}
	for _, o := range s.Outages {
		cfg.Outages = append(cfg.Outages, endpoint.Window{From: o.From.D(), To: o.To.D()})
	}
	if _, err := endpoint.New(b.w, cfg); err != nil {
		b.fail(loc, err)
	}
}
