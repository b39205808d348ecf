package sim

import (
	"fmt"
	"math"
	"time"
)

// Series is a time series of n fixed-width buckets starting at Start: bucket i covers
// [Start + i·Width, Start + (i+1)·Width). It is what plots of throughput, queue depth or
// concurrency over time are drawn from, and its memory is fixed by n, not by run length.
// Add is O(1) and never allocates.
type Series struct {
	start time.Duration
	width time.Duration
	// Bucket i is values[i*stride]: stride is 1, or for a series of a SeriesTable the
	// number of series sharing the table.
	values  []float64
	n       int
	stride  int
	dropped uint64
}

// NewSeries returns a series of n zero buckets of the given width from start. width and
// n must be positive.
func NewSeries(start, width time.Duration, n int) (*Series, error) {
	if width <= 0 {
		return nil, fmt.Errorf("sim: series bucket width %v must be positive", width)
	}
	if n < 1 {
		return nil, fmt.Errorf("sim: series needs at least one bucket, got %d", n)
	}
	return &Series{start: start, width: width, values: make([]float64, n), n: n, stride: 1}, nil
}

// SeriesTable makes series that share one table, bucket-major: bucket 0 of each of its
// series side by side, then bucket 1, and so on. It is for a sampler that sets bucket i of
// hundreds of series at once: with 8 series to a table (one cache line per bucket) it
// writes one line per 8 series, where separate series cost it a line, and most often a
// cache miss, each. The series behave exactly as NewSeries's.
type SeriesTable struct {
	start, width time.Duration
	values       []float64 // n buckets of k series
	n, k, used   int
}

// NewSeriesTable returns a table for k series of n buckets of the given width from start.
// width, n and k must be positive.
func NewSeriesTable(start, width time.Duration, n, k int) (*SeriesTable, error) {
	if _, err := NewSeries(start, width, n); err != nil { // the same checks
		return nil, err
	}
	if k < 1 {
		return nil, fmt.Errorf("sim: series table needs room for at least one series, got %d", k)
	}
	return &SeriesTable{start: start, width: width, values: make([]float64, n*k), n: n, k: k}, nil
}

// Full reports whether every series of the table has been made.
func (t *SeriesTable) Full() bool { return t.used == t.k }

// Series returns the table's next series (nil when Full): n zero buckets as NewSeries
// makes.
func (t *SeriesTable) Series() *Series {
	if t.Full() {
		return nil
	}
	j := t.used
	t.used++
	return &Series{start: t.start, width: t.width, values: t.values[j:], n: t.n, stride: t.k}
}

// Index returns the bucket containing t, and false if t is outside the series.
func (s *Series) Index(t time.Duration) (int, bool) {
	if t < s.start {
		return 0, false
	}
	i := (t - s.start) / s.width
	if i >= time.Duration(s.n) {
		return 0, false
	}
	return int(i), true
}

// Add sums v into the bucket containing t (a count of events, bytes, cost ...). Values
// outside the series are ignored and counted by Dropped.
func (s *Series) Add(t time.Duration, v float64) {
	if i, ok := s.Index(t); ok {
		s.values[i*s.stride] += v
		return
	}
	s.dropped++
}

// Set replaces bucket i's value (a sampled gauge, a per-bucket max or percentile). An
// index outside the series is ignored and counted by Dropped.
func (s *Series) Set(i int, v float64) {
	if i < 0 || i >= s.n {
		s.dropped++
		return
	}
	s.values[i*s.stride] = v
}

// Dropped returns how many Add and Set calls fell outside the series.
func (s *Series) Dropped() uint64 { return s.dropped }

// Len returns the number of buckets.
func (s *Series) Len() int { return s.n }

// Width returns the bucket width.
func (s *Series) Width() time.Duration { return s.width }

// Start returns the start of the first bucket.
func (s *Series) Start() time.Duration { return s.start }

// At returns bucket i's start time and value. For i outside the series the value is NaN.
func (s *Series) At(i int) (t time.Duration, v float64) {
	t = s.start + time.Duration(i)*s.width
	if i < 0 || i >= s.n {
		return t, math.NaN()
	}
	return t, s.values[i*s.stride]
}

// SeriesPoint is one bucket of a Series: its start time and value.
type SeriesPoint struct {
	T time.Duration
	V float64
}

// Points returns every bucket as a (start time, value) point, in time order, for plotting.
// To plot a rate, divide V by Width().Seconds().
func (s *Series) Points() []SeriesPoint {
	pts := make([]SeriesPoint, s.n)
	for i := range pts {
		pts[i] = SeriesPoint{T: s.start + time.Duration(i)*s.width, V: s.values[i*s.stride]}
	}
	return pts
}

// DefaultSeriesBuckets is the number of buckets BucketWidth aims for when target ≤ 0: enough
// for a smooth plot, few enough that a sweep of many runs stays small.
const DefaultSeriesBuckets = 500

// niceWidths is the ladder BucketWidth chooses from: 1-2-5 steps of ns up to 500 ms, then
// 1, 2, 5, 10, 20, 30 s and min (clock-friendly), then 1-2-5 steps of hours.
var niceWidths = func() []time.Duration {
	var w []time.Duration
	for d := time.Duration(1); d < time.Second; d *= 10 {
		w = append(w, d, 2*d, 5*d)
	}
	for _, unit := range []time.Duration{time.Second, time.Minute} {
		for _, k := range []time.Duration{1, 2, 5, 10, 20, 30} {
			w = append(w, k*unit)
		}
	}
	for d := time.Hour; d <= 1e6*time.Hour; d *= 10 {
		w = append(w, d, 2*d, 5*d)
	}
	return w
}()

// BucketWidth picks a "nice" bucket width for a run of the given length so that there
// are about target buckets (DefaultSeriesBuckets if target ≤ 0): the width from
// 1, 2, 5 × 10^k ns (so ms), then 1, 2, 5, 10, 20, 30 s and min, then 1, 2, 5 × 10^k h,
// whose bucket count runLength/width is closest to target in ratio (ties go to the wider).
// Adjacent widths differ by at most 2.5×, so the count is within √2.5 ≈ 1.58× of target.
// A runLength ≤ 0 gives the width for one second.
func BucketWidth(runLength time.Duration, target int) time.Duration {
	if target <= 0 {
		target = DefaultSeriesBuckets
	}
	if runLength <= 0 {
		runLength = time.Second
	}
	ideal := float64(runLength) / float64(target)
	best, bestDist := niceWidths[len(niceWidths)-1], math.Inf(1)
	for _, w := range niceWidths {
		d := math.Abs(math.Log(float64(w) / ideal))
		if d <= bestDist {
			best, bestDist = w, d
		}
	}
	return best
}
