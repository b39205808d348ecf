package sim

import (
	"math"
	"math/rand/v2"
)

// gammaDist is the gamma distribution with shape k and scale θ (mean kθ, variance kθ²): the
// sum of k exponential stages, so less skewed than an exponential of the same mean when
// k > 1. It is given by shape and scale, or by mean m and stddev s (k = m²/s², θ = s²/m).
//
// Sample uses Marsaglia and Tsang's method ("A simple method for generating gamma
// variables", ACM TOMS 26(3), 2000): a squeezed rejection from a transformed normal, which
// accepts more than 95% of tries for every k >= 1. For k < 1 it draws G from gamma(k+1) and
// returns G·U^(1/k), U uniform on [0,1), which has the gamma(k) distribution.
type gammaDist struct {
	shape, scale float64
	d, c         float64 // Marsaglia–Tsang constants for shape max(k, k+1 if k < 1)
	invShape     float64 // 1/k, used when k < 1
	a, b         float64 // the parameters as given
	byMoments    bool    // given as mean and stddev
}

func newGammaSpec(c *paramCheck) Dist {
	c.allow("shape and scale, or mean and stddev", "shape", "scale", "mean", "stddev")
	byShape := c.has("shape") || c.has("scale")
	byMoments := c.has("mean") || c.has("stddev")
	var k, theta, a, b float64
	switch {
	case byShape && byMoments:
		c.addf("give either shape and scale, or mean and stddev, not both")
		return nil
	case byMoments:
		m, ok1 := c.positive("mean")
		s, ok2 := c.positive("stddev")
		if !ok1 || !ok2 {
			return nil
		}
		cv := s / m
		k, theta, a, b = 1/(cv*cv), s*cv, m, s
	case byShape:
		var ok1, ok2 bool
		k, ok1 = c.positive("shape")
		theta, ok2 = c.positive("scale")
		if !ok1 || !ok2 {
			return nil
		}
		a, b = k, theta
	default:
		c.addf("give shape and scale, or mean and stddev")
		return nil
	}
	if !(k > 0 && k <= math.MaxFloat64 && theta > 0 && theta <= math.MaxFloat64) {
		c.addf("parameters too extreme: shape %s and scale %s must be finite and > 0", fmtFloat(k), fmtFloat(theta))
		return nil
	}
	dk := k
	if k < 1 {
		dk = k + 1
	}
	d := gammaDist{shape: k, scale: theta, d: dk - 1.0/3, invShape: 1 / k, a: a, b: b, byMoments: byMoments}
	d.c = 1 / math.Sqrt(9*d.d)
	if !c.finiteMoments(d) {
		return nil
	}
	return d
}

func (d gammaDist) Sample(r *rand.Rand) float64 {
	var g float64
	for {
		z := r.NormFloat64()
		v := 1 + d.c*z
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		z2 := z * z
		if u < 1-0.0331*z2*z2 || math.Log(u) < z2/2+d.d*(1-v+math.Log(v)) {
			g = d.d * v
			break
		}
	}
	if d.shape < 1 {
		g *= math.Pow(r.Float64(), d.invShape)
	}
	return capFinite(g * d.scale)
}

func (d gammaDist) Mean() float64     { return d.shape * d.scale }
func (d gammaDist) Variance() float64 { return d.shape * d.scale * d.scale }
func (d gammaDist) String() string {
	if d.byMoments {
		return "gamma(mean=" + fmtFloat(d.a) + ", stddev=" + fmtFloat(d.b) + ")"
	}
	return "gamma(shape=" + fmtFloat(d.a) + ", scale=" + fmtFloat(d.b) + ")"
}
