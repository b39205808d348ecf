package lambda

import "msgsim/models/core"

// Kind is "lambda" (core.Kinded).
func (f *Function) Kind() string { return core.KindLambda }

// Architecture is the function's instruction set, "x86_64" or "arm64" (core.Architectured):
// it changes the price of a GB-second.
func (f *Function) Architecture() string {
	if f.cfg.Architecture == "" {
		return "x86_64"
	}
	return f.cfg.Architecture
}

// MetricLimit is the ceiling of a metric, drawn as a dashed line on its plot
// (results.MetricLimiter): ConcurrentExecutions is capped by the reserved concurrency,
// or else by the account's unreserved pool.
func (f *Function) MetricLimit(metric string) (float64, bool) {
	if metric != "ConcurrentExecutions" {
		return 0, false
	}
	if f.cfg.ReservedConcurrency >= 0 {
		return float64(f.cfg.ReservedConcurrency), true
	}
	return float64(f.acct.Unreserved()), true
}
