package service

import (
	"fmt"
	"math"
)

// MMc is the M/M/c queue of queueing theory: Poisson arrivals at rate Lambda, Servers
// parallel servers with exponential service at rate Mu each, an unbounded FIFO line. It
// gives the closed forms the station is validated against (and that the CLI can print
// beside a run). All times are in seconds. It is stable only when Lambda < Servers·Mu.
type MMc struct {
	Lambda, Mu float64
	Servers    int
}

// Check reports parameters for which the closed forms do not exist.
func (q MMc) Check() error {
	if !(q.Lambda > 0) || !(q.Mu > 0) || q.Servers < 1 || math.IsInf(q.Lambda, 0) || math.IsInf(q.Mu, 0) {
		return fmt.Errorf("M/M/c needs lambda > 0, mu > 0 and servers >= 1, got %v, %v, %d", q.Lambda, q.Mu, q.Servers)
	}
	if q.Lambda >= float64(q.Servers)*q.Mu {
		return fmt.Errorf("M/M/c is unstable: lambda %v >= servers·mu %v", q.Lambda, float64(q.Servers)*q.Mu)
	}
	return nil
}

// ErlangC is the probability that an arrival waits (all c servers busy): with a = λ/μ and
// ρ = a/c, C = B/(1 − ρ(1 − B)) where B is Erlang's loss formula, computed by the stable
// recursion B(0) = 1, B(k) = a·B(k−1)/(k + a·B(k−1)).
func (q MMc) ErlangC() float64 {
	a := q.Lambda / q.Mu
	b := 1.0
	for k := 1; k <= q.Servers; k++ {
		b = a * b / (float64(k) + a*b)
	}
	rho := a / float64(q.Servers)
	return b / (1 - rho*(1-b))
}

// drain is θ = cμ − λ, the rate of the exponential wait of a customer who waits.
func (q MMc) drain() float64 { return float64(q.Servers)*q.Mu - q.Lambda }

// MeanWait is the mean time in the line: Wq = C/(cμ − λ).
func (q MMc) MeanWait() float64 { return q.ErlangC() / q.drain() }

// MeanSojourn is the mean time in the system: W = Wq + 1/μ.
func (q MMc) MeanSojourn() float64 { return q.MeanWait() + 1/q.Mu }

// SojournTail is P(sojourn > t). The sojourn is a service time X ~ Exp(μ) plus a wait that
// is 0 with probability 1 − C and Exp(θ), θ = cμ − λ, with probability C; the sum of two
// exponentials has P(X+Y > t) = (θe^{−μt} − μe^{−θt})/(θ − μ), or e^{−μt}(1 + μt) if θ = μ.
func (q MMc) SojournTail(t float64) float64 {
	if t <= 0 {
		return 1
	}
	c, mu, th := q.ErlangC(), q.Mu, q.drain()
	var both float64
	if math.Abs(th-mu) < 1e-12*mu {
		both = math.Exp(-mu*t) * (1 + mu*t)
	} else {
		both = (th*math.Exp(-mu*t) - mu*math.Exp(-th*t)) / (th - mu)
	}
	return (1-c)*math.Exp(-mu*t) + c*both
}

// SojournDensity is the density of the sojourn time at t (the derivative of 1 −
// SojournTail): (1 − C)μe^{−μt} + C·θμ(e^{−μt} − e^{−θt})/(θ − μ).
func (q MMc) SojournDensity(t float64) float64 {
	if t < 0 {
		return 0
	}
	c, mu, th := q.ErlangC(), q.Mu, q.drain()
	var both float64
	if math.Abs(th-mu) < 1e-12*mu {
		both = mu * mu * t * math.Exp(-mu*t)
	} else {
		both = th * mu * (math.Exp(-mu*t) - math.Exp(-th*t)) / (th - mu)
	}
	return (1-c)*mu*math.Exp(-mu*t) + c*both
}

// SojournQuantile is the p-quantile of the sojourn time (0 < p < 1), found by bisection
// on SojournTail to a relative precision of 1e-12.
func (q MMc) SojournQuantile(p float64) float64 {
	lo, hi := 0.0, 1/q.Mu
	for q.SojournTail(hi) > 1-p {
		hi *= 2
	}
	for i := 0; i < 200 && hi-lo > 1e-12*hi; i++ {
		mid := (lo + hi) / 2
		if q.SojournTail(mid) > 1-p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// MMcKBlocking is the probability that an arrival to an M/M/c/K station (c servers, at
// most K requests in the system, so a line of K − c) finds it full and is refused. It is
// the stationary probability of state K of the birth–death chain with birth rate λ and
// death rate min(n, c)·μ: p_n ∝ ∏_{i=1..n} λ/(min(i, c)·μ), and arrivals see time
// averages (PASTA). It is NaN for parameters outside λ > 0, μ > 0, 1 ≤ c ≤ K.
func MMcKBlocking(lambda, mu float64, c, k int) float64 {
	if !(lambda > 0) || !(mu > 0) || c < 1 || k < c {
		return math.NaN()
	}
	term, sum := 1.0, 1.0
	for n := 1; n <= k; n++ {
		term *= lambda / (float64(min(n, c)) * mu)
		sum += term
	}
	return term / sum
}

// MG1Wait is the Pollaczek–Khinchine mean wait of an M/G/1 queue with arrival rate λ and
// a service time of the given mean and variance: Wq = λE[S²]/(2(1 − ρ)), E[S²] = var +
// mean², ρ = λ·mean. For deterministic service (M/D/1) it is ρ/(2μ(1 − ρ)). It is +Inf
// when ρ ≥ 1.
func MG1Wait(lambda, mean, variance float64) float64 {
	rho := lambda * mean
	if rho >= 1 {
		return math.Inf(1)
	}
	return lambda * (variance + mean*mean) / (2 * (1 - rho))
}
