package scenarios

import (
	"strings"
	"testing"
)

// loadErrors loads src as x.yaml with the test resource types and returns the rendered
// error list ("" if none).
func loadErrors(t *testing.T, src string, sets ...string) string {
	t.Helper()
	_, err := Load("x.yaml", []byte(src), testTypes(), sets)
	if err == nil {
		return ""
	}
	if _, ok := err.(ErrorList); !ok {
		t.Fatalf("Load returned %T, want ErrorList", err)
	}
	return err.Error()
}

func TestDecodeReportsEachErrorClass(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{
			name: "unknown field suggests the closest allowed key",
			src: `resources:
  orders:
    type: queue
    visiblity_timeout: 30s
`,
			want: `x.yaml:4:5: resources.orders.visiblity_timeout: unknown field "visiblity_timeout" (did you mean "visibility_timeout"?)`,
		},
		{
			name: "unknown field far from every key has no suggestion",
			src: `resources:
  orders:
    type: queue
    colour: blue
`,
			want: `x.yaml:4:5: resources.orders.colour: unknown field "colour"`,
		},
		{
			name: "unknown top-level field",
			src:  "nmae: x\n",
			want: `x.yaml:1:1: nmae: unknown field "nmae" (did you mean "name"?)`,
		},
		{
			name: "wrong type names what was wanted and what was found",
			src: `resources:
  orders:
    type: queue
    visibility_timeout: {seconds: 30}
`,
			want: `x.yaml:4:25: resources.orders.visibility_timeout: want a duration like 30s, got mapping`,
		},
		{
			name: "string where an integer is wanted",
			src:  "seed: forty-two\n",
			want: `x.yaml:1:7: seed: want an integer, got "forty-two"`,
		},
		{
			name: "list where a mapping is wanted",
			src:  "resources: [a, b]\n",
			want: `x.yaml:1:12: resources: want a mapping, got list`,
		},
		{
			name: "out of range integer",
			src: `resources:
  orders: {type: queue}
  inventory:
    type: function
    trigger: {queue: orders, batch_size: 0}
`,
			want: `x.yaml:5:42: resources.inventory.trigger.batch_size: 0 is out of range 1..10000`,
		},
		{
			name: "out of range unit value uses the bounds as written",
			src: `resources:
  orders:
    type: queue
    visibility_timeout: 13h
`,
			want: `x.yaml:4:25: resources.orders.visibility_timeout: 13h is out of range 0s..12h`,
		},
		{
			name: "below an open-ended minimum",
			src:  "duration: 0\n",
			want: `x.yaml:1:11: duration: 0 is below the minimum 1ns`,
		},
		{
			name: "missing required field is reported at the enclosing mapping",
			src: `producers:
  shoppers:
    arrival: {process: poisson, rate: 10/s}
`,
			want: `x.yaml:3:5: producers.shoppers.target: required field is missing`,
		},
		{
			name: "missing required field of an optional block that is present",
			src: `resources:
  orders:
    type: queue
    redrive: {max_receive_count: 3}
`,
			want: `x.yaml:4:14: resources.orders.redrive.dlq: required field is missing`,
		},
		{
			name: "duplicate key points at the second occurrence",
			src: `resources:
  orders:
    type: queue
  orders:
    type: queue
`,
			want: `x.yaml:4:3: resources.orders: duplicate key "orders" (first defined at line 2)`,
		},
		{
			name: "bad unit",
			src: `resources:
  orders:
    type: queue
    visibility_timeout: 30x
`,
			want: `x.yaml:4:25: resources.orders.visibility_timeout: want a duration like 30s, got "30x": unknown unit "x" (units: ns, us, ms, s, m, h, d)`,
		},
		{
			name: "bare number for a duration asks for a unit",
			src: `resources:
  orders:
    type: queue
    visibility_timeout: 30
`,
			want: `x.yaml:4:25: resources.orders.visibility_timeout: want a duration like 30s, got 30: a number needs a unit (ns, us, ms, s, m, h, d)`,
		},
		{
			name: "bare number for a rate asks for a unit",
			src: `producers:
  shoppers:
    target: orders
    arrival: {process: poisson, rate: 200}
`,
			want: `x.yaml:4:39: producers.shoppers.arrival.rate: want a rate like 200/s, got 200: a number needs a unit (/s, /min, /h, /d)`,
		},
		{
			name: "enum value with suggestion",
			src: `resources:
  orders:
    type: queue
    kind: fifi
`,
			want: `x.yaml:4:11: resources.orders.kind: "fifi" is not one of standard, fifo (did you mean "fifo"?)`,
		},
		{
			name: "invalid distribution parameters are reported by sim at the distribution",
			src: `resources:
  f:
    type: function
    duration: {dist: lognormal, mean: 40ms, stddev: 0s}
`,
			want: `x.yaml:4:15: resources.f.duration: lognormal: stddev must be > 0, got 0`,
		},
		{
			name: "unknown distribution kind",
			src: `resources:
  f:
    type: function
    duration: {dist: lognormel, mean: 40ms}
`,
			want: `x.yaml:4:22: resources.f.duration.dist: unknown distribution "lognormel" (did you mean "lognormal"?); known: constant, exponential, uniform, normal, lognormal, gamma, weibull, pareto, empirical, mixture`,
		},
		{
			name: "unknown distribution parameter",
			src: `resources:
  f:
    type: function
    duration: {dist: exponential, mena: 5ms}
`,
			want: `x.yaml:4:35: resources.f.duration.mena: unknown field "mena" for exponential (did you mean "mean"?) (want mean, rate)`,
		},
		{
			name: "unknown resource type lists the known ones",
			src: `resources:
  orders:
    type: queu
`,
			want: `x.yaml:3:11: resources.orders.type: unknown resource type "queu" (did you mean "queue"?); known: function, queue`,
		},
		{
			name: "resource without a type",
			src: `resources:
  orders:
    visibility_timeout: 30s
`,
			want: `x.yaml:3:5: resources.orders.type: required field is missing (one of function, queue)`,
		},
		{
			name: "empty resource",
			src: `resources:
  orders:
`,
			want: `x.yaml:2:3: resources.orders.type: required field is missing (one of function, queue)`,
		},
		{
			name: "unknown arrival process",
			src: `producers:
  shoppers:
    target: orders
    arrival: {process: poison, rate: 1/s}
`,
			want: `x.yaml:4:24: producers.shoppers.arrival.process: unknown arrival process "poison" (did you mean "poisson"?); known: bursty, constant, diurnal, poisson, ramp, spike, trace`,
		},
		{
			name: "custom decoder reports errors with positions inside a list",
			src: `resources:
  f:
    type: function
    steps:
      - call: db
      - sned: orders
`,
			want: `x.yaml:6:9: resources.f.steps.1.sned: unknown step "sned" (did you mean "send"?) (want send, call or compute)`,
		},
		{
			name: "one-key form with two keys",
			src: `resources:
  f:
    type: function
    steps:
      - {call: db, send: orders}
`,
			want: `x.yaml:5:9: resources.f.steps.0: want a mapping with exactly one key (send, call or compute), got 2 keys`,
		},
		{
			name: "validator reports a relation between fields",
			src: `resources:
  orders: {type: queue}
  f:
    type: function
    reserved_concurrency: 1
    trigger: {queue: orders, batch_size: 200}
`,
			want: `x.yaml:5:27: resources.f.reserved_concurrency: a single instance cannot take batches over 100`,
		},
		{
			name: "poison above 1 as a bare number suggests a percentage",
			src: `producers:
  p:
    target: q
    arrival: {process: constant, rate: 1/s}
    poison: 5
`,
			want: `x.yaml:5:13: producers.p.poison: want a percentage like 0.1% or a fraction in 0..1, got 5: a bare fraction must be in 0..1 (did you mean 5%?)`,
		},
		{
			name: "categorical weights must be numbers",
			src: `producers:
  p:
    target: q
    arrival: {process: constant, rate: 1/s}
    attributes:
      type: {order: lots, refund: 0.1}
`,
			want: `x.yaml:6:21: producers.p.attributes.type.order: want a number, got "lots"`,
		},
		{
			name: "a document that is not a mapping",
			src:  "- a\n- b\n",
			want: `x.yaml:1:1: want a mapping with name, resources, ..., got list`,
		},
		{
			name: "YAML syntax error carries its line",
			src:  "name: x\nresources:\n\ta: 1\n",
			want: `x.yaml:3:1: invalid YAML: found character that cannot start any token`,
		},
		{
			name: "two documents",
			src:  "name: a\n---\nname: b\n",
			want: `x.yaml:2:1: want one YAML document, found another one here`,
		},
		{
			name: "integer too large for the field",
			src: `resources:
  f:
    type: function
    reserved_concurrency: 99999999999999999999
`,
			want: `x.yaml:4:27: resources.f.reserved_concurrency: want an integer, got 99999999999999999999`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := loadErrors(t, tt.src); got != tt.want {
				t.Errorf("errors:\n got: %s\nwant: %s", got, tt.want)
			}
		})
	}
}

func TestDecodeReportsAllErrorsInPositionOrder(t *testing.T) {
	src := `name: many-problems
seed: x
replications: 0
producers:
  shoppers:
    target: orders
    arrival: {process: poisson, rate: fast}
resources:
  orders:
    type: queue
    visiblity_timeout: 30s
    redrive: {dlq: orders-dlq, max_receive_count: 0}
  orders-dlq:
    type: lambda
  inventory:
    type: function
    memory: 64MB
    trigger: {queue: orders, batch_size: 20000}
    steps:
      - compute: {dist: exponential}
`
	want := strings.Join([]string{
		`x.yaml:2:7: seed: want an integer, got "x"`,
		`x.yaml:3:15: replications: 0 is out of range 1..10000`,
		`x.yaml:7:39: producers.shoppers.arrival.rate: want a rate like 200/s, got "fast": units: /s, /min, /h, /d`,
		`x.yaml:11:5: resources.orders.visiblity_timeout: unknown field "visiblity_timeout" (did you mean "visibility_timeout"?)`,
		`x.yaml:12:51: resources.orders.redrive.max_receive_count: 0 is out of range 1..1000`,
		`x.yaml:14:11: resources.orders-dlq.type: unknown resource type "lambda"; known: function, queue`,
		`x.yaml:17:13: resources.inventory.memory: 64MB is out of range 128MB..10240MB`,
		`x.yaml:18:42: resources.inventory.trigger.batch_size: 20000 is out of range 1..10000`,
		`x.yaml:20:18: resources.inventory.steps.0.compute: exponential: give mean or rate`,
	}, "\n")
	got := loadErrors(t, src)
	if got != want {
		t.Errorf("errors:\n got:\n%s\nwant:\n%s", got, want)
	}
	// Loading twice gives the same text: nothing depends on map order.
	if again := loadErrors(t, src); again != got {
		t.Errorf("second load differs:\n%s", again)
	}
}
