// Package lambda models AWS Lambda functions: execution environments with cold starts,
// account and reserved concurrency, the scaling-rate limit, a handler made of steps, and
// the three invocation paths — synchronous (a core.Callee: API Gateway, another function),
// asynchronous (a core.Target: SNS, EventBridge, SDK Event invokes) and SQS event source
// mappings (pollers started when the run starts).
//
// Behaviour follows §5 of the behaviour reference (../shared/reference/aws-semantics.md);
// the numbered modelling notes it cites are assumptions with the defaults given there:
//
//   - environments (environments.go, §5.2, notes 25–27): an invoke needs a unit of
//     concurrency (reserved, else the account's unreserved pool, which keeps ≥ 100) and
//     then the most recently used idle environment (warm) or a new one (cold: INIT drawn
//     from InitDuration, default lognormal p50 250 ms / p99 1 s, capped at 10 s), which
//     takes a scaling token (bucket of 1,000, +100/s). Idle environments live
//     IdleLifetime (10 min) after their last use. A timed-out environment is discarded.
//   - provisioned concurrency (environments.go, §5.2): ProvisionedConcurrency
//     environments are initialised before the run, never reclaimed, and take no scaling
//     token; an invoke takes a free one first (ProvisionedConcurrencyInvocations) and
//     spills over to on-demand environments only when all are busy
//     (ProvisionedConcurrencySpilloverInvocations). They count in ConcurrentExecutions
//     and against the reservation (provisioned ≤ reserved, AWS rule); without a
//     reservation they are claimed from the account pool. Assumption: a provisioned
//     environment whose invocation timed out re-runs INIT before it is free again, busy
//     meanwhile, billed to no invocation and not a cold start.
//   - invocations (invocation.go): INIT, the handler's Duration, then every record's
//     steps. The timeout runs from the end of INIT. Billing: INIT + invoke, rounded up to
//     1 ms, times memory (§8: INIT billed since 2025-08); a timed-out invocation is
//     billed to the timeout. BilledGBSeconds is a counter in MB-ms (exact integers);
//     Function.BilledGBSeconds converts it (÷ 1,024,000). With provisioned concurrency,
//     ProvisionedBilledGBSeconds (MB-ms) is the part of it run on provisioned
//     environments, and ProvisionedConcurrencyGBSeconds (MB-ms) is provisioned
//     environments × memory × whole ms of the measured (post-warm-up) period: AWS prices
//     both separately (results/prices.go).
//   - sync (sync.go, §5.3): no concurrency or token ⇒ Throttled at once; the caller
//     owns the message.
//   - async (async.go, §5.4, notes 28–29): unbounded FIFO queue; errors retried exactly
//     60 s then 120 s later; throttles back off 1 s doubling to 300 s; expired or
//     exhausted events go to OnFailure or are dropped with a counted reason.
//   - ESM (esm.go, esm_scaling.go, §5.5, notes 30–31): long-polling workers, batches by
//     size / window / 6 MB, partial batch responses, throttled batches held while their
//     visibility lasts, +5 batches per second while messages remain.
//
// Not modelled yet: CPU scaling with memory (note 32: durations are taken as given), the
// optional uniform 5–15 min idle lifetime and hard lifetime cap of note 25, the legacy
// burst scaling of note 27, changes of provisioned concurrency during a run (it is on
// for the whole run), OnSuccess destinations, and the ESM's provisioned-poller mode.
//
// Nothing allocates per invocation in steady state: invocations, async events and
// pollers live in slabs with free lists, and events and tokens carry slot and
// generation.
package lambda
