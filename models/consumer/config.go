package consumer

import (
	"errors"
	"fmt"
	"time"

	"msgsim/models/sqs"
	"msgsim/sim"
)

// Config describes a fleet of workers polling one queue. Start from DefaultConfig, which
// holds the SDK's defaults for ReceiveMessage.
type Config struct {
	Name  string
	Queue *sqs.Queue

	// Workers is the number of worker processes, each with one receive or one batch in
	// hand at a time (1..100,000).
	Workers int
	// MaxMessages is MaxNumberOfMessages of every receive: 1..10, AWS default 1.
	MaxMessages int
	// Wait is WaitTimeSeconds of every receive: 0 is short polling, up to 20 s long
	// polling; < 0 leaves it unset, so the queue's ReceiveMessageWaitTimeSeconds applies
	// (AWS's behaviour when the parameter is absent).
	Wait time.Duration
	// Visibility is the VisibilityTimeout of every receive, 0..12 h; < 0 leaves it unset
	// (the queue's visibility timeout applies).
	Visibility time.Duration
	// ProcessingTime is the work per message (seconds); nil means lognormal p50 20 ms,
	// p99 200 ms (assumption).
	ProcessingTime sim.Dist
	// ErrorProbability is the chance that processing a message fails (0..1), drawn per
	// message; poison messages always fail.
	ErrorProbability float64
	// PollInterval is the pause after an empty receive before the next one (0: poll again
	// at once, as a naive loop does). After a non-empty receive a worker polls at once.
	PollInterval time.Duration
	// Sink records end-to-end latency when a message is deleted: the consumer ends the
	// path (DefaultConfig sets it).
	Sink bool
}

// Limits of the settings.
const (
	MaxWorkers      = 100000
	MaxPollInterval = time.Hour
)

// DefaultConfig returns a single worker with the SDK defaults: one message per receive,
// the queue's wait time and visibility timeout, the default processing time, no errors,
// no pause after an empty receive, and the consumer as the end of the path.
func DefaultConfig(name string, q *sqs.Queue) Config {
	return Config{
		Name:        name,
		Queue:       q,
		Workers:     1,
		MaxMessages: 1,
		Wait:        -1,
		Visibility:  -1,
		Sink:        true,
	}
}

// defaultProcessingTime is the assumed processing time: lognormal p50 20 ms, p99 200 ms.
func defaultProcessingTime() sim.Dist {
	d, err := sim.NewDist(sim.DistSpec{Kind: "lognormal", Params: map[string]float64{"p50": 0.020, "p99": 0.200}})
	if err != nil {
		panic("consumer: default processing time: " + err.Error()) // fixed constants: cannot happen
	}
	return d
}

// withDefaults fills the processing time and checks every range, returning all problems
// at once.
func (c Config) withDefaults() (Config, error) {
	if c.ProcessingTime == nil {
		c.ProcessingTime = defaultProcessingTime()
	}
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("consumer %q: "+format, append([]any{c.Name}, args...)...))
	}
	if c.Name == "" {
		bad("name must not be empty")
	}
	if c.Queue == nil {
		bad("no queue to poll")
	}
	if c.Workers < 1 || c.Workers > MaxWorkers {
		bad("workers %d is out of range 1..%d", c.Workers, MaxWorkers)
	}
	if c.MaxMessages < 1 || c.MaxMessages > sqs.MaxBatch {
		bad("max number of messages %d is out of range 1..%d", c.MaxMessages, sqs.MaxBatch)
	}
	if c.Wait > sqs.MaxWait {
		bad("wait time %v is out of range 0s..20s", c.Wait)
	}
	if c.Visibility > sqs.MaxVisibilityTimeout {
		bad("visibility timeout %v is out of range 0s..12h", c.Visibility)
	}
	if !(c.ErrorProbability >= 0 && c.ErrorProbability <= 1) {
		bad("error probability %v is out of range 0..1", c.ErrorProbability)
	}
	if c.PollInterval < 0 || c.PollInterval > MaxPollInterval {
		bad("poll interval %v is out of range 0s..1h", c.PollInterval)
	}
	return c, errors.Join(errs...)
}
