package producer

import (
	"math"
	"math/rand/v2"
	"time"
)

// Segment is one piece of a piecewise-linear arrival rate: from Start the rate goes
// linearly from From to To (per second) until the next segment starts. The last segment's
// rate stays at its To value for ever after its Ramp has elapsed.
type Segment struct {
	Start    time.Duration
	From, To float64
	Ramp     time.Duration // how long the linear change takes; 0 = a step to To at Start
}

// Piecewise is a non-homogeneous Poisson process with a piecewise-linear rate, sampled
// exactly by inverting the integrated rate Λ: the next arrival after t is the x at which
// Λ(t, t+x) reaches an Exp(1) draw. It covers constant, step/spike and ramp profiles
// without the rejected draws of thinning.
type Piecewise struct {
	Segs []Segment // sorted by Start; the first starts at 0
}

// rateAt returns the rate and its slope (per second²) at time t, and when that linear
// piece ends (math.MaxInt64 for the last).
func (p *Piecewise) piece(t time.Duration) (rate, slope float64, end time.Duration) {
	i := len(p.Segs) - 1
	for i > 0 && p.Segs[i].Start > t {
		i--
	}
	s := p.Segs[i]
	next := time.Duration(math.MaxInt64)
	if i+1 < len(p.Segs) {
		next = p.Segs[i+1].Start
	}
	rampEnd := s.Start + s.Ramp
	if s.Ramp > 0 && t < rampEnd {
		slope = (s.To - s.From) / s.Ramp.Seconds()
		rate = s.From + slope*(t-s.Start).Seconds()
		if rampEnd < next {
			next = rampEnd
		}
		return rate, slope, next
	}
	return s.To, 0, next
}

// Next draws the next arrival after prev.
func (p *Piecewise) Next(prev time.Duration, r *rand.Rand) (time.Duration, bool) {
	e := r.ExpFloat64() // Λ still to cover
	t := prev
	for {
		rate, slope, end := p.piece(t)
		span := math.Inf(1)
		if end != time.Duration(math.MaxInt64) {
			span = (end - t).Seconds()
		}
		// Λ over [t, t+x] = rate·x + slope·x²/2
		var x float64
		switch {
		case slope == 0 && rate <= 0:
			x = math.Inf(1)
		case slope == 0:
			x = e / rate
		default:
			disc := rate*rate + 2*slope*e
			if disc < 0 { // decreasing rate reaches 0 before Λ is covered
				x = math.Inf(1)
			} else {
				x = (-rate + math.Sqrt(disc)) / slope
				if x < 0 {
					x = math.Inf(1)
				}
			}
		}
		if x <= span {
			return t + time.Duration(x*1e9), true
		}
		if math.IsInf(span, 1) {
			return 0, false // the rate is 0 for ever: no more arrivals
		}
		e -= rate*span + slope*span*span/2
		t = end
	}
}

// Rate is the rate at t.
func (p *Piecewise) Rate(t time.Duration) float64 {
	r, _, _ := p.piece(t)
	return r
}

// Ramp returns a process whose rate goes linearly from `from` to `to` over `over`,
// starting at `at` (rate `from` before), then stays at `to`.
func Ramp(from, to float64, at, over time.Duration) *Piecewise {
	return &Piecewise{Segs: []Segment{{Start: 0, From: from, To: from}, {Start: at, From: from, To: to, Ramp: over}}}
}

// Spike returns a process at `base`, stepping to `peak` at `at` for `dur`, then back.
func Spike(base, peak float64, at, dur time.Duration) *Piecewise {
	return &Piecewise{Segs: []Segment{{Start: 0, From: base, To: base}, {Start: at, From: peak, To: peak}, {Start: at + dur, From: base, To: base}}}
}

// Diurnal is a Poisson process with rate mean·(1 + amplitude·sin(2π(t+phase)/period)),
// sampled by thinning a Poisson process at the peak rate (acceptance ≥ 1/(1+amplitude)).
type Diurnal struct {
	Mean, Amplitude float64
	Period, Phase   time.Duration
}

// Rate is the sinusoidal rate at t.
func (d Diurnal) Rate(t time.Duration) float64 {
	return d.Mean * (1 + d.Amplitude*math.Sin(2*math.Pi*(t+d.Phase).Seconds()/d.Period.Seconds()))
}

// Next draws the next arrival after prev.
func (d Diurnal) Next(prev time.Duration, r *rand.Rand) (time.Duration, bool) {
	peak := d.Mean * (1 + d.Amplitude)
	t := prev
	for {
		t += time.Duration(r.ExpFloat64() / peak * 1e9)
		if r.Float64()*peak <= d.Rate(t) {
			return t, true
		}
	}
}

// Bursty is an on/off Markov-modulated Poisson process: bursts of mean length On at rate
// Burst alternate with quiet periods of mean length Off at rate Idle, both lengths
// exponential. Burst is the rate during a burst. It starts in a burst.
type Bursty struct {
	Burst, Idle float64
	On, Off     time.Duration

	started  bool
	on       bool
	stateEnd time.Duration
}

// Next draws the next arrival after prev; by memorylessness a draw that crosses the end
// of the current state is simply redrawn in the next state.
func (b *Bursty) Next(prev time.Duration, r *rand.Rand) (time.Duration, bool) {
	t := prev
	if !b.started {
		b.started, b.on = true, true
		b.stateEnd = t + time.Duration(r.ExpFloat64()*float64(b.On))
	}
	for {
		rate := b.Idle
		if b.on {
			rate = b.Burst
		}
		if rate > 0 {
			next := t + time.Duration(r.ExpFloat64()/rate*1e9)
			if next < b.stateEnd {
				return next, true
			}
		}
		t = b.stateEnd
		b.on = !b.on
		mean := b.Off
		if b.on {
			mean = b.On
		}
		b.stateEnd = t + time.Duration(r.ExpFloat64()*float64(mean))
	}
}

// Rate is the long-run mean rate (the state at t is random).
func (b *Bursty) Rate(time.Duration) float64 {
	on, off := b.On.Seconds(), b.Off.Seconds()
	return (b.Burst*on + b.Idle*off) / (on + off)
}

// Trace replays recorded arrival times (sorted, relative to the start of the run); with
// Loop the trace starts again after its last arrival, shifted by its span.
type Trace struct {
	Times []time.Duration
	Loop  bool

	i      int
	offset time.Duration
}

// Next returns the next recorded arrival.
func (tr *Trace) Next(prev time.Duration, _ *rand.Rand) (time.Duration, bool) {
	if tr.i >= len(tr.Times) {
		if !tr.Loop || len(tr.Times) == 0 {
			return 0, false
		}
		span := tr.Times[len(tr.Times)-1]
		if span <= 0 {
			span = time.Nanosecond
		}
		tr.offset += span
		tr.i = 0
	}
	t := tr.Times[tr.i] + tr.offset
	tr.i++
	return t, true
}

// Rate is the trace's mean rate.
func (tr *Trace) Rate(time.Duration) float64 {
	if len(tr.Times) == 0 || tr.Times[len(tr.Times)-1] <= 0 {
		return 0
	}
	return float64(len(tr.Times)) / tr.Times[len(tr.Times)-1].Seconds()
}
