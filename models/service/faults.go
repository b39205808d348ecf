package service

import (
	"time"

	"msgsim/models/core"
	"msgsim/models/fault"
)

// initFaults compiles the fault schedule (already validated) and sets up the rate limit.
func (s *Service) initFaults() error {
	sch, err := fault.Compile(s.cfg.Faults)
	if err != nil {
		return err
	}
	if sch.Active() {
		s.faults = sch
	}
	if s.cfg.OutageTimeout == 0 {
		s.cfg.OutageTimeout = DefaultOutageTimeout
	}
	if s.cfg.RateLimit > 0 {
		s.setRate(s.cfg.RateLimit, s.cfg.RateBurst)
	}
	return nil
}

// setRate puts a rate limit of rate requests per second in force, with a full bucket of
// burst tokens (1 s of rate when burst is 0). A rate of 0 refuses every request.
func (s *Service) setRate(rate, burst float64) {
	if burst <= 0 {
		burst = rate
	}
	s.limited, s.rate = true, rate
	s.limit = core.NewTokenBucket(rate, burst)
}

// checkLimits applies, in order, the fault schedule (outages, rate-limit changes), the
// rate limit and the table's capacity to a new request. It returns core.OK to go on to the
// station, core.Failed (error outage), core.TimedOut (timeout outage: the request now
// hangs) or core.Throttled.
func (s *Service) checkLimits(cu customer, now time.Duration) core.Status {
	if s.faults != nil {
		st := s.faults.At(now)
		switch st.Down {
		case fault.ModeError:
			s.errs.Inc()
			return core.Failed
		case fault.ModeTimeout:
			s.errs.Inc()
			s.hang(cu)
			return core.TimedOut
		}
		if st.HasRateLimit() && (!s.limited || st.RateLimit != s.rate) {
			s.setRate(st.RateLimit, 0)
		}
	}
	if s.limited && (s.rate == 0 || !s.limit.Take(now, 1)) {
		s.throttled.Inc()
		return core.Throttled
	}
	if s.table != nil && !s.table.admit(now, cu.msg) {
		s.throttled.Inc()
		return core.Throttled
	}
	return core.OK
}

// hang holds a request that arrived in a timeout outage until the outage timeout expires.
func (s *Service) hang(cu customer) {
	var slot int32
	if n := len(s.hungFree); n > 0 {
		slot = s.hungFree[n-1]
		s.hungFree = s.hungFree[:n-1]
	} else {
		s.hung = append(s.hung, customer{})
		slot = int32(len(s.hung) - 1)
	}
	s.hung[slot] = cu
	if cu.call == noCall {
		s.nHung++
	}
	s.w.Eng.After(s.cfg.OutageTimeout, s.h, evHang, int64(slot), 0)
}

// giveUp ends a hanging request: a call is answered core.TimedOut (its caller may have
// given up already), an asynchronous request is dropped with the reason
// "timed out (outage)".
func (s *Service) giveUp(slot int32) {
	cu := s.hung[slot]
	s.hungFree = append(s.hungFree, slot)
	if cu.call != noCall {
		s.w.Reply(cu.call, core.TimedOut)
		return
	}
	s.nHung--
	s.w.Drop(cu.msg, s.hangKey)
}
