package service

import (
	"msgsim/models/core"
	"msgsim/sim"
)

// Presets: configurations of common downstream services, to start from and adjust. Each
// returns a Config with Target core.None (the end of the path); the figures that AWS or
// the vendor does not document are assumptions, stated on each.

// lognormal is a lognormal latency distribution by its median and 99th percentile (s).
func lognormal(p50, p99 float64) sim.Dist {
	d, err := sim.NewDist(sim.DistSpec{Kind: "lognormal", Params: map[string]float64{"p50": p50, "p99": p99}})
	if err != nil {
		panic("service: preset latency: " + err.Error()) // fixed constants: cannot happen
	}
	return d
}

// DynamoDBTable is a DynamoDB table with the capacity model table (§7): latency lognormal
// p50 4 ms, p99 15 ms (note 36), no server limit (Unlimited), no waiting line, no random
// errors. Kind() is "dynamodb".
func DynamoDBTable(name string, table DynamoDB) Config {
	return Config{
		Name:        name,
		Concurrency: Unlimited,
		QueueLimit:  0,
		Latency:     lognormal(0.004, 0.015),
		Target:      core.None,
		DynamoDB:    &table,
	}
}

// HTTPAPI is an external HTTP API (a payment provider, a partner's REST endpoint):
// lognormal p50 100 ms, p99 1 s, 100 concurrent requests, no waiting line (excess
// requests are refused, as a server at its connection limit answers 503), a rate limit
// of 100 requests/s with a burst of 100, 0.1% errors. Assumptions: typical published
// partner-API limits; set them from the provider's contract.
func HTTPAPI(name string) Config {
	return Config{
		Name:             name,
		Concurrency:      100,
		QueueLimit:       0,
		Latency:          lognormal(0.100, 1.0),
		ErrorProbability: 0.001,
		RateLimit:        100,
		RateBurst:        100,
		Target:           core.None,
	}
}

// Email is an email-sending service (Amazon SES): lognormal p50 1 s, p99 5 s per send,
// a sending rate of 14 messages/s (the usual starting SES quota outside the sandbox;
// assumption), unlimited concurrency, 0.01% errors (bounces are not modelled).
func Email(name string) Config {
	return Config{
		Name:             name,
		Concurrency:      Unlimited,
		QueueLimit:       0,
		Latency:          lognormal(1, 5),
		ErrorProbability: 0.0001,
		RateLimit:        14,
		RateBurst:        14,
		Target:           core.None,
	}
}

// SMS is an SMS gateway (Amazon SNS/End User Messaging SMS): lognormal p50 2 s, p99 10 s,
// 20 messages/s (the default SMS throughput per account; assumption), unlimited
// concurrency, 0.5% undeliverable.
func SMS(name string) Config {
	return Config{
		Name:             name,
		Concurrency:      Unlimited,
		QueueLimit:       0,
		Latency:          lognormal(2, 10),
		ErrorProbability: 0.005,
		RateLimit:        20,
		RateBurst:        20,
		Target:           core.None,
	}
}

// Warehouse is a legacy warehouse-management system behind an API: 10 workers, a
// waiting line of 100 (then refusals), lognormal p50 200 ms, p99 2 s, 1% errors. It is
// the slow, fragile downstream that a queue protects. Assumption throughout.
func Warehouse(name string) Config {
	return Config{
		Name:             name,
		Concurrency:      10,
		QueueLimit:       100,
		Latency:          lognormal(0.2, 2),
		ErrorProbability: 0.01,
		Target:           core.None,
	}
}
