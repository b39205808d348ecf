package core

import "testing"

// TestSpreadIsModulo checks the mask shortcut against h mod n, for powers of two and not.
func TestSpreadIsModulo(t *testing.T) {
	for n := 1; n <= 40; n++ {
		for i := range uint64(200) {
			h := Mix64(i)
			if got, want := Spread(h, n), int(h%uint64(n)); got != want {
				t.Fatalf("Spread(%#x, %d) = %d, want %d", h, n, got, want)
			}
		}
	}
}

// TestMix64IsSplitMix64 pins the finaliser's values (results depend on them): the
// SplitMix64 outputs for seed 0, whose state after k steps is k·0x9e3779b97f4a7c15.
func TestMix64IsSplitMix64(t *testing.T) {
	want := []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f}
	for k, w := range want {
		if got := Mix64(uint64(k+1) * 0x9e3779b97f4a7c15); got != w {
			t.Errorf("Mix64(step %d) = %#x, want %#x", k+1, got, w)
		}
	}
}
