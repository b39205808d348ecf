package endpoint

import (
	"math"
	"strings"
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/sim"
)

// sender is a test requester: it sends messages to the endpoint and records each outcome
// with its arrival time, dropping what is refused.
type sender struct {
	w      *core.World
	id     core.ComponentID
	index  int32
	at     []time.Duration
	status []core.Status
	drop   core.DropKey
}

func newSender(w *core.World) *sender {
	s := &sender{w: w}
	s.index = w.Paths().AddProducer("sender")
	s.id = w.Add(s)
	s.drop = w.DropReason("sender", "refused")
	return s
}

func (s *sender) Name() string { return "sender" }
func (s *sender) Holding() int { return 0 }
func (s *sender) Done(tok int64, st core.Status) {
	s.at = append(s.at, s.w.Now())
	s.status = append(s.status, st)
	if st != core.OK {
		s.w.Drop(core.MsgID(tok), s.drop)
	}
}

// sendEvery sends one message every step from 0 to until inclusive.
func (s *sender) sendEvery(t *testing.T, to core.ComponentID, step, until time.Duration) {
	t.Helper()
	for at := time.Duration(0); at <= until; at += step {
		if err := s.w.Eng.RunUntil(at); err != nil {
			t.Fatal(err)
		}
		m := s.w.Produce(s.index, 100)
		s.w.Send(m, to, 0, s.id, int64(m))
	}
	if err := s.w.Eng.Run(); err != nil {
		t.Fatal(err)
	}
}

func (s *sender) count(st core.Status) int {
	n := 0
	for _, x := range s.status {
		if x == st {
			n++
		}
	}
	return n
}

func newWorld() *core.World { return core.NewWorld(core.Config{Seed: 3, Duration: time.Hour}) }

func mustNew(t *testing.T, w *core.World, cfg Config) *Endpoint {
	t.Helper()
	e, err := New(w, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func conserve(t *testing.T, w *core.World) {
	t.Helper()
	if err := w.CheckConservation(); err != nil {
		t.Fatal(err)
	}
}

func TestOutageWindowFailsOnlyInsideIt(t *testing.T) {
	w := newWorld()
	s := newSender(w)
	e := mustNew(t, w, Config{Name: "api", Protocol: HTTPS, Latency: sim.Constant(0.01),
		Outages: []Window{{From: 3 * time.Second, To: 5 * time.Second}}})
	s.sendEvery(t, e.ID(), 100*time.Millisecond, 10*time.Second)
	for i, at := range s.at {
		inside := at >= 3*time.Second && at < 5*time.Second
		if inside != (s.status[i] == core.Failed) {
			t.Errorf("arrival at %v: %v (inside the outage: %v)", at, s.status[i], inside)
		}
	}
	// arrivals at 3.0, 3.1, ..., 4.9 s fall in [3 s, 5 s)
	if got := s.count(core.Failed); got != 20 {
		t.Errorf("%d failures, want 20", got)
	}
	if got := w.Metrics.Find("api", "Failed").Counter.Value(); got != 20 {
		t.Errorf("Failed metric %d, want 20", got)
	}
	if got := w.Metrics.Find("api", "Delivered").Counter.Value(); got != 101-20 {
		t.Errorf("Delivered %d, want 81", got)
	}
	conserve(t, w)
}

func TestCapacityThrottlesBeyondConcurrency(t *testing.T) {
	w := newWorld()
	s := newSender(w)
	e := mustNew(t, w, Config{Name: "api", Protocol: HTTP, Latency: sim.Constant(1), Capacity: 2})
	// five arrivals 0.4 s apart, each held 1 s: at most two at once
	// 0 ok (until 1), 0.4 ok (until 1.4), 0.8 throttled, 1.2 ok (until 2.2), 1.6 ok
	s.sendEvery(t, e.ID(), 400*time.Millisecond, 1600*time.Millisecond)
	want := []core.Status{core.OK, core.OK, core.Throttled, core.OK, core.OK}
	for i, st := range want {
		if s.status[i] != st {
			t.Errorf("arrival %d at %v: %v, want %v", i, s.at[i], s.status[i], st)
		}
	}
	if e.Holding() != 0 {
		t.Errorf("holding %d at the end", e.Holding())
	}
	conserve(t, w)
}

func TestEmailIsCappedAtTenPerSecond(t *testing.T) {
	w := newWorld()
	s := newSender(w)
	e := mustNew(t, w, Config{Name: "mail", Protocol: Email, Latency: sim.Constant(0.5)})
	// a token bucket of 10/s with a burst of 10 admits 10 + 10·T over [0, T]: 30 for T = 2 s
	s.sendEvery(t, e.ID(), 10*time.Millisecond, 2*time.Second)
	if got := s.count(core.OK); got != 30 {
		t.Errorf("%d accepted, want 30", got)
	}
	if got := w.Metrics.Find("mail", "Throttled").Counter.Value(); got != 201-30 {
		t.Errorf("Throttled %d, want %d", got, 201-30)
	}
	if e.Kind() != "endpoint-email" {
		t.Errorf("kind %q", e.Kind())
	}
	conserve(t, w)
}

func TestErrorRate(t *testing.T) {
	w := newWorld()
	s := newSender(w)
	const p, n = 0.2, 10000
	e := mustNew(t, w, Config{Name: "sms", Protocol: SMS, Latency: sim.Constant(0.001), ErrorRate: p})
	s.sendEvery(t, e.ID(), time.Millisecond, (n-1)*time.Millisecond)
	// failures ~ Binomial(n, p): sd = sqrt(n·p·(1−p)) = 40; allow 5 sd (false alarm < 1e-6)
	tol := 5 * math.Sqrt(n*p*(1-p))
	if got := float64(s.count(core.Failed)); math.Abs(got-n*p) > tol {
		t.Errorf("%v failures of %d, want %v ± %v", got, n, n*p, tol)
	}
	conserve(t, w)
}

func TestAcceptedMessagesEndTheirPathAfterTheLatency(t *testing.T) {
	w := newWorld()
	s := newSender(w)
	e := mustNew(t, w, Config{Name: "api", Protocol: HTTP, Latency: sim.Constant(0.25)})
	m := w.Produce(s.index, 100)
	w.Send(m, e.ID(), 0, s.id, int64(m))
	if err := w.Eng.RunUntil(100 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if e.Holding() != 1 {
		t.Errorf("holding %d while processing, want 1", e.Holding())
	}
	conserve(t, w)
	if err := w.Eng.Run(); err != nil {
		t.Fatal(err)
	}
	keys := w.Paths().Keys()
	if len(keys) != 1 || w.Paths().Name(keys[0]) != "sender -> api" {
		t.Fatalf("paths %v", keys)
	}
	if got := w.Paths().Latency(keys[0]).Total.Quantile(0.5); math.Abs(float64(got)-0.25e9) > 0.01*0.25e9 {
		t.Errorf("end-to-end latency %v, want 250ms (histogram error ≤ 1%%)", time.Duration(got))
	}
	if w.Ledger.Consumed != 1 || e.Holding() != 0 {
		t.Errorf("consumed %d, holding %d", w.Ledger.Consumed, e.Holding())
	}
	conserve(t, w)
}

func TestInvalidConfigs(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		err  string
	}{
		{"no name", Config{Protocol: HTTP}, "name must not be empty"},
		{"unknown protocol", Config{Name: "x", Protocol: "ftp"}, "protocol \"ftp\""},
		{"error rate above 1", Config{Name: "x", Protocol: HTTP, ErrorRate: 1.5}, "error rate"},
		{"empty outage", Config{Name: "x", Protocol: HTTP, Outages: []Window{{From: time.Second, To: time.Second}}}, "outages.0"},
		{"negative capacity", Config{Name: "x", Protocol: SMS, Capacity: -1}, "capacity"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld()
			_, err := New(w, c.cfg)
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("error %v, want one containing %q", err, c.err)
			}
			conserve(t, w)
		})
	}
}
