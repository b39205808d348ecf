package main

import (
	"fmt"
	"io"
	"time"

	"gopkg.in/yaml.v3"

	"msgsim/models/service"
	"msgsim/scenarios"
	"msgsim/sim"
)

// stationOptions are the flags of a single-station run: a Poisson producer feeding c
// servers with a FIFO line (M/M/c, M/D/1, M/G/c, M/M/c/K).
type stationOptions struct {
	arrivalRate float64
	servers     int
	service     string
	queueLimit  int
	customers   int64
	seed        uint64
}

// parseServiceDist reads a distribution in the scenario language, e.g. `1s` (constant) or
// `{dist: exponential, mean: 1s}`.
func parseServiceDist(s string) (sim.Dist, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(s), &doc); err != nil {
		return nil, fmt.Errorf("--service: %v", err)
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("--service: empty")
	}
	d := scenarios.NewDecoder("--service", nil)
	var dd scenarios.DurationDist
	d.Decode(doc.Content[0], "service", &dd)
	if errs := d.Errors(); len(errs) > 0 {
		return nil, errs
	}
	return dd.Dist, nil
}

// runStation runs the station and prints the figures queueing theory predicts.
func runStation(w io.Writer, o stationOptions) error {
	dist, err := parseServiceDist(o.service)
	if err != nil {
		return err
	}
	start := time.Now()
	res, err := service.RunMMc(service.MMcConfig{
		ArrivalRate: o.arrivalRate,
		Servers:     o.servers,
		Service:     dist,
		QueueLimit:  o.queueLimit,
		Customers:   o.customers,
		Seed:        o.seed,
	})
	if err != nil {
		return err
	}
	wall := time.Since(start).Seconds()
	rho := o.arrivalRate * dist.Mean() / float64(o.servers)
	fmt.Fprintf(w, "station run: λ = %g/s, c = %d, service %s, ρ = %.3f, seed %d\n",
		o.arrivalRate, o.servers, dist, rho, o.seed)
	fmt.Fprintf(w, "  customers served    %d (after a warm-up of 5%%), rejected %d\n", res.Customers, res.Rejected)
	fmt.Fprintf(w, "  mean wait           %.6f s\n", res.MeanWait.Seconds())
	fmt.Fprintf(w, "  mean sojourn        %.6f s\n", res.MeanSojourn.Seconds())
	fmt.Fprintf(w, "  sojourn p50/p95/p99 %.6f / %.6f / %.6f s\n",
		res.SojournP50.Seconds(), res.SojournP95.Seconds(), res.SojournP99.Seconds())
	fmt.Fprintf(w, "  utilisation         %.4f\n", res.Utilisation)
	fmt.Fprintf(w, "  throughput          %.4f /s\n", res.Throughput)
	fmt.Fprintf(w, "  mean in system (L)  %.4f   Little: λW = %.4f\n", res.MeanInSys, res.Throughput*res.MeanSojourn.Seconds())
	fmt.Fprintf(w, "  events              %d in %.2f s wall (%.1f million events/s)\n",
		res.Events, wall, float64(res.Events)/wall/1e6)
	return nil
}
