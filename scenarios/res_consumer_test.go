package scenarios

import (
	"slices"
	"strings"
	"testing"

	"msgsim/models/consumer"
)

func TestConsumerSettingsReportProblems(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"a consumer needs a queue", "resources:\n  c: {type: consumer}\n",
			`x.yaml:2:6: resources.c.queue: required field is missing`},
		{"the queue must exist", "resources:\n  c: {type: consumer, queue: nope}\n",
			`x.yaml:2:30: resources.c.queue`},
		{"the queue must be a queue", "resources:\n  s: {type: service}\n  c: {type: consumer, queue: s}\n",
			`x.yaml:3:30: resources.c.queue: "s" is a service, which cannot be a consumer's queue`},
		{"at most 10 messages per receive", "resources:\n  q: {type: sqs}\n  c: {type: consumer, queue: q, max_number_of_messages: 11}\n",
			`x.yaml:3:57: resources.c.max_number_of_messages: 11 is out of range 1..10`},
		{"a wait of at most 20 s", "resources:\n  q: {type: sqs}\n  c: {type: consumer, queue: q, wait_time_seconds: 30s}\n",
			`x.yaml:3:52: resources.c.wait_time_seconds: 30s is out of range 0s..20s`},
		{"a visibility timeout of at most 12 h", "resources:\n  q: {type: sqs}\n  c: {type: consumer, queue: q, visibility_timeout: 13h}\n",
			`x.yaml:3:53: resources.c.visibility_timeout: 13h is out of range 0s..12h`},
		{"at least one worker", "resources:\n  q: {type: sqs}\n  c: {type: consumer, queue: q, workers: 0}\n",
			`x.yaml:3:42: resources.c.workers: 0 is out of range 1..100000`},
		{"nothing sends to a consumer", "producers:\n  p: {target: c, arrival: {process: poisson, rate: 1/s}}\nresources:\n  q: {type: sqs}\n  c: {type: consumer, queue: q}\n",
			`x.yaml:2:15: producers.p.target: "c" is a consumer, which cannot be a producer's target`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantErrorLines(t, realErrors(t, tt.src), tt.want)
		})
	}
}

func TestConsumerDefaultsAreTheSDKs(t *testing.T) {
	m, err := Build(mustLoadReal(t, "resources:\n  q: {type: sqs, receive_wait: 5s}\n  c: {type: consumer, queue: q}\n"), 0)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := m.World.Lookup("c")
	got := m.World.Component(id).(*consumer.Consumer).Config()
	if got.Workers != 1 || got.MaxMessages != 1 || got.Wait >= 0 || got.Visibility >= 0 ||
		got.ErrorProbability != 0 || got.PollInterval != 0 || !got.Sink {
		t.Errorf("defaults %+v: want 1 worker, 1 message, the queue's wait and visibility, no errors, no pause, a sink", got)
	}
	if e := m.Graph.Edges; len(e) != 1 || e[0].From != "q" || e[0].To != "c" || e[0].Label != "poll" {
		t.Errorf("graph edges %+v, want q -poll-> c", e)
	}
}

func TestConsumerFleetsRunAndConserveMessages(t *testing.T) {
	m := runReal(t, `
duration: 5m
producers:
  to-short: {target: short-q, arrival: {process: poisson, rate: 2/s}}
  to-long: {target: long-q, arrival: {process: poisson, rate: 2/s}}
resources:
  short-q: {type: sqs}
  long-q: {type: sqs, redrive: {dlq: dlq, max_receive_count: 2}, visibility_timeout: 5s}
  dlq: {type: sqs}
  short-workers:
    type: consumer
    queue: short-q
    workers: 2
    max_number_of_messages: 10
    wait_time_seconds: 0s
    processing_time: {dist: exponential, mean: 50ms}
  long-workers:
    type: consumer
    queue: long-q
    workers: 2
    max_number_of_messages: 10
    wait_time_seconds: 20s
    processing_time: 50ms
    errors: 10%
`)
	shortEmpty := counter(t, m, "short-workers", "EmptyReceives")
	longEmpty := counter(t, m, "long-workers", "EmptyReceives")
	// Short polls: 2 workers, one poll per ~15 ms round trip for 300 s, nearly all empty
	// (tens of thousands); long polls answer empty only after 20 s without a message.
	if shortEmpty < 10000 || longEmpty > 30 {
		t.Errorf("empty receives: short %v, long %v; want many short, few long", shortEmpty, longEmpty)
	}
	// 2/s for 300 s: 600 ± 4·sqrt(600) ≈ 98 arrivals per producer; with 10% errors and
	// maxReceiveCount 2 a fraction 1% goes to the DLQ, the rest is processed.
	for _, c := range []string{"short-workers", "long-workers"} {
		if n := counter(t, m, c, "Processed"); n < 500 || n > 700 {
			t.Errorf("%s processed %v, want about 600 (2/s for 5 min)", c, n)
		}
	}
	if f := counter(t, m, "long-workers", "Failed"); f == 0 {
		t.Errorf("long-workers: no failures with errors: 10%%")
	}
	// Each consumer ends its producer's path: end-to-end latency is measured there.
	var names []string
	for _, k := range m.World.Paths().Keys() {
		names = append(names, m.World.Paths().Name(k))
	}
	slices.Sort(names)
	if want := "to-long -> long-workers,to-short -> short-workers"; strings.Join(names, ",") != want {
		t.Errorf("paths %q, want %q", names, want)
	}
}
