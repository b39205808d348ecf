package lambda

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestIdleStackBehavesAsADeque drives the stack and a plain slice with the same
// operations and checks that they always hold the same values in the same order.
func TestIdleStackBehavesAsADeque(t *testing.T) {
	tests := []struct {
		name string
		// weights of push, pop, dropBottom, clear
		push, pop, drop, clear int
	}{
		{"pushes and pops at the top grow and shrink it", 6, 4, 0, 0},
		{"reclamation from the bottom frees room that pushes reuse", 5, 1, 4, 0},
		{"clear empties it whatever it held", 8, 2, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			var s idleStack
			var want []time.Duration
			next, most := time.Duration(0), 0
			total := tt.push + tt.pop + tt.drop + tt.clear
			for i := 0; i < 20000; i++ {
				switch k := rng.IntN(total); {
				case k < tt.push:
					next++
					s.push(next)
					want = append(want, next)
				case k < tt.push+tt.pop:
					if len(want) > 0 {
						if s.top() != want[len(want)-1] {
							t.Fatalf("step %d: top = %v, want %v", i, s.top(), want[len(want)-1])
						}
						s.pop()
						want = want[:len(want)-1]
					}
				case k < tt.push+tt.pop+tt.drop:
					if len(want) > 0 {
						if s.bottom() != want[0] {
							t.Fatalf("step %d: bottom = %v, want %v", i, s.bottom(), want[0])
						}
						s.dropBottom()
						want = want[1:]
					}
				default:
					s.clear()
					want = want[:0]
				}
				if s.len() != len(want) {
					t.Fatalf("step %d: len = %d, want %d", i, s.len(), len(want))
				}
				most = max(most, len(want))
				if len(s.buf) > max(16, 2*most) {
					t.Fatalf("step %d: buffer of %d, most ever live %d", i, len(s.buf), most)
				}
			}
			for i := range want {
				if got := s.buf[s.lo+i]; got != want[i] {
					t.Fatalf("element %d = %v, want %v", i, got, want[i])
				}
			}
		})
	}
}
