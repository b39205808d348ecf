package sns

import (
	"time"

	"msgsim/models/core"
)

// DedupWindow is the FIFO deduplication interval (§3.1, as SQS's §2.3): a publish whose
// deduplication id was first seen less than 5 minutes ago is accepted and not delivered.
// The window runs from the first publish and is not extended by duplicates.
const DedupWindow = 5 * time.Minute

// dedupTopicScope is the group of a dedup key when the scope is the whole topic.
const dedupTopicScope = -2

// dedupKey is a deduplication id within its scope (the topic, or one message group).
type dedupKey struct {
	group int32
	id    uint64
}

type dedupEntry struct {
	key    dedupKey
	expiry time.Duration
}

// dedupTable remembers deduplication ids for DedupWindow. Expired ids are evicted in
// publish order from a FIFO list, so memory is bounded by the ids of the last 5 minutes and
// nothing depends on map order.
type dedupTable struct {
	until map[dedupKey]time.Duration
	order []dedupEntry
	head  int
}

func newDedupTable() dedupTable { return dedupTable{until: make(map[dedupKey]time.Duration)} }

// seen reports whether k is a duplicate now; if not, it records k.
func (d *dedupTable) seen(k dedupKey, now time.Duration) bool {
	d.expire(now)
	if exp, ok := d.until[k]; ok && now < exp {
		return true
	}
	exp := now + DedupWindow
	d.until[k] = exp
	d.order = append(d.order, dedupEntry{key: k, expiry: exp})
	return false
}

func (d *dedupTable) expire(now time.Duration) {
	for d.head < len(d.order) && d.order[d.head].expiry <= now {
		e := d.order[d.head]
		if d.until[e.key] == e.expiry {
			delete(d.until, e.key)
		}
		d.head++
	}
	if d.head > 1024 && d.head*2 > len(d.order) {
		n := copy(d.order, d.order[d.head:])
		d.order = d.order[:n]
		d.head = 0
	}
}

// groupBuckets are the per-message-group publish quotas of a FIFO topic (300 msg/s each,
// burst 1 s).
type groupBuckets struct {
	rate    float64
	index   map[int32]int32
	buckets []core.TokenBucket
}

func newGroupBuckets(rate float64) groupBuckets {
	return groupBuckets{rate: rate, index: make(map[int32]int32)}
}

func (g *groupBuckets) bucket(group int32) *core.TokenBucket {
	i, ok := g.index[group]
	if !ok {
		i = int32(len(g.buckets))
		g.index[group] = i
		g.buckets = append(g.buckets, core.NewTokenBucket(g.rate, g.rate))
	}
	return &g.buckets[i]
}

func (g *groupBuckets) admits(group int32, now time.Duration) bool {
	if g.rate <= 0 {
		return true
	}
	return admits(g.bucket(group), now)
}

func (g *groupBuckets) take(group int32, now time.Duration) {
	if g.rate > 0 {
		g.bucket(group).Take(now, 1)
	}
}

// lane orders the copies of one message group to one subscription of a FIFO topic: one
// copy is being delivered (first attempt or retries); the others wait in publish order.
// Waiting copies keep the arrival time planned at publish (never earlier than the copy
// ahead), so while nothing fails the lane does not slow delivery down.
type lane struct {
	key        int64
	head, tail int32 // queued delivery records
	busy       bool
	lastDue    time.Duration
}

// lanes are the active lanes, found by (subscription, group); an idle lane is freed.
type lanes struct {
	index map[int64]int32
	slab  []lane
	free  []int32
}

func newLanes() lanes { return lanes{index: make(map[int64]int32)} }

func (l *lanes) get(key int64) int32 {
	if i, ok := l.index[key]; ok {
		return i
	}
	var i int32
	if n := len(l.free); n > 0 {
		i = l.free[n-1]
		l.free = l.free[:n-1]
	} else {
		l.slab = append(l.slab, lane{})
		i = int32(len(l.slab) - 1)
	}
	l.slab[i] = lane{key: key, head: -1, tail: -1}
	l.index[key] = i
	return i
}

func (l *lanes) release(i int32) {
	delete(l.index, l.slab[i].key)
	l.free = append(l.free, i)
}

// enterLane starts the delivery of a FIFO copy planned to arrive after lat, or queues it
// behind the copy of its group being delivered.
func (t *Topic) enterLane(slot int32, group int32, lat time.Duration) {
	d := &t.deliveries[slot]
	li := t.lanes.get(int64(d.sub)<<32 | int64(uint32(group)))
	ln := &t.lanes.slab[li]
	now := t.w.Now()
	due := now + lat
	if due < ln.lastDue {
		due = ln.lastDue
	}
	ln.lastDue, d.lane, d.due = due, li, due
	if ln.busy {
		if ln.tail >= 0 {
			t.deliveries[ln.tail].next = slot
		} else {
			ln.head = slot
		}
		ln.tail = slot
		t.held++
		return
	}
	ln.busy = true
	t.send(slot, due-now)
}

// leaveLane ends a copy's turn in its lane (delivered, or failed for good) and sends the
// next copy of the group, at its planned time or now if that has passed.
func (t *Topic) leaveLane(slot int32) {
	li := t.deliveries[slot].lane
	if li < 0 {
		return
	}
	t.deliveries[slot].lane = -1
	ln := &t.lanes.slab[li]
	next := ln.head
	if next < 0 {
		ln.busy = false
		t.lanes.release(li)
		return
	}
	ln.head = t.deliveries[next].next
	if ln.head < 0 {
		ln.tail = -1
	}
	t.deliveries[next].next = -1
	t.held--
	lat := t.deliveries[next].due - t.w.Now()
	if lat < 0 {
		lat = 0
	}
	t.send(next, lat)
}
