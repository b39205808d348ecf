package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"
)

// invariantErr checks the calendar queue's structure: list and bucket counts agree with
// the population, every list is sorted, every event is in its bucket, and none is before
// the cursor's window.
func (q *calendarQueue) invariantErr(time.Duration) error {
	count := 0
	start := q.curEnd - 1<<q.shift
	for i := range q.buckets {
		b := q.buckets[i]
		bit := q.nonEmpty[i>>6]&(1<<(i&63)) != 0
		if (b.head == 0) != (b.tail == 0) || bit != (b.head != 0) {
			return fmt.Errorf("bucket %d: head %d tail %d bit %v", i, b.head, b.tail, bit)
		}
		prev := uint64(0)
		for l := b.head; l != 0; l = q.nodes[l].next {
			at := q.nodes[l].at
			switch {
			case at < prev:
				return fmt.Errorf("bucket %d not sorted", i)
			case (at>>q.shift)&q.mask != uint64(i):
				return fmt.Errorf("event at %d in bucket %d", at, i)
			case at < start:
				return fmt.Errorf("event at %d before the cursor window starting %d", at, start)
			case q.nodes[l].next == 0 && l != b.tail:
				return fmt.Errorf("bucket %d: tail %d, list ends at %d", i, b.tail, l)
			}
			prev = at
			count++
		}
	}
	if count != q.n {
		return fmt.Errorf("%d events in lists, population %d", count, q.n)
	}
	return nil
}

// frontLen is 0: the calendar queue has no sorted front run.
func (q *calendarQueue) frontLen() int { return 0 }

// queueUnderTest is what the engine needs from an event queue.
type queueUnderTest interface {
	push(it item, now time.Duration)
	next(limit time.Duration) (item, bool)
	len() int
	invariantErr(now time.Duration) error
}

// queueWorkload draws the delay of each pushed event for a queue test.
type queueWorkload struct {
	name  string
	delay func(rng *rand.Rand) time.Duration
}

var queueWorkloads = []queueWorkload{
	{"mixed scales and ties", randomDelay},
	{"exponential with mean 1 s", func(rng *rand.Rand) time.Duration {
		return time.Duration(rng.ExpFloat64() * float64(time.Second))
	}},
	{"mostly at Now", func(rng *rand.Rand) time.Duration {
		if rng.IntN(50) == 0 {
			return time.Duration(rng.Int64N(int64(time.Hour)))
		}
		return 0
	}},
	{"nanoseconds to days", func(rng *rand.Rand) time.Duration {
		return time.Duration(rng.Int64N(1 << rng.IntN(47)))
	}},
	{"a few distinct far times", func(rng *rand.Rand) time.Duration {
		return time.Duration(rng.IntN(3)) * 24 * time.Hour
	}},
	{"powers of two", func(rng *rand.Rand) time.Duration {
		return time.Duration(1) << rng.IntN(45)
	}},
	{"dense clusters far apart", func(rng *rand.Rand) time.Duration {
		return time.Duration(rng.IntN(3))*time.Second + time.Duration(rng.IntN(64))
	}},
}

// TestQueuesPopInTimeThenPushOrder drives each queue as the engine does — pushes at or
// after now, pops with and without a limit, the population rising, holding and draining —
// and checks that events come out exactly in the order of a stable sort by time.
func TestQueuesPopInTimeThenPushOrder(t *testing.T) {
	queues := []struct {
		name string
		make func() queueUnderTest
	}{
		{"radix heap", func() queueUnderTest { q := newEngineQueueRadix(); return &q }},
		{"calendar queue", func() queueUnderTest { q := newCalendarQueue(0); return &q }},
	}
	seeds := uint64(3)
	if testing.Short() {
		seeds = 1
	}
	for _, qt := range queues {
		for _, w := range queueWorkloads {
			t.Run(qt.name+"/"+w.name, func(t *testing.T) {
				for seed := uint64(1); seed <= seeds; seed++ {
					checkQueueOrder(t, qt.make(), w, seed)
				}
			})
		}
	}
}

func newEngineQueueRadix() eventQueue { return eventQueue{bottom: make([]item, 0, 2*sortBelow)} }

func checkQueueOrder(t *testing.T, q queueUnderTest, w queueWorkload, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	type pushed struct {
		at  time.Duration
		seq int
	}
	var all []pushed
	var got []int
	var now time.Duration
	slots := map[uint32]int{} // slot → seq of the pending event in it
	var free []uint32
	push := func() {
		at := now + w.delay(rng)
		var slot uint32
		if n := len(free); n > 0 {
			slot, free = free[n-1], free[:n-1]
		} else {
			slot = uint32(len(slots))
		}
		slots[slot] = len(all)
		all = append(all, pushed{at, len(all)})
		q.push(item{at: at, slot: slot}, now)
	}
	pop := func(limit time.Duration) bool {
		it, ok := q.next(limit)
		if !ok {
			return false
		}
		if it.at < now {
			t.Fatalf("popped time %v before the previous %v", it.at, now)
		}
		now = it.at
		got = append(got, slots[it.slot])
		delete(slots, it.slot)
		free = append(free, it.slot)
		return true
	}
	// Grow to 3000, hold with bursts and limited runs, then drain.
	for len(all) < 20000 {
		switch r := rng.IntN(10); {
		case q.len() < 3000 && len(all) < 6000 && r < 6:
			push()
		case r == 0:
			for range rng.IntN(200) {
				push()
			}
		case r == 1:
			limit := now + w.delay(rng)
			for pop(limit) {
				push()
			}
			now = limit
		default:
			if pop(math.MaxInt64) {
				push()
			} else {
				push()
			}
		}
		if rng.IntN(500) == 0 {
			if err := q.invariantErr(now); err != nil {
				t.Fatal(err)
			}
		}
	}
	for pop(math.MaxInt64) {
	}
	if q.len() != 0 {
		t.Fatalf("queue reports %d events after draining", q.len())
	}
	want := slices.Clone(all)
	sort.SliceStable(want, func(i, j int) bool { return want[i].at < want[j].at })
	for i := range want {
		if i >= len(got) || got[i] != want[i].seq {
			t.Fatalf("seed %d: pop %d of %d differs from a stable sort by time", seed, i, len(want))
		}
	}
}
