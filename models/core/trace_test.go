package core

import "testing"

type traceLog struct{ events []TraceEvent }

func (l *traceLog) Trace(e TraceEvent) { l.events = append(l.events, e) }

func TestTracerNarratesConsumeAndDropWithMessageLabels(t *testing.T) {
	w := newWorld()
	log := &traceLog{}
	w.SetTracer(log)
	dst := newSink(w, "dst")
	p := w.Paths().AddProducer("orders")
	a := w.Produce(p, 1)
	b := w.Produce(p, 1)
	k := w.DropReason("dst", "throttled")
	w.Drop(b, k)
	w.Consume(a, dst.id, true)
	if len(log.events) != 2 {
		t.Fatalf("events %+v", log.events)
	}
	if e := log.events[0]; e.Message != "orders-2" || e.Text != "dropped: throttled" || e.Component != "dst" {
		t.Fatalf("drop narrated as %+v", e)
	}
	if e := log.events[1]; e.Message != "orders-1" || e.Trace != 1 || e.Component != "dst" {
		t.Fatalf("consume narrated as %+v", e)
	}
}

func TestUntracedRunNarratesNothing(t *testing.T) {
	w := newWorld()
	if w.Tracing() {
		t.Fatal("tracing on by default")
	}
	w.Tracef(None, NoMsg, "x %d", 1) // must be a no-op
}
