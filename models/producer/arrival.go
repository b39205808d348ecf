// Package producer models the clients that emit messages into an architecture: an
// arrival process, message attributes, sizes, FIFO groups and a poison fraction.
package producer

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Arrival is an arrival process: given the time of the previous arrival, it draws the next
// one. ok is false when the process has no more arrivals (a finished trace).
type Arrival interface {
	Next(prev time.Duration, r *rand.Rand) (next time.Duration, ok bool)
	// Rate is the instantaneous rate at t, in arrivals per second (for plots and checks).
	Rate(t time.Duration) float64
}

// Poisson arrivals: exponential inter-arrival times with mean 1/rate.
type Poisson struct{ PerSecond float64 }

// Next draws the next arrival.
func (p Poisson) Next(prev time.Duration, r *rand.Rand) (time.Duration, bool) {
	return prev + time.Duration(r.ExpFloat64()/p.PerSecond*1e9), true
}

// Rate is the constant rate.
func (p Poisson) Rate(time.Duration) float64 { return p.PerSecond }

// Constant arrivals: exactly 1/rate apart, the first one at 1/rate.
type Constant struct{ PerSecond float64 }

// Next returns prev + 1/rate.
func (c Constant) Next(prev time.Duration, _ *rand.Rand) (time.Duration, bool) {
	return prev + time.Duration(1e9/c.PerSecond), true
}

// Rate is the constant rate.
func (c Constant) Rate(time.Duration) float64 { return c.PerSecond }

func checkRate(name string, r float64) error {
	if !(r > 0) {
		return fmt.Errorf("%s: rate must be > 0, got %v", name, r)
	}
	return nil
}
