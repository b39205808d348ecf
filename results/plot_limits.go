package results

import "msgsim/models/core"

// Limit is a ceiling one of a component's gauges cannot pass: a Lambda function's
// concurrency limit (its reserved concurrency, or the account's unreserved pool) for
// ConcurrentExecutions. Plots draw it as a dashed horizontal line next to the gauge.
type Limit struct {
	Metric string  `json:"metric"`
	Value  float64 `json:"value"`
}

// MetricLimiter is implemented by components whose gauges have a ceiling. MetricLimit
// returns the ceiling of the named gauge and true, or false when it has none. It uses
// only basic types so that a model satisfies it without importing results (imports point
// down); a Lambda function would answer for "ConcurrentExecutions".
type MetricLimiter interface {
	MetricLimit(metric string) (float64, bool)
}

// limitsOf asks c for the ceiling of each of its gauges, in the order the metrics were
// registered; nil when c is not a MetricLimiter or has no ceilings.
func limitsOf(c core.Component, metrics []MetricSummary) []Limit {
	ml, ok := c.(MetricLimiter)
	if !ok {
		return nil
	}
	var out []Limit
	for _, m := range metrics {
		if m.Kind != MetricGauge {
			continue
		}
		if v, ok := ml.MetricLimit(m.Name); ok {
			out = append(out, Limit{Metric: m.Name, Value: finite(v)})
		}
	}
	return out
}

// Limit returns the ceiling of the named gauge, if the component reported one.
func (c *ComponentStats) Limit(metric string) (float64, bool) {
	for _, l := range c.Limits {
		if l.Metric == metric {
			return l.Value, true
		}
	}
	return 0, false
}
