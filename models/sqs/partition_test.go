package sqs

import (
	"math/rand/v2"
	"testing"
)

// TestPartitionOrderMatchesOneHeap checks that a partition (FIFO of in-order arrivals plus a
// heap of late ones, partition.go) gives up its messages in exactly the order one indexed
// heap keyed by (seq, slot) did, under random pushes (in order or late), picks and removals
// from the middle (which leave stale FIFO entries, popped or compacted later).
func TestPartitionOrderMatchesOneHeap(t *testing.T) {
	cases := []struct {
		name                string
		late, remove, picks float64 // probabilities per step: a late push, a removal, a pick
		steps, slots        int
	}{
		{"mostly in order", 0.05, 0.02, 0.45, 20000, 512},
		{"half late", 0.5, 0.05, 0.45, 20000, 512},
		{"many removals (compaction)", 0.1, 0.45, 0.05, 40000, 256},
		{"small and busy", 0.3, 0.1, 0.5, 20000, 8},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rng := testRand(uint64(i + 1))
			q := &Queue{recs: make([]record, tc.slots), waitPos: make([]int32, tc.slots)}
			q.partKeep = q.partValid
			refPos := make([]int32, tc.slots)
			for s := range q.waitPos {
				q.waitPos[s], refPos[s] = -1, -1
			}
			p := &visPart{late: idxHeap{pos: &q.waitPos}}
			ref := &idxHeap{pos: &refPos}
			var free, visible []int32
			for s := tc.slots - 1; s >= 0; s-- {
				free = append(free, int32(s))
			}
			var next uint64 = 1000
			for step := range tc.steps {
				u := rng.Float64()
				switch {
				case u < tc.picks:
					if ref.len() == 0 {
						continue
					}
					it, fromRing, ok := q.partHead(p)
					want, _ := ref.min()
					if !ok || it != want {
						t.Fatalf("step %d: head %+v (ok %v), one heap's %+v", step, it, ok, want)
					}
					if s := p.pop(fromRing); s != ref.popMin() || s != want.slot {
						t.Fatalf("step %d: popped %d, want %d", step, s, want.slot)
					}
					q.recs[want.slot].state = stInFlight // received; it may come back late
					visible = without(visible, want.slot)
					free = append(free, want.slot)
				case u < tc.picks+tc.remove:
					if len(visible) == 0 {
						continue
					}
					s := visible[rng.IntN(len(visible))]
					p.remove(s)
					ref.remove(s)
					q.recs[s].state, q.recs[s].gen = stFree, q.recs[s].gen+1 // released
					visible = without(visible, s)
					free = append(free, s)
				default:
					if len(free) == 0 {
						continue
					}
					var s int32
					s, free = takeRandom(rng, free)
					seq := next
					if rng.Float64() < tc.late {
						seq = 1000 + rng.Uint64N(next-999) // an old sequence number (ties allowed)
					} else {
						next++
					}
					q.recs[s].state = stVisible
					n0 := p.inOrder.len()
					q.partPush(p, heapItem{key: seq, slot: s}, q.recs[s].gen)
					if n := p.inOrder.len(); n != n0 && n > compactAbove(int(p.live))+1 {
						t.Fatalf("step %d: FIFO of %d entries for %d live ones", step, n, p.live)
					}
					ref.push(s, seq)
					visible = append(visible, s)
				}
				if p.inOrder.len() != int(p.live+p.stale) {
					t.Fatalf("step %d: FIFO of %d entries, %d live + %d stale", step, p.inOrder.len(), p.live, p.stale)
				}
				if p.len() != ref.len() {
					t.Fatalf("step %d: partition holds %d, one heap %d", step, p.len(), ref.len())
				}
			}
		})
	}
}

// takeRandom removes a slot chosen at random from the non-empty free and returns it with
// the rest (order not kept).
func takeRandom(rng *rand.Rand, free []int32) (int32, []int32) {
	k := rng.IntN(len(free))
	s := free[k]
	free[k] = free[len(free)-1]
	return s, free[:len(free)-1]
}

func without(xs []int32, x int32) []int32 {
	for i, v := range xs {
		if v == x {
			xs[i] = xs[len(xs)-1]
			return xs[:len(xs)-1]
		}
	}
	return xs
}

// TestRememberedHeadsMatchOneHeap checks that receives through the remembered partition
// heads (pushVisible, removeVisible, popVisible) take messages in exactly the order of one
// indexed heap per set of partitions read, under random pushes (in order or late), picks
// from random subsets of the partitions, and removals from the middle.
func TestRememberedHeadsMatchOneHeap(t *testing.T) {
	cases := []struct {
		name                string
		parts               int
		late, remove, picks float64 // probabilities per step: a late push, a removal, a pick
		steps, slots        int
	}{
		{"8 partitions, mostly in order", 8, 0.05, 0.02, 0.45, 30000, 512},
		{"8 partitions, half late", 8, 0.5, 0.05, 0.45, 30000, 512},
		{"many removals (stale entries, compaction)", 4, 0.1, 0.45, 0.05, 40000, 256},
		{"32 partitions, small and busy", 32, 0.3, 0.1, 0.5, 30000, 40},
		{"one partition", 1, 0.2, 0.1, 0.45, 20000, 64},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rng := testRand(uint64(i + 100))
			q := &Queue{recs: make([]record, tc.slots), waitPos: make([]int32, tc.slots)}
			q.partKeep = q.partValid
			q.parts = make([]*visPart, tc.parts)
			for pi := range q.parts {
				q.parts[pi] = &visPart{late: idxHeap{pos: &q.waitPos}}
			}
			all := uint32(1)<<uint(tc.parts) - 1
			var free, visible []int32
			for s := tc.slots - 1; s >= 0; s-- {
				free = append(free, int32(s))
			}
			var next uint64 = 1000
			for step := range tc.steps {
				u := rng.Float64()
				switch {
				case u < tc.picks:
					mask := all
					if rng.IntN(2) == 0 {
						mask = uint32(rng.Uint64()) & all
					}
					want := int32(-1) // the smallest (seq, slot) among the partitions read
					for _, s := range visible {
						r := &q.recs[s]
						if mask&(1<<r.part) != 0 && (want < 0 || less(heapItem{r.seq, s}, heapItem{q.recs[want].seq, want})) {
							want = s
						}
					}
					s, ok := q.popVisible(mask)
					if ok != (want >= 0) || (ok && s != want) {
						t.Fatalf("step %d: popped %d (ok %v), want %d", step, s, ok, want)
					}
					if !ok {
						continue
					}
					q.recs[s].state = stInFlight // received; it may come back late
					visible = without(visible, s)
					free = append(free, s)
				case u < tc.picks+tc.remove:
					if len(visible) == 0 {
						continue
					}
					s := visible[rng.IntN(len(visible))]
					q.removeVisible(s, &q.recs[s])
					q.recs[s].state, q.recs[s].gen = stFree, q.recs[s].gen+1 // released
					visible = without(visible, s)
					free = append(free, s)
				default:
					if len(free) == 0 {
						continue
					}
					var s int32
					s, free = takeRandom(rng, free)
					r := &q.recs[s]
					r.seq = next
					if rng.Float64() < tc.late {
						r.seq = 1000 + rng.Uint64N(next-999) // an old sequence number (ties allowed)
					} else {
						next++
					}
					r.part = uint8(rng.IntN(tc.parts))
					r.state = stVisible
					q.pushVisible(s, r)
					visible = append(visible, s)
				}
				for pi := range q.parts {
					if got := q.parts[pi].len() > 0; got != (q.partsNonEmpty&(1<<pi) != 0) {
						t.Fatalf("step %d: partition %d non-empty %v, bit says otherwise", step, pi, got)
					}
				}
			}
		})
	}
}
