package apigateway

import (
	"time"

	"msgsim/models/core"
	"msgsim/models/service"
)

// Level is a throttling level of §6.2, in evaluation order.
type Level uint8

// Throttling levels, in the order they are evaluated.
const (
	LevelPlanMethod Level = iota // usage plan, per client and method
	LevelPlan                    // usage plan, per client
	LevelQuota                   // usage plan quota per day (429, note 34)
	LevelRoute                   // route / method
	LevelStage                   // stage
	LevelAccount                 // account (shared by the account's APIs)
	levels
)

var levelNames = [levels]string{"usage plan method", "usage plan", "quota", "route", "stage", "account"}

func (l Level) String() string {
	if l < levels {
		return levelNames[l]
	}
	return "unknown"
}

// day is the period of usage-plan quotas.
const day = 24 * time.Hour

// client is the usage-plan state of one client (API key).
type client struct {
	method, plan core.TokenBucket
	day          int64 // quota period the count belongs to
	used         int64 // requests counted against the quota in that period
	init         bool
}

// throttler holds the buckets of one API.
type throttler struct {
	acct          *Account
	route, stage  core.TokenBucket
	hasRoute      bool
	hasStage      bool
	stageClosed   bool // a fault set the stage rate to 0
	plan          *UsagePlan
	planMethod    bool // the plan has a method limit
	planLimit     bool // the plan has a client limit
	key           *service.AttrKey
	clients       []client // by interned key or producer index
	throttledBy   [levels]uint64
	missingAPIKey uint64
}

func newThrottler(w *core.World, cfg *Config) *throttler {
	t := &throttler{acct: cfg.Account, plan: cfg.UsagePlan}
	if t.acct == nil {
		t.acct = NewAccount(0, 0)
	}
	t.route, t.hasRoute = cfg.Route.bucket()
	t.stage, t.hasStage = cfg.Stage.bucket()
	if p := cfg.UsagePlan; p != nil {
		t.planMethod = p.Method.Rate > 0
		t.planLimit = p.Limit.Rate > 0
		if p.ClientAttr != "" {
			t.key = service.NewAttrKey(w, p.ClientAttr)
		}
	}
	return t
}

// setStageRate replaces the stage limit (a fault's rate-limit change), with a full bucket
// of 1 s of rate; a rate of 0 refuses everything.
func (t *throttler) setStageRate(rate float64) {
	t.hasStage, t.stageClosed = true, rate == 0
	t.stage = core.NewTokenBucket(rate, rate)
}

// verdict is the throttler's answer for one request.
type verdict uint8

const (
	pass      verdict = iota
	throttled         // 429
	overQuota         // 429, quota
	noAPIKey          // 403
)

// admit evaluates the levels in order for a request of message m at time now: the first
// level without a token rejects, and a rejected request takes no token anywhere.
func (t *throttler) admit(w *core.World, now time.Duration, m core.MsgID) verdict {
	var c *client
	if t.plan != nil {
		id := int(w.Msg(m).Producer)
		if t.key != nil {
			v, ok := t.key.Value(m)
			if !ok || v.Str < 0 {
				t.missingAPIKey++
				return noAPIKey
			}
			id = int(v.Str)
		}
		for id >= len(t.clients) {
			t.clients = append(t.clients, client{})
		}
		c = &t.clients[id]
		if !c.init {
			c.method, _ = t.plan.Method.bucket()
			c.plan, _ = t.plan.Limit.bucket()
			c.init = true
		}
		if d := int64(now / day); d != c.day {
			c.day, c.used = d, 0
		}
		switch {
		case t.planMethod && c.method.Tokens(now) < 1-1e-9:
			return t.reject(LevelPlanMethod)
		case t.planLimit && c.plan.Tokens(now) < 1-1e-9:
			return t.reject(LevelPlan)
		case t.plan.QuotaPerDay > 0 && c.used >= t.plan.QuotaPerDay:
			t.throttledBy[LevelQuota]++
			return overQuota
		}
	}
	switch {
	case t.hasRoute && t.route.Tokens(now) < 1-1e-9:
		return t.reject(LevelRoute)
	case t.hasStage && (t.stageClosed || t.stage.Tokens(now) < 1-1e-9):
		return t.reject(LevelStage)
	case t.acct.bucket.Tokens(now) < 1-1e-9:
		return t.reject(LevelAccount)
	}
	// every bucket in force was brought up to now above: Spend takes without refilling
	if c != nil {
		if t.planMethod {
			c.method.Spend(1)
		}
		if t.planLimit {
			c.plan.Spend(1)
		}
		c.used++
	}
	if t.hasRoute {
		t.route.Spend(1)
	}
	if t.hasStage {
		t.stage.Spend(1)
	}
	t.acct.bucket.Spend(1)
	return pass
}

func (t *throttler) reject(l Level) verdict {
	t.throttledBy[l]++
	return throttled
}
