// Package sns models Amazon SNS standard and FIFO topics: publish quotas, FIFO
// deduplication and per-group order, filter policies, fan-out to sqs, lambda, http/https,
// email and sms subscriptions, delivery retry policies and subscription dead-letter queues,
// following section 3 and notes 12–19 and 39 of the behaviour reference
// (../shared/reference/aws-semantics.md).
//
// A Topic is a core.Target: Deliver is Publish. Each subscription whose filter policy
// (package msgsim/models/sns/filter) matches gets a copy of the message (World.Derive),
// sent to its target with World.Send after the protocol's delivery latency; the topic is
// the copy's requester and hears in Done whether the target accepted it. SQS queues and
// Lambda functions (async invoke, note 19) are reached through core.Target; http, https,
// email and sms endpoints are components of package msgsim/models/endpoint. The published
// message itself is consumed by the topic once the copies exist, so conservation counts
// copies: each ends delivered (the target owns it), in the subscription's DLQ, or dropped
// for a counted reason. New checks subscriptions against the components it can see;
// Topic.Check repeats the checks once every reserved component has been added.
//
// Assumptions where the documentation is silent (each a setting with the stated default):
//   - Message attributes are the producer's attributes (core.AttrSchema): strings are
//     Type "String", numbers "Number"; for MessageBody scope the body is the flat JSON
//     object of the same attributes. A number that is not finite makes the attributes
//     invalid: the message matches no policy and counts under the -InvalidAttributes
//     variant; an attribute-scope policy meeting a message without attributes counts under
//     -NoMessageAttributes. NumberOfNotificationsFilteredOut counts every filtered copy,
//     the variants are subsets of it.
//   - Retry timing (notes 12, 13): the phase counts of §3.4 are retries after the first
//     attempt; backoff-phase delays follow the shapes documented on Backoff; every delay is
//     jittered uniformly by ±10% (Config.Jitter; NoJitter for exact times). A retry is sent
//     when its delay has passed and draws a fresh delivery latency.
//   - Failure classes (§3.4, note 14): core.Failed, Throttled and TimedOut from the target
//     are server-side and retried; core.Rejected is client-side and not retried. Either way
//     a copy that fails for good counts in NumberOfNotificationsFailed and is sent to the
//     subscription's DLQ (NumberOfNotificationsRedrivenToDlq, or ...FailedToRedriveToDlq
//     and a drop if the queue refuses), or dropped with the reason "retries exhausted" or
//     "client error". A redriven copy counts in Ledger.DeadLettered; the SQS queue holds
//     it as an ordinary message.
//   - SNS → Lambda (note 19): delivered when the function accepts the async invoke.
//   - Delivery latency (note 16): lognormal p50 30 ms, p99 150 ms to SQS and to endpoints
//     (whose own processing time is the endpoint's); p50 73 ms, p99 225 ms to Lambda.
//     Publish API latency: p50 20 ms, p99 100 ms.
//   - Publish quota (notes 18, 39): a token bucket with a burst of 1 s; standard 30,000
//     msg/s (us-east-1), FIFO 3,000 msg/s per topic and 300 msg/s per message group. Over
//     quota Publish returns core.Throttled and the publisher retries.
//   - FIFO: a publish needs a message group and a deduplication id (Message.Dedup, or the
//     trace id with ContentBasedDedup), else it is rejected. Duplicates inside 5 minutes of
//     the first publish are accepted and dropped ("deduplicated"). Copies of one group reach
//     each subscription in publish order even across retries: a copy waits until the one
//     ahead of it is delivered or has failed for good.
//   - HTTP/S throttlePolicy (maxReceivesPerSecond): deliveries to the subscription,
//     retries included, arrive evenly spaced at no more than that rate.
//   - Without raw message delivery a copy is EnvelopeBytes (1 KiB) larger than the body.
//   - Billing (§8): Requests counts publishes in 64 KiB chunks (duplicates included,
//     throttled and rejected publishes not); Deliveries.<protocol> counts delivered
//     notifications in 64 KiB chunks, for the cost model.
package sns
