package scenarios

import (
	"gopkg.in/yaml.v3"

	"msgsim/models/consumer"
	"msgsim/models/sqs"
)

// ConsumerSettings is a fleet of worker processes — EC2 instances or ECS tasks running
// an SDK loop, not Lambda — polling an SQS queue (`type: consumer`, models/consumer).
// Each worker receives, processes the messages one by one, deletes the successes with
// one DeleteMessageBatch, and polls again. Defaults are the SDK's for ReceiveMessage;
// nothing sends to a consumer: it reads its queue along a poll edge and ends the path.
//
//	workers: {type: consumer, queue: orders, workers: 4, max_number_of_messages: 10, wait_time_seconds: 20s}
type ConsumerSettings struct {
	Queue          Ref           `yaml:"queue" required:"true" doc:"The SQS queue the workers poll."`
	Workers        int           `yaml:"workers" default:"1" range:"1..100000" doc:"Worker processes, each with one receive or one batch in hand at a time."`
	MaxMessages    int           `yaml:"max_number_of_messages" default:"1" range:"1..10" doc:"MaxNumberOfMessages of every ReceiveMessage (AWS default 1)."`
	Wait           *Duration     `yaml:"wait_time_seconds" doc:"WaitTimeSeconds of every receive, 0s..20s: 0s is short polling, more is long polling. Unset: the queue's receive_wait."`
	Visibility     *Duration     `yaml:"visibility_timeout" doc:"VisibilityTimeout of every receive, 0s..12h. Unset: the queue's visibility_timeout."`
	ProcessingTime *DurationDist `yaml:"processing_time" doc:"Work per message (default lognormal p50 20 ms, p99 200 ms; assumption)."`
	Errors         Percent       `yaml:"errors" doc:"Probability that processing a message fails; the message is not deleted and returns after its visibility timeout. Poison messages always fail."`
	PollInterval   Duration      `yaml:"poll_interval" default:"0s" range:"0s..1h" doc:"Pause after an empty receive before the next one (0s: poll again at once, as a naive loop does)."`
	Sink           bool          `yaml:"sink" default:"true" doc:"The consumer ends the path: end-to-end latency is measured when it deletes a message."`
}

// ValidateYAML checks the ranges of the optional per-receive overrides.
func (s *ConsumerSettings) ValidateYAML(d *Decoder, n *yaml.Node, path string) {
	if s.Wait != nil && (s.Wait.D() < 0 || s.Wait.D() > sqs.MaxWait) {
		d.Errorf(d.Field(n, "wait_time_seconds"), JoinPath(path, "wait_time_seconds"), "%s is out of range 0s..20s", *s.Wait)
	}
	if s.Visibility != nil && (s.Visibility.D() < 0 || s.Visibility.D() > sqs.MaxVisibilityTimeout) {
		d.Errorf(d.Field(n, "visibility_timeout"), JoinPath(path, "visibility_timeout"), "%s is out of range 0s..12h", *s.Visibility)
	}
}

func (s *ConsumerSettings) graphKind() string { return consumer.Kind }

// check adds the poll edge from the queue: the consumer is no target, nothing sends to it.
func (s *ConsumerSettings) check(c *checker, name string) {
	if c.ref(s.Queue, isQueue, "a consumer's queue") {
		c.g.edge(s.Queue.Name, name, "poll")
	}
}

// build adds the fleet; its queue is built already (queues come first).
func (s *ConsumerSettings) build(b *builder, name string, loc Loc) {
	q, ok := b.queues[s.Queue.Name]
	if !ok {
		return // the queue failed to build, and said why
	}
	cfg := consumer.DefaultConfig(name, q)
	cfg.Workers = s.Workers
	cfg.MaxMessages = s.MaxMessages
	if s.Wait != nil {
		cfg.Wait = s.Wait.D()
	}
	if s.Visibility != nil {
		cfg.Visibility = s.Visibility.D()
	}
	if s.ProcessingTime != nil {
		cfg.ProcessingTime = s.ProcessingTime.Dist
	}
	cfg.ErrorProbability = s.Errors.Fraction()
	cfg.PollInterval = s.PollInterval.D()
	cfg.Sink = s.Sink
	if _, err := consumer.New(b.w, cfg); err != nil {
		b.fail(loc, err)
	}
}
