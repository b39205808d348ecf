package results

// Headline figures are the few numbers per path and per component that a comparison
// table and a sweep's CSV show: what an architect or a capacity planner looks at first.
// They are read from each replication's Run, so that a comparison can pair replications
// and a sweep can give each figure a confidence interval.

// Figure units, which decide how a figure is formatted.
const (
	UnitSeconds = "s"
	UnitPerSec  = "/s"
	UnitCount   = "count"
	UnitUSD     = "usd"
)

// Figure is one headline figure: Key names it in files (a sweep.csv column, a
// comparison.csv row), Label in tables; Read takes it from one replication (0 when the
// replication lacks it, as Aggregate counts a missing figure).
type Figure struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Unit  string `json:"unit"`
	read  func(r *Run) float64
}

// Read returns the figure's value in one replication.
func (f Figure) Read(r *Run) float64 { return f.read(r) }

// Values returns the figure in each of the runs, in order.
func (f Figure) Values(runs []*Run) []float64 {
	out := make([]float64, len(runs))
	for i, r := range runs {
		out[i] = f.read(r)
	}
	return out
}

// Stat returns the figure's mean over the runs and its 95% confidence half-width.
func (f Figure) Stat(runs []*Run) Stat { return statOf(f.Values(runs)) }

// Format renders a value of the figure in its unit.
func (f Figure) Format(v float64) string {
	switch f.Unit {
	case UnitSeconds:
		return formatSeconds(v)
	case UnitPerSec:
		return formatNumber(v) + "/s"
	case UnitUSD:
		return formatMoney(v)
	}
	return formatNumber(v)
}

// headlineCounters are the counters a table shows (when they counted anything): the
// failures, throttles and dead-letter moves that distinguish one design from another.
var headlineCounters = []string{
	"NumberOfMessagesMovedToDLQ", "ThrottledSends", "Throttles", "Errors", "ColdStarts",
	"Rejected", "ThrottledRequests", "NumberOfNotificationsFailed", "FailedInvocations",
	"4XXError", "5XXError", "SendRetries",
}

// headlineGauges are the gauges whose maximum a table shows (when it is not 0).
var headlineGauges = []string{
	"ApproximateNumberOfMessagesVisible", "ApproximateAgeOfOldestMessage",
	"ConcurrentExecutions", "QueueLength",
}

// gaugeLabels are short names for the headline gauges' maxima.
var gaugeLabels = map[string]string{ // lookups only
	"ApproximateNumberOfMessagesVisible": "max depth",
	"ApproximateAgeOfOldestMessage":      "max age",
	"ConcurrentExecutions":               "max concurrency",
	"QueueLength":                        "max queue length",
}

// HeadlineFigures returns the headline figures of a set of summaries (the alternatives of
// a comparison, the points of a sweep), in a fixed order: for every path (in first-seen
// order) its p50, p99 and throughput; then for every component (first-seen order) its
// headline counters and gauge maxima, in the order the component registered them, each
// only if it is not 0 in some replication of some summary; then the cost per month. The
// same summaries in the same order always give the same figures.
func HeadlineFigures(ss []*Summary) []Figure {
	var out []Figure
	seen := map[string]bool{} // membership only; the order comes from out
	add := func(f Figure) {
		if !seen[f.Key] {
			seen[f.Key] = true
			out = append(out, f)
		}
	}
	for _, s := range ss {
		for _, p := range s.Paths {
			add(pathFigure(p.Name, "p50", UnitSeconds, func(ps *PathSummary) float64 { return ps.P50 }))
			add(pathFigure(p.Name, "p99", UnitSeconds, func(ps *PathSummary) float64 { return ps.P99 }))
			add(pathFigure(p.Name, "throughput", UnitPerSec, func(ps *PathSummary) float64 { return ps.Throughput }))
		}
	}
	for _, s := range ss {
		for _, c := range s.Components {
			for _, m := range c.Metrics {
				var f Figure
				switch {
				case m.Counter != nil && containsString(headlineCounters, m.Name):
					f = counterFigure(c.Name, m.Name)
				case m.Gauge != nil && containsString(headlineGauges, m.Name):
					f = gaugeMaxFigure(c.Name, m.Name, m.Unit)
				default:
					continue
				}
				if !seen[f.Key] && figureNonZero(f, ss) {
					add(f)
				}
			}
		}
	}
	add(Figure{Key: "cost.per_month_usd", Label: "cost per month", Unit: UnitUSD,
		read: func(r *Run) float64 { return r.Cost.PerMonth }})
	return out
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// figureNonZero reports whether f is not 0 in some replication of some summary.
func figureNonZero(f Figure, ss []*Summary) bool {
	for _, s := range ss {
		for _, r := range s.Runs {
			if f.read(r) != 0 {
				return true
			}
		}
	}
	return false
}

func pathFigure(path, what, unit string, get func(*PathSummary) float64) Figure {
	suffix := what
	switch unit {
	case UnitSeconds:
		suffix += "_s"
	case UnitPerSec:
		suffix += "_per_s"
	}
	return Figure{Key: path + "." + suffix, Label: path + " " + what, Unit: unit,
		read: func(r *Run) float64 {
			for i := range r.Paths {
				if r.Paths[i].Name == path {
					return get(&r.Paths[i])
				}
			}
			return 0
		}}
}

func counterFigure(component, metric string) Figure {
	return Figure{Key: component + "." + metric, Label: component + " " + metric, Unit: UnitCount,
		read: func(r *Run) float64 {
			if c, ok := r.Component(component); ok {
				if v, ok := c.CounterTotal(metric); ok {
					return float64(v)
				}
			}
			return 0
		}}
}

func gaugeMaxFigure(component, metric, unit string) Figure {
	u := UnitCount
	if unit == "Seconds" || unit == "s" || unit == "seconds" {
		u = UnitSeconds
	}
	return Figure{Key: component + "." + metric + ".max", Label: component + " " + gaugeLabels[metric], Unit: u,
		read: func(r *Run) float64 {
			if c, ok := r.Component(component); ok {
				if m, ok := c.Metric(metric); ok && m.Gauge != nil {
					return m.Gauge.Max
				}
			}
			return 0
		}}
}
