package apigateway

import (
	"strings"
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/models/fault"
	"msgsim/sim"
)

// probe reads a value at hand-placed times. Probes are scheduled before the run, so at
// equal times they fire before events the model schedules during the run.
type probe struct {
	read func() uint64
	at   []time.Duration
	got  []uint64
}

func (p *probe) Fire(ev sim.Event) { p.got = append(p.got, p.read()) }

func newProbe(w *core.World, read func() uint64, ts ...time.Duration) *probe {
	p := &probe{read: read, at: ts}
	h := w.Eng.Register(p)
	for _, t := range ts {
		_ = w.Eng.Schedule(sim.Event{At: t, Target: sim.Target{Handler: h}})
	}
	return p
}

func TestIntegrationTimeoutIs504AtExactlyTheTimeout(t *testing.T) {
	// A 1 s integration timeout, 10 ms added latency, a backend that answers after 5 s.
	// The integration starts at 10 ms, so the client gets 504 at 1.010 s: not 1 ns
	// before, and the backend keeps running (note 35): the API holds the message until
	// the backend's reply at 5.010 s, then drops it as "504 integration timeout".
	for _, flavor := range []Flavor{REST, HTTP} {
		t.Run(flavor.String(), func(t *testing.T) {
			w := newWorld(time.Minute)
			be := newBackend(w, "fn", 5*time.Second, core.OK)
			a := mustAPI(t, w, Config{Name: "api", Flavor: flavor, Latency: fixed(10 * time.Millisecond),
				Timeout: time.Second, Target: be.id})
			newClient(w, "c", a.ID()).at("", 0)
			at := 1010 * time.Millisecond
			errs := newProbe(w, func() uint64 { return counter(w, "api", "5XXError") }, at-1, at+1)
			held := newProbe(w, func() uint64 { return uint64(a.Holding()) }, 2*time.Second, 5010*time.Millisecond+1)
			drops := newProbe(w, func() uint64 { return dropped(w, "api", "504 integration timeout") }, 5*time.Second, 5010*time.Millisecond+1)
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			if errs.got[0] != 0 || errs.got[1] != 1 {
				t.Errorf("5XXError just before / after %v: %v, want [0 1]", at, errs.got)
			}
			if held.got[0] != 1 || held.got[1] != 0 || drops.got[0] != 0 || drops.got[1] != 1 {
				t.Errorf("held %v, dropped %v around the backend's reply; want [1 0], [0 1]", held.got, drops.got)
			}
			if be.calls != 1 || len(be.replies) != 1 || be.replies[0] != 5010*time.Millisecond {
				t.Errorf("the backend did not run on to its reply: %v", be.replies)
			}
			il := w.Metrics.Find("api", "IntegrationLatency").Latency.Total
			if il.Count() != 1 || il.Mean() != float64(time.Second) {
				t.Errorf("IntegrationLatency %d × %v, want one of exactly 1s", il.Count(), time.Duration(il.Mean()))
			}
			checkConservation(t, w)
		})
	}
}

func TestProxyResponsesFollowTheBackendStatus(t *testing.T) {
	tests := []struct {
		name     string
		status   core.Status
		throttle int // ThrottleStatus
		class    int
		reason   string // drop reason; "" = 2xx, consumed
	}{
		{"success is 200", core.OK, 0, 2, ""},
		{"function error is 502", core.Failed, 0, 5, "502 bad gateway"},
		{"function timeout is 504", core.TimedOut, 0, 5, "504 integration timeout"},
		{"Lambda throttle is 429 by default", core.Throttled, 0, 4, "429 backend throttled"},
		{"Lambda throttle can be 502", core.Throttled, 502, 5, "502 bad gateway"},
		{"Lambda throttle can be 500", core.Throttled, 500, 5, "500 integration failure"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(time.Minute)
			be := newBackend(w, "fn", 20*time.Millisecond, tc.status)
			a := mustAPI(t, w, Config{Name: "api", Latency: fixed(10 * time.Millisecond), Target: be.id,
				ThrottleStatus: tc.throttle, Sink: true})
			newClient(w, "c", a.ID()).every("", 0, time.Second, 3)
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			want4, want5 := uint64(0), uint64(0)
			switch tc.class {
			case 4:
				want4 = 3
			case 5:
				want5 = 3
			}
			if counter(w, "api", "4XXError") != want4 || counter(w, "api", "5XXError") != want5 {
				t.Errorf("4XX %d, 5XX %d; want %d, %d", counter(w, "api", "4XXError"), counter(w, "api", "5XXError"), want4, want5)
			}
			if tc.reason == "" {
				if w.Ledger.Consumed != 3 {
					t.Errorf("consumed %d, want 3", w.Ledger.Consumed)
				}
				// the response ends the path: end-to-end latency 10 ms + 20 ms
				lat := w.Paths().Latency(core.PathKey{Producer: 0, Sink: a.ID()})
				if lat == nil || lat.Total.Count() != 3 || lat.Total.Mean() != float64(30*time.Millisecond) {
					t.Errorf("end-to-end latency not recorded as 3 × 30ms")
				}
			} else if n := dropped(w, "api", tc.reason); n != 3 {
				t.Errorf("%q drops %d, want 3", tc.reason, n)
			}
			lt := w.Metrics.Find("api", "Latency").Latency.Total
			if lt.Count() != 3 || lt.Mean() != float64(30*time.Millisecond) {
				t.Errorf("Latency %d × %v, want 3 × 30ms", lt.Count(), time.Duration(lt.Mean()))
			}
			checkConservation(t, w)
		})
	}
}

func TestDirectIntegrationSendsToTheTargetAndAnswers200(t *testing.T) {
	for _, tc := range []struct {
		name   string
		refuse core.Status
	}{{"accepted", core.OK}, {"refused", core.Throttled}} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(time.Minute)
			q := &holder{name: "queue", refuse: tc.refuse}
			qid := w.Add(q)
			a := mustAPI(t, w, Config{Name: "api", Flavor: HTTP, Integration: Direct, Target: qid})
			newClient(w, "c", a.ID()).every("", 0, 10*time.Millisecond, 100)
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			if tc.refuse == core.OK {
				if len(q.held) != 100 || counter(w, "api", "5XXError") != 0 || w.Ledger.Consumed != 0 {
					t.Errorf("queue holds %d, 5XX %d, consumed %d; want 100, 0, 0", len(q.held), counter(w, "api", "5XXError"), w.Ledger.Consumed)
				}
			} else if dropped(w, "api", "500 integration failure") != 100 || counter(w, "api", "5XXError") != 100 {
				t.Errorf("500s %d, want 100", dropped(w, "api", "500 integration failure"))
			}
			if n := w.Metrics.Find("api", "IntegrationLatency").Latency.Total.Count(); n != 100 {
				t.Errorf("IntegrationLatency count %d, want 100", n)
			}
			checkConservation(t, w)
		})
	}
}

func TestOutageWindowGives5xxOnlyInsideIt(t *testing.T) {
	// 100 requests/s for 6 s; an error outage over [2 s, 4 s): the per-second 5XXError
	// series is zero outside the window and 100 in each second inside it.
	w := core.NewWorld(core.Config{Seed: 1, Duration: 6 * time.Second, SampleEvery: time.Second})
	be := newBackend(w, "fn", time.Millisecond, core.OK)
	a := mustAPI(t, w, Config{Name: "api", Latency: fixed(time.Millisecond), Target: be.id,
		Faults: fault.Config{Outages: []fault.Outage{{From: 2 * time.Second, To: 4 * time.Second}}}})
	newClient(w, "c", a.ID()).every("", 0, 10*time.Millisecond, 599)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	s := w.Metrics.Find("api", "5XXError").Series[0].Series
	for i := 0; i < s.Len(); i++ {
		_, v := s.At(i)
		want := 0.0
		if i == 2 || i == 3 {
			want = 100
		}
		if v != want {
			t.Errorf("second %d: %v 5xx, want %v", i, v, want)
		}
	}
	if dropped(w, "api", "503 service unavailable") != 200 {
		t.Errorf("503s %d, want 200", dropped(w, "api", "503 service unavailable"))
	}
	checkConservation(t, w)
}

func TestCacheHitsWithinTTLOfTheLastMiss(t *testing.T) {
	// TTL 1 s. Key a at 0 (miss), 0.5 s (hit), 1 s (miss: the entry served [0, 1 s)),
	// 1.5 s (hit); key b at 0.25 s (miss), 0.75 s (hit), 1.25 s (miss). With a single
	// entry of capacity, a and b alternate, evict each other and every request misses.
	for _, tc := range []struct {
		name         string
		capacity     int
		hits, misses uint64
	}{
		{"room for both keys", 0, 3, 4},
		{"one entry: keys evict each other", 1, 0, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(time.Minute)
			be := newBackend(w, "fn", time.Millisecond, core.OK)
			a := mustAPI(t, w, Config{Name: "api", Latency: fixed(time.Millisecond), Target: be.id,
				Cache: &Cache{TTL: time.Second, KeyAttr: "client", Capacity: tc.capacity}})
			c := newClient(w, "c", a.ID())
			ms := time.Millisecond
			c.at("a", 0, 500*ms, 1000*ms, 1500*ms)
			c.at("b", 250*ms, 750*ms, 1250*ms)
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			if h, m := counter(w, "api", "CacheHitCount"), counter(w, "api", "CacheMissCount"); h != tc.hits || m != tc.misses {
				t.Errorf("hits %d, misses %d; want %d, %d", h, m, tc.hits, tc.misses)
			}
			if be.calls != int(tc.misses) || w.Ledger.Consumed != 7 {
				t.Errorf("integration calls %d, consumed %d; want %d, 7", be.calls, w.Ledger.Consumed, tc.misses)
			}
			checkConservation(t, w)
		})
	}
}

func TestKindsAndDefaultsFollowTheFlavour(t *testing.T) {
	w := newWorld(time.Minute)
	be := newBackend(w, "fn", time.Millisecond, core.OK)
	rest := mustAPI(t, w, Config{Name: "rest", Target: be.id})
	http := mustAPI(t, w, Config{Name: "http", Flavor: HTTP, Target: be.id})
	if rest.Kind() != core.KindAPIGatewayREST || http.Kind() != core.KindAPIGatewayHTTP {
		t.Errorf("kinds %q, %q", rest.Kind(), http.Kind())
	}
	if rest.Config().Timeout != 29*time.Second || http.Config().Timeout != 30*time.Second {
		t.Errorf("timeouts %v, %v; want 29s, 30s", rest.Config().Timeout, http.Config().Timeout)
	}
	// note 33: lognormal p50 10 ms (REST), 6 ms (HTTP)
	if m := rest.Config().Latency.Mean(); m < 0.010 || m > 0.020 {
		t.Errorf("REST added latency mean %v s", m)
	}
	if m := http.Config().Latency.Mean(); m < 0.006 || m > 0.015 {
		t.Errorf("HTTP added latency mean %v s", m)
	}
	if w.Metrics.Find("http", "CacheHitCount") != nil || w.Metrics.Find("rest", "CacheHitCount") == nil {
		t.Error("cache metrics belong to REST APIs only")
	}
	checkConservation(t, w)
}

func TestBadConfigurationsAreErrors(t *testing.T) {
	w := newWorld(time.Minute)
	be := newBackend(w, "fn", time.Millisecond, core.OK)
	q := w.Add(&holder{name: "q"})
	tests := []struct {
		name  string
		cfg   Config
		wants []string
	}{
		{"no name", Config{Target: be.id}, []string{"name"}},
		{"REST timeout over 29 s", Config{Name: "a", Target: be.id, Timeout: 30 * time.Second}, []string{"timeout"}},
		{"HTTP timeout over 30 s", Config{Name: "a", Flavor: HTTP, Target: be.id, Timeout: 31 * time.Second}, []string{"timeout"}},
		{"timeout under 50 ms", Config{Name: "a", Target: be.id, Timeout: time.Millisecond}, []string{"timeout"}},
		{"HTTP cache", Config{Name: "a", Flavor: HTTP, Target: be.id, Cache: &Cache{Keys: 10}}, []string{"REST APIs only"}},
		{"cache without keys", Config{Name: "a", Target: be.id, Cache: &Cache{}}, []string{"exactly one of keys"}},
		{"cache TTL over 1 h", Config{Name: "a", Target: be.id, Cache: &Cache{Keys: 1, TTL: 2 * time.Hour}}, []string{"cache.ttl"}},
		{"proxy to a queue", Config{Name: "a", Target: q}, []string{"does not serve calls"}},
		{"direct to a function", Config{Name: "a", Target: be.id, Integration: Direct}, []string{"does not accept sends"}},
		{"bad throttle status", Config{Name: "a", Target: be.id, ThrottleStatus: 418}, []string{"throttle_status"}},
		{"negative limits", Config{Name: "a", Target: be.id, Stage: Limit{Rate: -1},
			UsagePlan: &UsagePlan{QuotaPerDay: -1}}, []string{"stage", "usage_plan.quota"}},
		{"bad faults", Config{Name: "a", Target: be.id, Faults: fault.Config{Outages: []fault.Outage{{From: 2, To: 1}}}},
			[]string{"faults: outages.0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := New(w, tc.cfg)
			if err == nil || a != nil {
				t.Fatalf("accepted %+v", tc.cfg)
			}
			for _, want := range tc.wants {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
		})
	}
	checkConservation(t, w)
}

func TestFaultErrorRateAndLatencyFactorReachTheClient(t *testing.T) {
	// From 1 s every request is a 500; from 2 s the error rate is 0 again and the added
	// latency (10 ms) is tripled; from 3 s the stage admits nothing (rate limit 0).
	w := newWorld(time.Minute)
	be := newBackend(w, "fn", 0, core.OK)
	a := mustAPI(t, w, Config{Name: "api", Latency: fixed(10 * time.Millisecond), Target: be.id,
		Faults: fault.Config{
			ErrorRates:     []fault.Level{{At: time.Second, Value: 1}, {At: 2 * time.Second, Value: 0}},
			LatencyFactors: []fault.Level{{At: 2 * time.Second, Value: 3}},
			RateLimits:     []fault.Level{{At: 3 * time.Second, Value: 0}},
		}})
	newClient(w, "c", a.ID()).at("", 0, 1500*time.Millisecond, 2500*time.Millisecond, 3500*time.Millisecond)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if w.Ledger.Consumed != 2 || dropped(w, "api", "500 internal error") != 1 || dropped(w, "api", "429 throttled") != 1 {
		t.Errorf("consumed %d, 500s %d, 429s %d; want 2, 1, 1", w.Ledger.Consumed,
			dropped(w, "api", "500 internal error"), dropped(w, "api", "429 throttled"))
	}
	lt := w.Metrics.Find("api", "Latency").Latency.Total
	if lt.Count() != 4 || lt.Max() != int64(30*time.Millisecond) {
		t.Errorf("Latency %d responses, max %v; want 4, 30ms", lt.Count(), time.Duration(lt.Max()))
	}
	checkConservation(t, w)
}
