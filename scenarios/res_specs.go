package scenarios

import (
	"msgsim/models/core"
	"msgsim/models/service"
)

func (s *SQSSettings) graphKind() string {
	if s.FIFO {
		return "sqs-fifo"
	}
	return "sqs"
}

func (s *SQSSettings) check(c *checker, name string) {
	if s.Redrive == nil || !c.ref(s.Redrive.DLQ, isQueue, "a dead-letter queue") {
		return
	}
	if dlq := c.queue(s.Redrive.DLQ.Name); dlq != nil && dlq.FIFO != s.FIFO {
		c.errorf(s.Redrive.DLQ.Loc, "the dead-letter queue of a %s queue must be %s too (%q is %s)",
			fifoWord(s.FIFO), fifoWord(s.FIFO), s.Redrive.DLQ.Name, fifoWord(dlq.FIFO))
	}
	if s.Redrive.DLQ.Name == name {
		c.errorf(s.Redrive.DLQ.Loc, "a queue cannot be its own dead-letter queue")
	}
	c.g.edge(name, s.Redrive.DLQ.Name, "redrive")
}

// build is done by the builder itself (queues first, in dead-letter order).
func (s *SQSSettings) build(*builder, string, Loc) {}

func (s *LambdaSettings) graphKind() string { return "lambda" }

func (s *LambdaSettings) check(c *checker, name string) {
	if t := s.Trigger; t != nil && c.ref(t.Queue, isQueue, "an event source mapping's queue") {
		if q := c.queue(t.Queue.Name); q != nil && q.FIFO {
			if t.BatchSize > 10 {
				c.errorf(t.Queue.Loc, "batch_size %d is out of range 1..10 for a FIFO queue", t.BatchSize)
			}
			if t.BatchingWindow != 0 {
				c.errorf(t.Queue.Loc, "a FIFO queue's event source mapping has no batching_window")
			}
		}
		c.g.edge(t.Queue.Name, name, "poll")
	}
	for _, st := range s.Steps {
		switch st.Kind {
		case "call":
			if c.ref(st.Target, canServe, "called") {
				c.g.edge(name, st.Target.Name, "call")
			}
		case "send":
			if c.ref(st.Target, canReceive, "sent to") {
				c.g.edge(name, st.Target.Name, "send")
			}
		}
	}
	if s.Async != nil && s.Async.OnFailure != nil && c.ref(*s.Async.OnFailure, canReceive, "an on-failure destination") {
		c.g.edge(name, s.Async.OnFailure.Name, "redrive")
	}
}

func (s *LambdaSettings) build(b *builder, name string, _ Loc) { b.buildInOrder(name, nil) }

func (s *LambdaSettings) construct(b *builder, name string, loc Loc) { b.buildLambda(name, loc, s) }

func (s *ServiceSettings) graphKind() string { return "service" }

func (s *ServiceSettings) check(c *checker, name string) {
	if s.Target != nil && c.ref(*s.Target, canReceive, "a service's target") {
		c.g.edge(name, s.Target.Name, "send")
	}
}

func (s *ServiceSettings) build(b *builder, name string, _ Loc) { b.buildInOrder(name, nil) }

// construct adds the service. A target not built yet (a cycle through a function that
// calls this service) is wired once every component exists.
func (s *ServiceSettings) construct(b *builder, name string, loc Loc) {
	target, late := core.None, false
	if s.Target != nil {
		target = b.id(s.Target.Name)
		if late = !b.built(s.Target.Name); late {
			target = core.None
		}
	}
	svc, err := service.New(b.w, s.config(name, target))
	if err != nil {
		b.fail(loc, err)
		return
	}
	if late {
		to := b.id(s.Target.Name)
		b.after = append(b.after, func() {
			if err := svc.SetTarget(to); err != nil {
				b.fail(loc, err)
			}
		})
	}
}

func (s *DynamoDBSettings) graphKind() string      { return "dynamodb" }
func (s *DynamoDBSettings) check(*checker, string) {}

func (s *DynamoDBSettings) build(b *builder, name string, _ Loc) { b.buildInOrder(name, nil) }

func (s *DynamoDBSettings) construct(b *builder, name string, loc Loc) {
	if _, err := service.New(b.w, s.config(name)); err != nil {
		b.fail(loc, err)
	}
}
