package sqs

import (
	"slices"
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/models/producer"
)

// entry is one message of a test batch.
type entry struct {
	size  int32
	group string // "" = no group
	dedup uint64
}

func TestSendBatchValidatesBillsAndAnswersPerEntry(t *testing.T) {
	kb := func(n int32) int32 { return n * 1024 }
	ten := func(size int32) []entry {
		var es []entry
		for i := range 10 {
			es = append(es, entry{size, "g", uint64(i + 1)})
		}
		return es
	}
	O, R, T := core.OK, core.Rejected, core.Throttled
	cases := []struct {
		name      string
		fifo      bool
		maxSize   int32
		drain     int // single-entry batches sent first, at the same instant
		entries   []entry
		want      []core.Status
		requests  uint64 // billed by the call under test
		rejected  uint64
		throttled uint64
		sent      uint64
	}{
		{"ten small entries are one request", false, 0, 0, ten(kb(1)), slices.Repeat([]core.Status{O}, 10), 1, 0, 0, 10},
		// 10 × 60 KiB = 600 KiB → ceil(600 / 64) = 10 chunks
		{"billing is per 64 KiB chunk of the total payload", false, 0, 0, ten(kb(60)), slices.Repeat([]core.Status{O}, 10), 10, 0, 0, 10},
		{"eleven entries are refused whole", false, 0, 0, append(ten(kb(1)), entry{kb(1), "g", 99}), slices.Repeat([]core.Status{R}, 11), 1, 11, 0, 0},
		{"an empty batch is refused", false, 0, 0, nil, nil, 1, 0, 0, 0},
		// 5 × 256 KiB = 1.25 MiB > 1 MiB although each entry is within the message limit
		{"a total over 1 MiB is refused whole", false, 0, 0, ten(kb(256))[:5], slices.Repeat([]core.Status{R}, 5), 1, 5, 0, 0},
		// 1 + 2 + 1 KiB = 4 KiB: one chunk, billed though the middle entry is refused
		{"an entry over the message size is refused alone", false, 1024, 0,
			[]entry{{kb(1), "", 1}, {kb(2), "", 2}, {kb(1), "", 3}}, []core.Status{O, R, O}, 1, 1, 0, 2},
		{"a FIFO entry without a group is refused alone", true, 0, 0,
			[]entry{{100, "g", 1}, {100, "", 2}, {100, "g", 3}}, []core.Status{O, R, O}, 1, 1, 0, 2},
		{"a FIFO duplicate inside a batch is acknowledged but not enqueued", true, 0, 0,
			[]entry{{100, "g", 1}, {100, "g", 1}}, []core.Status{O, O}, 1, 0, 0, 1},
		// the 300 calls before it take the 300-token burst at the same instant
		{"a FIFO call over the quota throttles every entry, unbilled", true, 0, 300, ten(100), slices.Repeat([]core.Status{T}, 10), 0, 0, 1, 0},
		{"a FIFO call takes one token for ten entries", true, 0, 299, ten(100), slices.Repeat([]core.Status{O}, 10), 1, 0, 0, 10},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := world(time.Minute)
			cfg := DefaultConfig("q", tc.fifo)
			cfg.APILatency = zeroLatency
			if tc.maxSize > 0 {
				cfg.MaxMessageSize = tc.maxSize
			}
			q := mustQueue(t, w, cfg)
			refused := w.DropReason("test", "refused")
			st := make([]core.Status, MaxBatch+1)
			for i := range tc.drain {
				m := w.Produce(0, 100)
				w.Msg(m).Group, w.Msg(m).Dedup = w.Strings.ID("g"), uint64(1000+i)
				q.SendBatch([]core.MsgID{m}, st)
				if st[0] != core.OK {
					t.Fatalf("draining call %d: %v", i, st[0])
				}
			}
			base := []uint64{counter(t, w, q, "Requests"), counter(t, w, q, "RejectedSends"), counter(t, w, q, "NumberOfMessagesSent")}
			var ms []core.MsgID
			for _, e := range tc.entries {
				m := w.Produce(0, e.size)
				w.Msg(m).Dedup = e.dedup
				if e.group != "" {
					w.Msg(m).Group = w.Strings.ID(e.group)
				}
				ms = append(ms, m)
			}
			q.SendBatch(ms, st)
			if got := st[:len(ms)]; !slices.Equal(got, tc.want) {
				t.Errorf("statuses %v, want %v", got, tc.want)
			}
			for i, m := range ms {
				if st[i] != core.OK {
					w.Drop(m, refused)
				}
			}
			if got := counter(t, w, q, "Requests") - base[0]; got != tc.requests {
				t.Errorf("billed %d requests, want %d", got, tc.requests)
			}
			if got := counter(t, w, q, "RejectedSends") - base[1]; got != tc.rejected {
				t.Errorf("RejectedSends %d, want %d", got, tc.rejected)
			}
			if got := counter(t, w, q, "NumberOfMessagesSent") - base[2]; got != tc.sent {
				t.Errorf("NumberOfMessagesSent %d, want %d", got, tc.sent)
			}
			if tc.fifo {
				if got := counter(t, w, q, "ThrottledSends"); got != tc.throttled {
					t.Errorf("ThrottledSends %d, want %d", got, tc.throttled)
				}
			}
			conserve(t, w)
		})
	}
}

func TestFIFOBatchingLiftsTheSendQuotaToTenMessagesPerCall(t *testing.T) {
	secs := 60.0
	if quick() {
		secs = 15
	}
	const offered = 5000 // messages/s, above both caps
	cases := []struct {
		name             string
		batch            int
		minSent, maxSent float64
	}{
		// Single sends: a 300 TPS bucket with a 300 burst admits at most 300 + 300 T sends;
		// offered 5,000/s it is never idle, so at least 300 T.
		{"single sends are capped at 300 per second", 1, 300 * secs, 300 + 300*secs},
		// Batches of 10: at most (300 + 300 T) calls × 10 entries. Offered 500 full calls/s
		// (plus retries, which join calls) the bucket is never idle and every call is full
		// (10 arrivals take 2 ms, less than the linger), so at least 300 T × 10.
		{"batches of ten reach 3,000 messages per second", 10, 3000 * secs, 10 * (300 + 300*secs)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := world(time.Duration(secs) * time.Second)
			cfg := DefaultConfig("q", true)
			cfg.ContentBasedDedup = true
			q := mustQueue(t, w, cfg)
			producer.New(w, producer.Config{Name: "prod", Target: q.ID(), Arrival: producer.Constant{PerSecond: offered},
				Groups: 10, Batch: tc.batch, Linger: 50 * time.Millisecond})
			for i := range 10 {
				newPoller(t, w, q, "c"+string(rune('a'+i)), ReceiveRequest{Max: 10, Wait: 20 * time.Second, Visibility: -1})
			}
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			sent := float64(counter(t, w, q, "NumberOfMessagesSent"))
			throttled := counter(t, w, q, "ThrottledSends")
			retries := w.Metrics.Find("prod", "SendRetries").Counter.Value()
			if sent < tc.minSent || sent > tc.maxSent {
				t.Errorf("accepted %v messages in %v s, want %v..%v", sent, secs, tc.minSent, tc.maxSent)
			}
			if throttled == 0 || retries == 0 {
				t.Errorf("throttled calls %d, producer retries %d: want both > 0 at %d messages/s", throttled, retries, offered)
			}
			t.Logf("accepted %.0f messages (%.0f/s), %d throttled calls, %d retries, %d requests billed",
				sent, sent/secs, throttled, retries, counter(t, w, q, "Requests"))
			conserve(t, w)
		})
	}
}
