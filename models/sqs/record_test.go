package sqs

import (
	"testing"
	"time"
	"unsafe"
)

// The record must stay one cache line (see record): a field added to it belongs in
// recordCold unless the standard path reads it per message.
func TestRecordFitsOneCacheLine(t *testing.T) {
	if n := unsafe.Sizeof(record{}); n != 64 {
		t.Errorf("record is %d bytes, want 64", n)
	}
}

// The record slab doubles from 4 KiB, so each record is one aligned cache line.
func TestRecordSlabIsLineAligned(t *testing.T) {
	q := &Queue{}
	for range 5000 {
		q.growRecords()
		if p := uintptr(unsafe.Pointer(&q.recs[0])); p%64 != 0 {
			t.Fatalf("slab of %d records at %#x: not 64-byte aligned", cap(q.recs), p)
		}
	}
}

// A partition's hot fields are its first 64 bytes, one cache line (see visPart).
func TestPartitionHotFieldsShareOneCacheLine(t *testing.T) {
	var p visPart
	if n := unsafe.Sizeof(p); n != 128 {
		t.Errorf("visPart is %d bytes, want 128", n)
	}
	if end := unsafe.Offsetof(p.late) + unsafe.Offsetof(p.late.items) + unsafe.Sizeof(p.late.items); end > 64 {
		t.Errorf("late's items end at byte %d, want ≤ 64", end)
	}
	w := world(time.Minute)
	q := mustQueue(t, w, DefaultConfig("q", false))
	for i, p := range q.parts {
		if a := uintptr(unsafe.Pointer(p)); a%64 != 0 {
			t.Errorf("partition %d at %#x: not 64-byte aligned", i, a)
		}
	}
}

// A delete that leaves a duplicate copy (note 1) allocates the copy's record before it
// frees the original's; when that allocation moves the record slab, the original must
// still be freed in the new one. Each case deletes one of n held messages, n chosen so
// that the copy's record is or is not the one that grows the slab.
func TestDuplicateCopyWhileTheSlabGrows(t *testing.T) {
	for _, n := range []int{recordsAtFirst - 1, recordsAtFirst, 2 * recordsAtFirst} {
		w := world(time.Hour)
		cfg := DefaultConfig("q", false)
		cfg.APILatency = zeroLatency
		cfg.DuplicateProbability = 1
		q := mustQueue(t, w, cfg)
		for range n {
			sendAt(w, q, 0, 100, -1, 0, nil)
		}
		_ = w.Eng.RunUntil(0)
		rec := &recorder{w: w}
		q.Receive(ReceiveRequest{Max: 1, Wait: time.Second, Visibility: -1}, rec, 0)
		_ = w.Eng.RunUntil(time.Millisecond)
		h := rec.last()[0].Handle
		if !q.Delete(h, w.Add(sink{}), false) {
			t.Fatalf("n=%d: delete failed", n)
		}
		if r := &q.recs[h.slot]; r.state != stFree {
			t.Errorf("n=%d: the deleted message's record is in state %d, want free", n, r.state)
		}
		if q.Holding() != n || q.Delayed() != 1 || q.InFlight() != 0 {
			t.Errorf("n=%d: holds %d (%d delayed, %d in flight), want %d (1 delayed copy, 0 in flight)",
				n, q.Holding(), q.Delayed(), q.InFlight(), n)
		}
	}
}
