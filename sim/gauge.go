package sim

import "time"

// Gauge is a time-weighted gauge: a value that changes at instants of simulated time and
// holds between them, such as a queue's depth or a function's concurrency. It keeps the
// integral ∫v dt since the start of the window, so Mean is the time-weighted mean (a queue
// that holds 100 messages for 1 s and 0 for 9 s has mean depth 10, whatever the number of
// changes), and the maximum.
//
// The zero value is a gauge at 0 whose window starts at time 0, the start of a run. Times
// passed in must not decrease; a time earlier than the last update is treated as the last
// update's time (the engine's clock never goes backwards, so this only guards against
// misuse). No method allocates.
type Gauge struct {
	cur       float64
	max       float64       // max since the window start
	windowMax float64       // max since the last TakeWindowMax
	start     time.Duration // window start
	last      time.Duration // time of the last update
	integral  float64       // ∫v dt from start to last, in value·ns
}

// advance accumulates the current value's contribution up to now.
func (g *Gauge) advance(now time.Duration) {
	if now <= g.last {
		return
	}
	g.integral += g.cur * float64(now-g.last)
	g.last = now
}

// Set changes the value to v at time now.
func (g *Gauge) Set(now time.Duration, v float64) {
	g.advance(now)
	g.cur = v
	if v > g.windowMax { // windowMax ≤ max (its period lies within max's), so only then can v exceed max
		g.windowMax = v
		if v > g.max {
			g.max = v
		}
	}
}

// Add changes the value by dv at time now (dv may be negative).
func (g *Gauge) Add(now time.Duration, dv float64) { g.Set(now, g.cur+dv) }

// Value returns the current value.
func (g *Gauge) Value() float64 { return g.cur }

// Max returns the largest value held since the start or the last ResetWindow.
func (g *Gauge) Max() float64 { return g.max }

// Integral returns ∫v dt from the window start to now, in value·seconds.
func (g *Gauge) Integral(now time.Duration) float64 {
	in := g.integral
	if now > g.last {
		in += g.cur * float64(now-g.last)
	}
	return in / float64(time.Second)
}

// Mean returns the time-weighted mean from the window start to now. For an empty window
// (now at or before the start) it returns the current value.
func (g *Gauge) Mean(now time.Duration) float64 {
	if now <= g.start {
		return g.cur
	}
	return g.Integral(now) / (now - g.start).Seconds()
}

// ResetWindow starts a new window at now, discarding the integral and the maximum but
// keeping the current value: the gauge's statistics then exclude a warm-up period.
func (g *Gauge) ResetWindow(now time.Duration) {
	g.advance(now)
	g.start = g.last
	g.integral = 0
	g.max = g.cur
	g.windowMax = g.cur
}

// TakeWindowMax returns the largest value held since the previous call (or the start) and
// restarts that maximum at the current value. A sampler calls it at each bucket boundary
// to build a per-bucket max series; the value in force when a bucket opens counts in it.
func (g *Gauge) TakeWindowMax() float64 {
	m := g.windowMax
	g.windowMax = g.cur
	return m
}
