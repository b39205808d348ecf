// Package results turns what a simulation measured into what a user reads: the end-of-run
// summary on the terminal, the files of a run directory, the thresholds that decide the
// exit code, and the cost.
//
// The pipeline, vegeta-style, passes plain values:
//
//	w.Run()                                  // models/core: one replication
//	run := results.FromWorld(w, meta)        // a Run: a JSON-serialisable value, no World pointers
//	sum := results.Aggregate(runs)           // a Summary: means ± 95% CI over replications
//	results.WriteText(os.Stdout, sum, opts)  // the k6-like summary
//	results.WriteDir(dir, sum, scenarioYAML) // summary.json, summary.txt, timeseries.csv, latency.csv, scenario.yaml
//	results.Failed(sum.Thresholds)           // the CLI exits 1 when true
//
// Every output is deterministic: components and metrics keep the World's registration
// order, paths are ordered by (producer, sink), nothing iterates a map, and floats are
// formatted by fixed rules. The summary.json schema is documented in SCHEMA.md.
package results
