package apigateway

import (
	"testing"
	"time"

	"msgsim/models/core"
)

func TestEachThrottleLevelAdmitsRateTimesTPlusBurstAndNoMore(t *testing.T) {
	// 10,000 requests/s offered for 2 s (offers every 100 µs, at 0 .. 2 s inclusive) to
	// a level limited to 100/s with a burst of 50: a token bucket admits
	// rate × t + burst = 250, and every other request is a 429 counted at that level.
	// The account default (10,000/s, burst 5,000) never empties at this offer rate.
	lim := Limit{Rate: 100, Burst: 50}
	tests := []struct {
		name  string
		level Level
		edit  func(*Config)
	}{
		{"account", LevelAccount, func(c *Config) { c.Account = NewAccount(100, 50) }},
		{"stage", LevelStage, func(c *Config) { c.Stage = lim }},
		{"route", LevelRoute, func(c *Config) { c.Route = lim }},
		{"usage plan", LevelPlan, func(c *Config) { c.UsagePlan = &UsagePlan{Limit: lim} }},
		{"usage plan method", LevelPlanMethod, func(c *Config) { c.UsagePlan = &UsagePlan{Method: lim} }},
	}
	const offered, admitted = 20001, 250
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(3 * time.Second)
			be := newBackend(w, "fn", time.Millisecond, core.OK)
			cfg := Config{Name: "api", Latency: fixed(time.Millisecond), Target: be.id}
			tc.edit(&cfg)
			a := mustAPI(t, w, cfg)
			newClient(w, "c", a.ID()).every("", 0, 100*time.Microsecond, offered)
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			if be.calls != admitted {
				t.Errorf("admitted %d, want %d", be.calls, admitted)
			}
			for l := Level(0); l < levels; l++ {
				want := uint64(0)
				if l == tc.level {
					want = offered - admitted
				}
				if got := a.ThrottledBy(l); got != want {
					t.Errorf("throttled at %v: %d, want %d", l, got, want)
				}
			}
			if n := dropped(w, "api", "429 throttled"); n != offered-admitted || counter(w, "api", "4XXError") != n {
				t.Errorf("429 drops %d, 4XXError %d, want %d", n, counter(w, "api", "4XXError"), offered-admitted)
			}
			if c := counter(w, "api", "Count"); c != offered {
				t.Errorf("Count %d, want %d", c, offered)
			}
			checkConservation(t, w)
		})
	}
}

func TestThrottleLevelsAreEvaluatedInOrderAndRejectionsTakeNoToken(t *testing.T) {
	// 50 requests at the same instant, buckets that do not refill in the run (rate
	// 0.001/s). The first level (usage-plan method → usage plan → quota → route → stage
	// → account) whose bucket is empty rejects. Because a rejected request takes no
	// token anywhere, a bigger bucket evaluated earlier is never emptied by requests a
	// later one rejects: the rejections are all counted at the smallest bucket.
	slow := func(burst float64) Limit { return Limit{Rate: 0.001, Burst: burst} }
	tests := []struct {
		name     string
		cfg      Config
		admitted int
		level    Level
	}{
		{"usage plan method first", Config{UsagePlan: &UsagePlan{Method: slow(5), Limit: slow(10)},
			Route: slow(20), Stage: slow(30), Account: NewAccount(0.001, 40)}, 5, LevelPlanMethod},
		{"usage plan before route", Config{UsagePlan: &UsagePlan{Limit: slow(6)}, Route: slow(7)}, 6, LevelPlan},
		{"route before stage, plan untouched", Config{UsagePlan: &UsagePlan{Limit: slow(10)}, Route: slow(5),
			Stage: slow(6)}, 5, LevelRoute},
		{"stage before account", Config{Stage: slow(7), Account: NewAccount(0.001, 8)}, 7, LevelStage},
		{"account last", Config{Stage: slow(30), Account: NewAccount(0.001, 3)}, 3, LevelAccount},
		{"quota after the plan's buckets", Config{UsagePlan: &UsagePlan{Limit: slow(10), QuotaPerDay: 4}}, 4, LevelQuota},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(time.Second)
			be := newBackend(w, "fn", time.Millisecond, core.OK)
			cfg := tc.cfg
			cfg.Name, cfg.Latency, cfg.Target = "api", fixed(time.Millisecond), be.id
			a := mustAPI(t, w, cfg)
			newClient(w, "c", a.ID()).every("", 0, 0, 50)
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			if be.calls != tc.admitted {
				t.Errorf("admitted %d, want %d", be.calls, tc.admitted)
			}
			for l := Level(0); l < levels; l++ {
				want := uint64(0)
				if l == tc.level {
					want = uint64(50 - tc.admitted)
				}
				if got := a.ThrottledBy(l); got != want {
					t.Errorf("throttled at %v: %d, want %d", l, got, want)
				}
			}
			reason := "429 throttled"
			if tc.level == LevelQuota {
				reason = "429 quota exceeded"
			}
			if n := dropped(w, "api", reason); n != uint64(50-tc.admitted) {
				t.Errorf("%q drops %d, want %d", reason, n, 50-tc.admitted)
			}
			checkConservation(t, w)
		})
	}
}

func TestUsagePlanLimitsEachClientByItsAPIKey(t *testing.T) {
	// Client "a" offers 200/s and client "b" 50/s for 10 s to a plan of 100/s, burst 10
	// per client: a gets 100 × 10 + 10 = 1,010 of its 2,001 requests, b all of its 501.
	// Requests without an API key get 403.
	w := newWorld(11 * time.Second)
	be := newBackend(w, "fn", time.Millisecond, core.OK)
	a := mustAPI(t, w, Config{Name: "api", Latency: fixed(time.Millisecond), Target: be.id,
		UsagePlan: &UsagePlan{ClientAttr: "client", Limit: Limit{Rate: 100, Burst: 10}}})
	c := newClient(w, "c", a.ID())
	c.every("a", 0, 5*time.Millisecond, 2001)
	c.every("b", 0, 20*time.Millisecond, 501)
	c.every("", 0, time.Second, 5)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if be.calls != 1010+501 {
		t.Errorf("admitted %d, want %d", be.calls, 1010+501)
	}
	if got := a.ThrottledBy(LevelPlan); got != 2001-1010 {
		t.Errorf("throttled by the plan %d, want %d (all of client a)", got, 2001-1010)
	}
	if got := dropped(w, "api", "403 missing API key"); got != 5 {
		t.Errorf("403s %d, want 5", got)
	}
	checkConservation(t, w)
}

func TestUsagePlanQuotaResetsEveryDay(t *testing.T) {
	// A quota of 100 requests per day; 150 requests on day 0 and 150 on day 1: 100
	// admitted each day, 50 refused with 429 each day (note 34).
	w := newWorld(49 * time.Hour)
	be := newBackend(w, "fn", time.Millisecond, core.OK)
	a := mustAPI(t, w, Config{Name: "api", Latency: fixed(time.Millisecond), Target: be.id,
		UsagePlan: &UsagePlan{QuotaPerDay: 100}})
	c := newClient(w, "c", a.ID())
	c.every("", time.Hour, time.Second, 150)
	c.every("", 25*time.Hour, time.Second, 150)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if be.calls != 200 || dropped(w, "api", "429 quota exceeded") != 100 {
		t.Errorf("admitted %d, quota 429s %d; want 200, 100", be.calls, dropped(w, "api", "429 quota exceeded"))
	}
	checkConservation(t, w)
}

func TestRetryThrottledHandsAPIGateway429sBackToTheSender(t *testing.T) {
	w := newWorld(time.Second)
	be := newBackend(w, "fn", time.Millisecond, core.OK)
	a := mustAPI(t, w, Config{Name: "api", Latency: fixed(time.Millisecond), Target: be.id,
		Stage: Limit{Rate: 0.001, Burst: 3}, RetryThrottled: true})
	c := newClient(w, "c", a.ID())
	c.every("", 0, 0, 10)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if len(c.refused) != 7 || c.refused[0] != core.Throttled || dropped(w, "api", "429 throttled") != 0 {
		t.Errorf("refused to the sender %v, dropped by the API %d; want 7 × throttled, 0", c.refused, dropped(w, "api", "429 throttled"))
	}
	if counter(w, "api", "4XXError") != 7 || be.calls != 3 {
		t.Errorf("4XXError %d, calls %d; want 7, 3", counter(w, "api", "4XXError"), be.calls)
	}
	checkConservation(t, w)
}
