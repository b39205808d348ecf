package results

import (
	"math"
	"slices"
	"strings"
	"time"

	"msgsim/models/core"
	"msgsim/sim"
)

// SchemaVersion is the version of the summary.json schema (results/SCHEMA.md). It changes
// when a field is renamed or removed or its meaning changes; adding a field does not.
const SchemaVersion = 1

// Metric kinds as written in a Run.
const (
	MetricCounter = "counter"
	MetricGauge   = "gauge"
	MetricLatency = "latency"
)

// Meta is what FromWorld needs to know about a run that the World does not hold.
type Meta struct {
	Scenario    string
	Description string
	// WallSeconds is the wall-clock time the run took (measured by the caller: the
	// simulation itself never reads the clock).
	WallSeconds float64
	// Prices is the price table; nil means DefaultPrices().
	Prices *Prices
	// FreeTier subtracts the monthly free tier from the monthly cost (off by default).
	FreeTier bool
	// Thresholds are evaluated on the run alone; Aggregate evaluates them again on all
	// replications.
	Thresholds []Threshold
	// Learn is the scenario's `learn` notes (what to look for), shown in report.html.
	Learn string
	// Graph is the architecture (components and their interactions), drawn in
	// report.html; nil when the caller has none.
	Graph *Graph
	// Faults are the scenario's fault windows (outages), shaded in the plots.
	Faults []Window
}

// Run is everything one replication measured, as a plain value: it holds no pointer into
// the World, serialises to JSON and back, and replications are combined by Aggregate.
// Every figure is measured after the warm-up unless its doc says otherwise.
type Run struct {
	SchemaVersion   int     `json:"schema_version"`
	Scenario        string  `json:"scenario"`
	Description     string  `json:"description,omitempty"`
	Seed            uint64  `json:"seed"`
	Replication     int     `json:"replication"`
	WarmupSeconds   float64 `json:"warmup_s"`
	DurationSeconds float64 `json:"duration_s"` // measured time after the warm-up
	WallSeconds     float64 `json:"wall_s,omitempty"`
	EventsFired     uint64  `json:"events_fired"` // including the warm-up
	EventsPerSecond float64 `json:"events_per_wall_s,omitempty"`

	Paths        []PathSummary      `json:"paths"`
	Components   []ComponentSummary `json:"components"`
	Conservation Conservation       `json:"conservation"`
	Cost         Cost               `json:"cost"`
	Thresholds   []ThresholdResult  `json:"thresholds"`
	Series       []SeriesData       `json:"series,omitempty"`
	// Learn, Graph and Faults are copied from Meta (see there).
	Learn  string   `json:"learn,omitempty"`
	Graph  *Graph   `json:"graph,omitempty"`
	Faults []Window `json:"faults,omitempty"`
}

// PathSummary is the end-to-end latency of one path, from a producer to a sink ("shoppers
// -> warehouse"), over the messages produced after the warm-up.
type PathSummary struct {
	Name       string  `json:"name"`
	Throughput float64 `json:"throughput_per_s"` // arrivals at the sink per measured second
	LatencyFigures
}

// LatencyFigures are the statistics of a latency histogram, in seconds. Histogram is the
// histogram itself (nanoseconds), kept so that replications and shards merge exactly.
type LatencyFigures struct {
	Count     uint64         `json:"count"`
	Mean      float64        `json:"mean_s"`
	P50       float64        `json:"p50_s"`
	P90       float64        `json:"p90_s"`
	P95       float64        `json:"p95_s"`
	P99       float64        `json:"p99_s"`
	Max       float64        `json:"max_s"`
	Histogram *sim.Histogram `json:"histogram"`
}

// ComponentSummary is one component's metrics, in registration order.
type ComponentSummary struct {
	Name string `json:"name"`
	Kind string `json:"kind"` // core.KindOf; "" if the component does not say
	// Architecture is a Lambda function's architecture (core.Architectured), else "".
	Architecture string          `json:"architecture,omitempty"`
	Metrics      []MetricSummary `json:"metrics"`
	// Limits are the ceilings of its gauges (MetricLimiter), e.g. a function's
	// concurrency limit; absent when it reports none.
	Limits []Limit `json:"limits,omitempty"`
}

// MetricSummary is one metric: exactly one of Counter, Gauge and Latency is set, as Kind
// says.
type MetricSummary struct {
	Name    string          `json:"name"`
	Unit    string          `json:"unit"`
	Kind    string          `json:"kind"` // "counter", "gauge" or "latency"
	Counter *CounterFigures `json:"counter,omitempty"`
	Gauge   *GaugeFigures   `json:"gauge,omitempty"`
	Latency *LatencyFigures `json:"latency,omitempty"`
}

// CounterFigures are a counter's count after the warm-up and its rate per measured second.
type CounterFigures struct {
	Total uint64  `json:"total"`
	Rate  float64 `json:"rate_per_s"`
}

// GaugeFigures are a gauge's time-weighted mean and its maximum after the warm-up, and
// its value at the end of the run.
type GaugeFigures struct {
	Mean float64 `json:"mean"`
	Max  float64 `json:"max"`
	Last float64 `json:"last"`
}

// Conservation is the message-conservation identity at the end of the run (the fields
// of core.Conservation) with the drops broken down by component and reason. Unlike the
// other figures it covers the whole run, warm-up included: it accounts for every message.
type Conservation struct {
	Produced uint64      `json:"produced"`
	Derived  uint64      `json:"derived"`
	Consumed uint64      `json:"consumed"`
	Dropped  uint64      `json:"dropped"`
	InDLQ    uint64      `json:"in_dlq"`
	InFlight uint64      `json:"in_flight"`
	Held     uint64      `json:"held"`
	Live     uint64      `json:"live"`
	OK       bool        `json:"ok"`
	Drops    []DropCount `json:"drops"`
}

// DropCount is the number of messages one component dropped for one reason.
type DropCount struct {
	Component string `json:"component"`
	Reason    string `json:"reason"`
	Count     uint64 `json:"count"`
}

// SeriesData is one time series: bucket i covers [Start + i·Width, Start + (i+1)·Width)
// of simulated time, warm-up included. Stat is "sum" (a counter's increase in the
// bucket), "mean" and "max" (a gauge), or "count", "p50" and "p99" (a latency, in
// seconds; p50 and p99 are 0 in a bucket whose count is 0). A path's series have the path
// name as Component and "EndToEndLatency" as Metric.
type SeriesData struct {
	Component    string    `json:"component"`
	Metric       string    `json:"metric"`
	Stat         string    `json:"stat"`
	Unit         string    `json:"unit"`
	StartSeconds float64   `json:"start_s"`
	WidthSeconds float64   `json:"width_s"`
	Values       []float64 `json:"values"`
}

// FromWorld summarises a World after w.Run(). It reads the metrics, paths, ledger and
// components, prices the counted requests and evaluates meta.Thresholds on this run.
func FromWorld(w *core.World, meta Meta) *Run {
	cfg := w.Config()
	r := &Run{
		SchemaVersion:   SchemaVersion,
		Scenario:        meta.Scenario,
		Description:     meta.Description,
		Seed:            cfg.Seed,
		Replication:     cfg.Replication,
		WarmupSeconds:   cfg.Warmup.Seconds(),
		DurationSeconds: cfg.Duration.Seconds(),
		WallSeconds:     meta.WallSeconds,
		EventsFired:     w.Eng.Fired(),
		Learn:           meta.Learn,
		Graph:           meta.Graph,
		Faults:          meta.Faults,
	}
	if meta.WallSeconds > 0 {
		r.EventsPerSecond = float64(r.EventsFired) / meta.WallSeconds
	}
	now := w.Now()
	paths := pathsOf(w)
	r.Paths = make([]PathSummary, 0, len(paths))
	isPath := map[string]bool{} // lookups only; never iterated
	for _, p := range paths {
		isPath[p.name] = true
		r.Paths = append(r.Paths, PathSummary{
			Name:           p.name,
			Throughput:     perSecond(p.lat.Total.Count(), r.DurationSeconds),
			LatencyFigures: latencyFigures(p.lat.Total),
		})
	}

	// Components in registration order; metrics of names that are not components (other
	// than paths) follow as extra entries in the order their first metric was registered.
	index := map[string]int{}
	for _, c := range w.Components() {
		cs := ComponentSummary{Name: c.Name(), Kind: core.KindOf(c), Metrics: []MetricSummary{}}
		if a, ok := c.(core.Architectured); ok {
			cs.Architecture = a.Architecture()
		}
		index[cs.Name] = len(r.Components)
		r.Components = append(r.Components, cs)
	}
	for _, m := range w.Metrics.Metrics() {
		if isPath[m.Component] && m.Name == "EndToEndLatency" {
			r.Series = append(r.Series, seriesOf(m)...) // the path's latency over time
			continue
		}
		i, ok := index[m.Component]
		if !ok {
			i = len(r.Components)
			index[m.Component] = i
			kind := ""
			if strings.Contains(m.Component, "/esm/") { // "<function>/esm/<queue>"
				kind = core.KindESM
			}
			r.Components = append(r.Components, ComponentSummary{Name: m.Component, Kind: kind, Metrics: []MetricSummary{}})
		}
		r.Components[i].Metrics = append(r.Components[i].Metrics, metricSummary(m, now, r.DurationSeconds))
		r.Series = append(r.Series, seriesOf(m)...)
	}

	for i, c := range w.Components() {
		r.Components[i].Limits = limitsOf(c, r.Components[i].Metrics)
	}

	c := w.Conservation()
	r.Conservation = Conservation{
		Produced: c.Produced, Derived: c.Derived, Consumed: c.Consumed, Dropped: c.Dropped,
		InDLQ: c.InDLQ, InFlight: c.InFlight, Held: c.Held, Live: c.Live, OK: c.OK,
		Drops: []DropCount{},
	}
	for _, d := range w.Ledger.Drops() {
		r.Conservation.Drops = append(r.Conservation.Drops, DropCount{Component: d.Component, Reason: d.Reason, Count: d.N})
	}

	prices := DefaultPrices()
	if meta.Prices != nil {
		prices = *meta.Prices
	}
	r.Cost = ComputeCost(r, prices, CostOptions{FreeTier: meta.FreeTier})
	r.Thresholds = EvaluateAll(meta.Thresholds, Aggregate([]*Run{r}))
	if r.Thresholds == nil {
		r.Thresholds = []ThresholdResult{}
	}
	return r
}

type pathRec struct {
	key  core.PathKey
	name string
	lat  *core.Latency
}

// pathsOf lists the paths in (producer, sink) order, which unlike the order of first
// arrival is the same in every replication.
func pathsOf(w *core.World) []pathRec {
	p := w.Paths()
	var out []pathRec
	for _, k := range p.Keys() {
		if l := p.Latency(k); l != nil {
			out = append(out, pathRec{key: k, name: p.Name(k), lat: l})
		}
	}
	slices.SortFunc(out, func(a, b pathRec) int {
		if a.key.Producer != b.key.Producer {
			return int(a.key.Producer - b.key.Producer)
		}
		return int(a.key.Sink - b.key.Sink)
	})
	return out
}

func metricSummary(m *core.Metric, now time.Duration, duration float64) MetricSummary {
	ms := MetricSummary{Name: m.Name, Unit: m.Unit}
	switch m.Kind {
	case core.KindCounter:
		ms.Kind = MetricCounter
		ms.Counter = &CounterFigures{Total: m.Total(), Rate: perSecond(m.Total(), duration)}
	case core.KindGauge:
		ms.Kind = MetricGauge
		ms.Gauge = &GaugeFigures{Mean: finite(m.Gauge.Mean(now)), Max: finite(m.Gauge.Max()), Last: finite(m.Gauge.Value())}
	case core.KindLatency:
		ms.Kind = MetricLatency
		lf := latencyFigures(m.Latency.Total)
		ms.Latency = &lf
	}
	return ms
}

// latencyFigures copies a histogram (so the Run shares nothing with the World) and reads
// its statistics in seconds.
func latencyFigures(h *sim.Histogram) LatencyFigures {
	c, err := sim.NewHistogramPrecision(h.Precision())
	if err != nil { // h's own precision is valid: cannot happen
		c = sim.NewHistogram()
	}
	_ = c.Merge(h) // equal precision: cannot fail
	return figuresOf(c)
}

// figuresOf reads a histogram's statistics in seconds; an empty histogram gives zeros.
func figuresOf(h *sim.Histogram) LatencyFigures {
	sec := func(ns int64) float64 { return float64(ns) / 1e9 }
	return LatencyFigures{
		Count:     h.Count(),
		Mean:      finite(h.Mean() / 1e9),
		P50:       sec(h.Quantile(0.50)),
		P90:       sec(h.Quantile(0.90)),
		P95:       sec(h.Quantile(0.95)),
		P99:       sec(h.Quantile(0.99)),
		Max:       sec(h.Max()),
		Histogram: h,
	}
}

func seriesOf(m *core.Metric) []SeriesData {
	out := make([]SeriesData, 0, len(m.Series))
	for _, ns := range m.Series {
		s := ns.Series
		unit := m.Unit
		if ns.Stat == "count" {
			unit = "count"
		}
		vals := make([]float64, s.Len())
		for i := range vals {
			_, v := s.At(i)
			vals[i] = finite(v)
		}
		out = append(out, SeriesData{
			Component: m.Component, Metric: m.Name, Stat: ns.Stat, Unit: unit,
			StartSeconds: s.Start().Seconds(), WidthSeconds: s.Width().Seconds(), Values: vals,
		})
	}
	return out
}

func perSecond(n uint64, seconds float64) float64 {
	if seconds <= 0 {
		return 0
	}
	return float64(n) / seconds
}

// finite maps NaN and ±Inf to 0: JSON cannot carry them, and every place they arise here
// (the mean of nothing) reads naturally as 0.
func finite(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}

// Component returns the component summary with the given name.
func (r *Run) Component(name string) (*ComponentSummary, bool) {
	for i := range r.Components {
		if r.Components[i].Name == name {
			return &r.Components[i], true
		}
	}
	return nil, false
}

// Metric returns the metric with the given name.
func (c *ComponentSummary) Metric(name string) (*MetricSummary, bool) {
	for i := range c.Metrics {
		if c.Metrics[i].Name == name {
			return &c.Metrics[i], true
		}
	}
	return nil, false
}

// CounterTotal returns the post-warm-up total of a counter, and false if the component has
// no counter of that name.
func (c *ComponentSummary) CounterTotal(name string) (uint64, bool) {
	m, ok := c.Metric(name)
	if !ok || m.Counter == nil {
		return 0, false
	}
	return m.Counter.Total, true
}
