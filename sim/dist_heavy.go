package sim

import (
	"math"
	"math/rand/v2"
)

// weibullDist is the Weibull distribution with shape k and scale λ: P(X > x) = exp(-(x/λ)^k).
// Shape < 1 gives a tail heavier than exponential (many short, a few very long), shape 1 is
// the exponential, shape > 1 concentrates around λ. Moments, with Γ the gamma function:
//
//	mean     = λ·Γ(1 + 1/k)
//	variance = λ²·(Γ(1 + 2/k) - Γ(1 + 1/k)²)
//
// Variance is computed as λ²Γ(1+1/k)²·expm1(lnΓ(1+2/k) - 2lnΓ(1+1/k)), which stays accurate
// when k is large and the two terms nearly cancel. Sample inverts the CDF: λ·E^(1/k) with
// E a standard exponential.
type weibullDist struct{ shape, scale, invShape float64 }

func newWeibullSpec(c *paramCheck) Dist {
	c.allow("shape and scale", "shape", "scale")
	k, ok1 := c.positive("shape")
	lambda, ok2 := c.positive("scale")
	if !ok1 || !ok2 {
		return nil
	}
	d := weibullDist{shape: k, scale: lambda, invShape: 1 / k}
	if !c.finiteMoments(d) {
		return nil
	}
	return d
}

func (d weibullDist) Sample(r *rand.Rand) float64 {
	return capFinite(d.scale * math.Pow(r.ExpFloat64(), d.invShape))
}

func (d weibullDist) Mean() float64 { return d.scale * math.Gamma(1+d.invShape) }

func (d weibullDist) Variance() float64 {
	g1, _ := math.Lgamma(1 + d.invShape)
	g2, _ := math.Lgamma(1 + 2*d.invShape)
	m := d.Mean()
	return m * m * math.Expm1(g2-2*g1)
}

func (d weibullDist) String() string {
	return "weibull(shape=" + fmtFloat(d.shape) + ", scale=" + fmtFloat(d.scale) + ")"
}

// paretoDist is the Pareto (type I) distribution with tail index alpha and minimum xm:
// P(X > x) = (xm/x)^alpha for x >= xm. It models the rare, very slow outlier: the smaller
// alpha, the heavier the tail. Its moments exist only for small enough orders:
//
//	mean     = alpha·xm/(alpha - 1)                  for alpha > 1, +Inf otherwise
//	variance = xm²·alpha/((alpha - 1)²·(alpha - 2))  for alpha > 2, +Inf otherwise
//
// An infinite mean is allowed (it is a legitimate, if alarming, model), but then sample
// means never settle. Sample inverts the CDF: xm·exp(E/alpha) with E a standard exponential.
type paretoDist struct{ alpha, xm, invAlpha float64 }

func newParetoSpec(c *paramCheck) Dist {
	c.allow("alpha and xm", "alpha", "xm")
	alpha, ok1 := c.positive("alpha")
	xm, ok2 := c.positive("xm")
	if !ok1 || !ok2 {
		return nil
	}
	d := paretoDist{alpha: alpha, xm: xm, invAlpha: 1 / alpha}
	if m := d.Mean(); math.IsNaN(m) || (alpha > 1 && math.IsInf(m, 0)) {
		c.addf("parameters too extreme: mean %s overflows", fmtFloat(m))
		return nil
	}
	if v := d.Variance(); math.IsNaN(v) || (alpha > 2 && math.IsInf(v, 0)) {
		c.addf("parameters too extreme: variance %s overflows", fmtFloat(v))
		return nil
	}
	return d
}

// Sample draws xm·exp(E/alpha), with the package's fast exp (exp.go) rather than math.Exp.
func (d paretoDist) Sample(r *rand.Rand) float64 {
	return capFinite(d.xm * exp(r.ExpFloat64()*d.invAlpha))
}

func (d paretoDist) Mean() float64 {
	if d.alpha <= 1 {
		return math.Inf(1)
	}
	return d.alpha * d.xm / (d.alpha - 1)
}

func (d paretoDist) Variance() float64 {
	if d.alpha <= 2 {
		return math.Inf(1)
	}
	am1 := d.alpha - 1
	return d.xm * d.xm * d.alpha / (am1 * am1 * (d.alpha - 2))
}

func (d paretoDist) String() string {
	return "pareto(alpha=" + fmtFloat(d.alpha) + ", xm=" + fmtFloat(d.xm) + ")"
}
