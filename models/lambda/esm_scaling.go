package lambda

import (
	"time"

	"msgsim/sim"
)

// ESM scaling (behaviour reference §5.5 [L-SQSSCALE], modelling note 30):
//   - the ESM starts with 5 concurrent batches (or MaxConcurrency if lower);
//   - every second in which messages remained — the queue held on average at least a
//     full poll (min(BatchSize, 10) messages) visible that no poller had taken — it adds
//     5 (≈ 300 per minute), up to 1,250 per ESM or MaxConcurrency;
//   - a second in which a batch was throttled adds nothing, nor does any second within a
//     minute after a function error; at the end of each minute (of the ESM's clock) in
//     which errors occurred the target halves (floor 5);
//   - after 1 minute without messages it falls to 5, after 2 minutes to 2; this trimming
//     is off when MaxConcurrency is set. When messages come back below 5, it returns to 5.
//
// "A full poll visible on average over the second" is the simulator's reading of
// "while messages remain" (assumption). With enough pollers, long polls take every
// message as it becomes visible, so a poll's worth of messages left visible means another
// poller would get a full batch. Weaker signals make the ESM creep up without end at a
// steady load, because each message holds a poller for a receive round trip (≈ 20 ms),
// so all pollers are briefly busy now and then: a single full poll in a second, or any
// visible message at the tick, happen by chance even with hundreds of pollers too many.
// The mean is read from the queue's ApproximateNumberOfMessagesVisible gauge (its
// integral over the second). Workers above the target retire after their current batch.
const (
	esmStart    = 5
	esmStep     = 5
	esmCeiling  = 1250
	esmFloor    = 2
	esmQuiet    = time.Minute
	esmTickEach = time.Second
	esmMinute   = 60 // ticks per error-halving period
)

// esmScaling is the state of one ESM's scaling clock.
type esmScaling struct {
	ceiling   int
	trim      bool
	lastMsg   time.Duration
	seenMsg   bool
	throttled bool          // a batch was throttled since the last tick
	lastErr   time.Duration // when the function last returned an error for a batch
	errSeen   bool
	ticks     int

	visible  *sim.Gauge // the queue's ApproximateNumberOfMessagesVisible (nil: not found)
	lastInt  float64    // its integral at the previous tick
	lastTick time.Duration
}

func (s *esmScaling) init(cfg ESMConfig) {
	s.ceiling = esmCeiling
	s.trim = cfg.MaxConcurrency == 0
	if cfg.MaxConcurrency > 0 {
		s.ceiling = cfg.MaxConcurrency
	}
}

func (s *esmScaling) sawMessages(now time.Duration) { s.lastMsg, s.seenMsg = now, true }

func (s *esmScaling) sawError(now time.Duration) { s.lastErr, s.errSeen = now, true }

// start sets the initial target, starts the workers and the scaling clock.
func (e *esm) start() {
	e.target = min(esmStart, e.scaling.ceiling)
	e.conc.Set(e.f.w.Now(), float64(e.target))
	e.spawn()
	e.f.w.Eng.After(esmTickEach, e.f.h, evESMTick, int64(e.idx), 0)
}

// tick runs once a second.
func (e *esm) tick() {
	s := &e.scaling
	now := e.f.w.Now()
	s.ticks++
	base := min(esmStart, s.ceiling)
	recentErr := s.errSeen && now-s.lastErr < esmQuiet
	if s.ticks%esmMinute == 0 && recentErr {
		e.target = max(base, e.target/2)
	}
	if e.meanVisible(now) >= float64(min(e.cfg.BatchSize, pollMax)) && !s.throttled && !recentErr {
		e.target = min(s.ceiling, max(e.target, base)+esmStep)
	} else if s.lastMsg == now || (s.seenMsg && now-s.lastMsg < esmTickEach) {
		e.target = max(e.target, base) // messages again after a quiet spell
	}
	if s.trim {
		quiet := now - s.lastMsg
		switch {
		case quiet >= 2*esmQuiet:
			e.target = min(e.target, esmFloor)
		case quiet >= esmQuiet:
			e.target = min(e.target, esmStart)
		}
	}
	s.throttled = false
	e.conc.Set(now, float64(e.target))
	e.spawn()
	e.f.w.Eng.After(esmTickEach, e.f.h, evESMTick, int64(e.idx), 0)
}

// meanVisible is the time-weighted mean number of visible messages since the previous
// tick. Where the gauge is missing, or its window was reset (end of the warm-up) since the
// previous tick, it falls back to the number visible now.
func (e *esm) meanVisible(now time.Duration) float64 {
	s := &e.scaling
	if s.visible == nil {
		return float64(e.q.Visible())
	}
	in := s.visible.Integral(now)
	prev, from := s.lastInt, s.lastTick
	s.lastInt, s.lastTick = in, now
	if in < prev || now <= from {
		return float64(e.q.Visible())
	}
	return (in - prev) / (now - from).Seconds()
}
