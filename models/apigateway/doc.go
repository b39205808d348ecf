// Package apigateway models Amazon API Gateway in front of an architecture: REST and HTTP
// APIs that receive client requests, throttle them, answer some from a cache and pass
// the rest to an integration — a synchronous call (a Lambda function, a service) or a
// direct service integration (a send to an SQS queue without a function).
//
// An API is a core.Target for producers: each message is one client request, owned by
// the API until the client's response ends it. A 2xx response consumes the message
// (recording its end-to-end latency when the API is a sink: the response is the end of
// the path); a 4xx or 5xx drops it with a counted reason ("429 throttled", "502 bad
// gateway", "504 integration timeout", ...). With a direct SQS integration the queue
// takes the message and the API only answers 200.
//
// Behaviour follows §6 of the behaviour reference (../shared/reference/aws-semantics.md)
// and its modelling notes 33–35; assumptions are marked:
//
//   - Flavours (§6.1): REST (Kind "apigateway-rest") and HTTP ("apigateway-http") differ
//     in added latency (note 33: REST lognormal p50 10 ms / p99 40 ms, HTTP p50 6 ms /
//     p99 30 ms), integration timeout (REST 50 ms–29 s, default 29 s; HTTP ≤ 30 s, default
//     30 s), caching (REST only) and price. The added latency is spent before the
//     integration starts (assumption: the split before/after is not observable here).
//   - Throttling (§6.2, throttle.go): token buckets at the account (10,000 rps, burst
//     5,000, shared by every API of the account), stage and route (0 = inherit the
//     account), and for usage plans per client (rate, burst, per-method rate and burst,
//     quota per day). Evaluation order (an assumption of the reference): usage-plan method
//     → usage plan → quota → route → stage → account; the first empty bucket rejects with
//     429 and, an assumption, a rejected request takes no token from any bucket. A
//     request without an API key on an API with a usage plan gets 403. Quota exhaustion
//     is a 429 (note 34); quotas reset every 24 h of simulated time.
//   - Caching (REST only, §6.3, cache.go): a request's key is uniform over Keys keys or
//     the value of an attribute; a request is a hit when it comes within TTL of the last
//     miss of its key (the miss fills the entry at once: assumption). Memory is bounded by
//     a direct-mapped table of Capacity entries: two keys sharing an entry evict each
//     other.
//   - Integration timeout (note 35): the client gets 504 at exactly the timeout after the
//     integration started; the backend keeps running and is billed, and the API keeps the
//     message until the backend's reply (so the function can still read it), then drops
//     it as "504 integration timeout".
//   - Proxy integration status mapping: function error → 502, function or call timeout
//     → 504 (as the brief of this model asks; AWS reports a Lambda "Task timed out" to a
//     proxy integration as a function error, i.e. 502, so a scenario that wants that sets
//     the function's timeout below the API's), throttle → 429 by default. ThrottleStatus
//     makes a backend throttle a 500 or 502 instead: with a REST Lambda proxy
//     integration AWS does not pass Lambda's 429 through but reports an integration
//     failure (500 by default, re-mappable through the INTEGRATION_FAILURE gateway
//     response; some report 502), so 500 is the closest to an unconfigured REST API.
//   - Direct SQS integration: the send pays the queue's API latency; the queue's
//     acceptance answers 200, a refusal 500 (no integration timeout is armed: the send's
//     latency is far below it).
//   - Faults (package fault): in an error outage the API answers 503, in a timeout outage
//     504 after the integration timeout; error rates give 500s; latency factors scale the
//     added latency; rate limits replace the stage rate.
//   - RetryThrottled: with it set, a 429 is returned to the sender as core.Throttled, so a
//     producer's SDK retries with backoff (as AWS SDKs retry 429s); otherwise the API
//     drops the request, counted.
//
// Metrics (§6.4, the REST names are used for both flavours): Count, 4XXError, 5XXError,
// Latency (whole request), IntegrationLatency (backend only), CacheHitCount,
// CacheMissCount (REST).
package apigateway
