package sim

import "math/rand/v2"

// NewStream returns the random stream of one component in one replication of a run: a
// math/rand/v2 PCG generator whose two 64-bit seeds are derived from (seed, replication,
// name) and from nothing else. There is no global RNG in msgsim; every component that needs
// randomness owns a stream made here.
//
// Common random numbers: because the stream depends only on the triple, a component named
// "inventory" draws exactly the same numbers in two variants of a scenario run with the same
// seed and replication, whatever else differs between the variants (other components, their
// order, how many draws they make). A comparison of the variants then measures the effect of
// the change rather than the noise of different random numbers, so its confidence interval
// is much narrower for the same number of replications. Changing the seed, the replication
// index or the name gives a stream that is, for all practical purposes, independent.
//
// The derivation hashes the name with 64-bit FNV-1a and mixes the three parts with the
// splitmix64 finaliser (a bijective avalanche of 64 bits), so similar names ("q1", "q2") and
// neighbouring seeds or replications do not give correlated streams.
func NewStream(seed uint64, replication int, name string) *rand.Rand {
	s1, s2 := streamSeeds(seed, replication, name)
	return rand.New(rand.NewPCG(s1, s2))
}

// streamSeeds derives the two PCG seeds of a stream. Each of the three inputs passes through
// the mixer before the next is folded in, so no two inputs can cancel each other by XOR
// alone; the second seed is a further, differently-salted mix of the first.
func streamSeeds(seed uint64, replication int, name string) (uint64, uint64) {
	x := splitmix64(seed ^ 0x6a09e667f3bcc908)
	x = splitmix64(x ^ uint64(int64(replication)))
	x = splitmix64(x ^ fnv1a64(name))
	return x, splitmix64(x ^ 0xbb67ae8584caa73b)
}

// fnv1a64 is the 64-bit FNV-1a hash of s (written out to avoid allocating a hash.Hash).
func fnv1a64(s string) uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= prime
	}
	return h
}

// splitmix64 is the finaliser of Steele, Lea and Flood's SplitMix64: it adds the golden-ratio
// increment and avalanches every input bit into every output bit.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
