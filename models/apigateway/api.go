package apigateway

import (
	"math/rand/v2"
	"time"

	"msgsim/models/core"
	"msgsim/models/fault"
	"msgsim/sim"
)

// outcome is the response a client gets.
type outcome uint8

const (
	ok200     outcome = iota // integration succeeded
	cached200                // answered from the cache
	sent200                  // direct integration: the target took the message
	err403                   // no API key
	err429                   // throttled by API Gateway
	err429q                  // usage-plan quota exceeded
	err429l                  // the backend throttled, passed through as 429
	err500                   // integration failure (direct integration refused, Lambda throttle mapped to 500)
	err500i                  // internal error (fault: error rate)
	err502                   // bad gateway: function error
	err503                   // service unavailable (fault: outage)
	err504                   // integration timeout
	nOutcomes
)

// reasons are the counted drop reasons of the error outcomes.
var reasons = [nOutcomes]string{
	err403:  "403 missing API key",
	err429:  "429 throttled",
	err429q: "429 quota exceeded",
	err429l: "429 backend throttled",
	err500:  "500 integration failure",
	err500i: "500 internal error",
	err502:  "502 bad gateway",
	err503:  "503 service unavailable",
	err504:  "504 integration timeout",
}

func (o outcome) class() int {
	switch {
	case o <= sent200:
		return 2
	case o <= err429l:
		return 4
	}
	return 5
}

// request states.
const (
	stFree      uint8 = iota
	stPending         // before the response or the integration (added latency)
	stCalling         // proxy call in progress
	stSending         // direct send in transit
	stAbandoned       // 504 answered; waiting for the backend's reply to drop the message
)

// request is one client request in the API.
type request struct {
	msg      core.MsgID
	start    time.Duration // arrival
	intStart time.Duration // integration start
	gen      uint32
	state    uint8
	out      outcome // response scheduled while stPending
}

// API event kinds.
const (
	evRespond   int32 = iota // the added latency has passed: answer with the stored outcome
	evIntegrate              // the added latency has passed: start the integration
	evTimeout                // the earliest integration timeout (API.timeouts) is due
)

// API is an API Gateway REST or HTTP API registered with a World. It is a core.Target
// (clients send requests to it) and a core.Requester (it hears how its integration calls
// and sends ended).
type API struct {
	cfg    Config
	w      *core.World
	id     core.ComponentID
	h      sim.HandlerID
	rng    *rand.Rand
	thr    *throttler
	cache  *cache
	faults *fault.Schedule
	// timeouts holds the integration timeout of every proxy call in progress, with one
	// engine event for all of them (the timeout is the same for every request)
	timeouts *core.Timeouts

	reqs []request
	free []int32
	held int // messages owned (not in transit to a direct target)

	drops                          [nOutcomes]core.DropKey
	count, err4, err5, hits, misss *core.Counter
	latency, integration           *core.Latency
}

// New validates cfg, builds the API and registers it with the world. Every problem with
// cfg is reported in one error.
func New(w *core.World, cfg Config) (*API, error) {
	if err := cfg.normalize(w); err != nil {
		return nil, err
	}
	a := &API{cfg: cfg, w: w, rng: w.Stream("apigateway/" + cfg.Name)}
	a.thr = newThrottler(w, &a.cfg)
	if cfg.Cache != nil {
		a.cache = newCache(w, cfg.Cache)
	}
	if sch, err := fault.Compile(cfg.Faults); err == nil && sch.Active() {
		a.faults = sch
	}
	a.id = w.Add(a)
	a.h = w.Eng.Register(a)
	a.timeouts = core.NewTimeouts(w.Eng, a.h, evTimeout, a.timeoutLive, a.timedOut)
	for o, r := range reasons {
		if r != "" {
			a.drops[o] = w.DropReason(cfg.Name, r)
		}
	}
	m := w.Metrics
	a.count = m.Counter(cfg.Name, "Count", "requests")
	a.err4 = m.Counter(cfg.Name, "4XXError", "requests")
	a.err5 = m.Counter(cfg.Name, "5XXError", "requests")
	a.latency = m.Latency(cfg.Name, "Latency")
	a.integration = m.Latency(cfg.Name, "IntegrationLatency")
	if cfg.Flavor == REST {
		a.hits = m.Counter(cfg.Name, "CacheHitCount", "requests")
		a.misss = m.Counter(cfg.Name, "CacheMissCount", "requests")
	}
	return a, nil
}

// ID is the API's component id.
func (a *API) ID() core.ComponentID { return a.id }

// Name is the API's name.
func (a *API) Name() string { return a.cfg.Name }

// Config returns the API's configuration with its defaults filled in.
func (a *API) Config() Config { return a.cfg }

// Kind is "apigateway-rest" or "apigateway-http" (core.Kinded).
func (a *API) Kind() string {
	if a.cfg.Flavor == HTTP {
		return core.KindAPIGatewayHTTP
	}
	return core.KindAPIGatewayREST
}

// Holding counts the requests whose message the API owns: waiting for the added latency,
// for a proxy call's reply (also after a 504), or back from a refused direct send.
func (a *API) Holding() int { return a.held }

// ThrottledBy is how many requests the API has rejected at throttling level l.
func (a *API) ThrottledBy(l Level) uint64 {
	if l >= levels {
		return 0
	}
	return a.thr.throttledBy[l]
}

func (a *API) alloc(m core.MsgID, now time.Duration) int32 {
	var slot int32
	if n := len(a.free); n > 0 {
		slot = a.free[n-1]
		a.free = a.free[:n-1]
	} else {
		a.reqs = append(a.reqs, request{})
		slot = int32(len(a.reqs) - 1)
	}
	r := &a.reqs[slot]
	r.msg, r.start, r.state = m, now, stPending
	return slot
}

func (a *API) release(slot int32) {
	r := &a.reqs[slot]
	r.state, r.msg = stFree, core.NoMsg
	r.gen++
	a.free = append(a.free, slot)
}

// Deliver receives a client request. The API owns m from now on and ends it with the
// client's response — except with RetryThrottled, where an API Gateway 429 is refused
// with core.Throttled and the sender keeps m.
func (a *API) Deliver(m core.MsgID) core.Status {
	now := a.w.Now()
	a.count.Inc()
	fs := fault.Normal()
	if a.faults != nil {
		fs = a.faults.At(now)
		if fs.HasRateLimit() {
			if r := fs.RateLimit; !a.thr.hasStage || r != a.thr.stage.Rate || a.thr.stageClosed != (r == 0) {
				a.thr.setStageRate(r)
			}
		}
	}
	d := fs.Latency(sim.SampleDuration(a.cfg.Latency, a.rng))
	switch fs.Down {
	case fault.ModeError:
		a.respondAfter(a.alloc(m, now), d, err503)
		return core.OK
	case fault.ModeTimeout:
		a.respondAfter(a.alloc(m, now), d+a.cfg.Timeout, err504)
		return core.OK
	}
	var out outcome
	switch a.thr.admit(a.w, now, m) {
	case throttled:
		out = err429
	case overQuota:
		out = err429q
	case noAPIKey:
		out = err403
	default:
		out = ok200
	}
	if out != ok200 {
		if a.cfg.RetryThrottled && out != err403 {
			a.count4xx(now, now)
			if a.w.Tracing() {
				a.w.Tracef(a.id, m, "%s: the client will retry", reasons[out])
			}
			return core.Throttled
		}
		a.respondAfter(a.alloc(m, now), d, out)
		return core.OK
	}
	slot := a.alloc(m, now)
	if fs.HasErrorProbability() && a.rng.Float64() < fs.ErrorProbability {
		a.respondAfter(slot, d, err500i)
		return core.OK
	}
	if a.cache != nil {
		if a.cache.lookup(now, m, a.rng) {
			a.hits.Inc()
			a.respondAfter(slot, d, cached200)
			return core.OK
		}
		a.misss.Inc()
	}
	a.held++
	r := &a.reqs[slot]
	a.w.Eng.After(d, a.h, evIntegrate, int64(slot), int64(r.gen))
	return core.OK
}

// respondAfter answers request slot with out after d.
func (a *API) respondAfter(slot int32, d time.Duration, out outcome) {
	a.held++
	r := &a.reqs[slot]
	r.out = out
	a.w.Eng.After(d, a.h, evRespond, int64(slot), int64(r.gen))
}

// Fire handles the API's events.
func (a *API) Fire(ev sim.Event) {
	if ev.Kind == evTimeout {
		a.timeouts.Fire()
		return
	}
	slot := int32(ev.A)
	r := &a.reqs[slot]
	if r.gen != uint32(ev.B) {
		return
	}
	switch ev.Kind {
	case evRespond:
		a.finish(slot, r.out)
	case evIntegrate:
		a.integrate(slot)
	}
}

// timeoutLive reports whether request slot of generation gen still waits for its proxy
// call.
func (a *API) timeoutLive(slot int32, gen uint32) bool {
	r := &a.reqs[slot]
	return r.gen == gen && r.state == stCalling
}

// timedOut answers 504 at exactly the integration timeout; the backend runs on and the
// message stays here until its reply (note 35).
func (a *API) timedOut(slot int32, _ uint32) {
	r := &a.reqs[slot]
	now := a.w.Now()
	if a.w.Tracing() {
		a.w.Tracef(a.id, r.msg, "responded %s after %.3f s; the backend runs on", reasons[err504], (now - r.start).Seconds())
	}
	r.state = stAbandoned
	a.integration.Record(now - r.intStart)
	a.respond(now, r.start, err504)
}

// integrate starts the integration of request slot.
func (a *API) integrate(slot int32) {
	r := &a.reqs[slot]
	now := a.w.Now()
	r.intStart = now
	token := int64(slot) | int64(r.gen)<<32
	if a.w.Tracing() {
		a.w.Tracef(a.id, r.msg, "forwarded to %s", a.w.Component(a.cfg.Target).Name())
	}
	if a.cfg.Integration == Direct {
		r.state = stSending
		a.held--
		a.w.Send(r.msg, a.cfg.Target, a.w.SendLatency(a.cfg.Target, a.rng), a.id, token)
		return
	}
	r.state = stCalling
	a.timeouts.Add(now+a.cfg.Timeout, slot, r.gen)
	a.w.Call(a.id, token, a.cfg.Target, r.msg)
}

// Done hears how an integration call or send ended.
func (a *API) Done(token int64, st core.Status) {
	slot := int32(token & 0xffffffff)
	r := &a.reqs[slot]
	if r.gen != uint32(token>>32) {
		return
	}
	now := a.w.Now()
	switch r.state {
	case stAbandoned:
		a.held--
		a.w.Drop(r.msg, a.drops[err504])
		a.release(slot)
	case stSending:
		a.integration.Record(now - r.intStart)
		if st == core.OK { // the queue owns the message now
			if a.w.Tracing() {
				a.w.Tracef(a.id, r.msg, "responded 200 after %.3f s: %s took the message", (now - r.start).Seconds(),
					a.w.Component(a.cfg.Target).Name())
			}
			a.respond(now, r.start, sent200)
			a.release(slot)
			return
		}
		a.held++
		a.finish(slot, err500)
	case stCalling:
		a.integration.Record(now - r.intStart)
		a.finish(slot, a.mapStatus(st))
	}
}

// mapStatus turns a proxy call's outcome into the client's response.
func (a *API) mapStatus(st core.Status) outcome {
	switch st {
	case core.OK:
		return ok200
	case core.Throttled:
		switch a.cfg.ThrottleStatus {
		case 500:
			return err500
		case 502:
			return err502
		}
		return err429l
	case core.TimedOut:
		return err504
	}
	return err502
}

// finish answers request slot with out and ends its message.
func (a *API) finish(slot int32, out outcome) {
	r := &a.reqs[slot]
	now := a.w.Now()
	if a.w.Tracing() {
		text := reasons[out]
		switch out {
		case ok200:
			text = "200"
		case cached200:
			text = "200 from the cache"
		}
		a.w.Tracef(a.id, r.msg, "responded %s after %.3f s", text, (now - r.start).Seconds())
	}
	a.respond(now, r.start, out)
	a.held--
	if out.class() == 2 {
		a.w.Consume(r.msg, a.id, a.cfg.Sink)
	} else {
		a.w.Drop(r.msg, a.drops[out])
	}
	a.release(slot)
}

// respond counts a response given at now to a request that arrived at start.
func (a *API) respond(now, start time.Duration, out outcome) {
	a.latency.Record(now - start)
	switch out.class() {
	case 4:
		a.err4.Inc()
	case 5:
		a.err5.Inc()
	}
}

// count4xx counts a 4xx refused to the sender (RetryThrottled).
func (a *API) count4xx(now, start time.Duration) {
	a.latency.Record(now - start)
	a.err4.Inc()
}
