package service

import (
	"testing"
	"time"

	"msgsim/models/core"
)

func TestCapacityUnitsFollowItemSize(t *testing.T) {
	const kb = 1024
	tests := []struct {
		name          string
		size          int32
		read, strong  bool
		transactional bool
		want          float64
	}{
		{"1 KB write is one unit", kb, false, false, false, 1},
		{"1 KB + 1 byte write is two units", kb + 1, false, false, false, 2},
		{"3.5 KB write is four units", 3*kb + kb/2, false, false, false, 4},
		{"empty item still costs one write unit", 0, false, false, false, 1},
		{"transactional write doubles", 2 * kb, false, false, true, 4},
		{"4 KB strongly consistent read is one unit", 4 * kb, true, true, false, 1},
		{"4 KB eventually consistent read is half a unit", 4 * kb, true, false, false, 0.5},
		{"9 KB strongly consistent read is three units", 9 * kb, true, true, false, 3},
		{"9 KB eventually consistent read is 1.5 units", 9 * kb, true, false, false, 1.5},
		{"transactional read of 4 KB is two units", 4 * kb, true, false, true, 2},
		{"400 KB write is 400 units", 400 * kb, false, false, false, 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := CapacityUnits(tc.size, tc.read, tc.strong, tc.transactional); got != tc.want {
				t.Fatalf("got %v units, want %v", got, tc.want)
			}
		})
	}
}

func mustTable(t *testing.T, w *core.World, name string, d DynamoDB) *Service {
	t.Helper()
	return mustNew(t, w, DynamoDBTable(name, d))
}

func TestConsumedCapacityIsCountedByItemSize(t *testing.T) {
	// 100 writes of 2.5 KB (3 units each) and, on a second table, 100 eventually
	// consistent reads of 6 KB (1 unit each) and 101 of them: 50.5 units, counted 50.
	w := newWorld(time.Minute)
	wt := mustTable(t, w, "writes", DynamoDB{})
	rt := mustTable(t, w, "reads", DynamoDB{ReadFraction: 1, ItemSize: 3 * 1024})
	cw := newTimed(w, "cw", wt.ID(), false)
	cw.size = 2560
	cw.every("", 0, time.Millisecond, 100)
	cr := newTimed(w, "cr", rt.ID(), false)
	cr.every("", 0, time.Millisecond, 101)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if got := counter(w, "writes", "ConsumedWriteCapacityUnits"); got != 300 {
		t.Errorf("write units %d, want 300", got)
	}
	if got := counter(w, "reads", "ConsumedReadCapacityUnits"); got != 50 {
		t.Errorf("read units %d, want 50 (50.5 rounded down)", got)
	}
	if wt.Kind() != core.KindDynamoDB || wt.Partitions() != 4 {
		t.Errorf("kind %q, %d partitions; want dynamodb, 4 (12,000 RCU / 4,000 WCU warm)", wt.Kind(), wt.Partitions())
	}
	checkConservation(t, w)
}

func TestHotKeyIsThrottledAtThePartitionLimit(t *testing.T) {
	// 1,500 writes/s of 1 KB for 10 s. On one key they all land on one partition, whose
	// limit is 1,000 write units/s with a burst of 1 s: it admits 1,000 × t + 1,000 =
	// 11,000 of the 15,001 (t = 10 s, offers at 0, 1/1500 s, ... 10 s). Spread over keys
	// (the trace id), the 4 partitions of a new on-demand table take them all.
	for _, tc := range []struct {
		name      string
		key       string
		admitted  int
		throttled uint64
	}{
		{"one hot key", "hot", 11000, 15001 - 11000},
		{"keys spread uniformly", "", 15001, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(time.Minute)
			d := DynamoDB{}
			if tc.key != "" {
				d.KeyAttr = "key"
			}
			tb := mustTable(t, w, "orders", d)
			c := newTimed(w, "c", tb.ID(), false)
			c.size = 1024
			for i := 0; i <= 15000; i++ {
				c.at(tc.key, time.Duration(i)*10*time.Second/15000)
			}
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			if ok := c.count(core.OK); ok != tc.admitted {
				t.Errorf("admitted %d, want %d", ok, tc.admitted)
			}
			if got := counter(w, "orders", "WriteThrottleEvents"); got != tc.throttled {
				t.Errorf("WriteThrottleEvents %d, want %d", got, tc.throttled)
			}
			if got := counter(w, "orders", "ThrottledRequests"); got != tc.throttled {
				t.Errorf("ThrottledRequests %d, want %d", got, tc.throttled)
			}
			if got := counter(w, "orders", "ConsumedWriteCapacityUnits"); got != uint64(tc.admitted) {
				t.Errorf("consumed %d write units, want %d", got, tc.admitted)
			}
			checkConservation(t, w)
		})
	}
}

func TestProvisionedTableThrottlesAboveItsCapacity(t *testing.T) {
	// 100 WCU provisioned (burst 1 s): 200 writes/s of 1 KB for 5 s over many keys admit
	// 100 × 5 + 100 = 600 of 1,001; reads (none here) are not charged.
	w := newWorld(time.Minute)
	tb := mustTable(t, w, "t", DynamoDB{Mode: Provisioned, ReadCapacity: 10, WriteCapacity: 100})
	c := newTimed(w, "c", tb.ID(), false)
	c.size = 1000
	c.every("", 0, 5*time.Millisecond, 1001)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if ok := c.count(core.OK); ok != 600 {
		t.Errorf("admitted %d, want 600", ok)
	}
	if tb.Partitions() != 1 {
		t.Errorf("%d partitions, want 1", tb.Partitions())
	}
	checkConservation(t, w)
}

func TestOnDemandTableDoublesItsPeakEvery30Minutes(t *testing.T) {
	// A table warm for 10 WU/s receives 15 writes/s of 1 KB (evenly spaced) over many
	// keys. For the first 30 minutes its limit is the warm 10/s: 5 throttles per second,
	// 300 per minute (±10% for the bucket's phase at minute edges); once the peak of
	// 10/s is 30 minutes old the limit is 20/s and nothing is throttled.
	w := core.NewWorld(core.Config{Seed: 1, Duration: 40 * time.Minute, SampleEvery: time.Minute})
	tb := mustTable(t, w, "t", DynamoDB{WarmWrite: 10})
	c := newTimed(w, "c", tb.ID(), true)
	c.size = 1024
	c.every("", 0, time.Second/15, 15*40*60)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	s := w.Metrics.Find("t", "WriteThrottleEvents").Series[0].Series
	for i := 0; i < s.Len(); i++ {
		_, v := s.At(i)
		switch {
		case i >= 1 && i < 30 && (v < 0.9*300 || v > 1.1*300):
			t.Errorf("minute %d: %v throttles, want ≈ 300 (limit 10/s)", i, v)
		case i >= 31 && v != 0:
			t.Errorf("minute %d: %v throttles, want 0 (limit 20/s)", i, v)
		}
	}
	checkConservation(t, w)
}
