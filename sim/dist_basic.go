package sim

import (
	"math"
	"math/rand/v2"
)

// constantDist always gives the same value: a fixed latency, a fixed size.
type constantDist struct{ v float64 }

func newConstantSpec(c *paramCheck) Dist {
	c.allow("value", "value")
	v, ok := c.nonNegative("value")
	if !ok {
		return nil
	}
	return constantDist{v}
}

func (d constantDist) Sample(*rand.Rand) float64 { return d.v }
func (d constantDist) Mean() float64             { return d.v }
func (d constantDist) Variance() float64         { return 0 }
func (d constantDist) String() string            { return "constant(value=" + fmtFloat(d.v) + ")" }

// expDist is the exponential distribution: the memoryless gap between Poisson events,
// with mean m and variance m². It is given by its mean or by its rate (1/mean).
type expDist struct {
	mean float64
	rate float64 // as given, when given as a rate (String shows it that way); else 0
}

func newExponentialSpec(c *paramCheck) Dist {
	c.allow("mean or rate", "mean", "rate")
	var mean float64
	switch {
	case c.has("mean") && c.has("rate"):
		c.addf("give either mean or rate, not both")
		return nil
	case c.has("rate"):
		rate, ok := c.positive("rate")
		if !ok {
			return nil
		}
		mean = 1 / rate
	case c.has("mean"):
		var ok bool
		if mean, ok = c.positive("mean"); !ok {
			return nil
		}
	default:
		c.addf("give mean or rate")
		return nil
	}
	d := expDist{mean: mean}
	if c.has("rate") {
		d.rate = c.params["rate"]
	}
	if !c.finiteMoments(&d) {
		return nil
	}
	return &d // a pointer: an interface call then reaches Sample without copying d
}

func (d *expDist) Sample(r *rand.Rand) float64 { return r.ExpFloat64() * d.mean }
func (d *expDist) Mean() float64               { return d.mean }
func (d *expDist) Variance() float64           { return d.mean * d.mean }
func (d *expDist) String() string {
	if d.rate > 0 {
		return "exponential(rate=" + fmtFloat(d.rate) + ")"
	}
	return "exponential(mean=" + fmtFloat(d.mean) + ")"
}

// uniformDist is the continuous uniform distribution on [min, max], with min >= 0 so that
// no draw is negative. min == max is allowed and degenerates to a constant.
type uniformDist struct{ min, max float64 }

func newUniformSpec(c *paramCheck) Dist {
	c.allow("min and max", "min", "max")
	lo, ok1 := c.nonNegative("min")
	hi, ok2 := c.finite("max")
	if !ok1 || !ok2 {
		return nil
	}
	if hi < lo {
		c.addf("max must be >= min %s, got %s", fmtFloat(lo), fmtFloat(hi))
		return nil
	}
	d := uniformDist{lo, hi}
	if !c.finiteMoments(d) {
		return nil
	}
	return d
}

func (d uniformDist) Sample(r *rand.Rand) float64 { return d.min + (d.max-d.min)*r.Float64() }
func (d uniformDist) Mean() float64               { return d.min + (d.max-d.min)/2 }
func (d uniformDist) Variance() float64 {
	w := d.max - d.min
	return w * w / 12
}
func (d uniformDist) String() string {
	return "uniform(min=" + fmtFloat(d.min) + ", max=" + fmtFloat(d.max) + ")"
}

// normalDist is the normal distribution N(mu, sigma²) truncated at 0: draws below zero are
// redrawn, so the result is the normal conditioned on being >= 0. mu must be >= 0, which
// keeps the acceptance probability Φ(mu/sigma) >= 1/2 (at most two tries on average) and
// keeps the truncated moments well conditioned.
//
// With a = -mu/sigma, Q = 1 - Φ(a) and λ = φ(a)/Q (the inverse Mills ratio), the truncated
// moments are exact:
//
//	mean     = mu + sigma·λ
//	variance = sigma²·(1 + a·λ - λ²)
//
// so Mean is above mu whenever the truncation bites (mu within a few sigma of 0).
type normalDist struct {
	mu, sigma      float64
	mean, variance float64 // truncated moments
}

func newNormalSpec(c *paramCheck) Dist {
	c.allow("mean and stddev", "mean", "stddev")
	mu, ok1 := c.finite("mean")
	sigma, ok2 := c.positive("stddev")
	if ok1 && mu < 0 {
		c.addf("mean must be >= 0, got %s (the normal is truncated at 0; use a distribution of non-negative values)", fmtFloat(mu))
		return nil
	}
	if !ok1 || !ok2 {
		return nil
	}
	a := -mu / sigma
	q := 0.5 * math.Erfc(a/math.Sqrt2) // P(Z > a) >= 1/2 since a <= 0
	phi := math.Exp(-a*a/2) / math.Sqrt(2*math.Pi)
	lambda := phi / q
	d := normalDist{
		mu:       mu,
		sigma:    sigma,
		mean:     mu + sigma*lambda,
		variance: sigma * sigma * (1 + a*lambda - lambda*lambda),
	}
	if !c.finiteMoments(d) {
		return nil
	}
	return d
}

func (d normalDist) Sample(r *rand.Rand) float64 {
	for {
		if x := d.mu + d.sigma*r.NormFloat64(); x >= 0 {
			return capFinite(x)
		}
	}
}
func (d normalDist) Mean() float64     { return d.mean }
func (d normalDist) Variance() float64 { return d.variance }
func (d normalDist) String() string {
	return "normal(mean=" + fmtFloat(d.mu) + ", stddev=" + fmtFloat(d.sigma) + ", truncated at 0)"
}
