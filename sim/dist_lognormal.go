package sim

import (
	"math"
	"math/rand/v2"
)

// z99 is the 99th percentile of the standard normal distribution, Φ⁻¹(0.99) = √2·erf⁻¹(0.98).
const z99 = 2.3263478740408408

// lognormalDist is the lognormal distribution, exp(mu + sigma·Z) with Z standard normal:
// the usual shape of service latencies (a floor, a bulk, a long right tail). It is given
// either by its mean and standard deviation, or by its median and 99th percentile, which is
// how latencies are usually published:
//
//	mean m, stddev s:  sigma² = ln(1 + s²/m²),  mu = ln m - sigma²/2
//	p50, p99:          mu = ln p50,             sigma = (ln p99 - ln p50) / z₀.₉₉
//
// Its mean is exp(mu + sigma²/2) and its variance (exp(sigma²) - 1)·exp(2mu + sigma²).
type lognormalDist struct {
	mu, sigma float64
	a, b      float64 // the parameters as given: (mean, stddev) or (p50, p99)
	byPct     bool    // given as p50 and p99
}

func newLognormalSpec(c *paramCheck) Dist {
	c.allow("mean and stddev, or p50 and p99", "mean", "stddev", "p50", "p99")
	byMoments := c.has("mean") || c.has("stddev")
	byPct := c.has("p50") || c.has("p99")
	var d lognormalDist
	switch {
	case byMoments && byPct:
		c.addf("give either mean and stddev, or p50 and p99, not both")
		return nil
	case byPct:
		p50, ok1 := c.positive("p50")
		p99, ok2 := c.positive("p99")
		if !ok1 || !ok2 {
			return nil
		}
		if p99 <= p50 {
			c.addf("p99 must be > p50 %s, got %s", fmtFloat(p50), fmtFloat(p99))
			return nil
		}
		d = lognormalDist{mu: math.Log(p50), sigma: (math.Log(p99) - math.Log(p50)) / z99, a: p50, b: p99, byPct: true}
	case byMoments:
		m, ok1 := c.positive("mean")
		s, ok2 := c.positive("stddev")
		if !ok1 || !ok2 {
			return nil
		}
		cv := s / m
		s2 := math.Log1p(cv * cv)
		d = lognormalDist{mu: math.Log(m) - s2/2, sigma: math.Sqrt(s2), a: m, b: s}
	default:
		c.addf("give mean and stddev, or p50 and p99")
		return nil
	}
	if d.sigma <= 0 || !c.finiteMoments(&d) {
		if d.sigma <= 0 {
			c.addf("parameters too extreme: sigma %s must be > 0", fmtFloat(d.sigma))
		}
		return nil
	}
	return &d // a pointer: an interface call then reaches Sample without copying d
}

// Sample draws exp(mu + sigma·Z), with the package's fast exp (exp.go) rather than math.Exp:
// this is the simulator's most frequent draw.
func (d *lognormalDist) Sample(r *rand.Rand) float64 {
	return capFinite(exp(d.mu + d.sigma*r.NormFloat64()))
}

func (d *lognormalDist) Mean() float64 { return math.Exp(d.mu + d.sigma*d.sigma/2) }

func (d *lognormalDist) Variance() float64 {
	s2 := d.sigma * d.sigma
	return math.Expm1(s2) * math.Exp(2*d.mu+s2)
}

func (d *lognormalDist) String() string {
	if d.byPct {
		return "lognormal(p50=" + fmtFloat(d.a) + ", p99=" + fmtFloat(d.b) + ")"
	}
	return "lognormal(mean=" + fmtFloat(d.a) + ", stddev=" + fmtFloat(d.b) + ")"
}
