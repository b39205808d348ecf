package sim

import (
	"encoding/binary"
	"math"
	"testing"
)

// fuzzKinds and fuzzNames are the vocabulary the fuzzer's bytes pick from: every real kind
// and parameter name plus near misses, so that most inputs reach the validation of a kind
// rather than stopping at "unknown distribution".
var (
	fuzzKinds = []string{"constant", "exponential", "uniform", "normal", "lognormal", "gamma",
		"weibull", "pareto", "empirical", "mixture", "lognorm", ""}
	fuzzNames = []string{"value", "mean", "rate", "min", "max", "stddev", "p50", "p99", "shape",
		"scale", "alpha", "xm", "meen", ""}
	// fuzzValues are the edge cases most likely to break arithmetic; other values come
	// straight from 8 bytes of input.
	fuzzValues = []float64{0, 1, -1, 0.5, 2, 100, 1e-300, 1e300, math.MaxFloat64,
		math.SmallestNonzeroFloat64, math.Inf(1), math.Inf(-1), math.NaN(), -0.0}
)

// fuzzReader hands out input bytes; when they run out it returns zeros, so every input
// decodes to some spec.
type fuzzReader struct{ b []byte }

func (f *fuzzReader) byte() byte {
	if len(f.b) == 0 {
		return 0
	}
	c := f.b[0]
	f.b = f.b[1:]
	return c
}

func (f *fuzzReader) pick(n int) int { return int(f.byte()) % n }

// float returns an edge-case value (selected by a byte) or 8 raw bytes as a float64.
func (f *fuzzReader) float() float64 {
	c := f.byte()
	if int(c) < 2*len(fuzzValues) {
		return fuzzValues[int(c)%len(fuzzValues)]
	}
	var buf [8]byte
	for i := range buf {
		buf[i] = f.byte()
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(buf[:]))
}

// spec decodes a DistSpec: a kind, up to 4 parameters, and for the kinds that take them a
// percentile table of up to 6 rows or up to 3 components, nested up to depth levels.
func (f *fuzzReader) spec(depth int) DistSpec {
	s := DistSpec{Kind: fuzzKinds[f.pick(len(fuzzKinds))]}
	if n := f.pick(5); n > 0 {
		s.Params = make(map[string]float64, n)
		for range n {
			s.Params[fuzzNames[f.pick(len(fuzzNames))]] = f.float()
		}
	}
	if s.Kind == "empirical" || f.pick(8) == 0 {
		for range f.pick(7) {
			s.Percentiles = append(s.Percentiles, PercentilePoint{f.float(), f.float()})
		}
	}
	if (s.Kind == "mixture" || f.pick(8) == 0) && depth > 0 {
		for range f.pick(4) {
			s.Components = append(s.Components, MixtureComponent{f.float(), f.spec(depth - 1)})
		}
	}
	return s
}

// FuzzNewDist feeds NewDist arbitrary specifications. NewDist must never panic; when it
// accepts a spec, the distribution's moments must be non-negative or +Inf (never NaN, as
// every accepted kind has defined moments) and 100 draws must be finite and >= 0, since
// every kind has non-negative values.
func FuzzNewDist(f *testing.F) {
	f.Add("", []byte{})
	f.Add("lognormal", []byte{4, 2, 6, 3, 7, 5})
	f.Add("", []byte{9, 0})
	f.Add("", []byte{8, 0, 0, 3, 0, 0, 100, 4, 200, 0, 0, 0, 0, 0, 0, 240, 63})
	f.Add("", []byte{9, 0, 0, 3, 2, 4, 1, 0, 1, 2, 1, 4, 0, 1, 3})
	f.Add("weibull", []byte{2, 8, 9, 9, 12})
	f.Fuzz(func(t *testing.T, kind string, data []byte) {
		fr := &fuzzReader{b: data}
		spec := fr.spec(3)
		if kind != "" {
			spec.Kind = kind
		}
		d, err := NewDist(spec)
		if err != nil {
			if d != nil {
				t.Fatalf("NewDist returned both %v and error %v", d, err)
			}
			return
		}
		m, v := d.Mean(), d.Variance()
		if !(m >= 0) || !(v >= 0) {
			t.Fatalf("%v: mean %v, variance %v; want both >= 0 or +Inf", d, m, v)
		}
		if d.String() == "" {
			t.Fatalf("empty String() for %+v", spec)
		}
		r := NewStream(1, 0, "fuzz")
		for range 100 {
			x := d.Sample(r)
			if !(x >= 0) || math.IsInf(x, 0) {
				t.Fatalf("%v drew %v, want a finite value >= 0", d, x)
			}
			if SampleDuration(d, r) < 0 {
				t.Fatalf("%v: negative duration", d)
			}
		}
	})
}
