package scenarios

import (
	"reflect"

	"gopkg.in/yaml.v3"
)

// Test-only resource types that exercise the registry; the real AWS settings live with
// the models.

type fakeQueue struct {
	Kind              string       `yaml:"kind" default:"standard" enum:"standard,fifo" doc:"Queue kind."`
	VisibilityTimeout Duration     `yaml:"visibility_timeout" default:"30s" range:"0s..12h" doc:"VisibilityTimeout."`
	MaxSize           Size         `yaml:"max_message_size" default:"256KB" range:"1B..256KB" doc:"MaximumMessageSize."`
	Redrive           *fakeRedrive `yaml:"redrive" doc:"Dead-letter queue settings."`
	Delay             Duration     `yaml:"delay" doc:"DelaySeconds."`
	Throughput        Rate         `yaml:"throughput" doc:"API rate limit."`
}

type fakeRedrive struct {
	DLQ             Ref `yaml:"dlq" required:"true" doc:"The dead-letter queue."`
	MaxReceiveCount int `yaml:"max_receive_count" default:"3" range:"1..1000" doc:"maxReceiveCount."`
}

type fakeFunction struct {
	Memory              Memory       `yaml:"memory" default:"128MB" range:"128MB..10240MB" doc:"MemorySize."`
	Duration            DurationDist `yaml:"duration" default:"1ms" doc:"Handler time excluding steps."`
	ReservedConcurrency int          `yaml:"reserved_concurrency" range:"0..10000" doc:"ReservedConcurrentExecutions."`
	Trigger             *fakeTrigger `yaml:"trigger" doc:"SQS event source mapping."`
	Steps               []fakeStep   `yaml:"steps" doc:"What the handler does, in order."`
	Errors              Percent      `yaml:"errors" doc:"Error rate."`
	Retries             []int        `yaml:"retries"`
}

type fakeTrigger struct {
	Queue          Ref      `yaml:"queue" required:"true" doc:"The queue polled."`
	BatchSize      int      `yaml:"batch_size" default:"10" range:"1..10000" doc:"BatchSize."`
	BatchingWindow Duration `yaml:"batching_window" default:"0s" range:"0s..5m" doc:"MaximumBatchingWindowInSeconds."`
}

// fakeStep is a one-key mapping: {send: NAME} | {call: NAME} | {compute: DIST}.
type fakeStep struct {
	Kind    string
	Target  Ref
	Compute DurationDist
}

func (s *fakeStep) DecodeYAML(d *Decoder, n *yaml.Node, path string) {
	p, ok := d.OneKey(n, path, "send, call or compute")
	if !ok {
		return
	}
	s.Kind = p.Key
	switch p.Key {
	case "send", "call":
		d.Decode(p.Value, JoinPath(path, p.Key), &s.Target)
	case "compute":
		d.Decode(p.Value, JoinPath(path, p.Key), &s.Compute)
	default:
		d.Errorf(p.KeyNode, JoinPath(path, p.Key), "unknown step %q%s (want send, call or compute)", p.Key, didYouMean(p.Key, []string{"send", "call", "compute"}))
	}
}

// ValidateYAML checks a relation between fields, as real settings will.
func (f *fakeFunction) ValidateYAML(d *Decoder, n *yaml.Node, path string) {
	if f.Trigger != nil && f.ReservedConcurrency == 1 && f.Trigger.BatchSize > 100 {
		d.Errorf(d.Field(n, "reserved_concurrency"), JoinPath(path, "reserved_concurrency"), "a single instance cannot take batches over 100")
	}
}

func testTypes() ResourceTypes {
	return ResourceTypes{
		"queue":    func() any { return &fakeQueue{} },
		"function": func() any { return &fakeFunction{} },
	}
}

// JSONSchema shows how a custom form describes itself.
func (*fakeStep) JSONSchema(g *SchemaGen) map[string]any {
	ref := map[string]any{"type": "string"}
	return map[string]any{"type": "object", "minProperties": 1, "maxProperties": 1, "additionalProperties": false,
		"properties": map[string]any{"send": ref, "call": ref, "compute": g.Of(reflect.TypeFor[DurationDist]())}}
}
