package sim

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// MeanCI returns the sample mean of xs and the half-width of its Student-t confidence
// interval at the given level (0.95 for 95%): t_{(1+level)/2, n-1} · s/√n, with s the
// sample standard deviation (n-1 denominator). The interval assumes the xs are independent
// and roughly normal — true for the means of independent replications, not for the
// observations inside one run (use BatchMeans there).
//
// An empty xs gives a NaN mean; fewer than two values, or a level outside (0, 1), give a
// NaN half-width: there is no interval to report, and NaN makes that visible downstream.
func MeanCI(xs []float64, level float64) (mean, halfWidth float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	mean, variance := stat.MeanVariance(xs, nil)
	if len(xs) < 2 {
		return mean, math.NaN()
	}
	return mean, tHalfWidth(level, len(xs)-1, math.Sqrt(variance/float64(len(xs))))
}

// tHalfWidth returns t_{(1+level)/2, dof} · stdErr, or NaN for a level outside (0, 1).
func tHalfWidth(level float64, dof int, stdErr float64) float64 {
	if !(level > 0 && level < 1) || dof < 1 {
		return math.NaN()
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(dof)}.Quantile((1 + level) / 2)
	return t * stdErr
}

// PairedDiffCI returns the mean of the differences a[i]-b[i] and the half-width of its
// Student-t interval at the given level. Pairing the replications of two variants that
// share random numbers (same seed, same component names) cancels the noise they have in
// common, so this interval is usually much narrower than comparing two MeanCIs: if it
// excludes 0, the variants differ. a and b must have the same length.
func PairedDiffCI(a, b []float64, level float64) (meanDiff, halfWidth float64, err error) {
	if len(a) != len(b) {
		return math.NaN(), math.NaN(), fmt.Errorf("sim: paired samples differ in length: %d and %d", len(a), len(b))
	}
	d := make([]float64, len(a))
	for i := range a {
		d[i] = a[i] - b[i]
	}
	meanDiff, halfWidth = MeanCI(d, level)
	return meanDiff, halfWidth, nil
}
