package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

// histQuantiles are the quantiles every accuracy test checks, including both ends.
var histQuantiles = []float64{0, 1e-6, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99,
	0.999, 0.9999, 1}

// histSamples draws n values from a named distribution (values in ns).
func histSamples(name string, n int, rng *rand.Rand) []int64 {
	xs := make([]int64, n)
	for i := range xs {
		var v float64
		switch name {
		case "log-uniform 1us..24h":
			v = math.Exp(math.Log(1e3) + rng.Float64()*(math.Log(8.64e13)-math.Log(1e3)))
		case "exponential mean 50ms":
			v = rng.ExpFloat64() * 50e6
		case "lognormal median 20ms sigma 1.5":
			v = math.Exp(math.Log(20e6) + 1.5*rng.NormFloat64())
		case "constant 1234567":
			v = 1234567
		case "two-point 1ms or 10s":
			v = 1e6
			if rng.Float64() < 0.01 {
				v = 1e10
			}
		case "uniform small 0..300":
			v = float64(rng.IntN(301))
		default:
			panic("unknown distribution " + name)
		}
		xs[i] = int64(v)
	}
	return xs
}

// exactQuantile is the nearest-rank quantile of sorted xs, the definition Quantile follows.
func exactQuantile(sorted []int64, q float64) int64 {
	rank := int(math.Ceil(q * float64(len(sorted))))
	rank = max(rank, 1)
	return sorted[rank-1]
}

func TestHistogramQuantileWithinRelativeError(t *testing.T) {
	dists := []string{"log-uniform 1us..24h", "exponential mean 50ms",
		"lognormal median 20ms sigma 1.5", "constant 1234567", "two-point 1ms or 10s",
		"uniform small 0..300"}
	for _, precision := range []int{DefaultPrecision, CoarsePrecision} {
		for k, name := range dists {
			t.Run(fmt.Sprintf("p=%d %s", precision, name), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(uint64(k), 7))
				xs := histSamples(name, 100000, rng)
				h, err := NewHistogramPrecision(precision)
				if err != nil {
					t.Fatal(err)
				}
				for _, x := range xs {
					h.Record(x)
				}
				slices.Sort(xs)
				// The exact order statistic lies in the reported bucket, whose half-width
				// is at most 1/2^(p+1) of its lower bound: 1/128 at p=6, 1/16 at p=3.
				bound := math.Ldexp(1, -precision-1)
				if precision == DefaultPrecision && bound > 0.01 {
					t.Fatalf("default bound %g exceeds the 1%% requirement", bound)
				}
				for _, q := range histQuantiles {
					want := exactQuantile(xs, q)
					got := h.Quantile(q)
					if d := math.Abs(float64(got - want)); d > bound*float64(want) {
						t.Errorf("p=%d q=%g: got %d, exact %d, relative error %.5f > %.5f",
							precision, q, got, want, d/float64(want), bound)
					}
				}
			})
		}
	}
}

// TestHistogramQuantileIsTheFirstBucketReachingTheRank checks Quantile's scan, which
// starts at Min's bucket or comes down from Max's, against the definition: the midpoint
// (clamped to [Min, Max]) of the first bucket, counting from 0, whose cumulative count
// reaches ceil(q·Count).
func TestHistogramQuantileIsTheFirstBucketReachingTheRank(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	qs := append([]float64{0.5 - 1e-9, 0.5 + 1e-9}, histQuantiles...)
	for range 200 {
		qs = append(qs, r.Float64())
	}
	for _, precision := range []int{DefaultPrecision, CoarsePrecision, minPrecision} {
		for _, name := range []string{"exponential mean 50ms", "two-point 1ms or 10s", "uniform small 0..300"} {
			for _, n := range []int{1, 2, 3, 10, 1000} {
				h, _ := NewHistogramPrecision(precision)
				for _, v := range histSamples(name, n, r) {
					h.Record(v)
				}
				for _, q := range qs {
					if got, want := h.Quantile(q), firstBucketReaching(h, q); got != want {
						t.Fatalf("p=%d %s n=%d: Quantile(%v) = %d, want %d", precision, name, n, q, got, want)
					}
				}
			}
		}
	}
}

// firstBucketReaching is Quantile by its definition, scanning every bucket from 0.
func firstBucketReaching(h *Histogram, q float64) int64 {
	rank := max(uint64(math.Ceil(q*float64(h.count))), 1)
	if q <= 0 || rank == 1 {
		return h.min
	}
	if q >= 1 || rank >= h.count {
		return h.max
	}
	var cum uint64
	for i, c := range h.counts {
		if cum += c; cum >= rank {
			return h.bucketValue(i)
		}
	}
	panic("counts do not add up to count")
}

func TestHistogramMinMaxMeanAreExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	xs := histSamples("lognormal median 20ms sigma 1.5", 50000, rng)
	h := NewHistogram()
	var sum big.Int
	for _, x := range xs {
		h.Record(x)
		sum.Add(&sum, big.NewInt(x))
	}
	if got, want := h.Min(), slices.Min(xs); got != want {
		t.Errorf("Min = %d, want %d", got, want)
	}
	if got, want := h.Max(), slices.Max(xs); got != want {
		t.Errorf("Max = %d, want %d", got, want)
	}
	wantSum, _ := new(big.Float).SetInt(&sum).Float64()
	if h.Sum() != wantSum {
		t.Errorf("Sum = %v, want %v", h.Sum(), wantSum)
	}
	if got, want := h.Mean(), wantSum/float64(len(xs)); got != want {
		t.Errorf("Mean = %v, want %v", got, want)
	}
	if h.Count() != uint64(len(xs)) {
		t.Errorf("Count = %d, want %d", h.Count(), len(xs))
	}
}

func TestHistogramEdgeValues(t *testing.T) {
	t.Run("zero is recorded exactly", func(t *testing.T) {
		h := NewHistogram()
		h.Record(0)
		if h.Quantile(0.5) != 0 || h.Min() != 0 || h.Max() != 0 || h.Mean() != 0 {
			t.Errorf("got q50=%d min=%d max=%d mean=%v", h.Quantile(0.5), h.Min(), h.Max(), h.Mean())
		}
	})
	t.Run("huge values overflow but keep exact max and sum", func(t *testing.T) {
		h := NewHistogram()
		h.Record(1000)
		for range 4 {
			h.Record(math.MaxInt64)
		}
		if h.Overflow() != 4 {
			t.Errorf("Overflow = %d, want 4", h.Overflow())
		}
		if h.Max() != math.MaxInt64 || h.Quantile(1) != math.MaxInt64 {
			t.Errorf("Max = %d, Quantile(1) = %d", h.Max(), h.Quantile(1))
		}
		want := new(big.Int).Mul(big.NewInt(math.MaxInt64), big.NewInt(4))
		want.Add(want, big.NewInt(1000))
		if h.sumBig().Cmp(want) != 0 {
			t.Errorf("sum = %v, want %v", h.sumBig(), want)
		}
		// q=0.5 is rank 3 of 5: an overflowed value, reported from the last bucket.
		if got := h.Quantile(0.5); got < HistogramTop/2 {
			t.Errorf("Quantile(0.5) = %d, want the top bucket", got)
		}
	})
	t.Run("negative values are recorded as zero and counted", func(t *testing.T) {
		h := NewHistogram()
		h.Record(-5)
		h.Record(10)
		if h.Negative() != 1 || h.Min() != 0 || h.Sum() != 10 {
			t.Errorf("Negative=%d Min=%d Sum=%v", h.Negative(), h.Min(), h.Sum())
		}
	})
	t.Run("empty histogram", func(t *testing.T) {
		h := NewHistogram()
		if h.Quantile(0.5) != 0 || h.Min() != 0 || h.Max() != 0 || !math.IsNaN(h.Mean()) || h.CDF(10) != nil {
			t.Error("empty histogram should report zeros, NaN mean and no CDF")
		}
	})
	t.Run("out-of-range q is clamped", func(t *testing.T) {
		h := NewHistogram()
		h.Record(5)
		h.Record(7)
		if h.Quantile(-1) != 5 || h.Quantile(math.NaN()) != 5 || h.Quantile(2) != 7 {
			t.Error("q outside [0,1] should clamp to min/max")
		}
	})
	t.Run("zero value is a default-precision histogram", func(t *testing.T) {
		var z, m Histogram
		if z.Precision() != DefaultPrecision {
			t.Errorf("Precision = %d", z.Precision())
		}
		empty, _ := json.Marshal(&Histogram{})
		want, _ := json.Marshal(NewHistogram())
		if !bytes.Equal(empty, want) {
			t.Errorf("zero value JSON %s, want %s", empty, want)
		}
		z.Record(1500)
		if err := m.Merge(&z); err != nil || m.Quantile(0.5) != 1500 || m.Count() != 1 {
			t.Errorf("merge into zero value: err=%v q50=%d count=%d", err, m.Quantile(0.5), m.Count())
		}
	})
	t.Run("bad precision is an error", func(t *testing.T) {
		for _, p := range []int{0, -1, 13} {
			if _, err := NewHistogramPrecision(p); err == nil {
				t.Errorf("precision %d: no error", p)
			}
		}
	})
}

func TestHistogramBucketLayout(t *testing.T) {
	for _, p := range []int{1, CoarsePrecision, DefaultPrecision, 12} {
		h, _ := NewHistogramPrecision(p)
		// Every bucket's range maps back to the bucket, and buckets tile 0..top-1.
		next := int64(0)
		for i := range h.counts {
			low, w := h.bucketBounds(i)
			if low != next {
				t.Fatalf("p=%d bucket %d starts at %d, want %d", p, i, low, next)
			}
			if h.index(uint64(low)) != i || h.index(uint64(low+w-1)) != i {
				t.Fatalf("p=%d bucket %d [%d,%d] does not map back", p, i, low, low+w-1)
			}
			next = low + w
		}
		if next != HistogramTop {
			t.Errorf("p=%d buckets end at %d, want %d", p, next, HistogramTop)
		}
	}
	if n := len(NewHistogram().counts) * 8; n != 21504 {
		t.Errorf("default counts use %d bytes, doc says 21504", n)
	}
	if h, _ := NewHistogramPrecision(CoarsePrecision); len(h.counts)*8 != 2880 {
		t.Errorf("coarse counts use %d bytes, doc says 2880", len(h.counts)*8)
	}
}

func TestHistogramMergeEqualsOneHistogram(t *testing.T) {
	const shards = 8
	rng := rand.New(rand.NewPCG(11, 12))
	xs := histSamples("log-uniform 1us..24h", 80000, rng)
	xs = append(xs, -3, math.MaxInt64, 0) // negative, overflow and zero travel too
	all := NewHistogram()
	parts := make([]*Histogram, shards)
	for i := range parts {
		parts[i] = NewHistogram()
	}
	for i, x := range xs {
		all.Record(x)
		parts[i%shards].Record(x)
	}
	merged := NewHistogram()
	for _, p := range parts {
		// Write each shard to JSON and read it back, as msgsim merge does with files.
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var back Histogram
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if err := merged.Merge(&back); err != nil {
			t.Fatal(err)
		}
	}
	want, _ := json.Marshal(all)
	got, _ := json.Marshal(merged)
	if !bytes.Equal(got, want) {
		t.Errorf("merged JSON differs from one histogram:\n got %.200s\nwant %.200s", got, want)
	}
}

func TestHistogramMergeFinerIntoCoarser(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	xs := histSamples("exponential mean 50ms", 20000, rng)
	fine := NewHistogram()
	coarse, _ := NewHistogramPrecision(CoarsePrecision)
	direct, _ := NewHistogramPrecision(CoarsePrecision)
	for _, x := range xs {
		fine.Record(x)
		direct.Record(x)
	}
	if err := coarse.Merge(fine); err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(coarse)
	b, _ := json.Marshal(direct)
	if !bytes.Equal(a, b) {
		t.Error("finer histogram merged into coarser differs from recording at coarse precision")
	}
	if err := fine.Merge(coarse); err != ErrPrecisionMismatch {
		t.Errorf("merging coarser into finer: err = %v, want ErrPrecisionMismatch", err)
	}
}

func TestHistogramJSONRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	h := NewHistogram()
	for _, x := range histSamples("lognormal median 20ms sigma 1.5", 10000, rng) {
		h.Record(x)
	}
	for range 3 {
		h.Record(math.MaxInt64) // sum beyond 64 bits
	}
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	var back Histogram
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(&back)
	if !bytes.Equal(b, b2) {
		t.Errorf("round trip changed the JSON")
	}
	for _, q := range histQuantiles {
		if h.Quantile(q) != back.Quantile(q) {
			t.Errorf("q=%g: %d after round trip, %d before", q, back.Quantile(q), h.Quantile(q))
		}
	}
	if back.Sum() != h.Sum() || back.Min() != h.Min() || back.Max() != h.Max() {
		t.Error("sum, min or max changed in the round trip")
	}
}

func TestHistogramUnmarshalRejectsBadInput(t *testing.T) {
	cases := []struct{ name, in string }{
		{"missing precision", `{"count":0,"sum":0,"min":0,"max":0,"overflow":0,"negative":0,"buckets":[]}`},
		{"precision out of range", `{"precision":40,"count":0,"sum":0,"buckets":[]}`},
		{"counts do not add up", `{"precision":6,"count":5,"sum":10,"min":1,"max":3,"buckets":[[1,2]]}`},
		{"index beyond the last", `{"precision":3,"count":1,"sum":1,"min":1,"max":1,"buckets":[[360,1]]}`},
		{"indices out of order", `{"precision":6,"count":2,"sum":3,"min":1,"max":2,"buckets":[[2,1],[1,1]]}`},
		{"pair of wrong length", `{"precision":6,"count":1,"sum":1,"min":1,"max":1,"buckets":[[1]]}`},
		{"negative sum", `{"precision":6,"count":1,"sum":-1,"min":1,"max":1,"buckets":[[1,1]]}`},
		{"min above max", `{"precision":6,"count":1,"sum":1,"min":3,"max":1,"buckets":[[1,1]]}`},
		{"bucket below min's", `{"precision":6,"count":2,"sum":7,"min":3,"max":4,"buckets":[[1,1],[4,1]]}`},
		{"bucket above max's", `{"precision":6,"count":2,"sum":5,"min":1,"max":4,"buckets":[[1,1],[9,1]]}`},
		{"unknown field", `{"precision":6,"count":0,"sum":0,"bogus":1,"buckets":[]}`},
		{"not json", `[1,2`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := NewHistogram()
			h.Record(42)
			if err := json.Unmarshal([]byte(c.in), h); err == nil {
				t.Error("no error")
			}
			if h.Count() != 1 || h.Max() != 42 {
				t.Error("a failed unmarshal changed the histogram")
			}
		})
	}
}

func TestHistogramCDF(t *testing.T) {
	h := NewHistogram()
	for v := int64(1); v <= 100000; v++ {
		h.Record(v)
	}
	for _, n := range []int{1, 7, 100, 1000, 1 << 20} {
		pts := h.CDF(n)
		if len(pts) == 0 || len(pts) > n {
			t.Fatalf("CDF(%d) returned %d points", n, len(pts))
		}
		last := pts[len(pts)-1]
		if last.Value != h.Max() || last.Fraction != 1 {
			t.Errorf("CDF(%d) ends at %+v, want (max, 1)", n, last)
		}
		for i := 1; i < len(pts); i++ {
			if pts[i].Value <= pts[i-1].Value || pts[i].Fraction < pts[i-1].Fraction {
				t.Fatalf("CDF(%d) not increasing at %d", n, i)
			}
		}
		for _, p := range pts {
			// For 1..N uniform, the true CDF at v is v/N; points are bucket upper ends.
			if want := float64(p.Value) / 100000; math.Abs(p.Fraction-want) > 1e-12 {
				t.Errorf("CDF(%d) point %+v, want fraction %v", n, p, want)
			}
		}
	}
	if h.CDF(0) != nil {
		t.Error("CDF(0) should be nil")
	}
}

func TestHistogramReset(t *testing.T) {
	h := NewHistogram()
	h.Record(5)
	h.Record(math.MaxInt64)
	h.Record(-1)
	h.Reset()
	b, _ := json.Marshal(h)
	want, _ := json.Marshal(NewHistogram())
	if !bytes.Equal(b, want) {
		t.Errorf("after Reset: %s, want %s", b, want)
	}
}

func TestHistogramRecordDoesNotAllocate(t *testing.T) {
	h := NewHistogram()
	v := int64(1)
	allocs := testing.AllocsPerRun(1000, func() {
		h.Record(v)
		v = v*3 + 7
		if v < 0 {
			v = -v
		}
	})
	if allocs != 0 {
		t.Errorf("Record allocates %v times per call", allocs)
	}
}

func BenchmarkHistogramRecord(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	xs := histSamples("lognormal median 20ms sigma 1.5", 4096, rng)
	h := NewHistogram()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		h.Record(xs[i&4095])
	}
}
