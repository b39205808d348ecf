package scenarios

import "testing"

func TestEndpointAndServiceSettingsReportProblems(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"an endpoint needs a protocol", "resources:\n  e: {type: endpoint}\n",
			`x.yaml:2:6: resources.e.protocol: required field is missing`},
		{"an unknown endpoint protocol", "resources:\n  e: {type: endpoint, protocol: pigeon}\n",
			`x.yaml:2:33: resources.e.protocol: "pigeon" is not one of http, https, email, sms`},
		{"an outage ends after it starts", "resources:\n  e: {type: endpoint, protocol: sms, outages: [{from: 2m, to: 1m}]}\n",
			`x.yaml:2:63: resources.e.outages.0.to: 1m is not after from 2m`},
		{"an unknown service preset", "resources:\n  s: {type: service, preset: mainframe}\n",
			`x.yaml:2:30: resources.s.preset: "mainframe" is not one of http-api, email, sms, warehouse`},
		{"provisioned tables need their capacity", "resources:\n  t: {type: dynamodb, billing_mode: PROVISIONED, read_capacity_units: 5}\n",
			`x.yaml:2:6: resources.t.write_capacity_units: PROVISIONED billing needs write_capacity_units`},
		{"on-demand tables have no capacity units", "resources:\n  t: {type: dynamodb, read_capacity_units: 5}\n",
			`x.yaml:2:44: resources.t.read_capacity_units: read_capacity_units applies to billing_mode PROVISIONED`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantErrorLines(t, realErrors(t, tt.src), tt.want)
		})
	}
}

func TestServicePresetIsOverriddenByWrittenSettings(t *testing.T) {
	f := mustLoadReal(t, `
resources:
  plain: {type: service}
  api: {type: service, preset: http-api}
  api2: {type: service, preset: http-api, concurrency: 7, rate_limit: 0/s}
`)
	cfg := func(name string) (c, q int, rate, errs float64) {
		r, _ := f.Resources.Get(name)
		x := r.Settings.(*ServiceSettings).config(name, -1)
		return x.Concurrency, x.QueueLimit, x.RateLimit, x.ErrorProbability
	}
	tests := []struct {
		name          string
		c, q          int
		rate, errRate float64
	}{
		{"plain", 100, -1, 0, 0},    // the station's defaults
		{"api", 100, 0, 100, 0.001}, // the HTTP API preset
		{"api2", 7, 0, 0, 0.001},    // written settings win, the rest is the preset's
	}
	for _, tt := range tests {
		c, q, rate, e := cfg(tt.name)
		if c != tt.c || q != tt.q || rate != tt.rate || e != tt.errRate {
			t.Errorf("%s: concurrency %d, queue %d, rate %v, errors %v; want %d, %d, %v, %v", tt.name, c, q, rate, e, tt.c, tt.q, tt.rate, tt.errRate)
		}
	}
}

func TestEndpointOutageAndTablesRunAndConserveMessages(t *testing.T) {
	m := runReal(t, `
duration: 2m
producers:
  p: {target: topic, arrival: {process: constant, rate: 10/s}}
resources:
  topic:
    type: sns
    subscriptions:
      - {protocol: https, endpoint: hook, delivery_policy: {num_retries: 1, min_delay_target: 1s, max_delay_target: 1s}}
      - {protocol: sqs, endpoint: q}
  hook: {type: endpoint, protocol: https, outages: [{from: 30s, to: 60s}]}
  q: {type: sqs}
  fn:
    type: lambda
    trigger: {queue: q}
    steps: [{call: table}, {call: partner}]
  table: {type: dynamodb, billing_mode: PROVISIONED, read_capacity_units: 100, write_capacity_units: 100}
  partner: {type: service, preset: http-api, outages: [{from: 10s, to: 20s, mode: error}]}
`)
	// The hook is down for 30 s of 120: about 300 notifications fail after their one retry.
	if n := counter(t, m, "topic", "NumberOfNotificationsFailed"); n < 250 || n > 350 {
		t.Errorf("NumberOfNotificationsFailed %v, want about 300", n)
	}
}
