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
// Why not simply a second, coarse Histogram recorded alongside: that touches a second
// header (count, sum, min, max) per value, and at 1,000 orders/s the e-commerce scenario
// records some 20 latencies per order — Record was the largest single cost of the models.
// A window records each value into the total and adds only one to the interval's coarse
// counter; the interval's count, sum, overflow and negatives are the total's minus their
// values at the interval's start, computed once per Take, and its min and max are noted
// next to the total's header. Everything Record changes on every call (the precisions,
// where the interval's counters are, the interval's min and max, and the total's counts
// slice, count and low sum word) fills the window's first 64 bytes, so a value costs that
// cache line, the total's counter and the interval's counter; the coarse counters of the
// powers of two a metric's values fall in are few (one line per power of two at
// CoarsePrecision) and stay in the second-level cache. (A former design kept no interval
// counters but a snapshot of all the total's counters and derived the interval from the
// difference at each Take: a second 21 KB array per metric, and per Take a walk over every
// counter of the powers of two touched, mostly cache misses — more than the records it
// saved.)
//
// The interval's counters have two homes, behind the total's counters in the same array
// (so that Record reaches all three through the total's slice header): one receives the
// current interval, the other holds the interval returned by the last Take. Take swaps
// them and empties the one handed back before, only between the buckets of its min and max
// (the others are zero).
//
// The interval is exactly the coarse histogram that recording each value into it would
// have built — the same counts, count, sum, min, max, overflow and negatives — so its
// quantiles are the same to the nanosecond.
//
// A window is made by NewHistogramWindow or Init (its zero value is not ready for use).
// The total must be changed only through the window (Record, ResetTotal): values
// recorded into it directly, or a Reset, would be counted in the wrong interval.
type HistogramWindow struct {
	// The first 64 bytes: everything Record reads or writes on every call.
	tp, wp uint8  // precision bits of the total and of the intervals
	cur    uint32 // offset of the current interval's counters in total.counts[:cap]
	// lo and hi are the smallest and largest value recorded since the last Take or
	// ResetTotal, negatives as 0 (lo > hi: none). Since the total holds them too, a value
	// not below lo is not below the total's min, so Record looks at the total's min only
	// when lo changes (and likewise for hi and max).
	lo, hi int64
	total  Histogram // its counts, count and sumLo end the first 64 bytes

	out   *Histogram // the interval returned by the last Take; its counters are the other home
	start struct {   // the total's figures at the start of the interval
		count, sumLo, sumHi, overflow, negative uint64
	}
	// early{Lo,Hi} are the interval's min and max before a ResetTotal that fell within it.
	earlyLo, earlyHi int64
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
	nt, nw := len(total.counts), len(out.counts)
	all := make([]uint64, nt+2*nw)
	total.counts = all[:nt]
	out.counts = all[nt+nw : nt+2*nw : nt+2*nw]
	*w = HistogramWindow{tp: uint8(totalBits), wp: uint8(windowBits), cur: uint32(nt),
		lo: math.MaxInt64, hi: math.MinInt64, total: *total, out: out,
		earlyLo: math.MaxInt64, earlyHi: math.MinInt64}
	return nil
}

// Total is the run-long histogram: every value recorded since the start or the last
// ResetTotal. It stays the window's to change.
func (w *HistogramWindow) Total() *Histogram { return &w.total }

// Record adds one value to the total and to the current interval (see Histogram.Record
// for negative and overflowing values). It never allocates.
func (w *HistogramWindow) Record(v int64) {
	t := &w.total
	if v < 0 {
		t.negative++
		v = 0
	}
	u := uint64(v)
	t.count++
	if t.sumLo += u; t.sumLo < u { // the low word wrapped: carry into the high one
		t.sumHi++
	}
	if v < w.lo {
		w.lo = v
		t.min = min(t.min, v)
	}
	if v > w.hi {
		w.hi = v
		t.max = max(t.max, v)
	}
	if u >= uint64(HistogramTop) {
		t.overflow++
		u = uint64(HistogramTop) - 1
	}
	// the bucket of u in the total and in the interval, as in Histogram.index (every shift
	// is below 64; the masks only tell the compiler so; u|1 gives 0 the bucket it has and
	// spares the compiler the case of a zero argument)
	n := bits.Len64(u | 1)
	tp, wp := uint(w.tp), uint(w.wp)
	e, f := uint(max(n-int(tp)-1, 0)), uint(max(n-int(wp)-1, 0))
	t.counts[int(e<<(tp&63)+uint(u>>(e&63)))]++
	t.counts[:cap(t.counts)][int(uint(w.cur)+f<<(wp&63)+uint(u>>(f&63)))]++
}

// Take returns the values recorded since the previous Take (or since the window was
// made) and starts a new interval. The histogram returned is the window's own: it is
// valid until the next Take and must not be changed.
func (w *HistogramWindow) Take() *Histogram {
	t, o, s := &w.total, w.out, &w.start
	if o.count > 0 { // the interval handed back before: its counters receive the next one
		lo, hi := o.minMaxBuckets()
		clear(o.counts[lo : hi+1])
	}
	nt, nw := len(t.counts), len(o.counts)
	o.counts = t.counts[:cap(t.counts)][w.cur : int(w.cur)+nw : int(w.cur)+nw]
	w.cur = uint32(2*nt+nw) - w.cur // the other home: nt+nw for nt and nt for nt+nw

	o.count = t.count - s.count
	var borrow uint64
	o.sumLo, borrow = bits.Sub64(t.sumLo, s.sumLo, 0)
	o.sumHi = t.sumHi - s.sumHi - borrow
	o.overflow = t.overflow - s.overflow
	o.negative = t.negative - s.negative
	o.min, o.max = min(w.earlyLo, w.lo), max(w.earlyHi, w.hi)
	s.count, s.sumLo, s.sumHi, s.overflow, s.negative = t.count, t.sumLo, t.sumHi, t.overflow, t.negative
	w.lo, w.hi, w.earlyLo, w.earlyHi = math.MaxInt64, math.MinInt64, math.MaxInt64, math.MinInt64
	return o
}

// ResetTotal empties the total (as at the end of a warm-up) and keeps the values of the
// current interval for the next Take.
func (w *HistogramWindow) ResetTotal() {
	t, s := &w.total, &w.start
	// The interval so far is t - s; with t about to become zero, s becomes s - t, so that
	// Take's differences still count it (unsigned arithmetic wraps, exactly).
	s.count -= t.count
	var borrow uint64
	s.sumLo, borrow = bits.Sub64(s.sumLo, t.sumLo, 0)
	s.sumHi = s.sumHi - t.sumHi - borrow
	s.overflow -= t.overflow
	s.negative -= t.negative
	w.earlyLo, w.earlyHi = min(w.earlyLo, w.lo), max(w.earlyHi, w.hi)
	w.lo, w.hi = math.MaxInt64, math.MinInt64
	t.Reset()
}
