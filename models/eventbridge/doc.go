// Package eventbridge models Amazon EventBridge event buses, rules and targets, following
// section 4 and modelling notes 20–24 and 39 of the behaviour reference
// (../shared/reference/aws-semantics.md). Event patterns are compiled and matched by the
// subpackage pattern.
//
// A Bus is a core.Target: Deliver is PutEvents of one entry. The routing algorithm (§4.3):
// the entry takes a token from the PutEvents quota (a token bucket at the Region's rate,
// burst 1 s of rate, note 39) or is refused as core.Throttled (ThrottledRules); an entry
// larger than MaxEntrySize is core.Rejected. The accepted event is matched against every
// enabled rule in order; for each rule that matches, a copy (World.Derive) is made per
// target, sized by the target's input (whole event, constant, input path or input
// transformer, transform.go), and enqueued through the Region-wide invocation quota
// (InvocationQuota: delayed, never dropped, note 21). Each attempt reaches the target
// after a delivery latency (note 23: lognormal p50 150 ms, p99 400 ms) through
// World.Send. OK ends the invocation; core.Rejected is non-retriable and goes straight to
// the target's DLQ (or is dropped); Throttled, Failed and TimedOut are retried with
// exponential backoff and full jitter (note 20: base 1 s, cap 980 s) until the retries
// exceed MaximumRetryAttempts or the event would be older than MaximumEventAge, then go to
// the DLQ, or are dropped with a counted reason. The event itself is consumed by the bus
// once routed; an event no rule matches is consumed and counted (UnmatchedEvents).
//
// Scheduled rules (rate and cron expressions, schedule.go) create an event at each firing
// with World.Produce under a synthetic producer "schedule:<rule>" and send copies to the
// rule's targets in the same way. Simulated time 0 is the wall-clock instant Config.Start
// (default DefaultStart, 2026-01-01T00:00:00Z), which gives events their time and cron
// schedules their calendar.
//
// Assumptions where the documentation is silent (each a Config setting where it can be):
//   - The event a message stands for is built from its attributes as event.go describes;
//     the message's Size is the size of its detail, and a target receiving the whole event
//     gets Size plus the envelope's bytes.
//   - An input transformer's or input path's output is rendered for real; its size counts
//     the detail object as the message's Size (the body its attributes stand for).
//     Objects are rendered with sorted keys; a variable whose path selects nothing renders
//     as nothing, an input path that selects nothing as null.
//   - The PutEvents and invocation quotas are the account's in the Region: buses share
//     them through Config.Quotas (NewQuotas), and a bus without them has its own. The
//     PutEvents quota counts entries (each Deliver is one call of one entry). The
//     PutEvents API latency is lognormal p50 20 ms, p99 100 ms.
//   - Each retry goes through the invocation quota again. The age check happens when an
//     attempt leaves the quota and when a retry is scheduled (a retry that would start
//     after MaximumEventAge fails at once).
//   - A copy moved to a DLQ is an ordinary SendMessage to it (the queue's own refusal,
//     e.g. too large, drops the copy and counts InvocationsFailedToBeSentToDlq).
//   - Scheduled events are not PutEvents entries: they use no PutEvents quota and are
//     not billed as Events; they may be hosted on any bus (AWS allows the default bus only).
//   - Events are delivered at least once with no duplicates (note 22).
package eventbridge
