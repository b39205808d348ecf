package service

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"msgsim/models/core"
)

// CapacityMode is how a DynamoDB table is billed and limited (§7).
type CapacityMode uint8

// Capacity modes.
const (
	OnDemand    CapacityMode = iota // pay per request; limits grow with the peak (note 37)
	Provisioned                     // fixed read and write capacity units per second
)

// DynamoDB is the capacity model of a DynamoDB table (behaviour reference §7, modelling
// notes 36–37). Every request is a read (with probability ReadFraction) or a write of one
// item and consumes capacity units by item size:
//
//	read:  ⌈size / 4 KB⌉ units, halved when eventually consistent, doubled when transactional
//	write: ⌈size / 1 KB⌉ units, doubled when transactional
//
// A request is throttled (refused with core.Throttled, counted in ReadThrottleEvents or
// WriteThrottleEvents and ThrottledRequests) when its partition or the table is over its
// limit; its units are then not consumed. Limits are token buckets with a burst of 1 s of
// rate (note 39; DynamoDB's 300 s burst credit is not modelled):
//
//   - partition: 3,000 read units/s and 1,000 write units/s as a linear mix (one bucket of
//     3,000 read-equivalent units/s; a write unit costs 3). The partition of a request is a
//     hash of its partition key: the attribute KeyAttr, or the trace id when KeyAttr is
//     empty (keys spread uniformly). The table has ⌈max(R/3,000, W/1,000)⌉ partitions for
//     its read and write limits R and W (note 37).
//   - table, provisioned: ReadCapacity and WriteCapacity units/s (auto scaling not modelled).
//   - table, on-demand: a new table serves its warm throughput (12,000 read and 4,000 write
//     units/s, or WarmRead/WarmWrite) at once; afterwards the limit is twice the peak
//     consumption (per 1 s window) reached at least 30 minutes ago (minute resolution), so
//     traffic may double every 30 minutes ("instant up to 2 × previous peak; faster growth
//     inside 30 min may throttle", §7), capped by MaxReadUnits/MaxWriteUnits if set.
//     Partitions are added as the limit grows.
//
// Consumed units are counted in ConsumedReadCapacityUnits and ConsumedWriteCapacityUnits
// (whole units: a running total of half units is rounded down), which the cost model
// prices as on-demand request units.
type DynamoDB struct {
	Mode                        CapacityMode
	ReadCapacity, WriteCapacity float64 // Provisioned: RCU and WCU per second (> 0)
	// ReadFraction is the probability that a request is a read (GetItem); the rest are
	// writes (PutItem). 0 makes every request a write.
	ReadFraction       float64
	StronglyConsistent bool  // reads are strongly consistent (default: eventually)
	Transactional      bool  // requests are transactional (2× units)
	ItemSize           int32 // bytes per item; 0 means the message's size
	// KeyAttr names the message attribute holding the partition key; "" uses the trace id.
	KeyAttr string
	// WarmRead, WarmWrite are an on-demand table's initial throughput; 0 means 12,000 and
	// 4,000 units/s.
	WarmRead, WarmWrite float64
	// MaxReadUnits, MaxWriteUnits are an on-demand table's maximum throughput; 0 means none.
	MaxReadUnits, MaxWriteUnits float64
}

// Limits of §7.
const (
	readUnitBytes      = 4096
	writeUnitBytes     = 1024
	partitionReadUnits = 3000
	partitionWriteUnit = 1000
	writeCost          = partitionReadUnits / partitionWriteUnit // read-equivalents per write unit
	defaultWarmRead    = 12000
	defaultWarmWrite   = 4000
	growthWindow       = 30 // minutes: on-demand growth looks back this far (note 37)
)

func (d *DynamoDB) validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	finite := func(v float64) bool { return v >= 0 && !math.IsInf(v, 0) }
	switch d.Mode {
	case OnDemand:
	case Provisioned:
		if !(d.ReadCapacity > 0) || !(d.WriteCapacity > 0) || !finite(d.ReadCapacity) || !finite(d.WriteCapacity) {
			bad("provisioned read and write capacity must be > 0, got %v and %v", d.ReadCapacity, d.WriteCapacity)
		}
	default:
		bad("unknown capacity mode %d", d.Mode)
	}
	if !(d.ReadFraction >= 0 && d.ReadFraction <= 1) {
		bad("read fraction must be in [0, 1], got %v", d.ReadFraction)
	}
	if d.ItemSize < 0 || d.ItemSize > 400*1024 {
		bad("item size must be 0..400 KB, got %d bytes", d.ItemSize)
	}
	for _, v := range []float64{d.WarmRead, d.WarmWrite, d.MaxReadUnits, d.MaxWriteUnits} {
		if !finite(v) {
			bad("warm and maximum throughput must be finite and >= 0, got %v", v)
			break
		}
	}
	return errors.Join(errs...)
}

// CapacityUnits is what one request for an item of size bytes consumes (§7): read units
// of 4 KB (half for an eventually consistent read), write units of 1 KB, doubled for a
// transaction. An item of 0 bytes still costs one unit.
func CapacityUnits(size int32, read, stronglyConsistent, transactional bool) float64 {
	unit := int32(writeUnitBytes)
	if read {
		unit = readUnitBytes
	}
	u := float64(max((size+unit-1)/unit, 1))
	if read && !stronglyConsistent && !transactional {
		u /= 2
	}
	if transactional {
		u *= 2
	}
	return u
}

// table is the capacity state of one DynamoDB table.
type table struct {
	cfg   DynamoDB
	w     *core.World
	rng   *rand.Rand
	key   *AttrKey
	parts []core.TokenBucket // per partition, read-equivalent units

	readB, writeB   core.TokenBucket
	allowR, allowW  float64 // table limits in force (units/s)
	secStart        time.Duration
	secR, secW      float64 // units consumed in the current 1 s window
	peakR, peakW    float64 // running peak per-second consumption
	minute          int64   // last minute whose start has been recorded
	ringR, ringW    [growthWindow]float64
	accR, accW      float64 // consumed units, exact
	cntR, cntW      uint64  // whole units already added to the counters
	consR, consW    *core.Counter
	thrR, thrW, thr *core.Counter
}

func newTable(w *core.World, name string, cfg DynamoDB, rng *rand.Rand) *table {
	t := &table{cfg: cfg, w: w, rng: rng}
	if cfg.KeyAttr != "" {
		t.key = NewAttrKey(w, cfg.KeyAttr)
	}
	switch cfg.Mode {
	case Provisioned:
		t.setLimits(cfg.ReadCapacity, cfg.WriteCapacity)
	default:
		if t.cfg.WarmRead == 0 {
			t.cfg.WarmRead = defaultWarmRead
		}
		if t.cfg.WarmWrite == 0 {
			t.cfg.WarmWrite = defaultWarmWrite
		}
		t.setLimits(t.onDemandLimit(t.cfg.WarmRead, t.cfg.MaxReadUnits), t.onDemandLimit(t.cfg.WarmWrite, t.cfg.MaxWriteUnits))
	}
	m := w.Metrics
	t.consR = m.Counter(name, "ConsumedReadCapacityUnits", "units")
	t.consW = m.Counter(name, "ConsumedWriteCapacityUnits", "units")
	t.thrR = m.Counter(name, "ReadThrottleEvents", "requests")
	t.thrW = m.Counter(name, "WriteThrottleEvents", "requests")
	t.thr = m.Counter(name, "ThrottledRequests", "requests")
	return t
}

// onDemandLimit caps a limit at the table's maximum, if any.
func (t *table) onDemandLimit(v, maxUnits float64) float64 {
	if maxUnits > 0 {
		return math.Min(v, maxUnits)
	}
	return v
}

// setLimits puts table limits in force (full buckets) and adds the partitions they need.
func (t *table) setLimits(r, w float64) {
	t.allowR, t.allowW = r, w
	t.readB = core.NewTokenBucket(r, r)
	t.writeB = core.NewTokenBucket(w, w)
	n := int(math.Ceil(math.Max(r/partitionReadUnits, w/partitionWriteUnit)))
	for len(t.parts) < max(n, 1) {
		t.parts = append(t.parts, core.NewTokenBucket(partitionReadUnits, partitionReadUnits))
	}
}

// Partitions is the number of partitions the table has now.
func (t *table) Partitions() int { return len(t.parts) }

// admit decides whether request m is served, consuming its units if it is.
func (t *table) admit(now time.Duration, m core.MsgID) bool {
	if t.cfg.Mode == OnDemand {
		t.roll(now)
	}
	read := t.cfg.ReadFraction > 0 && t.rng.Float64() < t.cfg.ReadFraction
	size := t.cfg.ItemSize
	if size == 0 {
		size = t.w.Msg(m).Size
	}
	u := CapacityUnits(size, read, t.cfg.StronglyConsistent, t.cfg.Transactional)
	var h uint64
	ok := false
	if t.key != nil {
		h, ok = t.key.Hash(m)
	}
	if !ok {
		h = core.Mix64(t.w.Msg(m).Trace)
	}
	part := &t.parts[core.Spread(h, len(t.parts))]
	cost, tb := u, &t.readB
	if !read {
		cost, tb = u*writeCost, &t.writeB
	}
	if part.Tokens(now)+1e-9 < cost || tb.Tokens(now)+1e-9 < u {
		if read {
			t.thrR.Inc()
		} else {
			t.thrW.Inc()
		}
		t.thr.Inc()
		return false
	}
	part.Spend(cost) // both brought up to now by Tokens above
	tb.Spend(u)
	if read {
		t.accR += u
		t.secR += u
		n := uint64(t.accR)
		t.consR.Add(n - t.cntR)
		t.cntR = n
	} else {
		t.accW += u
		t.secW += u
		n := uint64(t.accW)
		t.consW.Add(n - t.cntW)
		t.cntW = n
	}
	return true
}

// roll closes the 1 s consumption windows and the minutes that ended before now, and
// raises an on-demand table's limits to twice the peak of 30 minutes ago.
func (t *table) roll(now time.Duration) {
	if now < t.secStart+time.Second {
		return
	}
	t.peakR = math.Max(t.peakR, t.secR)
	t.peakW = math.Max(t.peakW, t.secW)
	t.secR, t.secW = 0, 0
	t.secStart = now - now%time.Second
	cur := int64(now / time.Minute)
	if cur == t.minute {
		return
	}
	var oldR, oldW float64
	for m, steps := t.minute+1, 0; m <= cur && steps <= growthWindow; m, steps = m+1, steps+1 {
		i := m % growthWindow
		oldR, oldW = t.ringR[i], t.ringW[i] // the peak as minute m−30 began
		t.ringR[i], t.ringW[i] = t.peakR, t.peakW
	}
	if cur-t.minute > growthWindow { // idle for over 30 min: the current peak is old enough
		oldR, oldW = t.peakR, t.peakW
	}
	t.minute = cur
	r := t.onDemandLimit(math.Max(t.cfg.WarmRead, 2*oldR), t.cfg.MaxReadUnits)
	w := t.onDemandLimit(math.Max(t.cfg.WarmWrite, 2*oldW), t.cfg.MaxWriteUnits)
	if r != t.allowR || w != t.allowW {
		t.setLimits(r, w)
	}
}

// Partitions is the number of partitions of a DynamoDB table now (0 for other services).
func (s *Service) Partitions() int {
	if s.table == nil {
		return 0
	}
	return s.table.Partitions()
}
