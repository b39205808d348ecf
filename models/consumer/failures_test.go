package consumer

import (
	"math"
	"strings"
	"testing"
	"time"

	"msgsim/models/producer"
	"msgsim/models/sqs"
	"msgsim/sim"
)

func TestFailuresReturnAfterTheVisibilityTimeoutThenGoToTheDLQ(t *testing.T) {
	// One poison message, a 10 s visibility timeout and maxReceiveCount 3: it is
	// received and fails three times, 10 s apart, and the receive after the third
	// failure moves it to the dead-letter queue.
	w := newWorld(0, 2*time.Minute)
	n := &narration{}
	w.SetTracer(n)
	dlq := mustQueue(t, w, sqs.DefaultConfig("dlq", false))
	qc := sqs.DefaultConfig("q", false)
	qc.VisibilityTimeout = 10 * time.Second
	qc.DLQ, qc.MaxReceiveCount = dlq, 3
	q := mustQueue(t, w, qc)
	produce(w, "orders", q, producerConstant(1), 1, 1)
	cfg := DefaultConfig("workers", q)
	cfg.Wait = 20 * time.Second
	cfg.ProcessingTime = sim.Constant(0.1)
	mustConsumer(t, w, cfg)
	run(t, w)

	var failedAt []time.Duration
	for _, e := range n.events {
		if e.Component == "workers" && strings.Contains(e.Text, "processing failed at worker 0 (poison message)") {
			failedAt = append(failedAt, e.At)
		}
	}
	if len(failedAt) != 3 {
		t.Fatalf("failed %d times (%v), want 3", len(failedAt), failedAt)
	}
	for i := 1; i < len(failedAt); i++ {
		if gap := failedAt[i] - failedAt[i-1]; gap != qc.VisibilityTimeout {
			t.Errorf("failure %d came %v after the previous one, want the visibility timeout %v", i+1, gap, qc.VisibilityTimeout)
		}
	}
	if got := total(t, w, "workers", "Failed"); got != 3 {
		t.Errorf("Failed %d, want 3", got)
	}
	if got := total(t, w, "q", "NumberOfMessagesMovedToDLQ"); got != 1 {
		t.Errorf("moved to DLQ %d, want 1", got)
	}
	if dlq.Visible() != 1 || q.Visible()+q.InFlight() != 0 {
		t.Errorf("DLQ holds %d, queue %d: want the message in the DLQ", dlq.Visible(), q.Visible()+q.InFlight())
	}
	checkConservation(t, w)
}

func TestDeadLetterFractionIsTheFailureProbabilityToTheMaxReceiveCount(t *testing.T) {
	// Each receive fails independently with p = 0.2; a message reaches the DLQ after
	// k = 3 failures: a fraction p^k = 0.008 of the messages.
	const (
		p    = 0.2
		k    = 3
		rate = 50.0
	)
	w := newWorld(0, 10*time.Minute)
	dlq := mustQueue(t, w, sqs.DefaultConfig("dlq", false))
	qc := sqs.DefaultConfig("q", false)
	qc.VisibilityTimeout = 5 * time.Second
	qc.DLQ, qc.MaxReceiveCount = dlq, k
	q := mustQueue(t, w, qc)
	produce(w, "orders", q, producerPoisson(rate), 0, 0)
	cfg := DefaultConfig("workers", q)
	cfg.Workers, cfg.MaxMessages, cfg.Wait = 8, 10, 20*time.Second
	cfg.ErrorProbability = p
	mustConsumer(t, w, cfg)
	run(t, w)
	// Messages whose fate is settled: moved to the DLQ or consumed.
	moved := float64(total(t, w, "q", "NumberOfMessagesMovedToDLQ"))
	settled := moved + float64(w.Conservation().Consumed)
	// Binomial(settled, p^k): standard deviation sqrt(n p^k (1-p^k)); 4 of them.
	pk := math.Pow(p, k)
	mean, sd := settled*pk, math.Sqrt(settled*pk*(1-pk))
	if math.Abs(moved-mean) > 4*sd {
		t.Errorf("%v of %v messages moved to the DLQ, want %.1f ± %.1f (p^k = %v)", moved, settled, mean, 4*sd, pk)
	}
	checkConservation(t, w)
}

func TestAFIFOWorkerLeavesTheRestOfItsBatchAfterAFailure(t *testing.T) {
	// With every message failing, a FIFO worker processes only the first message of each
	// batch: the others are left for their group's order. Without failures it processes
	// every message.
	for _, p := range []float64{0, 1} {
		w := newWorld(0, 2*time.Minute)
		qc := sqs.DefaultConfig("q.fifo", true)
		qc.ContentBasedDedup = true
		q := mustQueue(t, w, qc)
		producer.New(w, producer.Config{Name: "orders", Target: q.ID(), Arrival: producerConstant(20), Groups: 1})
		cfg := DefaultConfig("workers", q)
		cfg.MaxMessages, cfg.Wait, cfg.ErrorProbability = 10, 20*time.Second, p
		cfg.ProcessingTime = sim.Constant(0)
		mustConsumer(t, w, cfg)
		run(t, w)
		processed, failed := total(t, w, "workers", "Processed"), total(t, w, "workers", "Failed")
		receivedMsgs := total(t, w, "q.fifo", "NumberOfMessagesReceived")
		if p == 0 && (failed != 0 || processed < receivedMsgs-10) {
			t.Errorf("no failures: processed %d of %d received", processed, receivedMsgs)
		}
		if p == 1 && (processed != 0 || failed != total(t, w, "workers", "Receives")-total(t, w, "workers", "EmptyReceives")-1) {
			t.Errorf("all failing: processed %d, failed %d; want one failure per non-empty receive", processed, failed)
		}
		checkConservation(t, w)
	}
}
