package service

import (
	"errors"
	"fmt"
	"math"
	"time"

	"msgsim/models/core"
	"msgsim/models/producer"
	"msgsim/sim"
)

// MMcConfig describes a single-station run: a Poisson producer feeding one service
// station. It is what `msgsim run --arrival-rate ... --servers ...` runs.
type MMcConfig struct {
	ArrivalRate float64  // λ, Poisson arrivals per second
	Servers     int      // c, parallel servers
	Service     sim.Dist // service time, seconds
	// QueueLimit is the waiting line: -1 unbounded (M/M/c), 0 none (loss system), K-c.
	QueueLimit int
	// Customers sets the run length as the expected number of arrivals, warm-up included:
	// the run lasts Customers/λ. Exactly one of Customers and Duration must be set.
	Customers int64
	// Duration is the measured simulated time, after the warm-up.
	Duration time.Duration
	// Warmup is discarded from the statistics; 0 means 5% of the run (1/19 of Duration),
	// as the peer models discard their first 5% of customers.
	Warmup time.Duration
	Seed   uint64
	// Observer, if set, hears of every completed request (validation).
	Observer Observer

	lifo bool // serve last-in first-out: only for the test that the validation catches it
}

// MMcResult is what a single-station run measured after its warm-up. Times are exact
// means (MeanWait, MeanSojourn) or histogram percentiles within 0.78% (SojournP50...).
type MMcResult struct {
	Arrivals    uint64 // requests that reached the station
	Customers   uint64 // requests served to completion
	Rejected    uint64 // requests refused because the line was full
	MeanWait    time.Duration
	MeanSojourn time.Duration
	SojournP50  time.Duration
	SojournP95  time.Duration
	SojournP99  time.Duration
	Utilisation float64 // time-weighted mean busy servers / servers
	MeanInLine  float64 // time-weighted mean line length (Lq)
	MeanInSys   float64 // time-weighted mean requests in the system (L)
	Throughput  float64 // completions per second
	Blocking    float64 // Rejected / Arrivals
	Measured    time.Duration
	Events      uint64 // engine events fired over the whole run, warm-up included
}

// mmcName is the station's name in a single-station run (and its random stream's).
const mmcName = "station"

// mmc is a built single-station world, before or after its run.
type mmc struct {
	w   *core.World
	svc *Service
	src *producer.Producer
}

func (cfg MMcConfig) check() error {
	var errs []error
	if !(cfg.ArrivalRate > 0) || math.IsInf(cfg.ArrivalRate, 0) {
		errs = append(errs, fmt.Errorf("arrival rate must be a positive number, got %v", cfg.ArrivalRate))
	}
	if (cfg.Customers > 0) == (cfg.Duration > 0) {
		errs = append(errs, fmt.Errorf("set exactly one of customers (%d) and duration (%v), both > 0",
			cfg.Customers, cfg.Duration))
	}
	if cfg.Customers < 0 || cfg.Duration < 0 || cfg.Warmup < 0 {
		errs = append(errs, errors.New("customers, duration and warmup must not be negative"))
	}
	return errors.Join(errs...)
}

// buildMMc builds the world of a single-station run without running it.
func buildMMc(cfg MMcConfig) (*mmc, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	warm, dur := cfg.Warmup, cfg.Duration
	if cfg.Customers > 0 {
		total := time.Duration(float64(cfg.Customers) / cfg.ArrivalRate * 1e9)
		if warm == 0 {
			warm = total / 20
		}
		dur = total - warm
		if dur <= 0 {
			return nil, fmt.Errorf("warm-up %v leaves nothing of a %v run", warm, total)
		}
	} else if warm == 0 {
		warm = dur / 19
	}
	w := core.NewWorld(core.Config{Seed: cfg.Seed, Warmup: warm, Duration: dur})
	svc, err := New(w, Config{
		Name:        mmcName,
		Concurrency: cfg.Servers,
		QueueLimit:  cfg.QueueLimit,
		Latency:     cfg.Service,
		Target:      core.None,
		Observer:    cfg.Observer,
		lifo:        cfg.lifo,
	})
	if err != nil {
		return nil, err
	}
	src := producer.New(w, producer.Config{
		Name:    "arrivals",
		Target:  svc.ID(),
		Arrival: producer.Poisson{PerSecond: cfg.ArrivalRate},
	})
	return &mmc{w: w, svc: svc, src: src}, nil
}

// RunMMc runs a Poisson producer into one service station and returns what was measured
// after the warm-up.
func RunMMc(cfg MMcConfig) (MMcResult, error) {
	m, err := buildMMc(cfg)
	if err != nil {
		return MMcResult{}, err
	}
	if err := m.w.Run(); err != nil {
		return MMcResult{}, err
	}
	if err := m.w.CheckConservation(); err != nil {
		return MMcResult{}, err
	}
	return m.result(), nil
}

// result reads the station's metrics at the end of the run.
func (m *mmc) result() MMcResult {
	s, now := m.svc, m.w.Now()
	measured := m.w.Config().Duration
	r := MMcResult{
		Arrivals:    total(m.w, "Requests"),
		Customers:   total(m.w, "Completed"),
		Rejected:    total(m.w, "Rejected"),
		MeanWait:    meanDuration(s.wait.Total),
		MeanSojourn: meanDuration(s.sojourn.Total),
		SojournP50:  time.Duration(s.sojourn.Total.Quantile(0.50)),
		SojournP95:  time.Duration(s.sojourn.Total.Quantile(0.95)),
		SojournP99:  time.Duration(s.sojourn.Total.Quantile(0.99)),
		Utilisation: s.inService.Mean(now) / float64(s.cfg.Concurrency),
		MeanInLine:  s.queueLen.Mean(now),
		MeanInSys:   s.inSystem.Mean(now),
		Measured:    measured,
		Events:      m.w.Eng.Fired(),
	}
	if measured > 0 {
		r.Throughput = float64(r.Customers) / measured.Seconds()
	}
	if r.Arrivals > 0 {
		r.Blocking = float64(r.Rejected) / float64(r.Arrivals)
	}
	return r
}

// total is a station counter's count after the warm-up.
func total(w *core.World, name string) uint64 {
	if mt := w.Metrics.Find(mmcName, name); mt != nil {
		return mt.Total()
	}
	return 0
}

// meanDuration is a histogram's exact mean, 0 when it is empty.
func meanDuration(h *sim.Histogram) time.Duration {
	if h.Count() == 0 {
		return 0
	}
	return time.Duration(math.Round(h.Mean()))
}
