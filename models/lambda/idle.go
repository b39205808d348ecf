package lambda

import "time"

// idleStack holds the moments at which a function's idle execution environments went
// idle, oldest at the bottom (environments describes the policy): an invoke reuses the
// top one, a release pushes on top, and reclamation drops expired ones from the bottom.
//
// The live part is buf[lo:hi]. It is a stack over a slice rather than a ring buffer
// because every invocation pops and pushes the top: on a slice that is one index, with
// no wrap-around arithmetic. The room below lo that reclamation frees is recovered when a
// push finds the slice full and at least half of it below lo (the live part slides
// down); otherwise a slice twice the live part replaces it. Either way the next
// len(buf)/2 pushes or more need no room, so a slide or copy costs O(1) per push
// amortised; the slice never exceeds twice the largest live part (or 16), and a steady
// state allocates nothing.
type idleStack struct {
	buf    []time.Duration
	lo, hi int
}

func (s *idleStack) len() int { return s.hi - s.lo }

// full reports whether the next push must make room.
func (s *idleStack) full() bool { return s.hi == len(s.buf) }

// top and bottom must only be called on a non-empty stack.
func (s *idleStack) top() time.Duration    { return s.buf[s.hi-1] }
func (s *idleStack) bottom() time.Duration { return s.buf[s.lo] }

func (s *idleStack) pop()        { s.hi-- }
func (s *idleStack) dropBottom() { s.lo++ }
func (s *idleStack) clear()      { s.lo, s.hi = 0, 0 }

func (s *idleStack) push(v time.Duration) {
	if s.hi == len(s.buf) {
		s.makeRoom()
	}
	s.buf[s.hi] = v
	s.hi++
}

// makeRoom frees at least one slot above hi (called when hi == len(buf)): it slides the
// live part down when at least half of the slice lies below lo; else the live part is
// over half of the slice and moves to a new one twice its size (16 to start with). Kept
// out of line so that push, on every release, inlines.
//
//go:noinline
func (s *idleStack) makeRoom() {
	n := s.hi - s.lo
	if s.lo > 0 && s.lo >= len(s.buf)/2 {
		copy(s.buf, s.buf[s.lo:s.hi])
		s.lo, s.hi = 0, n
		return
	}
	buf := make([]time.Duration, max(2*n, 16))
	copy(buf, s.buf[s.lo:s.hi])
	s.buf, s.lo, s.hi = buf, 0, n
}
