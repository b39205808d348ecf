package core

// ComponentID indexes a component registered with the World.
type ComponentID int32

// None is the ComponentID of no component (e.g. a send nobody waits for).
const None ComponentID = -1

// Component is anything registered in the World: a producer, queue, topic, bus, function,
// API, service or sink.
type Component interface {
	// Name is the component's name in the scenario.
	Name() string
	// Holding is the number of messages the component holds right now (owned by it, not in
	// transit), for the message-conservation check.
	Holding() int
}

// Target accepts messages sent asynchronously (SQS SendMessage, SNS Publish, EventBridge
// PutEvents, Lambda async invoke, fire-and-forget requests to a service). On OK the target
// owns the message; on a refusal (Throttled, Rejected, Failed) the sender still owns it
// and decides: retry, drop with a counted reason, or report to its own caller.
type Target interface {
	Component
	Deliver(m MsgID) Status
}

// Callee serves synchronous calls (a function invoked by API Gateway, a table or HTTP API
// called by a function). It must call World.Reply exactly once for every call it accepts;
// the message stays owned by the caller throughout.
type Callee interface {
	Component
	Call(c CallID)
}

// Requester is told how its sends and calls ended. token is the requester's own
// identifier, handed back unchanged (typically a slot index and generation).
type Requester interface {
	Done(token int64, st Status)
}

// Starter is a component with work to schedule when the run starts (producers, pollers).
type Starter interface {
	Start()
}

// Finisher is a component with bookkeeping to do when the run ends (closing gauges).
type Finisher interface {
	Finish()
}

// DeadLetterHolder is implemented by queues that can serve as dead-letter queues: the
// messages they hold that arrived as dead letters are reported separately, because they
// are a terminal state of the ledger rather than work in flight.
type DeadLetterHolder interface {
	HoldingDeadLetters() int
}

// Status is the outcome of a send or call.
type Status uint8

// Outcomes of sends and calls.
const (
	OK        Status = iota // accepted / succeeded
	Throttled               // refused for lack of capacity or rate (retryable)
	Rejected                // refused for good (too large, full line, invalid)
	Failed                  // processed and failed (function error, 5xx)
	TimedOut                // the caller's timeout expired first
)

var statusNames = [...]string{"ok", "throttled", "rejected", "failed", "timed out"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "unknown"
}
