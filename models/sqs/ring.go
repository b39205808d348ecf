package sqs

// ring is the FIFO of packed (slot, generation) entries the queue keeps in arrival order
// (age of the oldest message, long-poll waiters): an orderedRing of uint64.
type ring = orderedRing[uint64]

func pack(slot int32, gen uint32) uint64 { return uint64(uint32(slot))<<32 | uint64(gen) }

func unpack(v uint64) (int32, uint32) { return int32(v >> 32), uint32(v) }
