package eventbridge

import "msgsim/models/core"

// Metrics (§4.5, namespace AWS/Events). Bus-wide counters are registered under the bus's
// name (dimension EventBusName), per-rule counters under "<bus>/<rule>" (dimension
// RuleName). The definitions the model uses:
//
//	Events                          billable PutEvents entries, one per started 64 KiB (§8)
//	PutEventsApproximateSuccessCount entries accepted
//	PutEventsApproximateFailedCount  entries rejected (larger than MaxEntrySize)
//	ThrottledRules                   PutEvents calls refused by the PutEvents quota (also
//	                                 counted as PutEventsApproximateThrottledCount)
//	MatchedEvents                    events that matched at least one rule (per rule: that rule)
//	UnmatchedEvents                  events no rule matched (consumed by the bus)
//	TriggeredRules                   rule matches (and scheduled firings)
//	InvocationsCreated               target copies created (use of the invocation quota)
//	InvocationAttempts               attempts started, first ones and retries
//	SuccessfulInvocationAttempts     attempts the target accepted
//	RetryInvocationAttempts          attempts after the first
//	Invocations                      terminal outcomes: successes plus FailedInvocations
//	FailedInvocations                invocations that failed for good (retries or age
//	                                 exhausted, or a non-retriable error)
//	InvocationsSentToDlq             failed invocations the target's DLQ accepted
//	InvocationsFailedToBeSentToDlq   failed invocations the DLQ refused (then dropped)
//	DeadLetterInvocations            failed invocations lost: no DLQ, or the DLQ refused
//	IngestionToInvocationSuccessLatency  ingestion → accepted by the target (bus only)
type counters struct {
	triggered, matched, created, attempts, successful, retries *core.Counter
	invocations, failed, toDLQ, dlqFailed, deadLetter          *core.Counter
}

func newCounters(w *core.World, component string) counters {
	c := func(name string) *core.Counter { return w.Metrics.Counter(component, name, "count") }
	return counters{
		triggered:   c("TriggeredRules"),
		matched:     c("MatchedEvents"),
		created:     c("InvocationsCreated"),
		attempts:    c("InvocationAttempts"),
		successful:  c("SuccessfulInvocationAttempts"),
		retries:     c("RetryInvocationAttempts"),
		invocations: c("Invocations"),
		failed:      c("FailedInvocations"),
		toDLQ:       c("InvocationsSentToDlq"),
		dlqFailed:   c("InvocationsFailedToBeSentToDlq"),
		deadLetter:  c("DeadLetterInvocations"),
	}
}

// busMetrics are the bus-wide metrics; the invocation counters add up every rule's.
type busMetrics struct {
	counters
	events, entries, rejected, throttled, putThrottled, unmatched *core.Counter
	latency                                                       *core.Latency
}

func newBusMetrics(w *core.World, name string) busMetrics {
	m := busMetrics{
		events:       w.Metrics.Counter(name, "Events", "count"),
		entries:      w.Metrics.Counter(name, "PutEventsApproximateSuccessCount", "count"),
		rejected:     w.Metrics.Counter(name, "PutEventsApproximateFailedCount", "count"),
		throttled:    w.Metrics.Counter(name, "ThrottledRules", "count"),
		putThrottled: w.Metrics.Counter(name, "PutEventsApproximateThrottledCount", "count"),
		unmatched:    w.Metrics.Counter(name, "UnmatchedEvents", "count"),
	}
	m.counters = newCounters(w, name)
	m.latency = w.Metrics.Latency(name, "IngestionToInvocationSuccessLatency")
	return m
}

// inc adds one to a counter of a rule and to the bus-wide total.
func inc(rule, bus *core.Counter) {
	rule.Inc()
	bus.Inc()
}

// chunks is the number of billable events of an entry of size bytes (at least one).
func chunks(size int32) uint64 {
	if size <= ChunkBytes {
		return 1
	}
	return uint64((int64(size) + ChunkBytes - 1) / ChunkBytes)
}
