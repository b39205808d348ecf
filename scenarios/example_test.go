package scenarios_test

import (
	"fmt"

	"gopkg.in/yaml.v3"

	"msgsim/scenarios"
)

// QueueSettings is how a resource type's settings are declared: a struct whose tags give
// the YAML key, default, bounds, allowed values and documentation.
type QueueSettings struct {
	FIFO              bool               `yaml:"fifo" doc:"A FIFO queue."`
	VisibilityTimeout scenarios.Duration `yaml:"visibility_timeout" default:"30s" range:"0s..12h" doc:"VisibilityTimeout."`
	DLQ               *scenarios.Ref     `yaml:"dlq" doc:"Dead-letter queue."`
}

// Step shows a custom form: a one-key mapping such as `- send: orders`.
type Step struct {
	Send scenarios.Ref
}

func (s *Step) DecodeYAML(d *scenarios.Decoder, n *yaml.Node, path string) {
	p, ok := d.OneKey(n, path, "send")
	if !ok {
		return
	}
	if p.Key != "send" {
		d.Errorf(p.KeyNode, scenarios.JoinPath(path, p.Key), "unknown step %q (want send)", p.Key)
		return
	}
	d.Decode(p.Value, scenarios.JoinPath(path, p.Key), &s.Send)
}

type FunctionSettings struct {
	Memory scenarios.Memory `yaml:"memory" default:"128MB" range:"128MB..10240MB" doc:"MemorySize."`
	Steps  []Step           `yaml:"steps" doc:"What the handler does."`
}

func ExampleLoad() {
	types := scenarios.ResourceTypes{
		"sqs":    func() any { return &QueueSettings{} },
		"lambda": func() any { return &FunctionSettings{} },
	}
	src := []byte(`
name: demo
resources:
  orders:
    type: sqs
    visibility_timeout: 45s
  worker:
    type: lambda
    steps:
      - send: orders
`)
	f, err := scenarios.Load("demo.yaml", src, types, []string{"resources.worker.memory=1GB"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range f.Resources.Entries() {
		fmt.Printf("%s (%s) at line %d: %+v\n", e.Key, e.Value.Type, e.Loc.Line, e.Value.Settings)
	}
	// Output:
	// orders (sqs) at line 4: &{FIFO:false VisibilityTimeout:45s DLQ:<nil>}
	// worker (lambda) at line 7: &{Memory:1024MB Steps:[{Send:orders}]}
}

func ExampleLoad_errors() {
	types := scenarios.ResourceTypes{"sqs": func() any { return &QueueSettings{} }}
	src := []byte(`
resources:
  orders:
    type: sqs
    visiblity_timeout: 45s
  dlq:
    type: sqss
`)
	_, err := scenarios.Load("demo.yaml", src, types, []string{"seed=abc"})
	fmt.Println(err)
	// Output:
	// demo.yaml:5:5: resources.orders.visiblity_timeout: unknown field "visiblity_timeout" (did you mean "visibility_timeout"?)
	// demo.yaml:7:11: resources.dlq.type: unknown resource type "sqss" (did you mean "sqs"?); known: sqs
	// --set:1:6: seed: want an integer, got "abc"
}
