package main

import (
	"errors"
	"fmt"
	"os"

	"msgsim/results"
	"msgsim/scenarios"
)

// loaded is a scenario decoded, checked and ready to build, with its thresholds parsed.
type loaded struct {
	file       *scenarios.File
	graph      scenarios.Graph
	thresholds []results.Threshold
	resolved   []byte // the resolved scenario.yaml
}

// loadScenario reads SCENARIO — a file path or the name of a built-in scenario — applies
// the variant and --set overrides, and checks everything that can be checked before a run:
// decoding, references, cycles and thresholds. All problems come back at once.
func loadScenario(arg, variant string, sets []string) (*loaded, error) {
	path, src, err := readScenario(arg)
	if err != nil {
		return nil, err
	}
	f, err := scenarios.LoadWith(path, src, scenarios.Options{Types: scenarios.Types(), Variant: variant, Sets: sets})
	if err != nil {
		return nil, err
	}
	g, errs := scenarios.Check(f)
	l := &loaded{file: f, graph: g}
	for _, t := range f.Thresholds {
		th, err := results.ParseThreshold(t.Value)
		if err != nil {
			var pe *results.ParseError
			if errors.As(err, &pe) {
				errs.Add(t.Loc.Errorf("threshold %q: column %d: %s", t.Value, pe.Column, pe.Msg))
			} else {
				errs.Add(t.Loc.Errorf("%v", err))
			}
			continue
		}
		l.thresholds = append(l.thresholds, th)
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	l.resolved, err = scenarios.MarshalNode(f.Root)
	if err != nil {
		return nil, err
	}
	return l, nil
}

// readScenario returns the path and bytes of a scenario file or built-in.
func readScenario(arg string) (string, []byte, error) {
	if src, err := os.ReadFile(arg); err == nil {
		return arg, src, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", nil, err
	}
	if b, ok := scenarios.Builtin(arg); ok {
		return b.Path, b.Source, nil
	}
	return "", nil, fmt.Errorf("%s: no such file, and no built-in scenario of that name (see `msgsim scenarios`)", arg)
}

// resultsGraph converts the scenario's architecture graph for the report.
func resultsGraph(g scenarios.Graph) *results.Graph {
	out := &results.Graph{}
	for _, n := range g.Nodes {
		out.Nodes = append(out.Nodes, results.Node{Name: n.Name, Kind: n.Kind})
	}
	for _, e := range g.Edges {
		out.Edges = append(out.Edges, results.Edge{From: e.From, To: e.To, Label: e.Label})
	}
	return out
}
