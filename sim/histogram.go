package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strconv"
)

// Histogram precisions: the number of bits of sub-bucket resolution per power of two.
const (
	// DefaultPrecision gives 64 sub-buckets per power of two: every reported quantile is
	// within 1/128 (0.78%) of the exact order statistic. 21,504 bytes of counts.
	DefaultPrecision = 6
	// CoarsePrecision gives 8 sub-buckets per power of two: within 1/16 (6.25%), for the
	// many small histograms of a per-time-bucket series. 2,880 bytes of counts.
	CoarsePrecision = 3

	minPrecision = 1
	maxPrecision = 12
)

// HistogramTop is the smallest value the histogram cannot resolve: 2^47 ns ≈ 39.1 h.
// Larger values are counted (Overflow) and placed in the last bucket; Min, Max, Sum and
// Mean stay exact for them, only their quantile position is clamped.
const HistogramTop = int64(1) << 47

// Histogram is a log-linear (HDR-style) histogram of non-negative int64 values, typically
// latencies in nanoseconds, with a bounded relative error on every quantile.
//
// Layout: with p precision bits and S = 2^p, values below 2S each have their own bucket
// (exact); above, every power of two [2^k, 2^(k+1)) is split into S equal buckets of width
// 2^(k-p). A value v lands in bucket e·S + v>>e with e = max(0, bits.Len64(v)-p-1), so
// Record is O(1) with no loop, no float and no allocation. Quantile reports the midpoint of
// the bucket holding the exact order statistic, clamped to [Min, Max]; since a bucket's
// half-width is at most 1/(2S) of its lower bound, the relative error is ≤ 1/(2S): 0.78%
// at DefaultPrecision, 6.25% at CoarsePrecision. Quantile(0) and Quantile(1) are exact.
//
// Memory: counts are one []uint64 of (48-p)·2^p entries allocated by the constructor and
// never grown, covering 0..HistogramTop: 2,688 counters = 21,504 bytes at p=6, 360
// counters = 2,880 bytes at p=3 (7.5× smaller), plus ~100 bytes of fields.
//
// Why hand-written rather than github.com/HdrHistogram/hdrhistogram-go: computed from that
// package's New() sizing for the range 1 ns..24 h, it needs 38,912 counters (311,296 bytes)
// at 3 significant figures, and 5,248 counters (41,984 bytes) at 2 significant figures, its
// smallest setting that meets the 1% bound; this one needs 21,504 bytes for 0..39 h at
// 0.78%. This one also offers a coarse mode for per-bucket histograms; keeps the exact
// min, max and 128-bit sum, and counts values beyond the top (hdrhistogram-go derives Min,
// Max and Mean from bucket values and rejects values beyond its range); has a sparse JSON
// form whose merge is exact, so shards written to disk combine into the same bytes one
// process would write; and adds no dependency.
//
// The zero value is an empty histogram at DefaultPrecision whose counts are allocated by
// the first Record (or Merge); NewHistogram allocates them up front. A Histogram is not
// safe for concurrent use: each replication owns its own and they are merged after.
//
// Every non-empty bucket lies between the buckets of Min and Max (Record, Merge and
// UnmarshalJSON keep it so), which lets Quantile start its scan there.
type Histogram struct {
	// The fields every Record changes come first, so that a HistogramWindow can keep them
	// in one cache line with its own (see there).
	counts   []uint64 // (48-p)<<p buckets
	count    uint64
	sumLo    uint64 // exact 128-bit sum of recorded values (sumHi:sumLo)
	min, max int64  // valid when count > 0
	p        uint   // precision bits
	sumHi    uint64
	overflow uint64 // values ≥ HistogramTop
	negative uint64 // negative values, recorded as 0
}

// NewHistogram returns an empty histogram at DefaultPrecision (≤ 0.78% error).
func NewHistogram() *Histogram {
	h, _ := NewHistogramPrecision(DefaultPrecision)
	return h
}

// NewHistogramPrecision returns an empty histogram with 2^subBucketBits buckets per power
// of two, so a relative error ≤ 2^-(subBucketBits+1) and (48-subBucketBits)·2^subBucketBits
// counters of 8 bytes. Use DefaultPrecision (6) for latency summaries and CoarsePrecision
// (3) for per-time-bucket histograms. subBucketBits must be in 1..12.
func NewHistogramPrecision(subBucketBits int) (*Histogram, error) {
	if subBucketBits < minPrecision || subBucketBits > maxPrecision {
		return nil, fmt.Errorf("sim: histogram precision %d is out of range %d..%d",
			subBucketBits, minPrecision, maxPrecision)
	}
	p := uint(subBucketBits)
	return &Histogram{
		p:      p,
		counts: make([]uint64, bucketCount(p)),
		min:    math.MaxInt64,
		max:    math.MinInt64,
	}, nil
}

// lazyInit makes the zero value a DefaultPrecision histogram.
func (h *Histogram) lazyInit() {
	if h.counts == nil {
		*h = *NewHistogram()
	}
}

// bucketCount is the number of buckets needed to cover 0..HistogramTop-1.
func bucketCount(p uint) int { return (48 - int(p)) << p }

// index returns the bucket of u, which must be < HistogramTop.
func (h *Histogram) index(u uint64) int {
	e := bits.Len64(u) - int(h.p) - 1
	if e < 0 {
		e = 0
	}
	return e<<h.p + int(u>>uint(e))
}

// bucketBounds returns the lowest value of bucket i and its width.
func (h *Histogram) bucketBounds(i int) (low, width int64) {
	s := 1 << h.p
	if i < 2*s {
		return int64(i), 1
	}
	e := uint(i>>h.p) - 1
	sub := int64(i&(s-1) + s)
	return sub << e, 1 << e
}

// Precision returns the number of sub-bucket bits (6 for NewHistogram).
func (h *Histogram) Precision() int {
	if h.counts == nil {
		return DefaultPrecision
	}
	return int(h.p)
}

// RelativeError returns the bound on the relative error of any quantile: 2^-(p+1).
func (h *Histogram) RelativeError() float64 { return math.Ldexp(1, -h.Precision()-1) }

// Record adds one value. Negative values are recorded as 0 and counted by Negative;
// values ≥ HistogramTop go to the last bucket and are counted by Overflow, but still enter
// Min, Max and Sum exactly. Record never allocates.
func (h *Histogram) Record(v int64) {
	if h.counts == nil {
		h.lazyInit()
	}
	if v < 0 {
		h.negative++
		v = 0
	}
	u := uint64(v)
	h.count++
	var carry uint64
	h.sumLo, carry = bits.Add64(h.sumLo, u, 0)
	h.sumHi += carry
	if v < h.min {
		h.min = v
	}
	if v > h.max {
		h.max = v
	}
	if u >= uint64(HistogramTop) {
		h.overflow++
		u = uint64(HistogramTop) - 1
	}
	h.counts[h.index(u)]++
}

// Count returns the number of recorded values.
func (h *Histogram) Count() uint64 { return h.count }

// Overflow returns how many recorded values were ≥ HistogramTop.
func (h *Histogram) Overflow() uint64 { return h.overflow }

// Negative returns how many recorded values were negative (and recorded as 0).
func (h *Histogram) Negative() uint64 { return h.negative }

// Min returns the smallest recorded value exactly, or 0 if the histogram is empty.
func (h *Histogram) Min() int64 {
	if h.count == 0 {
		return 0
	}
	return h.min
}

// Max returns the largest recorded value exactly, or 0 if the histogram is empty.
func (h *Histogram) Max() int64 {
	if h.count == 0 {
		return 0
	}
	return h.max
}

// Sum returns the sum of recorded values. It is kept exactly in 128 bits; the float64
// result is exact below 2^53 (≈ 104 days in ns) and correctly rounded above.
func (h *Histogram) Sum() float64 {
	if h.sumHi == 0 {
		return float64(h.sumLo)
	}
	f, _ := new(big.Float).SetInt(h.sumBig()).Float64()
	return f
}

func (h *Histogram) sumBig() *big.Int {
	b := new(big.Int).SetUint64(h.sumHi)
	b.Lsh(b, 64)
	return b.Or(b, new(big.Int).SetUint64(h.sumLo))
}

// Mean returns Sum/Count, or NaN if the histogram is empty.
func (h *Histogram) Mean() float64 {
	if h.count == 0 {
		return math.NaN()
	}
	return h.Sum() / float64(h.count)
}

// Quantile returns the value at quantile q by the nearest-rank definition: the
// ceil(q·Count)-th smallest value (the smallest for q = 0), within RelativeError of the
// exact one. q below 0 or NaN is treated as 0 and above 1 as 1. An empty histogram gives 0.
func (h *Histogram) Quantile(q float64) int64 {
	if h.count == 0 {
		return 0
	}
	if !(q > 0) { // also NaN
		return h.min
	}
	if q >= 1 {
		return h.max
	}
	rank := uint64(math.Ceil(q * float64(h.count)))
	if rank <= 1 {
		return h.min
	}
	if rank >= h.count {
		return h.max
	}
	// The answer is the first bucket i whose cumulative count reaches rank. Only the
	// buckets from Min's to Max's hold values, and the scan starts from the nearer end:
	// downwards, i is the first bucket at which the count of values in i and above
	// exceeds count-rank (then the values below i number fewer than rank, and those up
	// to i at least rank).
	lo, hi := h.minMaxBuckets()
	if rank <= h.count/2 {
		var cum uint64
		for i := lo; i <= hi; i++ {
			if cum += h.counts[i]; cum >= rank {
				return h.bucketValue(i)
			}
		}
	} else {
		var above uint64
		for i := hi; i >= lo; i-- {
			if above += h.counts[i]; above > h.count-rank {
				return h.bucketValue(i)
			}
		}
	}
	return h.max // unreachable: counts sum to count
}

// minMaxBuckets returns the buckets of Min and Max, the first and last that can be
// non-empty. The histogram must not be empty.
func (h *Histogram) minMaxBuckets() (lo, hi int) {
	return h.index(uint64(h.min)), h.index(min(uint64(h.max), uint64(HistogramTop)-1))
}

// bucketValue is the midpoint of bucket i clamped to [min, max].
func (h *Histogram) bucketValue(i int) int64 {
	low, w := h.bucketBounds(i)
	v := low + (w-1)/2
	return min(max(v, h.min), h.max)
}

// CDFPoint is one point of an empirical cumulative distribution: Fraction of the recorded
// values are ≤ Value.
type CDFPoint struct {
	Value    int64
	Fraction float64
}

// CDF returns at most maxPoints points of the cumulative distribution, in increasing order
// of value, ending at (Max, 1). Each point is the upper end of a bucket (clamped to Max);
// when there are more non-empty buckets than maxPoints, consecutive ones are grouped.
// It returns nil for an empty histogram or maxPoints < 1.
func (h *Histogram) CDF(maxPoints int) []CDFPoint {
	if h.count == 0 || maxPoints < 1 {
		return nil
	}
	nonEmpty := 0
	for _, c := range h.counts {
		if c != 0 {
			nonEmpty++
		}
	}
	group := (nonEmpty + maxPoints - 1) / maxPoints // ≥ 1
	pts := make([]CDFPoint, 0, (nonEmpty+group-1)/group)
	var cum uint64
	seen := 0
	for i, c := range h.counts {
		if c == 0 {
			continue
		}
		cum += c
		seen++
		if seen%group != 0 && seen != nonEmpty {
			continue
		}
		low, w := h.bucketBounds(i)
		v := min(low+w-1, h.max)
		pts = append(pts, CDFPoint{Value: v, Fraction: float64(cum) / float64(h.count)})
	}
	pts[len(pts)-1].Value = h.max
	return pts
}

// Reset empties the histogram, keeping its precision and its memory.
func (h *Histogram) Reset() {
	clear(h.counts)
	h.count, h.sumHi, h.sumLo, h.overflow, h.negative = 0, 0, 0, 0, 0
	h.min, h.max = math.MaxInt64, math.MinInt64
}

// ErrPrecisionMismatch is returned by Merge when the other histogram is coarser.
var ErrPrecisionMismatch = errors.New("sim: cannot merge a coarser histogram into a finer one")

// Merge adds other's values into h. With equal precision the counts simply add, so merging
// the histograms of K shards gives exactly the histogram of all the values. A finer other
// is also accepted: each of its buckets lies inside one of h's, so the result is exact at
// h's precision. Merging a coarser histogram returns ErrPrecisionMismatch and leaves h
// unchanged; merging nil does nothing.
func (h *Histogram) Merge(other *Histogram) error {
	if other == nil {
		return nil
	}
	if other.Precision() < h.Precision() {
		return ErrPrecisionMismatch
	}
	if other.count == 0 {
		return nil
	}
	h.lazyInit()
	if other.p == h.p {
		for i, c := range other.counts {
			h.counts[i] += c
		}
	} else {
		for i, c := range other.counts {
			if c != 0 {
				low, _ := other.bucketBounds(i)
				h.counts[h.index(uint64(low))] += c
			}
		}
	}
	h.count += other.count
	var carry uint64
	h.sumLo, carry = bits.Add64(h.sumLo, other.sumLo, 0)
	h.sumHi += other.sumHi + carry
	h.min = min(h.min, other.min)
	h.max = max(h.max, other.max)
	h.overflow += other.overflow
	h.negative += other.negative
	return nil
}

// MarshalJSON writes the histogram sparsely: precision, count, exact sum, min, max,
// overflow, negative and only the non-empty buckets as [index, count] pairs in increasing
// index order. Equal histograms give identical bytes. Min and max are 0 when empty.
func (h *Histogram) MarshalJSON() ([]byte, error) {
	h.lazyInit()
	b := make([]byte, 0, 128)
	b = append(b, `{"precision":`...)
	b = strconv.AppendUint(b, uint64(h.p), 10)
	b = append(b, `,"count":`...)
	b = strconv.AppendUint(b, h.count, 10)
	b = append(b, `,"sum":`...)
	if h.sumHi == 0 {
		b = strconv.AppendUint(b, h.sumLo, 10)
	} else {
		b = h.sumBig().Append(b, 10)
	}
	b = append(b, `,"min":`...)
	b = strconv.AppendInt(b, h.Min(), 10)
	b = append(b, `,"max":`...)
	b = strconv.AppendInt(b, h.Max(), 10)
	b = append(b, `,"overflow":`...)
	b = strconv.AppendUint(b, h.overflow, 10)
	b = append(b, `,"negative":`...)
	b = strconv.AppendUint(b, h.negative, 10)
	b = append(b, `,"buckets":[`...)
	first := true
	for i, c := range h.counts {
		if c == 0 {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, ',')
		b = strconv.AppendUint(b, c, 10)
		b = append(b, ']')
	}
	b = append(b, "]}"...)
	return b, nil
}

type histogramJSON struct {
	Precision *int        `json:"precision"`
	Count     uint64      `json:"count"`
	Sum       json.Number `json:"sum"`
	Min       int64       `json:"min"`
	Max       int64       `json:"max"`
	Overflow  uint64      `json:"overflow"`
	Negative  uint64      `json:"negative"`
	Buckets   [][]uint64  `json:"buckets"`
}

// UnmarshalJSON reads the form written by MarshalJSON, replacing h's contents. It checks
// the data for consistency (precision in range, bucket indices increasing and in range,
// bucket counts adding up to count, min ≤ max, buckets between min's and max's, sum
// fitting in 128 bits) and returns an error, leaving h unchanged, if they are not.
func (h *Histogram) UnmarshalJSON(data []byte) error {
	var j histogramJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("sim: histogram: %w", err)
	}
	if j.Precision == nil {
		return errors.New("sim: histogram: missing precision")
	}
	nh, err := NewHistogramPrecision(*j.Precision)
	if err != nil {
		return fmt.Errorf("sim: histogram: %w", err)
	}
	sum, ok := new(big.Int).SetString(string(j.Sum), 10)
	if !ok || sum.Sign() < 0 || sum.BitLen() > 128 {
		return fmt.Errorf("sim: histogram: sum %q is not an integer in 0..2^128-1", j.Sum)
	}
	var total uint64
	last := -1
	for k, pair := range j.Buckets {
		if len(pair) != 2 {
			return fmt.Errorf("sim: histogram: buckets[%d] has %d elements, want [index, count]", k, len(pair))
		}
		if pair[0] >= uint64(len(nh.counts)) || int(pair[0]) <= last {
			return fmt.Errorf("sim: histogram: buckets[%d]: index %d is out of order or beyond %d",
				k, pair[0], len(nh.counts)-1)
		}
		if pair[1] == 0 {
			return fmt.Errorf("sim: histogram: buckets[%d]: count is 0", k)
		}
		last = int(pair[0])
		nh.counts[last] = pair[1]
		var c uint64
		total, c = bits.Add64(total, pair[1], 0)
		if c != 0 {
			return errors.New("sim: histogram: bucket counts overflow")
		}
	}
	if total != j.Count {
		return fmt.Errorf("sim: histogram: bucket counts add up to %d, count is %d", total, j.Count)
	}
	if j.Overflow > j.Count || j.Negative > j.Count {
		return errors.New("sim: histogram: overflow or negative exceeds count")
	}
	if j.Count > 0 && (j.Min > j.Max || j.Min < 0) {
		return fmt.Errorf("sim: histogram: min %d, max %d are inconsistent", j.Min, j.Max)
	}
	if j.Count > 0 {
		nh.min, nh.max = j.Min, j.Max
		lo, hi := nh.minMaxBuckets()
		if first, last := j.Buckets[0][0], j.Buckets[len(j.Buckets)-1][0]; first < uint64(lo) || last > uint64(hi) {
			return fmt.Errorf("sim: histogram: buckets %d..%d are not all between those of min %d and max %d",
				first, last, j.Min, j.Max)
		}
	}
	nh.count = j.Count
	nh.sumLo = new(big.Int).And(sum, new(big.Int).SetUint64(math.MaxUint64)).Uint64()
	nh.sumHi = new(big.Int).Rsh(sum, 64).Uint64()
	nh.overflow, nh.negative = j.Overflow, j.Negative
	*h = *nh
	return nil
}
