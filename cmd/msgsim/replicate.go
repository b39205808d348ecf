package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"

	"msgsim/results"
	"msgsim/scenarios"
)

// runReplications builds and runs replications first..first+n-1 of a scenario on up to
// workers goroutines. Each replication owns its World, and its result lands at its own
// index, so the outcome does not depend on the number of workers or on scheduling.
func runReplications(l *loaded, first, n, workers int) ([]*results.Run, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers > n {
		workers = n
	}
	runs := make([]*results.Run, n)
	errs := make([]error, n)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				runs[i], errs[i] = runOne(l, first+i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("replication %d: %w", first+i, err)
		}
	}
	return runs, nil
}

// runOne builds, runs and summarises one replication.
func runOne(l *loaded, rep int) (*results.Run, error) {
	m, err := scenarios.Build(l.file, rep)
	if err != nil {
		return nil, err
	}
	start := time.Now() // wall time for the report only; the simulation never reads it
	if err := m.World.Run(); err != nil {
		return nil, err
	}
	wall := time.Since(start).Seconds()
	return results.FromWorld(m.World, results.Meta{
		Scenario:    l.file.Name,
		Description: l.file.Description,
		WallSeconds: wall,
		Thresholds:  l.thresholds,
		Learn:       l.file.Learn,
		Graph:       resultsGraph(l.graph),
		Faults:      faultWindows(l.file),
	}), nil
}

// faultWindows turns the scenario's outages into the shaded windows of the plots.
func faultWindows(f *scenarios.File) []results.Window {
	var out []results.Window
	for _, w := range f.Faults() {
		out = append(out, results.Window{From: w.From.Seconds(), To: w.To.Seconds(), Label: w.Component + " " + w.Mode})
	}
	return out
}
