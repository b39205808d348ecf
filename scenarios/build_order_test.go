package scenarios

import "testing"

func TestResourcesBuildWhateverTheirOrderInTheFile(t *testing.T) {
	tests := []struct{ name, resources string }{
		{"a function before the table it calls", `
  fn: {type: lambda, trigger: {queue: q}, steps: [{call: table}, {send: topic}]}
  topic: {type: sns, subscriptions: [{protocol: https, endpoint: hook}]}
  hook: {type: endpoint, protocol: https}
  table: {type: dynamodb}
  q: {type: sqs}`},
		{"a service whose completed requests go to the function that calls it", `
  q: {type: sqs}
  svc: {type: service, target: fn}
  fn: {type: lambda, trigger: {queue: q}, steps: [{call: other}]}
  other: {type: service}
  back: {type: service, target: caller}
  caller: {type: lambda, steps: [{call: back}]}`},
		{"an API before its function and the function's callee", `
  api: {type: apigateway, target: fn2}
  fn2: {type: lambda, steps: [{call: ext}]}
  ext: {type: service, preset: http-api}
  q: {type: sqs}
  fn: {type: lambda, trigger: {queue: q}, steps: [{compute: 1ms}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runReal(t, "duration: 20s\nproducers:\n  p: {target: q, arrival: {process: constant, rate: 5/s}}\nresources:"+tt.resources+"\n")
		})
	}
}
