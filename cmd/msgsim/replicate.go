package main

import (
	"time"

	"msgsim/results"
	"msgsim/scenarios"
)

// runReplications runs replications first..first+n-1 of a scenario on up to workers
// goroutines (0: all cores); see runJobs for why the result does not depend on workers.
func runReplications(l *loaded, first, n, workers int) ([]*results.Run, error) {
	return runReplicationsWithProgress(l, first, n, workers, nil)
}

// runReplicationsWithProgress is runReplications with a progress bar (nil for none).
func runReplicationsWithProgress(l *loaded, first, n, workers int, prog *progress) ([]*results.Run, error) {
	jobs := make([]job, n)
	for i := range jobs {
		jobs[i] = job{l: l, rep: first + i}
	}
	return runJobs(jobs, workers, prog)
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
