package sim

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"
)

// drainQueue pops every event of q and returns the slots in the order they came out,
// failing the test if the structure is broken along the way.
func drainQueue(t *testing.T, q *eventQueue) []uint32 {
	t.Helper()
	var got []uint32
	var now time.Duration
	for {
		if err := q.invariantErr(now); err != nil {
			t.Fatal(err)
		}
		it, ok := q.next(math.MaxInt64)
		if !ok {
			break
		}
		if it.at < now {
			t.Fatalf("popped %v after %v", it.at, now)
		}
		now = it.at
		got = append(got, it.slot)
	}
	return got
}

// TestLadderEdgeCases pushes batches that drive the ladder into its rare paths and checks
// the order against a stable sort by time.
func TestLadderEdgeCases(t *testing.T) {
	tests := []struct {
		name  string
		times func() []time.Duration
	}{
		{
			// Times 2^i above a common base all fall in one radix bucket; every rung then
			// separates only the few largest, so the ladder reaches maxDepth and sorts
			// the rest of the crowded bucket with the stable fallback. Each time twice.
			name: "powers of two nest rungs down to the stable-sort fallback",
			times: func() []time.Duration {
				var ts []time.Duration
				for i := range 62 {
					at := time.Duration(1<<62 + 1<<i)
					ts = append(ts, at, at)
				}
				return ts
			},
		},
		{
			name: "one crowded time among spread ones",
			times: func() []time.Duration {
				var ts []time.Duration
				for i := range 1000 {
					ts = append(ts, time.Second, time.Duration(i)*time.Millisecond)
				}
				return ts
			},
		},
		{
			name: "decreasing times",
			times: func() []time.Duration {
				var ts []time.Duration
				for i := range 5000 {
					ts = append(ts, time.Duration(5000-i)*time.Microsecond)
				}
				return ts
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := newEngineQueueRadix()
			ts := tt.times()
			for i, at := range ts {
				q.push(item{at: at, slot: uint32(i)}, 0)
			}
			got := drainQueue(t, &q)
			want := make([]uint32, len(ts))
			for i := range want {
				want[i] = uint32(i)
			}
			sort.SliceStable(want, func(i, j int) bool { return ts[want[i]] < ts[want[j]] })
			if !slices.Equal(got, want) {
				t.Errorf("order differs from a stable sort by time")
			}
		})
	}
}

// tieChecker is a hold-model handler that checks the firing order of a large population
// without keeping it: each event carries its scheduling sequence number in A, so events
// must fire in nondecreasing time and, at equal times, in increasing sequence.
type tieChecker struct {
	t       *testing.T
	e       *Engine
	id      HandlerID
	rng     *rand.Rand
	seq     int64
	lastAt  time.Duration
	lastSeq int64
	left    int // events still to schedule
}

func (c *tieChecker) schedule() {
	var d time.Duration
	switch c.rng.IntN(4) {
	case 0:
		d = 0 // a tie at Now
	case 1:
		d = time.Duration(c.rng.IntN(3)) * time.Millisecond // ties among pending events
	default:
		d = time.Duration(c.rng.ExpFloat64() * float64(time.Second))
	}
	c.seq++
	c.e.After(d, c.id, 0, c.seq, 0)
}

func (c *tieChecker) Fire(ev Event) {
	if ev.At < c.lastAt || (ev.At == c.lastAt && ev.A <= c.lastSeq) {
		c.t.Fatalf("event %d at %v fired after event %d at %v", ev.A, ev.At, c.lastSeq, c.lastAt)
	}
	c.lastAt, c.lastSeq = ev.At, ev.A
	if c.left > 0 {
		c.left--
		c.schedule()
	}
}

// TestLargePopulationKeepsOrder holds more events than one rung covers (maxFanout buckets
// of about perBucket events), so that front rungs hand the rest of a radix bucket back to
// the radix heap, then drains; firing order must stay exact throughout.
func TestLargePopulationKeepsOrder(t *testing.T) {
	pending, fired := 100000, 400000
	if testing.Short() {
		pending, fired = 50000, 150000
	}
	e := NewEngine(pending)
	c := &tieChecker{t: t, e: e, rng: rand.New(rand.NewPCG(11, 12)), left: fired}
	c.id = e.Register(c)
	for range pending {
		c.schedule()
	}
	if err := e.Run(); err != nil {
		t.Fatal(err)
	}
	if got := e.Fired(); got != uint64(pending+fired) {
		t.Errorf("fired %d, want %d", got, pending+fired)
	}
}

// TestChunkPoolIsBoundedByPendingEvents checks the memory bound of the ladder's storage: a
// chunk is in use only while it holds an event and every chunk of a bucket but its last is
// full, so chunks in use ≤ events in rungs + events/chunkLen, and the pool never holds more
// than its peak use: with a constant population n, at most n + n/chunkLen + 1 chunks
// (chunk 0 is the null chunk) however long the run.
func TestChunkPoolIsBoundedByPendingEvents(t *testing.T) {
	const pending = 2000
	rng := rand.New(rand.NewPCG(5, 6))
	q := newEngineQueueRadix()
	var now time.Duration
	exp := func() time.Duration { return now + time.Duration(rng.ExpFloat64()*float64(time.Second)) }
	for i := range pending {
		q.push(item{at: exp(), slot: uint32(i)}, now)
	}
	for round := range 20 {
		for range 50 * pending {
			it, _ := q.next(math.MaxInt64)
			now = it.at
			q.push(item{at: exp(), slot: it.slot}, now)
		}
		if n, bound := len(q.pool.items), pending+pending/chunkLen+1; n > bound {
			t.Fatalf("pool holds %d chunks after %d rounds, bound %d", n, round+1, bound)
		}
	}
}

// networkSort and networkMerge sort a bucket of up to 8 and of 9 to 16 events (one chunk, or
// two with the first full) exactly as a stable sort by time does, ties kept in scheduling
// order, for times anywhere in the 2^56 ns a bucket may span.
func TestBucketSortsAreStableSorts(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := range 20000 {
		n := 1 + trial%16
		start := rng.Uint64N(1 << 62)
		spread := uint64(1) << (trial % 57) // from all ties (spread 1) to the widest bucket
		var first, second [chunkLen]item
		want := make([]item, n)
		for i := range want {
			it := item{at: time.Duration(start + rng.Uint64N(spread)), slot: uint32(i)}
			if rng.IntN(4) == 0 && i > 0 { // many exact ties
				it.at = want[rng.IntN(i)].at
			}
			want[i] = it
			if i < chunkLen {
				first[i] = it
			} else {
				second[i-chunkLen] = it
			}
		}
		got := make([]item, n)
		if n <= chunkLen {
			networkSort(got, &first, start)
		} else {
			networkMerge(got, &first, &second, start)
		}
		slices.SortStableFunc(want, func(a, b item) int { return cmp.Compare(a.at, b.at) })
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d, %d events spread over %d ns:\n got %v\nwant %v", trial, n, spread, got, want)
		}
	}
}
