package scenarios

import "testing"

func TestAPIGatewayDecodesAWSDefaults(t *testing.T) {
	f := mustLoadReal(t, `
resources:
  api: {type: apigateway, target: fn, cache: {keys: 100}}
  fn: {type: lambda, steps: [{compute: 1ms}]}
`)
	r, _ := f.Resources.Get("api")
	s := r.Settings.(*APIGatewaySettings)
	if s.Flavor != "rest" || s.Timeout != 0 || s.Throttle != nil || s.ThrottleStatus != 429 || s.RetryThrottled {
		t.Errorf("api = %+v, want a REST API with the flavour's timeout and the account throttle", s)
	}
	if s.Cache.TTL.String() != "5m" {
		t.Errorf("cache TTL %s, want 300s", s.Cache.TTL)
	}
}

func TestAPIGatewayReportsProblemsAtTheirPositions(t *testing.T) {
	const base = `
producers:
  p: {target: api, arrival: {process: poisson, rate: 1/s}}
resources:
  fn: {type: lambda, steps: [{compute: 1ms}]}
  q: {type: sqs}
  table: {type: dynamodb}
  api:
    type: apigateway
`
	tests := []struct{ name, src, want string }{
		{"a target that does not exist", "    target: fnn",
			`x.yaml:10:13: resources.api.target: resource "fnn" does not exist (did you mean "fn"?)`},
		{"a producer is not a target", "    target: p",
			`x.yaml:10:13: resources.api.target: "p" is a producer; a direct integration's target must be a resource`},
		{"a queue cannot be called", "    target: q\n    integration: proxy",
			`x.yaml:10:13: resources.api.target: "q" is a sqs, which cannot be a proxy integration's target (called)`},
		{"a table cannot be sent to", "    target: table\n    integration: direct",
			`x.yaml:10:13: resources.api.target: "table" is a dynamodb, which cannot be a direct integration's target`},
		{"HTTP APIs have no cache", "    flavor: http\n    target: fn\n    cache: {keys: 10}",
			`x.yaml:12:12: resources.api.cache: caching is available on REST APIs only (flavor: rest)`},
		{"REST timeouts stop at 29 s", "    target: fn\n    timeout: 30s",
			`x.yaml:11:14: resources.api.timeout: 30s is above a REST API's maximum integration timeout of 29s`},
		{"a cache key needs one source", "    target: fn\n    cache: {ttl: 60s}",
			`x.yaml:11:12: resources.api.cache: set exactly one of keys and key_attribute`},
		{"an unknown flavour", "    target: fn\n    flavor: websocket",
			`x.yaml:11:13: resources.api.flavor: "websocket" is not one of rest, http`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantErrorLines(t, realErrors(t, base+tt.src+"\n"), tt.want)
		})
	}
}

func TestAPIGatewayIntegrationsRunAndConserveMessages(t *testing.T) {
	m := runReal(t, `
duration: 1m
producers:
  clients: {target: api, arrival: {process: constant, rate: 50/s}}
  direct-clients: {target: api-sqs, arrival: {process: constant, rate: 50/s}}
resources:
  api:
    type: apigateway
    flavor: http
    throttle: {rate: 20/s, burst: 10}
    target: fn
  fn:
    type: lambda
    steps: [{compute: 10ms}, {call: table}]
  table: {type: dynamodb}
  api-sqs: {type: apigateway, target: q}
  q: {type: sqs}
  worker: {type: lambda, trigger: {queue: q}, steps: [{compute: 1ms}]}
`)
	// 50/s offered against a 20/s stage throttle: about 30/s get 429.
	if n := counter(t, m, "api", "4XXError"); n < 1500 {
		t.Errorf("4XXError %v, want about 1,800 (30/s for 60 s)", n)
	}
	if n := counter(t, m, "q", "NumberOfMessagesSent"); n < 2900 {
		t.Errorf("the direct integration sent %v to the queue, want about 3,000", n)
	}
}
