package sim

import (
	"strconv"
	"testing"
)

// firstDraws returns the first n Uint64 draws of the stream (seed, replication, name).
func firstDraws(seed uint64, replication int, name string, n int) []uint64 {
	r := NewStream(seed, replication, name)
	out := make([]uint64, n)
	for i := range out {
		out[i] = r.Uint64()
	}
	return out
}

func TestNewStream(t *testing.T) {
	type triple struct {
		seed uint64
		rep  int
		name string
	}
	base := triple{42, 0, "inventory"}
	tests := []struct {
		name  string
		other triple
		same  bool
	}{
		{"same seed, replication and name give the same sequence", base, true},
		{"a different seed gives a different sequence", triple{43, 0, "inventory"}, false},
		{"a different replication gives a different sequence", triple{42, 1, "inventory"}, false},
		{"a negative replication is distinct from its absolute value", triple{42, -1, "inventory"}, false},
		{"a different name gives a different sequence", triple{42, 0, "inventorz"}, false},
		{"the empty name is a name like any other", triple{42, 0, ""}, false},
	}
	want := firstDraws(base.seed, base.rep, base.name, 100)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := firstDraws(tt.other.seed, tt.other.rep, tt.other.name, 100)
			equal := 0
			for i := range got {
				if got[i] == want[i] {
					equal++
				}
			}
			if tt.same && equal != len(got) {
				t.Fatalf("%d of %d draws equal, want all", equal, len(got))
			}
			// Two independent 64-bit streams agree on a given draw with probability 2^-64,
			// so any agreement at all means the streams are not independent.
			if !tt.same && equal != 0 {
				t.Fatalf("%d of %d draws equal, want none", equal, len(got))
			}
		})
	}
}

func TestNewStreamNamesDoNotCollide(t *testing.T) {
	// 10,000 names of the kind a scenario uses ("queue-1", "queue-2", ...): with 64-bit
	// draws the chance of any collision among them is n^2/2^65 ≈ 3e-12, so one collision
	// means the name is not mixed into the seed properly.
	seen := make(map[uint64]string, 10000)
	for i := range 10000 {
		name := "queue-" + strconv.Itoa(i)
		v := NewStream(7, 3, name).Uint64()
		if prev, ok := seen[v]; ok {
			t.Fatalf("names %q and %q give the same first draw %#x", prev, name, v)
		}
		seen[v] = name
	}
}

func TestNewStreamSeedsAndReplicationsDoNotCollide(t *testing.T) {
	// Neighbouring seeds and replications are the common case (seed 1, 2, 3; replication
	// 0..N-1); the same 2^-64 argument as above applies to their first draws.
	seen := make(map[uint64][2]int, 100*100)
	for seed := range 100 {
		for rep := range 100 {
			v := NewStream(uint64(seed), rep, "producer").Uint64()
			if prev, ok := seen[v]; ok {
				t.Fatalf("(seed, rep) %v and %v give the same first draw", prev, [2]int{seed, rep})
			}
			seen[v] = [2]int{seed, rep}
		}
	}
}

func TestNewStreamBitsAreBalanced(t *testing.T) {
	// Across streams of consecutive names, each bit of the first draw should be set half
	// the time. For n streams the count of set bits is Binomial(n, 1/2), standard deviation
	// sqrt(n)/2; we allow 5 standard deviations per bit (64 bits, so a false alarm has
	// probability about 64 * 5.7e-7).
	const n = 4096
	var counts [64]int
	for i := range n {
		v := NewStream(0, 0, "c"+strconv.Itoa(i)).Uint64()
		for b := range 64 {
			counts[b] += int(v >> b & 1)
		}
	}
	const tol = 5 * 32 // 5 * sqrt(4096)/2
	for b, c := range counts {
		if c < n/2-tol || c > n/2+tol {
			t.Errorf("bit %d set in %d of %d first draws, want %d ± %d", b, c, n, n/2, tol)
		}
	}
}
