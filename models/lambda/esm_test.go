package lambda

import (
	"testing"
	"time"
	"unsafe"

	"msgsim/models/core"
	"msgsim/models/sqs"
	"msgsim/sim"
)

func TestESMScalingRamp(t *testing.T) {
	// A backlog of 50,000 messages and 5 s invocations: every tick sees messages remain.
	tests := []struct {
		name     string
		maxConc  int
		errors   bool
		runUntil time.Duration
		want     int
	}{
		{"+5 per second from 5", 0, false, 10500 * time.Millisecond, 55},
		{"+5 per second for a minute", 0, false, 60500 * time.Millisecond, 305},
		{"capped by maximum concurrency", 20, false, 10500 * time.Millisecond, 20},
		// first errors at 5.2 s (INIT 200 ms + 5 s): ticks 1..5 ramp to 30, then no more
		{"errors stop the ramp", 0, true, 10500 * time.Millisecond, 30},
		{"a minute with errors halves", 0, true, 60500 * time.Millisecond, 15},
		{"halving stops at 5", 0, true, 240500 * time.Millisecond, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(tt.runUntil)
			qc := sqs.DefaultConfig("backlog", false)
			qc.VisibilityTimeout = 10 * time.Minute
			q := mustQueue(t, w, qc)
			cfg := fixedFn("f", 200*time.Millisecond, 5*time.Second)
			cfg.Timeout = 10 * time.Second
			if tt.errors {
				cfg.ErrorProbability = 1
			}
			cfg.Triggers = []ESMConfig{{Queue: q, MaxConcurrency: tt.maxConc}}
			f := mustFn(t, w, NewAccount(0), cfg)
			in := newInjector(w, "client", q.ID())
			for i := 0; i < 50000; i++ {
				in.at(0)
			}
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			if got := f.ESMConcurrency(0); got != tt.want {
				t.Errorf("ESM concurrency = %d, want %d", got, tt.want)
			}
			g := w.Metrics.Find("f/esm/backlog", "ESMConcurrency").Gauge
			if g.Value() != float64(tt.want) {
				t.Errorf("ESMConcurrency gauge = %v, want %d", g.Value(), tt.want)
			}
			if c := f.Concurrency(); c > tt.want && !tt.errors {
				t.Errorf("function concurrency %d above the ESM target %d", c, tt.want)
			}
			checkConservation(t, w)
		})
	}
}

func TestESMScalesDownWhenQuiet(t *testing.T) {
	w := newWorld(5 * time.Minute)
	q := mustQueue(t, w, sqs.DefaultConfig("q", false))
	cfg := fixedFn("f", 0, time.Second)
	cfg.Triggers = []ESMConfig{{Queue: q}}
	f := mustFn(t, w, NewAccount(0), cfg)
	in := newInjector(w, "client", q.ID())
	for i := 0; i < 3000; i++ {
		in.at(0)
	}
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	// the backlog is gone within seconds; 2 minutes later the ESM is down to 2
	if got := f.ESMConcurrency(0); got != esmFloor {
		t.Errorf("ESM concurrency after a quiet spell = %d, want %d", got, esmFloor)
	}
	if w.Ledger.Consumed != 3000 {
		t.Errorf("consumed %d, want 3000", w.Ledger.Consumed)
	}
	checkConservation(t, w)
}

// batchRun puts 10 messages (the 3rd, 6th and 9th poison) in a queue before the run, so
// that the first poll takes them all as one batch; the queue has a 30 s visibility
// timeout and a DLQ after 2 receives. It records every record the ESM receives (trace,
// receive count) and every record the function processes to the end.
type batchRun struct {
	w        *core.World
	f        *Function
	dlq      *sqs.Queue
	rec      *recorder
	traces   []uint64
	received []sqs.Received
}

func newBatchRun(t *testing.T, rbif, fifo bool) *batchRun {
	b := &batchRun{w: newWorld(5 * time.Minute)}
	name := "q"
	if fifo {
		name = "q.fifo"
	}
	b.dlq = mustQueue(t, b.w, sqs.DefaultConfig(name+"-dlq", fifo))
	qc := sqs.DefaultConfig(name, fifo)
	qc.ContentBasedDedup = fifo
	qc.DLQ, qc.MaxReceiveCount = b.dlq, 2
	q := mustQueue(t, b.w, qc)
	b.rec = newRecorder(b.w)
	cfg := fixedFn("f", 0, 10*time.Millisecond)
	cfg.Steps = []Step{{Kind: Call, Target: b.rec.id}}
	cfg.Triggers = []ESMConfig{{Queue: q, ReportBatchItemFailures: rbif}}
	b.f = mustFn(t, b.w, NewAccount(0), cfg)
	b.f.observe = func(r sqs.Received) {
		r.Msg = core.MsgID(b.w.Msg(r.Msg).Trace) // keep the trace: ids are reused
		b.received = append(b.received, r)
	}
	prod := b.w.Paths().AddProducer("client")
	group := b.w.Strings.ID("g")
	for i := 1; i <= 10; i++ {
		m := b.w.Produce(prod, 100)
		msg := b.w.Msg(m)
		msg.Poison = i%3 == 0
		if fifo {
			msg.Group = group
		}
		b.traces = append(b.traces, msg.Trace)
		if st := q.Deliver(m); st != core.OK {
			t.Fatalf("preload: %v", st)
		}
	}
	if err := b.w.Run(); err != nil {
		t.Fatal(err)
	}
	return b
}

// receptions counts, per trace, how many times the ESM received it and the largest
// receive count seen.
func (b *batchRun) receptions() map[uint64][2]int {
	m := map[uint64][2]int{}
	for _, r := range b.received {
		v := m[uint64(r.Msg)]
		v[0]++
		v[1] = max(v[1], r.ReceiveCount)
		m[uint64(r.Msg)] = v
	}
	return m
}

func TestESMPartialBatchRetriesOnlyFailed(t *testing.T) {
	b := newBatchRun(t, true, false)
	rx := b.receptions()
	for i, tr := range b.traces {
		poison := (i+1)%3 == 0
		want := [2]int{1, 1} // received once, deleted
		if poison {
			want = [2]int{2, 2} // failed, came back once (receive count 2), then to the DLQ
		}
		if rx[tr] != want {
			t.Errorf("message %d (poison %v): received %d times, max receive count %d; want %v", i+1, poison, rx[tr][0], rx[tr][1], want)
		}
	}
	if got := counter(t, b.w, "f/esm/q", "DeletedEventCount"); got != 7 {
		t.Errorf("DeletedEventCount = %d, want 7", got)
	}
	if got := counter(t, b.w, "f/esm/q", "FailedInvokeEventCount"); got != 6 {
		t.Errorf("FailedInvokeEventCount = %d, want 3 + 3", got)
	}
	if len(b.rec.traces) != 7 {
		t.Errorf("records processed %d times, want 7 (each good message once)", len(b.rec.traces))
	}
	if got := counter(t, b.w, "f", "Errors"); got != 0 {
		t.Errorf("Errors = %d, want 0 (a partial batch response is a successful invocation)", got)
	}
	if b.dlq.HoldingDeadLetters() != 3 {
		t.Errorf("DLQ holds %d, want the 3 poison messages", b.dlq.HoldingDeadLetters())
	}
	checkConservation(t, b.w)
}

func TestESMWholeBatchFailureReturnsAll(t *testing.T) {
	b := newBatchRun(t, false, false)
	// The batch of 10 fails at message 3: nothing is deleted, all 10 come back after the
	// visibility timeout with receive count 2. They come back one by one, so the second
	// round is split over the pollers.
	rx := b.receptions()
	for i, tr := range b.traces {
		if want := [2]int{2, 2}; rx[tr] != want {
			t.Errorf("message %d: received %d times, max receive count %d; want %v", i+1, rx[tr][0], rx[tr][1], want)
		}
	}
	// the second round's batches that hold a poison message fail whole too, so good
	// messages may share the DLQ with the poison ones
	deleted := counter(t, b.w, "f/esm/q", "DeletedEventCount")
	if dead := b.dlq.HoldingDeadLetters(); deleted+uint64(dead) != 10 || dead < 3 {
		t.Errorf("deleted %d, DLQ holds %d: want all 10 accounted for, at least the 3 poison in the DLQ", deleted, dead)
	}
	if len(b.rec.times) < 3 || b.rec.times[0] != b.rec.times[1] || b.rec.times[2] < 30*time.Second {
		t.Errorf("processing times %v: want messages 1 and 2 processed in the first batch, then again after 30 s", b.rec.times)
	}
	checkConservation(t, b.w)
}

func TestESMFIFOPartialStopsAtFirstFailure(t *testing.T) {
	b := newBatchRun(t, true, true)
	// One group, one batch: the handler stops at message 3 (poison) and reports 3..10;
	// 1 and 2 are deleted. 3..10 come back (receive count 2), 3 fails first again, so
	// nothing more is deleted, and at the third receive all eight go to the DLQ: on a
	// FIFO queue the messages behind a poison message share its fate.
	rx := b.receptions()
	for i, tr := range b.traces {
		want := [2]int{2, 2}
		if i < 2 {
			want = [2]int{1, 1}
		}
		if rx[tr] != want {
			t.Errorf("message %d: received %d times, max receive count %d; want %v", i+1, rx[tr][0], rx[tr][1], want)
		}
	}
	if got := counter(t, b.w, "f/esm/q.fifo", "DeletedEventCount"); got != 2 {
		t.Errorf("DeletedEventCount = %d, want 2", got)
	}
	if b.dlq.HoldingDeadLetters() != 8 {
		t.Errorf("DLQ holds %d, want 8", b.dlq.HoldingDeadLetters())
	}
	if want := b.traces[:2]; len(b.rec.traces) != 2 || b.rec.traces[0] != want[0] || b.rec.traces[1] != want[1] {
		t.Errorf("processed %v, want %v", b.rec.traces, want)
	}
	checkConservation(t, b.w)
}

func TestPoisonMessagesEndInDLQ(t *testing.T) {
	w := newWorld(10 * time.Minute)
	dlq := mustQueue(t, w, sqs.DefaultConfig("dlq", false))
	qc := sqs.DefaultConfig("orders", false)
	qc.VisibilityTimeout = 10 * time.Second
	qc.DLQ, qc.MaxReceiveCount = dlq, 3
	q := mustQueue(t, w, qc)
	cfg := fixedFn("f", 0, 20*time.Millisecond)
	cfg.Timeout = time.Second
	cfg.Triggers = []ESMConfig{{Queue: q, BatchSize: 1}}
	cfg.Sink = true
	mustFn(t, w, NewAccount(0), cfg)
	in := newInjector(w, "client", q.ID())
	in.poisonEvery = 10
	for i := 0; i < 100; i++ {
		in.at(time.Second + time.Duration(i)*100*time.Millisecond)
	}
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if dlq.HoldingDeadLetters() != 10 {
		t.Errorf("DLQ holds %d, want the 10 poison messages", dlq.HoldingDeadLetters())
	}
	if w.Ledger.Consumed != 90 {
		t.Errorf("consumed %d, want 90", w.Ledger.Consumed)
	}
	// each poison message is received exactly maxReceiveCount = 3 times
	if got := counter(t, w, "f", "Invocations"); got != 90+3*10 {
		t.Errorf("Invocations = %d, want 90 + 3×10", got)
	}
	if got := counter(t, w, "f", "Errors"); got != 30 {
		t.Errorf("Errors = %d, want 30", got)
	}
	checkConservation(t, w)
}

func TestFIFOOrderPerGroup(t *testing.T) {
	for _, rbif := range []bool{true, false} {
		name := "whole-batch failures"
		if rbif {
			name = "partial batch responses"
		}
		t.Run(name, func(t *testing.T) {
			w := newWorld(time.Hour)
			qc := sqs.DefaultConfig("orders.fifo", true)
			qc.ContentBasedDedup = true
			qc.VisibilityTimeout = 5 * time.Second
			q := mustQueue(t, w, qc)
			rec := newRecorder(w)
			cfg := fixedFn("f", 0, 5*time.Millisecond)
			cfg.Steps = []Step{{Kind: Fail, Probability: 0.2}, {Kind: Call, Target: rec.id}}
			cfg.Triggers = []ESMConfig{{Queue: q, ReportBatchItemFailures: rbif}}
			mustFn(t, w, NewAccount(0), cfg)
			in := newInjector(w, "client", q.ID())
			for g := 0; g < 4; g++ {
				in.groups = append(in.groups, w.Strings.ID(string(rune('a'+g))))
			}
			for i := 0; i < 400; i++ {
				in.at(time.Second + time.Duration(i)*10*time.Millisecond)
			}
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			// position of each trace within its group
			pos := map[uint64]int{}
			count := map[int32]int{}
			for i, tr := range in.traces {
				g := in.groups[(i+1)%len(in.groups)]
				pos[tr] = count[g]
				count[g]++
			}
			// a record may be processed again after a failed batch, but never before
			// every earlier message of its group was processed
			next := map[int32]int{}
			seen := map[uint64]bool{}
			for i, tr := range rec.traces {
				g := rec.groups[i]
				if p := pos[tr]; p > next[g] {
					t.Fatalf("group %d: message %d processed before message %d", g, p, next[g])
				} else if p == next[g] {
					next[g]++
				}
				if rbif && seen[tr] {
					t.Fatalf("message %d processed twice with partial batch responses", tr)
				}
				seen[tr] = true
			}
			if len(seen) != 400 {
				t.Errorf("%d messages processed, want 400", len(seen))
			}
			if w.Ledger.Consumed != 400 {
				t.Errorf("consumed %d, want 400", w.Ledger.Consumed)
			}
			if counter(t, w, "f", "Invocations") <= 40 {
				t.Error("no retries: failures did not happen")
			}
			checkConservation(t, w)
		})
	}
}

func TestESMThrottledBatch(t *testing.T) {
	// Two pollers, 20 preloaded messages, reserved concurrency 1: the second batch is
	// throttled and retried 1, 2, 4, 8, 16 s after its first attempt while its messages
	// stay invisible; when the next retry would come after their visibility timeout, the
	// poller lets them go and they are received again, with receive count 2.
	tests := []struct {
		name      string
		vis, dur  time.Duration
		at        time.Duration // when to count the throttles
		throttles uint64
		recount   bool // messages received a second time
	}{
		// 20 s invocations: attempts at 0, +1, +3, +7, +15 are throttled; +31 succeeds
		{"kept while the visibility timeout lasts", time.Minute, 20 * time.Second, 30 * time.Second, 5, false},
		// 8 s invocations: attempts at 0, +1, +3, +7 are throttled; +15 would pass the
		// 10 s visibility timeout
		{"let go when the visibility timeout runs out", 10 * time.Second, 8 * time.Second, 9900 * time.Millisecond, 4, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(3 * time.Minute)
			qc := sqs.DefaultConfig("q", false)
			qc.VisibilityTimeout = tt.vis
			q := mustQueue(t, w, qc)
			cfg := fixedFn("f", 0, tt.dur)
			cfg.Timeout = 30 * time.Second
			cfg.ReservedConcurrency = 1
			cfg.Triggers = []ESMConfig{{Queue: q, MaxConcurrency: 2}}
			f := mustFn(t, w, NewAccount(0), cfg)
			var second time.Duration // first time a message is received again
			f.observe = func(r sqs.Received) {
				if r.ReceiveCount > 1 && second == 0 {
					second = w.Now()
				}
			}
			prod := w.Paths().AddProducer("client")
			for i := 0; i < 20; i++ {
				q.Deliver(w.Produce(prod, 100))
			}
			var throttles uint64
			w.Eng.After(tt.at, w.Eng.Register(sim.HandlerFunc(func(sim.Event) {
				throttles = counter(t, w, "f", "Throttles")
			})), 0, 0, 0)
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			if throttles != tt.throttles {
				t.Errorf("Throttles at %v = %d, want %d", tt.at, throttles, tt.throttles)
			}
			if tt.recount && second < tt.vis {
				t.Errorf("messages received again at %v, want after the %v visibility timeout", second, tt.vis)
			}
			if !tt.recount && second != 0 {
				t.Errorf("messages received again at %v, want never", second)
			}
			if w.Ledger.Consumed+uint64(q.Holding()) != 20 {
				t.Errorf("consumed %d + held %d, want 20", w.Ledger.Consumed, q.Holding())
			}
			checkConservation(t, w)
		})
	}
}

func TestESMBatchAssembly(t *testing.T) {
	// Messages are in the queue before the run; two pollers; a 2 s window. The records
	// of one batch reach the recorder at the same instant, which gives the batch sizes.
	tests := []struct {
		name     string
		n        int
		size     int32
		maxSize  int32
		batch    int
		maxBatch int // the largest batch assembled
	}{
		{"window gathers up to the batch size", 250, 1024, 262144, 100, 100},
		// 1 MiB messages: a seventh would pass 6 MiB, so 6 per batch at most
		{"6 MB payload cap", 30, 1 << 20, 1 << 20, 100, 6},
		// 100,000-byte messages under a 1 MiB maximum: a batch stops once another 1 MiB
		// message might not fit: at 53 records (5.3 MB + 1 MiB > 6 MiB)
		{"cap with small messages", 300, 100000, 1 << 20, 1000, 53},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(time.Minute)
			qc := sqs.DefaultConfig("q", false)
			qc.MaxMessageSize = tt.maxSize
			q := mustQueue(t, w, qc)
			rec := newRecorder(w)
			cfg := fixedFn("f", 0, 10*time.Millisecond)
			cfg.Steps = []Step{{Kind: Call, Target: rec.id}}
			cfg.Triggers = []ESMConfig{{Queue: q, BatchSize: tt.batch, BatchingWindow: 2 * time.Second, MaxConcurrency: 2}}
			mustFn(t, w, NewAccount(0), cfg)
			prod := w.Paths().AddProducer("client")
			for i := 0; i < tt.n; i++ {
				if st := q.Deliver(w.Produce(prod, tt.size)); st != core.OK {
					t.Fatalf("preload: %v", st)
				}
			}
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			var sizes []int
			for i, at := range rec.times {
				if i == 0 || at != rec.times[i-1] {
					sizes = append(sizes, 0)
				}
				sizes[len(sizes)-1]++
			}
			biggest := 0
			for _, n := range sizes {
				biggest = max(biggest, n)
				if int64(n)*int64(tt.size) > batchPayloadCap {
					t.Errorf("a batch of %d × %d bytes passes the 6 MiB cap", n, tt.size)
				}
			}
			if biggest != tt.maxBatch {
				t.Errorf("batch sizes %v: largest %d, want %d", sizes, biggest, tt.maxBatch)
			}
			if w.Ledger.Consumed != uint64(tt.n) {
				t.Errorf("consumed %d, want %d", w.Ledger.Consumed, tt.n)
			}
			checkConservation(t, w)
		})
	}
}

// TestESMLayout guards the layout esm's doc comment relies on: 256 bytes (a size class
// whose objects start on a cache-line boundary), the per-batch fields in the first line
// and the rest of them, with the scaling fields a receive writes, in the second.
func TestESMLayout(t *testing.T) {
	var e esm
	if n := unsafe.Sizeof(e); n != 256 {
		t.Fatalf("esm is %d bytes, want 256", n)
	}
	if end := unsafe.Offsetof(e.vis) + 8; end > 64 {
		t.Errorf("q..vis end at byte %d, want within the first line (64)", end)
	}
	if end := unsafe.Offsetof(e.scaling) + unsafe.Offsetof(e.scaling.seenMsg) + 1; unsafe.Offsetof(e.target) < 64 || end > 128 {
		t.Errorf("target..scaling.seenMsg span bytes %d..%d, want within the second line (64..128)", unsafe.Offsetof(e.target), end)
	}
}

// A batch capped by payload size that is throttled until its visibility timeout runs out is
// let go whole, its payload count too: at every moment a worker's byte count is the payload
// of the records it holds, so the poll after a let-go asks for a full batch again, not for
// what the records given back left under the 6 MiB cap.
func TestESMThrottledSizedBatchLetGoStartsEmpty(t *testing.T) {
	w := newWorld(time.Minute)
	qc := sqs.DefaultConfig("q", false)
	qc.MaxMessageSize = 1 << 20
	qc.VisibilityTimeout = 10 * time.Second
	q := mustQueue(t, w, qc)
	cfg := fixedFn("f", 0, 8*time.Second) // as in TestESMThrottledBatch: let go at 7 s
	cfg.Timeout = 30 * time.Second
	cfg.ReservedConcurrency = 1
	cfg.Triggers = []ESMConfig{{Queue: q, BatchSize: 10, MaxConcurrency: 2}}
	f := mustFn(t, w, NewAccount(0), cfg)
	prod := w.Paths().AddProducer("client")
	for range 24 {
		if st := q.Deliver(w.Produce(prod, 1<<20)); st != core.OK { // 6 fit under 6 MiB
			t.Fatalf("preload: %v", st)
		}
	}
	var check sim.HandlerID
	bad := 0
	check = w.Eng.Register(sim.HandlerFunc(func(sim.Event) {
		for i := range f.workers {
			wk := &f.workers[i]
			var sum int64
			for _, r := range wk.recs {
				sum += int64(w.Msg(r.msg).Size)
			}
			if wk.bytes != sum && bad < 3 {
				bad++
				t.Errorf("at %v worker %d counts %d bytes for %d records of %d bytes", w.Now(), i, wk.bytes, len(wk.recs), sum)
			}
		}
		w.Eng.After(time.Millisecond, check, 0, 0, 0)
	}))
	w.Eng.After(0, check, 0, 0, 0)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if c := counter(t, w, "f", "Throttles"); c < 4 {
		t.Errorf("Throttles = %d, want the let-go of TestESMThrottledBatch (4 or more)", c)
	}
	checkConservation(t, w)
}
