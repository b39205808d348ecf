package core

// Mix64 is the SplitMix64 finaliser: a bijective mixing of x, so that consecutive keys
// (trace ids, group ids, interned string ids) spread evenly over partitions or cache
// slots. Stable across runs and platforms: results depend on it.
func Mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// Spread maps hash h to one of n > 0 slots: h mod n, computed with a mask when n is a power
// of two (the common partition counts), which gives the same slot without a division.
func Spread(h uint64, n int) int {
	u := uint64(n)
	if u&(u-1) == 0 {
		return int(h & (u - 1))
	}
	return int(h % u)
}
