package core

import (
	"time"
	"unsafe"

	"msgsim/sim"
)

// Counter is a monotonically increasing count (a CloudWatch Sum metric such as
// NumberOfMessagesSent). Models hold a *Counter and increment it directly.
type Counter struct{ n uint64 }

// Inc adds one.
func (c *Counter) Inc() { c.n++ }

// Add adds n.
func (c *Counter) Add(n uint64) { c.n += n }

// Value is the count since the start of the run.
func (c *Counter) Value() uint64 { return c.n }

// Latency records durations into a run-long histogram (percentiles for the summary) and
// gives the sampler, per time-series bucket, a coarse histogram of the bucket's values
// that it turns into p50/p99 series. Each value is recorded once: the per-bucket
// histogram is derived from the run-long one (sim.HistogramWindow), which is therefore
// reset only through the window (at the end of the warm-up).
//
// The window comes first and Latency is padded to a multiple of 64 bytes, so that the
// allocator puts every Latency, and so the window's first 64 bytes (all that Record touches
// besides two counters), on a cache-line boundary.
type Latency struct {
	window sim.HistogramWindow
	Total  *sim.Histogram // the window's total
	_      [(cacheLine - (unsafe.Sizeof(sim.HistogramWindow{})+unsafe.Sizeof((*sim.Histogram)(nil)))%cacheLine) % cacheLine]byte
}

// cacheLine is the size of a cache line on the machines msgsim runs on (amd64, arm64). The Go
// allocator places objects whose size class is a multiple of 64 bytes (64, 128, 192, ...
// 768) at multiples of their size from a page boundary, so on cache-line boundaries.
const cacheLine = 64

// Record adds one observation.
func (l *Latency) Record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	l.window.Record(int64(d))
}

// MetricKind says how a metric is aggregated.
type MetricKind uint8

// Metric kinds.
const (
	KindCounter MetricKind = iota // a count; the summary shows the total after warm-up
	KindGauge                     // a level; the summary shows the time-weighted mean and max
	KindLatency                   // durations; the summary shows percentiles
)

// Metric is one named metric of one component, with its time series.
type Metric struct {
	Component string
	Name      string // CloudWatch name where one exists
	Unit      string // "count", "messages", "s", ...
	Kind      MetricKind

	Counter *Counter
	Gauge   *sim.Gauge
	Latency *Latency

	// Series are the time series built by the sampler: a counter has one ("sum" per
	// bucket); a gauge has "mean" and "max"; a latency has "count", "p50" and "p99".
	Series []NamedSeries

	base uint64 // counter value at the end of the warm-up
}

// NamedSeries is a time series with the statistic it holds.
type NamedSeries struct {
	Stat   string
	Series *sim.Series
}

// Total is a counter's count after the warm-up.
func (m *Metric) Total() uint64 { return m.Counter.n - m.base }

// Registry holds every metric of a World in registration order (so outputs never depend on
// map order) and samples them into fixed-width time series.
type Registry struct {
	w       *World
	width   time.Duration
	buckets int
	metrics []*Metric
	next    int              // index of the next bucket to close
	table   *sim.SeriesTable // where the next series are made

	// What a sample reads and writes, one compact record per metric, by kind: a sample
	// then walks short arrays and touches, per metric, its record, its source and its
	// series, instead of the Metric (names, units) and its list of named series. Each
	// metric's buckets depend only on its own source, so the order of the walk is free.
	counters  []counterProbe
	gauges    []gaugeProbe
	latencies []latencyProbe
}

// counterProbe samples a counter: the count since the previous sample, per bucket.
type counterProbe struct {
	c    *Counter
	last uint64 // the count at the previous sample
	sum  *sim.Series
}

// gaugeProbe samples a gauge: its time-weighted mean and its max, per bucket.
type gaugeProbe struct {
	g         *sim.Gauge
	last      float64 // the integral at the previous sample
	mean, max *sim.Series
}

// latencyProbe samples a latency: the count, p50 and p99 of the bucket's values.
type latencyProbe struct {
	w               *sim.HistogramWindow
	count, p50, p99 *sim.Series
}

// seriesPerTable is how many series share a table (sim.SeriesTable): 8 float64s, a bucket
// of 8 series is one cache line, so a sample writes one line per 8 series; a table of n
// buckets leaves at most 7·n values unused.
const seriesPerTable = 8

func newRegistry(w *World, width, runLength time.Duration) *Registry {
	if width <= 0 {
		width = time.Second
	}
	n := int((runLength + width - 1) / width)
	if n < 1 {
		n = 1
	}
	return &Registry{w: w, width: width, buckets: n}
}

// Width is the time-series bucket width.
func (r *Registry) Width() time.Duration { return r.width }

// Metrics returns every metric in registration order.
func (r *Registry) Metrics() []*Metric { return r.metrics }

// Find returns a metric by component and name, or nil.
func (r *Registry) Find(component, name string) *Metric {
	for _, m := range r.metrics {
		if m.Component == component && m.Name == name {
			return m
		}
	}
	return nil
}

func (r *Registry) add(m *Metric, stats ...string) *Metric {
	for _, s := range stats {
		if r.table == nil || r.table.Full() {
			// width > 0 and buckets ≥ 1 hold by construction (newRegistry): this cannot fail.
			r.table, _ = sim.NewSeriesTable(0, r.width, r.buckets, seriesPerTable)
		}
		m.Series = append(m.Series, NamedSeries{Stat: s, Series: r.table.Series()})
	}
	r.metrics = append(r.metrics, m)
	return m
}

// Counter registers a counter.
func (r *Registry) Counter(component, name, unit string) *Counter {
	c := &Counter{}
	m := r.add(&Metric{Component: component, Name: name, Unit: unit, Kind: KindCounter, Counter: c}, "sum")
	r.counters = append(r.counters, counterProbe{c: c, sum: m.Series[0].Series})
	return c
}

// alignedGauge is a sim.Gauge padded to a multiple of 64 bytes: allocated alone, it then
// starts on a cache-line boundary (see cacheLine) and every Set touches one line, not two.
type alignedGauge struct {
	g sim.Gauge
	_ [(cacheLine - unsafe.Sizeof(sim.Gauge{})%cacheLine) % cacheLine]byte
}

// Gauge registers a time-weighted gauge.
func (r *Registry) Gauge(component, name, unit string) *sim.Gauge {
	g := &new(alignedGauge).g
	m := r.add(&Metric{Component: component, Name: name, Unit: unit, Kind: KindGauge, Gauge: g}, "mean", "max")
	r.gauges = append(r.gauges, gaugeProbe{g: g, mean: m.Series[0].Series, max: m.Series[1].Series})
	return g
}

// Latency registers a latency metric.
func (r *Registry) Latency(component, name string) *Latency {
	l := &Latency{}
	_ = l.window.Init(sim.DefaultPrecision, sim.CoarsePrecision) // valid constants: cannot fail
	l.Total = l.window.Total()
	m := r.add(&Metric{Component: component, Name: name, Unit: "s", Kind: KindLatency, Latency: l}, "count", "p50", "p99")
	r.latencies = append(r.latencies, latencyProbe{w: &l.window,
		count: m.Series[0].Series, p50: m.Series[1].Series, p99: m.Series[2].Series})
	return l
}

func (r *Registry) start() {
	if r.next < r.buckets {
		r.w.Eng.After(r.width, r.w.handler, evSample, 0, 0)
	}
}

// sample closes the current bucket of every series.
func (r *Registry) sample() {
	i := r.next
	r.next++
	r.sampleInto(i, r.w.Now(), r.width)
	if r.next < r.buckets {
		r.w.Eng.After(r.width, r.w.handler, evSample, 0, 0)
	}
}

// finish closes a last, partial bucket if the run ended between samples.
func (r *Registry) finish() {
	now := r.w.Now()
	if r.next < r.buckets && now > time.Duration(r.next)*r.width {
		i := r.next
		r.next++
		r.sampleInto(i, now, now-time.Duration(i)*r.width)
	}
}

// sampleInto sets bucket i of every series at time now, for a bucket of the given width.
func (r *Registry) sampleInto(i int, now, width time.Duration) {
	for k := range r.counters {
		p := &r.counters[k]
		n := p.c.n
		p.sum.Set(i, float64(n-p.last))
		p.last = n
	}
	secs := width.Seconds()
	for k := range r.gauges {
		p := &r.gauges[k]
		in := p.g.Integral(now)
		mean := p.g.Value()
		if width > 0 {
			mean = (in - p.last) / secs
		}
		p.last = in
		p.mean.Set(i, mean)
		p.max.Set(i, p.g.TakeWindowMax())
	}
	for k := range r.latencies {
		p := &r.latencies[k]
		h := p.w.Take()
		p.count.Set(i, float64(h.Count()))
		if h.Count() > 0 {
			p.p50.Set(i, time.Duration(h.Quantile(0.5)).Seconds())
			p.p99.Set(i, time.Duration(h.Quantile(0.99)).Seconds())
		}
	}
}

// markWarmup discards statistics gathered before the end of the warm-up. Time series keep
// the warm-up so plots show the whole run.
func (r *Registry) markWarmup() {
	now := r.w.Now()
	for _, m := range r.metrics {
		switch m.Kind {
		case KindCounter:
			m.base = m.Counter.n
		case KindGauge:
			m.Gauge.ResetWindow(now)
		case KindLatency:
			m.Latency.window.ResetTotal()
		}
	}
}
