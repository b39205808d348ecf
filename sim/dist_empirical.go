package sim

import (
	"math"
	"math/rand/v2"
	"strings"
)

// empiricalDist is a distribution read off a table of percentiles, such as a latency
// profile exported from monitoring: (P=0, min), (P=50, p50), (P=99, p99), (P=100, max).
// Between two rows the CDF is linear, so values are uniform within each segment; a flat
// segment (equal values) is a point mass.
//
// The table must cover the whole range: its first row is P=0 (the minimum) and its last
// P=100 (the maximum). The ends are not extrapolated, because any tail beyond the last
// measured percentile would be invented; a user who only knows p50 and p99 should state a
// min and a max, or use a lognormal by p50 and p99. P is strictly increasing and values are
// non-decreasing and >= 0.
//
// With segment i from (P_i, v_i) to (P_i+1, v_i+1) of probability w_i = (P_i+1 - P_i)/100,
// the moments are exact:
//
//	mean     = Σ w_i·(v_i + v_i+1)/2
//	E[X²]    = Σ w_i·(v_i² + v_i·v_i+1 + v_i+1²)/3,   variance = E[X²] - mean²
type empiricalDist struct {
	p, v           []float64 // the table: percent and value
	slope          []float64 // slope[i] = (v[i+1]-v[i]) / (p[i+1]-p[i])
	mean, variance float64
}

func newEmpiricalSpec(c *paramCheck, table []PercentilePoint) Dist {
	c.allow("no parameters: give the percentile table")
	if len(table) < 2 {
		c.addf("need a percentile table of at least 2 rows, from P=0 to P=100; got %d", len(table))
		return nil
	}
	before := len(c.probs)
	for i, pt := range table {
		switch {
		case math.IsNaN(pt.P) || pt.P < 0 || pt.P > 100:
			c.addf("percentiles.%d: P must be in [0, 100], got %s", i, fmtFloat(pt.P))
		case i > 0 && pt.P <= table[i-1].P:
			c.addf("percentiles.%d: P must be > the previous P %s, got %s", i, fmtFloat(table[i-1].P), fmtFloat(pt.P))
		}
		switch {
		case math.IsNaN(pt.Value) || math.IsInf(pt.Value, 0):
			c.addf("percentiles.%d: value must be finite, got %s", i, fmtFloat(pt.Value))
		case pt.Value < 0:
			c.addf("percentiles.%d: value must be >= 0, got %s", i, fmtFloat(pt.Value))
		case i > 0 && pt.Value < table[i-1].Value:
			c.addf("percentiles.%d: value must be >= the previous value %s, got %s", i, fmtFloat(table[i-1].Value), fmtFloat(pt.Value))
		}
	}
	if first := table[0].P; first != 0 {
		c.addf("the table must start at P=0 (the minimum), got P=%s first", fmtFloat(first))
	}
	if last := table[len(table)-1].P; last != 100 {
		c.addf("the table must end at P=100 (the maximum), got P=%s last", fmtFloat(last))
	}
	if len(c.probs) > before {
		return nil
	}
	n := len(table)
	d := &empiricalDist{p: make([]float64, n), v: make([]float64, n), slope: make([]float64, n-1)}
	var m1, m2 float64
	for i, pt := range table {
		d.p[i], d.v[i] = pt.P, pt.Value
		if i == 0 {
			continue
		}
		v0, v1 := table[i-1].Value, pt.Value
		w := (pt.P - table[i-1].P) / 100
		d.slope[i-1] = (v1 - v0) / (pt.P - table[i-1].P)
		m1 += w * (v0 + v1) / 2
		m2 += w * (v0*v0 + v0*v1 + v1*v1) / 3
	}
	d.mean = m1
	d.variance = max(m2-m1*m1, 0) // rounding can leave -tiny for a near-constant table
	if !c.finiteMoments(d) {
		return nil
	}
	for _, s := range d.slope {
		if math.IsInf(s, 0) {
			c.addf("parameters too extreme: a segment's slope overflows float64")
			return nil
		}
	}
	return d
}

// Sample draws u uniform on [0, 100) and interpolates in the segment that contains it,
// found by binary search.
func (d *empiricalDist) Sample(r *rand.Rand) float64 {
	u := 100 * r.Float64()
	lo, hi := 0, len(d.p)-1 // invariant: d.p[lo] <= u < d.p[hi]
	for hi-lo > 1 {
		mid := int(uint(lo+hi) >> 1)
		if d.p[mid] <= u {
			lo = mid
		} else {
			hi = mid
		}
	}
	return min(d.v[lo]+d.slope[lo]*(u-d.p[lo]), d.v[hi])
}

func (d *empiricalDist) Mean() float64     { return d.mean }
func (d *empiricalDist) Variance() float64 { return d.variance }

func (d *empiricalDist) String() string {
	var b strings.Builder
	b.WriteString("empirical(")
	for i := range d.p {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("p" + fmtFloat(d.p[i]) + "=" + fmtFloat(d.v[i]))
	}
	b.WriteString(")")
	return b.String()
}
