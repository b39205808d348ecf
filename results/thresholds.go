package results

import (
	"fmt"
	"strings"

	"msgsim/models/core"
)

// ThresholdResult is a threshold evaluated on a Summary. A threshold that refers to a path,
// component or metric the run does not have fails with Error set: a typo must not pass.
type ThresholdResult struct {
	Expr     string  `json:"expr"`
	Observed float64 `json:"observed"` // in the quantity's base unit (s, fraction, /s, $, count)
	OK       bool    `json:"ok"`
	Detail   string  `json:"detail"`
	Error    string  `json:"error,omitempty"`
}

// What each selector reads, by component kind (thresholds):
//
//	latency: a -> b    the path's end-to-end latency; p50..p99, mean and max are those of
//	                   all replications' observations pooled (histograms merged); count and
//	                   throughput (arrivals per measured second) are means over replications
//	latency: c         c's own latency: Duration (lambda), SojournTime (service), QueueTime
//	                   (sqs), Latency (API Gateway), or c's only latency metric
//	depth: c           ApproximateNumberOfMessagesVisible (sqs), QueueLength (service)
//	age: c             ApproximateAgeOfOldestMessage (sqs), seconds
//	concurrency: c     ConcurrentExecutions (lambda), InService (service)
//	dlq: c             NumberOfMessagesMovedToDLQ; rate = moved ÷ NumberOfMessagesSent: the
//	                   fraction of the messages sent to the queue that were dead-lettered
//	errors: c          Errors ÷ Invocations (lambda), Errors ÷ Requests (service),
//	                   NumberOfNotificationsFailed ÷ (Delivered + Failed) (sns),
//	                   FailedInvocations ÷ Invocations (eventbridge), 5XXError ÷ Count (API)
//	throttles: c       Throttles ÷ (Invocations + Throttles) (lambda), Rejected ÷ Requests
//	                   (service), ThrottledSends ÷ (Sent + ThrottledSends) (sqs-fifo),
//	                   ThrottledRequests (dynamodb: sum only)
//	metric: c.Name     any metric: sum (counter total), throughput (counter per second),
//	                   mean/max (gauge, or latency), p50..p99 and count (latency)
//	cost(per_run|per_month[: c])  the total cost, or c's
//
// With replications every figure other than pooled percentiles is the mean over them;
// rates are the ratio of the mean counts.

// ratioDef is how a selector reads a ratio on one kind of component: numerator ÷ (Σ den,
// plus the numerator when addNum).
type ratioDef struct {
	num    string
	den    []string
	addNum bool
}

var ratioDefs = map[string]map[string]ratioDef{ // lookups only
	"dlq": {
		core.KindSQS:     {num: "NumberOfMessagesMovedToDLQ", den: []string{"NumberOfMessagesSent"}},
		core.KindSQSFIFO: {num: "NumberOfMessagesMovedToDLQ", den: []string{"NumberOfMessagesSent"}},
		"":               {num: "NumberOfMessagesMovedToDLQ", den: []string{"NumberOfMessagesSent"}},
	},
	"errors": {
		core.KindLambda:         {num: "Errors", den: []string{"Invocations"}},
		core.KindService:        {num: "Errors", den: []string{"Requests"}},
		core.KindSNS:            {num: "NumberOfNotificationsFailed", den: []string{"NumberOfNotificationsDelivered"}, addNum: true},
		core.KindSNSFIFO:        {num: "NumberOfNotificationsFailed", den: []string{"NumberOfNotificationsDelivered"}, addNum: true},
		core.KindEventBridge:    {num: "FailedInvocations", den: []string{"Invocations"}},
		core.KindAPIGatewayREST: {num: "5XXError", den: []string{"Count"}},
		core.KindAPIGatewayHTTP: {num: "5XXError", den: []string{"Count"}},
		"":                      {num: "Errors", den: []string{"Requests"}},
	},
	"throttles": {
		core.KindLambda:   {num: "Throttles", den: []string{"Invocations"}, addNum: true},
		core.KindService:  {num: "Rejected", den: []string{"Requests"}},
		core.KindSQSFIFO:  {num: "ThrottledSends", den: []string{"NumberOfMessagesSent"}, addNum: true},
		core.KindDynamoDB: {num: "ThrottledRequests"},
		"":                {num: "Throttles", den: []string{"Invocations"}, addNum: true},
	},
}

// gaugeNames are the gauges depth, age and concurrency read, in order of preference.
var gaugeNames = map[string][]string{ // lookups only
	"depth":       {"ApproximateNumberOfMessagesVisible", "QueueLength"},
	"age":         {"ApproximateAgeOfOldestMessage"},
	"concurrency": {"ConcurrentExecutions", "InService"},
}

// mainLatency names the latency metric that "latency: component" reads.
var mainLatency = []string{"Duration", "SojournTime", "QueueTime", "Latency"}

// EvaluateAll evaluates thresholds in order.
func EvaluateAll(ts []Threshold, s *Summary) []ThresholdResult {
	out := make([]ThresholdResult, 0, len(ts))
	for _, t := range ts {
		out = append(out, Evaluate(t, s))
	}
	return out
}

// Failed reports whether any threshold failed (the CLI then exits 1).
func Failed(rs []ThresholdResult) bool {
	for _, r := range rs {
		if !r.OK {
			return true
		}
	}
	return false
}

// Evaluate measures a threshold on a summary and compares.
func Evaluate(t Threshold, s *Summary) ThresholdResult {
	res := ThresholdResult{Expr: t.Expr}
	v, what, err := observe(t, s)
	if err != nil {
		res.Error = err.Error()
		res.Detail = res.Error
		return res
	}
	res.Observed = finite(v)
	res.OK = compare(res.Observed, t.Op, t.Value)
	q := t.Quantity
	res.Detail = fmt.Sprintf("%s = %s (want %s %s)", what, formatQuantity(res.Observed, q), t.Op, formatQuantity(t.Value, q))
	return res
}

func compare(x float64, op string, v float64) bool {
	switch op {
	case "<":
		return x < v
	case "<=":
		return x <= v
	case ">":
		return x > v
	case ">=":
		return x >= v
	case "==":
		return x == v
	case "!=":
		return x != v
	}
	return false
}

// observe returns the measured value of a threshold and a description of it.
func observe(t Threshold, s *Summary) (float64, string, error) {
	if t.Func == "cost" {
		if t.Ref == "" {
			if t.Selector == "per_run" {
				return s.Cost.PerRun.Mean, "cost per run", nil
			}
			return s.Cost.PerMonth.Mean, "cost per month", nil
		}
		for _, c := range s.Cost.Components {
			if c.Name == t.Ref {
				if t.Selector == "per_run" {
					return c.PerRun.Mean, "cost per run of " + c.Name, nil
				}
				return c.PerMonth.Mean, "cost per month of " + c.Name, nil
			}
		}
		return 0, "", fmt.Errorf("no component %q in this run", t.Ref)
	}
	if t.Selector == "latency" && strings.Contains(t.Ref, "->") {
		p, ok := s.Path(t.Ref)
		if !ok {
			return 0, "", fmt.Errorf("no path %q in this run (paths: %s)", t.Ref, pathNames(s))
		}
		if t.Func == "throughput" {
			return p.Throughput.Mean, "throughput of " + p.Name, nil
		}
		return latencyFunc(t.Func, &p.LatencyStats, p.Name)
	}
	if t.Selector == "metric" {
		return observeMetric(t, s)
	}
	c, ok := s.Component(t.Ref)
	if !ok {
		return 0, "", fmt.Errorf("no component %q in this run", t.Ref)
	}
	switch t.Selector {
	case "latency":
		var lat *MetricStats
		for _, n := range mainLatency {
			if m, ok := c.Metric(n); ok && m.Latency != nil {
				lat = m
				break
			}
		}
		if lat == nil {
			var all []*MetricStats
			for i := range c.Metrics {
				if c.Metrics[i].Latency != nil {
					all = append(all, &c.Metrics[i])
				}
			}
			if len(all) != 1 {
				return 0, "", fmt.Errorf("component %q has no single latency metric: use metric: %s.<name>", c.Name, c.Name)
			}
			lat = all[0]
		}
		if t.Func == "throughput" {
			return lat.Latency.Count.Mean / nonZero(s.DurationSeconds), "throughput of " + c.Name + "." + lat.Name, nil
		}
		return latencyFunc(t.Func, lat.Latency, c.Name+"."+lat.Name)
	case "depth", "age", "concurrency":
		for _, n := range gaugeNames[t.Selector] {
			if g, ok := c.gauge(n); ok {
				if t.Func == "max" {
					return g.Max.Mean, "max " + c.Name + "." + n, nil
				}
				return g.Mean.Mean, "mean " + c.Name + "." + n, nil
			}
		}
		return 0, "", fmt.Errorf("component %q (kind %q) has no %s metric", c.Name, c.Kind, t.Selector)
	default: // dlq, errors, throttles
		defs := ratioDefs[t.Selector]
		d, ok := defs[c.Kind]
		if !ok {
			d = defs[""]
		}
		num, ok := c.counter(d.num)
		if !ok {
			return 0, "", fmt.Errorf("component %q (kind %q) has no %s metric (%s)", c.Name, c.Kind, t.Selector, d.num)
		}
		if t.Func == "sum" {
			return num.Mean, c.Name + "." + d.num, nil
		}
		if len(d.den) == 0 {
			return 0, "", fmt.Errorf("rate(%s: ...) is not defined for kind %q: use sum", t.Selector, c.Kind)
		}
		den := 0.0
		parts := []string{}
		if d.addNum {
			den += num.Mean
			parts = append(parts, d.num)
		}
		for _, n := range d.den {
			x, ok := c.counter(n)
			if !ok {
				return 0, "", fmt.Errorf("component %q (kind %q) has no %s metric", c.Name, c.Kind, n)
			}
			den += x.Mean
			parts = append(parts, n)
		}
		denom := strings.Join(parts, " + ")
		if len(parts) > 1 {
			denom = "(" + denom + ")"
		}
		what := fmt.Sprintf("%s.%s ÷ %s", c.Name, d.num, denom)
		if den == 0 {
			return 0, what + ", nothing counted", nil
		}
		return num.Mean / den, what, nil
	}
}

func observeMetric(t Threshold, s *Summary) (float64, string, error) {
	for i := range s.Components {
		c := &s.Components[i]
		name, ok := strings.CutPrefix(t.Ref, c.Name+".")
		if !ok {
			continue
		}
		m, ok := c.Metric(name)
		if !ok {
			continue
		}
		switch {
		case m.Counter != nil:
			switch t.Func {
			case "sum":
				return m.Counter.Total.Mean, "sum " + t.Ref, nil
			case "throughput":
				return m.Counter.Rate.Mean, "rate of " + t.Ref, nil
			}
		case m.Gauge != nil:
			switch t.Func {
			case "mean":
				return m.Gauge.Mean.Mean, "mean " + t.Ref, nil
			case "max":
				return m.Gauge.Max.Mean, "max " + t.Ref, nil
			}
		case m.Latency != nil:
			if t.Func == "throughput" {
				return m.Latency.Count.Mean / nonZero(s.DurationSeconds), "throughput of " + t.Ref, nil
			}
			if t.Func != "sum" {
				return latencyFunc(t.Func, m.Latency, t.Ref)
			}
		}
		return 0, "", fmt.Errorf("%s(...) does not apply to %s, a %s", t.Func, t.Ref, m.Kind)
	}
	return 0, "", fmt.Errorf("no metric %q in this run (write component.MetricName)", t.Ref)
}

func latencyFunc(f string, l *LatencyStats, name string) (float64, string, error) {
	p := &l.Pooled
	switch f {
	case "p50":
		return p.P50, "p50 " + name, nil
	case "p90":
		return p.P90, "p90 " + name, nil
	case "p95":
		return p.P95, "p95 " + name, nil
	case "p99":
		return p.P99, "p99 " + name, nil
	case "mean":
		return p.Mean, "mean " + name, nil
	case "max":
		return p.Max, "max " + name, nil
	case "count":
		return l.Count.Mean, "count " + name, nil
	}
	return 0, "", fmt.Errorf("%s(...) does not apply to a latency", f)
}

func nonZero(x float64) float64 {
	if x == 0 {
		return 1
	}
	return x
}

func pathNames(s *Summary) string {
	if len(s.Paths) == 0 {
		return "none"
	}
	ns := make([]string, len(s.Paths))
	for i, p := range s.Paths {
		ns[i] = p.Name
	}
	return strings.Join(ns, ", ")
}

// formatQuantity renders a value in its quantity's unit for details and the summary.
func formatQuantity(v float64, q string) string {
	switch q {
	case qDuration:
		return formatSeconds(v)
	case qRatio:
		return formatNumber(v*100) + "%"
	case qRate:
		return formatNumber(v) + "/s"
	case qMoney:
		return formatMoney(v)
	}
	return formatNumber(v)
}
