package sns_test

import (
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/models/endpoint"
	"msgsim/models/producer"
	"msgsim/models/sns"
	"msgsim/models/sns/filter"
	"msgsim/models/sqs"
	"msgsim/sim"
)

// Producers name their messages' attributes for filter policies.
var _ core.AttrSchema = (*producer.Producer)(nil)

// mustQueue builds an SQS queue with its defaults. A FIFO queue has no content-based
// deduplication: it needs the deduplication id the FIFO topic passes on.
func mustQueue(t *testing.T, w *core.World, name string, fifo bool) *sqs.Queue {
	t.Helper()
	cfg := sqs.DefaultConfig(name, fifo)
	q, err := sqs.New(w, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// A real producer's attributes reach the filter policies through core.AttrSchema, and the
// copies land in real SQS queues.
func TestFanOutToSQSQueues(t *testing.T) {
	w := core.NewWorld(core.Config{Seed: 7, Duration: time.Minute})
	all := mustQueue(t, w, "all", false)
	big := mustQueue(t, w, "big-orders", false)
	tid := w.Reserve("orders")
	producer.New(w, producer.Config{Name: "shop", Target: tid, Arrival: producer.Constant{PerSecond: 10}, Limit: 200,
		Attrs: []producer.Attr{
			{Name: "type", Values: []string{"order", "refund"}, Weights: []float64{1, 1}},
			{Name: "amount", Number: sim.Exponential(100)},
		}})
	tp, err := sns.New(w, sns.Config{Name: "orders", Subscriptions: []sns.Subscription{
		{Protocol: sns.ProtocolSQS, Target: all.ID(), DLQ: core.None, RawMessageDelivery: true},
		{Protocol: sns.ProtocolSQS, Target: big.ID(), DLQ: core.None,
			FilterPolicy: []byte(`{"type":["order"],"amount":[{"numeric":[">",100]}]}`)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := tp.Check(); err != nil {
		t.Fatal(err)
	}
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	published := w.Metrics.Find("orders", "NumberOfMessagesPublished").Counter.Value()
	filtered := w.Metrics.Find("orders", "NumberOfNotificationsFilteredOut").Counter.Value()
	if published != 200 || all.Visible() != 200 {
		t.Errorf("published %d, queue all holds %d; want 200, 200", published, all.Visible())
	}
	// P(type = order and amount > 100) = ½·e⁻¹ ≈ 0.18: neither none nor all of 200
	if n := big.Visible(); n == 0 || n == 200 || uint64(n)+filtered != 200 {
		t.Errorf("big-orders holds %d with %d filtered out; want 0 < n < 200 and n + filtered = 200", n, filtered)
	}
	if err := w.CheckConservation(); err != nil {
		t.Fatal(err)
	}
}

// fifoReader receives from a FIFO queue until it is empty, deleting each batch, and
// records the order of traces per message group.
type fifoReader struct {
	w      *core.World
	id     core.ComponentID
	q      *sqs.Queue
	groups map[int32][]uint64
}

func (r *fifoReader) Name() string { return "reader" }
func (r *fifoReader) Holding() int { return 0 }
func (r *fifoReader) Received(_ int64, batch []sqs.Received) {
	for _, b := range batch {
		r.groups[b.GroupID] = append(r.groups[b.GroupID], r.w.Msg(b.Msg).Trace)
		r.q.Delete(b.Handle, r.id, true)
	}
	if len(batch) > 0 {
		r.q.Receive(sqs.ReceiveRequest{Max: 10, Wait: -1, Visibility: -1}, r, 0)
	}
}

// A FIFO topic delivers each group's copies to a FIFO queue in publish order, even when the
// queue throttles (the SQS FIFO send quota is 300 TPS and the producer exceeds it).
func TestFIFOTopicToFIFOQueueKeepsGroupOrder(t *testing.T) {
	w := core.NewWorld(core.Config{Seed: 11, Duration: 5 * time.Second})
	q := mustQueue(t, w, "q.fifo", true)
	tid := w.Reserve("t.fifo")
	producer.New(w, producer.Config{Name: "p", Target: tid, Arrival: producer.Poisson{PerSecond: 500}, Groups: 4, Limit: 1000})
	// a constant Publish latency keeps publish order = production order (trace order)
	if _, err := sns.New(w, sns.Config{Name: "t.fifo", FIFO: true, ContentBasedDedup: true, APILatency: sim.Constant(0.02), Subscriptions: []sns.Subscription{
		{Protocol: sns.ProtocolSQS, Target: q.ID(), DLQ: core.None},
	}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	r := &fifoReader{w: w, q: q, groups: map[int32][]uint64{}}
	r.id = w.Add(r)
	q.Receive(sqs.ReceiveRequest{Max: 10, Wait: -1, Visibility: -1}, r, 0)
	if err := w.Eng.Run(); err != nil {
		t.Fatal(err)
	}
	n := 0
	for g, traces := range r.groups {
		n += len(traces)
		for i := 1; i < len(traces); i++ {
			if traces[i] < traces[i-1] {
				t.Fatalf("group %s out of order at %d: %v", w.Strings.Name(g), i, traces)
			}
		}
	}
	published := w.Metrics.Find("t.fifo", "NumberOfMessagesPublished").Counter.Value()
	if n == 0 || uint64(n) != published {
		t.Errorf("read %d messages, published %d", n, published)
	}
	if w.Metrics.Find("t.fifo", "DeliveryRetries").Counter.Value() == 0 {
		t.Error("the queue never throttled: the test does not exercise retries")
	}
	if err := w.CheckConservation(); err != nil {
		t.Fatal(err)
	}
}

// Conservation counts copies across a fan-out with every outcome: delivered to queues and
// endpoints, filtered out, retried through an outage, redriven to a DLQ, dropped.
func TestConservationAcrossFanOut(t *testing.T) {
	w := core.NewWorld(core.Config{Seed: 5, Duration: 10 * time.Minute})
	q := mustQueue(t, w, "q", false)
	dlq := mustQueue(t, w, "dlq", false)
	flaky, err := endpoint.New(w, endpoint.Config{Name: "flaky", Protocol: endpoint.HTTPS, ErrorRate: 0.3, Capacity: 5,
		Outages: []endpoint.Window{{From: time.Minute, To: 3 * time.Minute}}})
	if err != nil {
		t.Fatal(err)
	}
	down, err := endpoint.New(w, endpoint.Config{Name: "down", Protocol: endpoint.HTTP,
		Outages: []endpoint.Window{{From: 0, To: time.Hour}}})
	if err != nil {
		t.Fatal(err)
	}
	mail, err := endpoint.New(w, endpoint.Config{Name: "mail", Protocol: endpoint.Email})
	if err != nil {
		t.Fatal(err)
	}
	tid := w.Reserve("t")
	producer.New(w, producer.Config{Name: "p", Target: tid, Arrival: producer.Poisson{PerSecond: 20},
		Attrs: []producer.Attr{{Name: "kind", Values: []string{"a", "b"}, Weights: []float64{3, 1}}}})
	tp, err := sns.New(w, sns.Config{Name: "t", Subscriptions: []sns.Subscription{
		{Protocol: sns.ProtocolSQS, Target: q.ID(), DLQ: core.None},
		{Protocol: sns.ProtocolHTTPS, Target: flaky.ID(), DLQ: dlq.ID()},
		{Protocol: sns.ProtocolHTTP, Target: down.ID(), DLQ: core.None},
		{Protocol: sns.ProtocolEmail, Target: mail.ID(), DLQ: dlq.ID(),
			FilterPolicy: []byte(`{"kind":["b"]}`), FilterScope: filter.MessageBody},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Duration{30 * time.Second, 2 * time.Minute, 5 * time.Minute} {
		if err := w.Eng.RunUntil(at); err != nil {
			t.Fatal(err)
		}
		if err := w.CheckConservation(); err != nil {
			t.Fatalf("at %v: %v", at, err)
		}
	}
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	get := func(name string) uint64 { return w.Metrics.Find("t", name).Counter.Value() }
	// every copy is delivered, failed for good, or still held by the topic / in transit
	inTopic := uint64(tp.Holding())
	copies := w.Ledger.Derived
	settled := get("NumberOfNotificationsDelivered") + get("NumberOfNotificationsFailed")
	if settled > copies || copies-settled < inTopic {
		t.Errorf("copies %d, delivered+failed %d, held by the topic %d", copies, settled, inTopic)
	}
	if get("NumberOfNotificationsRedrivenToDlq") == 0 || get("DeliveryRetries") == 0 || get("NumberOfNotificationsFilteredOut") == 0 {
		t.Errorf("expected redrives, retries and filtering: %d %d %d",
			get("NumberOfNotificationsRedrivenToDlq"), get("DeliveryRetries"), get("NumberOfNotificationsFilteredOut"))
	}
	if err := w.CheckConservation(); err != nil {
		t.Fatal(err)
	}
}
