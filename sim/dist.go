package sim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Dist is a probability distribution of non-negative or real values, in the caller's unit
// (durations are in seconds). Every distribution built by NewDist has non-negative values:
// kinds that could go below zero are either rejected (a uniform with min < 0) or truncated
// at zero (normal), so a sampled duration is never negative.
//
// Sample draws one value from r and allocates nothing, so models can call it per event.
// Mean and Variance are exact (closed forms, not estimates); Variance is math.Inf(1) when
// infinite and NaN when undefined. String describes the distribution with the parameters
// it was given, e.g. "lognormal(mean=0.04, stddev=0.02)".
type Dist interface {
	Sample(r *rand.Rand) float64
	Mean() float64
	Variance() float64
	String() string
}

// DistSpec is the YAML-neutral description of a distribution: Kind plus named parameters.
// The scenario loader fills it from YAML (converting durations to seconds first) and
// NewDist validates it and builds the Dist.
//
// Kinds and their parameters:
//
//	constant     value
//	exponential  mean, or rate (= 1/mean)
//	uniform      min, max                       (0 <= min <= max)
//	normal       mean, stddev                   truncated at 0; mean >= 0 is the mean before truncation
//	lognormal    mean, stddev; or p50, p99      (0 < p50 < p99)
//	gamma        shape, scale; or mean, stddev
//	weibull      shape, scale
//	pareto       alpha, xm                      (xm is the minimum value; alpha <= 1 has infinite mean)
//	empirical    Percentiles                    from P=0 to P=100, linear between points
//	mixture      Components                     weights > 0, normalised to sum to 1
type DistSpec struct {
	Kind        string             // one of the kinds above
	Params      map[string]float64 // named numeric parameters
	Percentiles []PercentilePoint  // empirical only
	Components  []MixtureComponent // mixture only
}

// PercentilePoint is one row of an empirical table: P percent of values are <= Value.
type PercentilePoint struct{ P, Value float64 }

// MixtureComponent is one part of a mixture: with probability Weight/sum(weights) a draw
// comes from Dist.
type MixtureComponent struct {
	Weight float64
	Dist   DistSpec
}

// distKinds lists the kinds NewDist knows, in the order error messages show them.
var distKinds = []string{"constant", "exponential", "uniform", "normal", "lognormal", "gamma",
	"weibull", "pareto", "empirical", "mixture"}

// maxMixtureDepth bounds the nesting of mixtures, so that a pathological spec is an error
// rather than a deep recursion. Real scenarios nest one or two levels.
const maxMixtureDepth = 8

// NewDist validates spec and builds its distribution. The error lists every problem found,
// separated by "; ", each naming the kind, the parameter and what is wrong with it, e.g.
// `lognormal: stddev must be > 0, got -1`.
func NewDist(spec DistSpec) (Dist, error) { return newDist(spec, 0) }

func newDist(spec DistSpec, depth int) (Dist, error) {
	c := &paramCheck{kind: spec.Kind, params: spec.Params}
	if !slices.Contains(distKinds, spec.Kind) {
		return nil, fmt.Errorf("unknown distribution %q (want one of %s)", spec.Kind, strings.Join(distKinds, ", "))
	}
	if len(spec.Percentiles) > 0 && spec.Kind != "empirical" {
		c.addf("a percentile table is only for empirical")
	}
	if len(spec.Components) > 0 && spec.Kind != "mixture" {
		c.addf("components are only for mixture")
	}
	var d Dist
	switch spec.Kind {
	case "constant":
		d = newConstantSpec(c)
	case "exponential":
		d = newExponentialSpec(c)
	case "uniform":
		d = newUniformSpec(c)
	case "normal":
		d = newNormalSpec(c)
	case "lognormal":
		d = newLognormalSpec(c)
	case "gamma":
		d = newGammaSpec(c)
	case "weibull":
		d = newWeibullSpec(c)
	case "pareto":
		d = newParetoSpec(c)
	case "empirical":
		d = newEmpiricalSpec(c, spec.Percentiles)
	case "mixture":
		d = newMixtureSpec(c, spec.Components, depth)
	}
	if len(c.probs) > 0 {
		return nil, errors.New(strings.Join(c.probs, "; "))
	}
	return d, nil
}

// Constant returns the distribution that always gives v. It is for values fixed in code;
// it panics if v is negative or not finite, like regexp.MustCompile. Values from users go
// through NewDist, which returns an error instead.
func Constant(v float64) Dist {
	return mustDist(NewDist(DistSpec{Kind: "constant", Params: map[string]float64{"value": v}}))
}

// Exponential returns the exponential distribution with the given mean (the time between
// events of a Poisson process). It is for values fixed in code; it panics unless mean is
// finite and > 0. Values from users go through NewDist, which returns an error instead.
func Exponential(mean float64) Dist {
	return mustDist(NewDist(DistSpec{Kind: "exponential", Params: map[string]float64{"mean": mean}}))
}

func mustDist(d Dist, err error) Dist {
	if err != nil {
		panic("sim: " + err.Error())
	}
	return d
}

// SampleDuration draws from d (in seconds) and returns a time.Duration, rounding to the
// nearest nanosecond and clamping negative draws to 0 (and draws beyond the range of a
// Duration, about 292 years, to the largest Duration).
func SampleDuration(d Dist, r *rand.Rand) time.Duration {
	ns := d.Sample(r) * 1e9
	if !(ns > 0) { // also catches NaN
		return 0
	}
	if ns >= math.MaxInt64 { // float64(MaxInt64) is 2^63
		return math.MaxInt64
	}
	// math.Round(ns), in fewer instructions: for 0 < ns < 2^63 the conversion truncates,
	// and ns minus its integer part is exact (below 2^52 the fraction needs no more bits
	// than ns has; from 2^52 on ns is an integer and the difference 0), so comparing it
	// with one half rounds halves away from zero as Round does.
	i := int64(ns)
	if ns-float64(i) >= 0.5 {
		i++
	}
	return time.Duration(i)
}

// paramCheck validates the named parameters of one spec and collects every problem found,
// so that the user sees them all at once.
type paramCheck struct {
	kind   string
	params map[string]float64
	probs  []string
}

// addf records a problem, prefixed with the kind.
func (c *paramCheck) addf(format string, args ...any) {
	c.probs = append(c.probs, c.kind+": "+fmt.Sprintf(format, args...))
}

// allow reports every parameter not in names, in sorted order so that the message does not
// depend on map iteration. want describes the accepted parameters for the message.
func (c *paramCheck) allow(want string, names ...string) {
	var unknown []string
	for k := range c.params {
		if !slices.Contains(names, k) {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		c.probs = append(c.probs, fmt.Sprintf("unknown parameter %q for %s (want %s)", k, c.kind, want))
	}
}

// has reports whether the parameter is present.
func (c *paramCheck) has(name string) bool {
	_, ok := c.params[name]
	return ok
}

// finite returns a required parameter, reporting it if it is missing or not finite.
func (c *paramCheck) finite(name string) (float64, bool) {
	v, ok := c.params[name]
	switch {
	case !ok:
		c.addf("%s is required", name)
		return 0, false
	case math.IsNaN(v) || math.IsInf(v, 0):
		c.addf("%s must be finite, got %s", name, fmtFloat(v))
		return 0, false
	}
	return v, true
}

// positive returns a required parameter that must be finite and > 0.
func (c *paramCheck) positive(name string) (float64, bool) {
	v, ok := c.finite(name)
	if ok && v <= 0 {
		c.addf("%s must be > 0, got %s", name, fmtFloat(v))
		return 0, false
	}
	return v, ok
}

// nonNegative returns a required parameter that must be finite and >= 0.
func (c *paramCheck) nonNegative(name string) (float64, bool) {
	v, ok := c.finite(name)
	if ok && v < 0 {
		c.addf("%s must be >= 0, got %s", name, fmtFloat(v))
		return 0, false
	}
	return v, ok
}

// finiteMoments reports a distribution whose parameters are individually valid but so
// extreme that its mean or variance overflows float64 (e.g. weibull shape 0.001): such a
// distribution cannot be reasoned about, and its draws would overflow too.
func (c *paramCheck) finiteMoments(d Dist) bool {
	m, v := d.Mean(), d.Variance()
	if math.IsNaN(m) || math.IsInf(m, 0) || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		c.addf("parameters too extreme: mean %s, variance %s (both must be finite)", fmtFloat(m), fmtFloat(v))
		return false
	}
	return true
}

// fmtFloat formats v in the shortest form that reads back exactly.
func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// capFinite clamps a draw that overflowed to +Inf (exp or pow of an extreme tail value) to
// the largest float64, so that Sample always returns a finite value.
func capFinite(x float64) float64 {
	if x > math.MaxFloat64 {
		return math.MaxFloat64
	}
	return x
}
