package results

import "msgsim/sim"

// ConfidenceLevel is the level of every interval in a Summary.
const ConfidenceLevel = 0.95

// Stat is a figure over the replications: the mean of the per-replication values and the
// half-width of its 95% Student-t interval (sim.MeanCI), 0 with one replication.
type Stat struct {
	Mean      float64 `json:"mean"`
	HalfWidth float64 `json:"ci95,omitempty"`
}

// statOf summarises per-replication values.
func statOf(xs []float64) Stat {
	m, hw := sim.MeanCI(xs, ConfidenceLevel)
	return Stat{Mean: finite(m), HalfWidth: finite(hw)}
}

// Summary is what a scenario's replications measured together: every figure of the Runs
// as a mean with a 95% confidence half-width, path and hop latencies also pooled exactly
// (their histograms merged), the first replication's time series for plots, and the Runs
// themselves (without their series). It is what the terminal summary, the files, the
// plots and the thresholds read.
type Summary struct {
	SchemaVersion   int     `json:"schema_version"`
	Scenario        string  `json:"scenario"`
	Description     string  `json:"description,omitempty"`
	Seed            uint64  `json:"seed"`
	Replications    int     `json:"replications"`
	WarmupSeconds   float64 `json:"warmup_s"`
	DurationSeconds float64 `json:"duration_s"`
	// WallSeconds is the wall time of all replications together. It and EventsPerSecond
	// are kept out of summary.json (they go to timing.json), so that the same scenario and
	// seed give a byte-identical summary.json on any machine.
	WallSeconds     float64 `json:"-"`
	EventsFired     Stat    `json:"events_fired"`
	EventsPerSecond Stat    `json:"-"`

	Paths        []PathStats         `json:"paths"`
	Components   []ComponentStats    `json:"components"`
	Conservation ConservationSummary `json:"conservation"`
	Cost         CostSummary         `json:"cost"`
	Thresholds   []ThresholdResult   `json:"thresholds"`
	Series       []SeriesData        `json:"series"`
	Runs         []*Run              `json:"runs"`
	// Learn, Graph and Faults are the first run's (the scenario's, the same in all).
	Learn  string   `json:"learn,omitempty"`
	Graph  *Graph   `json:"graph,omitempty"`
	Faults []Window `json:"faults,omitempty"`
}

// PathStats is a path's end-to-end latency over the replications.
type PathStats struct {
	Name       string `json:"name"`
	Throughput Stat   `json:"throughput_per_s"`
	LatencyStats
}

// LatencyStats are latency statistics over the replications (seconds): the mean and
// interval of each replication's figure, and Pooled, the figures of all replications'
// observations together (their histograms merged exactly).
type LatencyStats struct {
	Count  Stat           `json:"count"`
	Mean   Stat           `json:"mean_s"`
	P50    Stat           `json:"p50_s"`
	P90    Stat           `json:"p90_s"`
	P95    Stat           `json:"p95_s"`
	P99    Stat           `json:"p99_s"`
	Max    Stat           `json:"max_s"`
	Pooled LatencyFigures `json:"pooled"`
}

// ComponentStats is a component's metrics over the replications.
type ComponentStats struct {
	Name         string        `json:"name"`
	Kind         string        `json:"kind"`
	Architecture string        `json:"architecture,omitempty"`
	Metrics      []MetricStats `json:"metrics"`
	Limits       []Limit       `json:"limits,omitempty"` // the first run's that has any
}

// MetricStats is one metric over the replications; exactly one of Counter, Gauge and
// Latency is set, as Kind says.
type MetricStats struct {
	Name    string        `json:"name"`
	Unit    string        `json:"unit"`
	Kind    string        `json:"kind"`
	Counter *CounterStats `json:"counter,omitempty"`
	Gauge   *GaugeStats   `json:"gauge,omitempty"`
	Latency *LatencyStats `json:"latency,omitempty"`
}

// CounterStats are a counter's post-warm-up total and rate over the replications.
type CounterStats struct {
	Total Stat `json:"total"`
	Rate  Stat `json:"rate_per_s"`
}

// GaugeStats are a gauge's time-weighted mean and maximum over the replications.
type GaugeStats struct {
	Mean Stat `json:"mean"`
	Max  Stat `json:"max"`
}

// ConservationSummary adds up the conservation identity of every replication (the
// identity holds for the sums if it holds for each). OK is true when every replication
// conserved its messages; Broken counts those that did not.
type ConservationSummary struct {
	Conservation
	Broken int `json:"broken_replications"`
}

// Aggregate combines replications of one scenario. Components, metrics and paths are
// matched by name, in the order they first appear (the first run's order, then any new
// ones); a figure missing from a replication (a path no message reached) counts as 0 in
// it. Thresholds are those of the first run, evaluated again on the whole Summary. The
// runs are not modified. Aggregate of no runs is an empty Summary.
func Aggregate(runs []*Run) *Summary {
	s := &Summary{SchemaVersion: SchemaVersion, Replications: len(runs),
		Paths: []PathStats{}, Components: []ComponentStats{}, Thresholds: []ThresholdResult{},
		Series: []SeriesData{}, Runs: []*Run{}}
	if len(runs) == 0 {
		return s
	}
	first := runs[0]
	s.Scenario, s.Description, s.Seed = first.Scenario, first.Description, first.Seed
	s.WarmupSeconds, s.DurationSeconds = first.WarmupSeconds, first.DurationSeconds
	s.Learn, s.Graph, s.Faults = first.Learn, first.Graph, first.Faults
	s.Series = append(s.Series, first.Series...)
	var fired, eps []float64
	for _, r := range runs {
		s.WallSeconds += r.WallSeconds
		fired = append(fired, float64(r.EventsFired))
		eps = append(eps, r.EventsPerSecond)
		c := *r
		c.Series = nil
		c.Learn, c.Graph, c.Faults = "", nil, nil // the Summary's own
		// wall-clock figures stay out of summary.json (see Summary.WallSeconds)
		c.WallSeconds, c.EventsPerSecond = 0, 0
		s.Runs = append(s.Runs, &c)
	}
	s.EventsFired, s.EventsPerSecond = statOf(fired), statOf(eps)
	s.Paths = aggregatePaths(runs)
	s.Components = aggregateComponents(runs)
	s.Conservation = aggregateConservation(runs)
	s.Cost = aggregateCost(runs)
	var ts []Threshold
	for _, t := range first.Thresholds {
		if p, err := ParseThreshold(t.Expr); err == nil {
			ts = append(ts, p)
		}
	}
	if ts != nil && len(runs) > 0 {
		s.Thresholds = EvaluateAll(ts, s)
	}
	return s
}

// names returns the distinct names produced by each(run), in first-seen order.
func names(runs []*Run, each func(r *Run) []string) []string {
	var out []string
	seen := map[string]bool{} // membership only; the order comes from out
	for _, r := range runs {
		for _, n := range each(r) {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

func aggregatePaths(runs []*Run) []PathStats {
	out := []PathStats{}
	for _, name := range names(runs, func(r *Run) []string {
		ns := make([]string, len(r.Paths))
		for i, p := range r.Paths {
			ns[i] = p.Name
		}
		return ns
	}) {
		var figs []*LatencyFigures
		var thr []float64
		for _, r := range runs {
			var f *LatencyFigures
			t := 0.0
			for i := range r.Paths {
				if r.Paths[i].Name == name {
					f, t = &r.Paths[i].LatencyFigures, r.Paths[i].Throughput
				}
			}
			figs = append(figs, f)
			thr = append(thr, t)
		}
		out = append(out, PathStats{Name: name, Throughput: statOf(thr), LatencyStats: latencyStats(figs)})
	}
	return out
}

// latencyStats combines per-replication figures; nil stands for a replication without
// the metric (zeros). Pooled merges the histograms; a histogram that cannot be merged (a
// coarser precision read from a file) leaves Pooled from the others only.
func latencyStats(figs []*LatencyFigures) LatencyStats {
	var count, mean, p50, p90, p95, p99, mx []float64
	var pooled *sim.Histogram
	for _, f := range figs {
		if f == nil {
			f = &LatencyFigures{}
		}
		count = append(count, float64(f.Count))
		mean = append(mean, f.Mean)
		p50 = append(p50, f.P50)
		p90 = append(p90, f.P90)
		p95 = append(p95, f.P95)
		p99 = append(p99, f.P99)
		mx = append(mx, f.Max)
		if f.Histogram == nil {
			continue
		}
		if pooled == nil {
			pooled, _ = sim.NewHistogramPrecision(f.Histogram.Precision())
			if pooled == nil {
				pooled = sim.NewHistogram()
			}
		}
		_ = pooled.Merge(f.Histogram)
	}
	if pooled == nil {
		pooled = sim.NewHistogram()
	}
	return LatencyStats{
		Count: statOf(count), Mean: statOf(mean), P50: statOf(p50), P90: statOf(p90),
		P95: statOf(p95), P99: statOf(p99), Max: statOf(mx), Pooled: figuresOf(pooled),
	}
}

func aggregateComponents(runs []*Run) []ComponentStats {
	out := []ComponentStats{}
	for _, name := range names(runs, func(r *Run) []string {
		ns := make([]string, len(r.Components))
		for i, c := range r.Components {
			ns[i] = c.Name
		}
		return ns
	}) {
		cs := ComponentStats{Name: name, Metrics: []MetricStats{}}
		per := make([]*ComponentSummary, len(runs))
		for i, r := range runs {
			if c, ok := r.Component(name); ok {
				per[i] = c
				if cs.Kind == "" {
					cs.Kind, cs.Architecture = c.Kind, c.Architecture
				}
				if cs.Limits == nil {
					cs.Limits = c.Limits
				}
			}
		}
		for _, mname := range names(runs, func(r *Run) []string {
			c, ok := r.Component(name)
			if !ok {
				return nil
			}
			ns := make([]string, len(c.Metrics))
			for i, m := range c.Metrics {
				ns[i] = m.Name
			}
			return ns
		}) {
			cs.Metrics = append(cs.Metrics, aggregateMetric(mname, per))
		}
		out = append(out, cs)
	}
	return out
}

func aggregateMetric(name string, per []*ComponentSummary) MetricStats {
	ms := []*MetricSummary{}
	var proto *MetricSummary
	for _, c := range per {
		var m *MetricSummary
		if c != nil {
			m, _ = c.Metric(name)
		}
		if proto == nil && m != nil {
			proto = m
		}
		ms = append(ms, m)
	}
	out := MetricStats{Name: name, Unit: proto.Unit, Kind: proto.Kind}
	switch proto.Kind {
	case MetricCounter:
		var tot, rate []float64
		for _, m := range ms {
			if m != nil && m.Counter != nil {
				tot, rate = append(tot, float64(m.Counter.Total)), append(rate, m.Counter.Rate)
			} else {
				tot, rate = append(tot, 0), append(rate, 0)
			}
		}
		out.Counter = &CounterStats{Total: statOf(tot), Rate: statOf(rate)}
	case MetricGauge:
		var mean, mx []float64
		for _, m := range ms {
			if m != nil && m.Gauge != nil {
				mean, mx = append(mean, m.Gauge.Mean), append(mx, m.Gauge.Max)
			} else {
				mean, mx = append(mean, 0), append(mx, 0)
			}
		}
		out.Gauge = &GaugeStats{Mean: statOf(mean), Max: statOf(mx)}
	case MetricLatency:
		figs := make([]*LatencyFigures, len(ms))
		for i, m := range ms {
			if m != nil {
				figs[i] = m.Latency
			}
		}
		ls := latencyStats(figs)
		out.Latency = &ls
	}
	return out
}

func aggregateConservation(runs []*Run) ConservationSummary {
	cs := ConservationSummary{Conservation: Conservation{OK: true, Drops: []DropCount{}}}
	for _, r := range runs {
		c := &r.Conservation
		cs.Produced += c.Produced
		cs.Derived += c.Derived
		cs.Consumed += c.Consumed
		cs.Dropped += c.Dropped
		cs.InDLQ += c.InDLQ
		cs.InFlight += c.InFlight
		cs.Held += c.Held
		cs.Live += c.Live
		if !c.OK {
			cs.OK = false
			cs.Broken++
		}
		for _, d := range c.Drops {
			found := false
			for i := range cs.Drops {
				if cs.Drops[i].Component == d.Component && cs.Drops[i].Reason == d.Reason {
					cs.Drops[i].Count += d.Count
					found = true
				}
			}
			if !found {
				cs.Drops = append(cs.Drops, d)
			}
		}
	}
	return cs
}

// Path returns the path with the given name ("producer -> sink").
func (s *Summary) Path(name string) (*PathStats, bool) {
	for i := range s.Paths {
		if s.Paths[i].Name == name {
			return &s.Paths[i], true
		}
	}
	return nil, false
}

// Component returns the component with the given name.
func (s *Summary) Component(name string) (*ComponentStats, bool) {
	for i := range s.Components {
		if s.Components[i].Name == name {
			return &s.Components[i], true
		}
	}
	return nil, false
}

// Metric returns the metric with the given name.
func (c *ComponentStats) Metric(name string) (*MetricStats, bool) {
	for i := range c.Metrics {
		if c.Metrics[i].Name == name {
			return &c.Metrics[i], true
		}
	}
	return nil, false
}

// counter returns the mean post-warm-up total of a counter.
func (c *ComponentStats) counter(name string) (Stat, bool) {
	m, ok := c.Metric(name)
	if !ok || m.Counter == nil {
		return Stat{}, false
	}
	return m.Counter.Total, true
}

// gauge returns a gauge's statistics.
func (c *ComponentStats) gauge(name string) (*GaugeStats, bool) {
	m, ok := c.Metric(name)
	if !ok || m.Gauge == nil {
		return nil, false
	}
	return m.Gauge, true
}

// latency returns a latency metric's statistics.
func (c *ComponentStats) latency(name string) (*LatencyStats, bool) {
	m, ok := c.Metric(name)
	if !ok || m.Latency == nil {
		return nil, false
	}
	return m.Latency, true
}
