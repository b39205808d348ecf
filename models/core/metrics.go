package core

import (
	"time"

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
type Latency struct {
	Total  *sim.Histogram // the window's total
	window sim.HistogramWindow
}

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

	base     uint64  // counter value at the end of the warm-up
	lastN    uint64  // counter value at the previous sample
	lastInt  float64 // gauge integral at the previous sample
	lastTime time.Duration
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
	next    int // index of the next bucket to close
}

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
		// width > 0 and buckets ≥ 1 hold by construction (newRegistry), so NewSeries cannot fail.
		series, _ := sim.NewSeries(0, r.width, r.buckets)
		m.Series = append(m.Series, NamedSeries{Stat: s, Series: series})
	}
	r.metrics = append(r.metrics, m)
	return m
}

// Counter registers a counter.
func (r *Registry) Counter(component, name, unit string) *Counter {
	c := &Counter{}
	r.add(&Metric{Component: component, Name: name, Unit: unit, Kind: KindCounter, Counter: c}, "sum")
	return c
}

// Gauge registers a time-weighted gauge.
func (r *Registry) Gauge(component, name, unit string) *sim.Gauge {
	g := &sim.Gauge{}
	r.add(&Metric{Component: component, Name: name, Unit: unit, Kind: KindGauge, Gauge: g}, "mean", "max")
	return g
}

// Latency registers a latency metric.
func (r *Registry) Latency(component, name string) *Latency {
	l := &Latency{}
	_ = l.window.Init(sim.DefaultPrecision, sim.CoarsePrecision) // valid constants: cannot fail
	l.Total = l.window.Total()
	r.add(&Metric{Component: component, Name: name, Unit: "s", Kind: KindLatency, Latency: l}, "count", "p50", "p99")
	return l
}

func (r *Registry) start() {
	if r.next < r.buckets {
		r.w.Eng.After(r.width, r.w.handler, evSample, 0, 0)
	}
}

// sample closes the current bucket of every series.
func (r *Registry) sample() {
	now := r.w.Now()
	i := r.next
	r.next++
	for _, m := range r.metrics {
		m.sampleInto(i, now, r.width)
	}
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
		for _, m := range r.metrics {
			m.sampleInto(i, now, now-time.Duration(i)*r.width)
		}
	}
}

func (m *Metric) sampleInto(i int, now, width time.Duration) {
	switch m.Kind {
	case KindCounter:
		m.Series[0].Series.Set(i, float64(m.Counter.n-m.lastN))
		m.lastN = m.Counter.n
	case KindGauge:
		in := m.Gauge.Integral(now)
		mean := m.Gauge.Value()
		if width > 0 {
			mean = (in - m.lastInt) / width.Seconds()
		}
		m.lastInt = in
		m.Series[0].Series.Set(i, mean)
		m.Series[1].Series.Set(i, m.Gauge.TakeWindowMax())
	case KindLatency:
		w := m.Latency.window.Take()
		m.Series[0].Series.Set(i, float64(w.Count()))
		if w.Count() > 0 {
			m.Series[1].Series.Set(i, time.Duration(w.Quantile(0.5)).Seconds())
			m.Series[2].Series.Set(i, time.Duration(w.Quantile(0.99)).Seconds())
		}
	}
	m.lastTime = now
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
