package sim

import (
	"fmt"
	"math"
	"math/bits"
)

// HistogramWindow is a run-long Histogram (Total) together with a per-interval view of it:
// the values recorded since the last Take, as a histogram at a coarser precision, for a
// time series of per-bucket counts and quantiles next to the run's summary.
//
// Why not simply a second, coarse Histogram recorded alongside: that updates two
// histograms per value, three or four more cache lines touched at random (their headers
// and counters), and at 1,000 orders/s the e-commerce scenario records some 20 latencies
// per order — Record was the largest single cost of the models. A window records each
// value once, into the total, and notes only the interval's smallest and largest value
// and which powers of two it touched. Take then finds the interval's counts as the
// total's minus a snapshot of them taken at the previous Take, on the touched powers of
// two only, and folds them into the coarse histogram: per interval, O(buckets in the
// powers of two touched), instead of a second record per value. The total and those
// notes share the window's first two cache lines.
//
// The interval is exactly the coarse histogram that recording each value into it would
// have built — the same counts (a bucket of the total lies inside one bucket of the
// coarser histogram, as in Merge), count, sum, min, max, overflow and negatives — so its
// quantiles are the same to the nanosecond.
//
// The total must be changed only through the window (Record, ResetTotal): values
// recorded into it directly, or a Reset, would be counted in the wrong interval.
type HistogramWindow struct {
	total Histogram
	// lo and hi are the smallest and largest value recorded since the last fold, negatives
	// as 0 (lo > hi: none); bit L of touched is set if a value of bit length L (after the
	// clamp below HistogramTop) was.
	lo, hi  int64
	touched uint64

	out   *Histogram // the interval at the window's precision
	taken bool       // out was returned by Take: the next fold starts it afresh
	// snap holds the total's counters as they were at the last fold (all of them: the
	// counters not touched since have not changed), and its count, sum, overflow and
	// negatives.
	snap Histogram
}

// NewHistogramWindow returns a window whose total has 2^totalBits buckets per power of two
// and whose intervals have 2^windowBits; both must be in 1..12, windowBits ≤ totalBits.
func NewHistogramWindow(totalBits, windowBits int) (*HistogramWindow, error) {
	w := new(HistogramWindow)
	if err := w.Init(totalBits, windowBits); err != nil {
		return nil, err
	}
	return w, nil
}

// Init makes w an empty window as NewHistogramWindow describes, in place: a window can
// then live inside the structure that records into it (one cache line fewer per value
// than reaching it through a pointer). A window must not be copied once initialised.
func (w *HistogramWindow) Init(totalBits, windowBits int) error {
	if windowBits > totalBits {
		return fmt.Errorf("sim: histogram window precision %d is finer than its total's %d",
			windowBits, totalBits)
	}
	total, err := NewHistogramPrecision(totalBits)
	if err != nil {
		return err
	}
	out, err := NewHistogramPrecision(windowBits)
	if err != nil {
		return err
	}
	*w = HistogramWindow{total: *total, out: out, lo: math.MaxInt64, hi: math.MinInt64}
	w.snap = Histogram{p: total.p, counts: make([]uint64, len(total.counts))}
	return nil
}

// Total is the run-long histogram: every value recorded since the start or the last
// ResetTotal. It stays the window's to change.
func (w *HistogramWindow) Total() *Histogram { return &w.total }

// Record adds one value to the total and to the current interval (see Histogram.Record
// for negative and overflowing values). It never allocates.
func (w *HistogramWindow) Record(v int64) {
	w.total.Record(v)
	v = max(v, 0)
	if v < w.lo {
		w.lo = v
	}
	if v > w.hi {
		w.hi = v
	}
	w.touched |= 1 << uint(bits.Len64(min(uint64(v), uint64(HistogramTop)-1)))
}

// Take returns the values recorded since the previous Take (or since the window was
// made) and starts a new interval. The histogram returned is the window's own: it is
// valid until the next Take and must not be changed.
func (w *HistogramWindow) Take() *Histogram {
	w.fold()
	w.taken = true
	return w.out
}

// ResetTotal empties the total (as at the end of a warm-up) and keeps the values of the
// current interval for the next Take.
func (w *HistogramWindow) ResetTotal() {
	w.fold()
	w.total.Reset()
	w.snap.Reset()
}

// fold moves the values recorded since the last fold from the total into out, and brings
// the snapshot up to the total.
func (w *HistogramWindow) fold() {
	if w.taken {
		w.out.Reset()
		w.taken = false
	}
	if w.lo > w.hi {
		return // nothing recorded since the last fold
	}
	t, s, o := &w.total, &w.snap, w.out
	for m := w.touched; m != 0; m &= m - 1 {
		// the buckets of the values of bit length n: [2^(n-1), 2^n) (n = 0: the value 0)
		n := bits.TrailingZeros64(m)
		first, last := 0, 0
		if n > 0 {
			first, last = t.index(1<<(n-1)), t.index(1<<n-1)
		}
		tc, sc := t.counts[first:last+1], s.counts[first:last+1]
		sc = sc[:len(tc)] // (no bounds checks below)
		if n > int(t.p)+1 {
			// a power of two split into 2^t.p buckets: each run of 2^(t.p-o.p) of them is
			// one bucket of out, in order from the one holding 2^(n-1)
			base, shift := o.index(1<<(n-1)), t.p-o.p
			for j, c := range tc {
				if d := c - sc[j]; d != 0 {
					o.counts[base+j>>shift] += d
					sc[j] = c
				}
			}
			continue
		}
		for j, c := range tc { // values below 2^(t.p+1), one per bucket of the total
			if d := c - sc[j]; d != 0 {
				o.counts[o.index(uint64(first+j))] += d
				sc[j] = c
			}
		}
	}
	o.count += t.count - s.count
	lo, borrow := bits.Sub64(t.sumLo, s.sumLo, 0)
	hi := t.sumHi - s.sumHi - borrow
	var carry uint64
	o.sumLo, carry = bits.Add64(o.sumLo, lo, 0)
	o.sumHi += hi + carry
	o.overflow += t.overflow - s.overflow
	o.negative += t.negative - s.negative
	o.min = min(o.min, w.lo)
	o.max = max(o.max, w.hi)
	s.count, s.sumLo, s.sumHi = t.count, t.sumLo, t.sumHi
	s.overflow, s.negative = t.overflow, t.negative
	w.lo, w.hi, w.touched = math.MaxInt64, math.MinInt64, 0
}
