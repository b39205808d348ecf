package apigateway

import (
	"math"
	"testing"
	"time"

	"msgsim/models/core"
	"msgsim/models/producer"
)

func TestCacheHitRatioMatchesTheRenewalFormula(t *testing.T) {
	// Poisson requests at λ = 200/s over K keys drawn uniformly: each key sees a Poisson
	// stream at λ_k = λ/K. An entry is a renewal process: a miss opens a
	// window of length T (the TTL) in which all λ_k·T expected requests hit, then the
	// next request misses. Per cycle: 1 miss and h ~ Poisson(λ_k·T) hits, so the hit
	// probability is p = λ_k·T / (1 + λ_k·T) = 1 − 1/(1 + λ_k·T).
	//
	// Tolerance: 4 binomial standard errors, 4·√(p(1−p)/n) for n requests measured after
	// the warm-up (which removes the first miss of each key). The binomial SE is
	// conservative here: the regenerative (cycle) CLT gives the ratio Σh / Σ(1+h) over
	// n/(1+λ_k·T) cycles the variance λ_k·T / (n(1+λ_k·T)³) = p(1−p)/n · 1/(1+λ_k·T).
	const lambda = 200.0
	for _, tc := range []struct {
		name string
		keys int
		ttl  time.Duration
	}{
		{"λ_k·TTL = 1", 400, 2 * time.Second},
		{"λ_k·TTL = 4", 100, 2 * time.Second},
		{"λ_k·TTL = 0.2", 1000, time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := core.NewWorld(core.Config{Seed: 9, Warmup: 10 * time.Second, Duration: 300 * time.Second})
			be := newBackend(w, "fn", 5*time.Millisecond, core.OK)
			a := mustAPI(t, w, Config{Name: "api", Target: be.id, Cache: &Cache{TTL: tc.ttl, Keys: tc.keys}})
			producer.New(w, producer.Config{Name: "p", Target: a.ID(), Arrival: producer.Poisson{PerSecond: lambda}})
			if err := w.Run(); err != nil {
				t.Fatal(err)
			}
			hits := w.Metrics.Find("api", "CacheHitCount").Total()
			misses := w.Metrics.Find("api", "CacheMissCount").Total()
			n := float64(hits + misses)
			x := lambda / float64(tc.keys) * tc.ttl.Seconds()
			p := 1 - 1/(1+x)
			got := float64(hits) / n
			tol := 4 * math.Sqrt(p*(1-p)/n)
			t.Logf("hit ratio %.4f over %d requests, renewal formula %.4f ± %.4f", got, int(n), p, tol)
			if math.Abs(got-p) > tol {
				t.Errorf("hit ratio %.4f, want %.4f ± %.4f", got, p, tol)
			}
			checkConservation(t, w)
		})
	}
}
