package results

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// The sweep plots put one parameter on the x axis — the first parameter whose values are
// numbers and that takes more than one — and draw one line per combination of the other
// parameters' values: per path its latency (p50 solid, p99 dashed, the knee of the p99
// curve marked by a vertical dashed line) and its throughput, then every other headline
// figure. With no numeric parameter the x axis is the point's index.

// sweepAxis is the x axis of the sweep plots and the grouping of the points into lines.
type sweepAxis struct {
	param  int    // index of the x parameter; -1: the point index
	label  string // axis label
	short  string // the parameter's short name, for titles
	by     string // the other parameter when there is exactly one: lines are labelled by its value
	groups []sweepGroup
}

// sweepGroup is the points of one line, in increasing order of x.
type sweepGroup struct {
	label  string
	x      []float64
	points []int
}

func sweepAxisOf(params []string, points []SweepPoint) sweepAxis {
	ax := sweepAxis{param: -1, label: "sweep point", short: "sweep point"}
	short := ShortParams(params)
	for j, p := range params {
		distinct := map[float64]bool{} // counting only
		numeric := true
		for _, pt := range points {
			v, _, ok := ParseQuantity(pt.Values[j])
			if !ok {
				numeric = false
				break
			}
			distinct[v] = true
		}
		if numeric && len(distinct) > 1 {
			ax.param = j
			_, unit, _ := ParseQuantity(points[0].Values[j])
			ax.label, ax.short = p, short[j]
			if unit != "" {
				ax.label += " (" + unit + ")"
			}
			break
		}
	}
	index := map[string]int{} // lookups only; the order comes from ax.groups
	if ax.param >= 0 && len(params) == 2 {
		ax.by = short[1-ax.param]
	}
	for i, pt := range points {
		var parts []string
		for j, v := range pt.Values {
			switch {
			case j == ax.param:
			case ax.by != "":
				parts = append(parts, v) // the title says which parameter
			default:
				parts = append(parts, short[j]+"="+v)
			}
		}
		key := strings.Join(parts, ", ")
		g, ok := index[key]
		if !ok {
			g = len(ax.groups)
			index[key] = g
			ax.groups = append(ax.groups, sweepGroup{label: key})
		}
		x := float64(i)
		if ax.param >= 0 {
			x, _, _ = ParseQuantity(pt.Values[ax.param])
		}
		ax.groups[g].x = append(ax.groups[g].x, x)
		ax.groups[g].points = append(ax.groups[g].points, i)
	}
	for gi := range ax.groups {
		g := &ax.groups[gi]
		idx := make([]int, len(g.x))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return g.x[idx[a]] < g.x[idx[b]] })
		x, pts := make([]float64, len(idx)), make([]int, len(idx))
		for i, k := range idx {
			x[i], pts[i] = g.x[k], g.points[k]
		}
		g.x, g.points = x, pts
	}
	return ax
}

// sweepSpecs builds the sweep plots in order.
func sweepSpecs(params []string, points []SweepPoint) []plotSpec {
	ss := make([]*Summary, len(points))
	for i, p := range points {
		ss[i] = p.Summary
	}
	figs := HeadlineFigures(ss)
	ax := sweepAxisOf(params, points)
	values := func(f Figure, g sweepGroup, k float64) []float64 {
		y := make([]float64, len(g.points))
		for i, p := range g.points {
			y[i] = f.Stat(points[p].Summary.Runs).Mean * k
		}
		return y
	}
	// latencies leaves a gap where no message of the path arrived (its figures are 0).
	latencies := func(path string, f Figure, g sweepGroup, k float64) []float64 {
		y := values(f, g, k)
		for i, p := range g.points {
			if ps, ok := points[p].Summary.Path(path); !ok || ps.Count.Mean == 0 {
				y[i] = math.NaN()
			}
		}
		return y
	}
	title := func(what string) string {
		t := what + " vs " + ax.short
		if ax.by != "" {
			t += " by " + ax.by
		}
		return t
	}
	find := func(key string) (Figure, bool) {
		for _, f := range figs {
			if f.Key == key {
				return f, true
			}
		}
		return Figure{}, false
	}
	var out []plotSpec
	used := map[string]bool{} // lookups only
	var paths []string
	for _, s := range ss {
		for _, p := range s.Paths {
			if !contains(paths, p.Name) {
				paths = append(paths, p.Name)
			}
		}
	}
	for _, path := range paths {
		p50, ok50 := find(path + ".p50_s")
		p99, ok99 := find(path + ".p99_s")
		if !ok50 || !ok99 {
			continue
		}
		used[p50.Key], used[p99.Key] = true, true
		top := 0.0
		for _, g := range ax.groups {
			for _, v := range latencies(path, p99, g, 1) {
				if !math.IsNaN(v) {
					top = math.Max(top, v)
				}
			}
		}
		k, unit := latencyUnit(top)
		sp := plotSpec{Name: "sweep-latency-" + fileStem(path), Title: title("Latency") + ": " + path,
			Caption: fmt.Sprintf("End-to-end latency of path %s at each sweep point, mean over the replications: p50 (solid) and p99 (dashed). "+
				"The knee (black dashed line) is the first point whose p99 exceeds %d× its value at the lowest point of its line. Gaps: no message arrived.", path, KneeFactor),
			XLabel: ax.label, YLabel: "latency (" + unit + ")"}
		kneeLabel := "knee"
		for gi, g := range ax.groups {
			y99 := latencies(path, p99, g, k)
			if len(ax.groups) == 1 {
				sp.Lines = append(sp.Lines,
					lineSpec{Label: "p50", X: g.x, Y: latencies(path, p50, g, k), Color: gi},
					lineSpec{Label: "p99", X: g.x, Y: y99, Color: gi, Dashed: true})
			} else { // one legend entry per line pair: its colour
				sp.Lines = append(sp.Lines,
					lineSpec{Label: g.label, X: g.x, Y: latencies(path, p50, g, k), Color: gi},
					lineSpec{X: g.x, Y: y99, Color: gi, Dashed: true})
			}
			if i, ok := Knee(y99); ok {
				if len(ax.groups) == 1 {
					kneeLabel = "knee at " + strconv.FormatFloat(g.x[i], 'g', 6, 64)
				}
				sp.Lines = append(sp.Lines, lineSpec{Label: kneeLabel,
					X: []float64{g.x[i], g.x[i]}, Y: []float64{0, top * k}, Color: len(palette) - 1, Dashed: true})
				kneeLabel = "" // one legend entry for all knees
			}
		}
		out = append(out, sp)
	}
	for _, f := range figs {
		if used[f.Key] {
			continue
		}
		ylabel := f.Label
		switch f.Unit {
		case UnitSeconds:
			ylabel = "seconds"
		case UnitPerSec:
			ylabel = "per second"
		case UnitUSD:
			ylabel = "US dollars"
		}
		sp := plotSpec{Name: "sweep-" + fileStem(f.Key), Title: title(f.Label),
			Caption: f.Label + " at each sweep point, the mean over the replications.",
			XLabel:  ax.label, YLabel: ylabel}
		for gi, g := range ax.groups {
			sp.Lines = append(sp.Lines, lineSpec{Label: g.label, X: g.x, Y: values(f, g, 1), Color: gi})
		}
		out = append(out, sp)
	}
	seen := map[string]int{} // lookups only
	for i := range out {
		n := out[i].Name
		if seen[n]++; seen[n] > 1 {
			out[i].Name = n + "-" + strconv.Itoa(seen[n])
		}
	}
	return out
}

// RenderSweepPlots renders the sweep plots as SVG and PNG. The same points always give
// the same bytes.
func RenderSweepPlots(params []string, points []SweepPoint, opts PlotOptions) ([]PlotFile, error) {
	w, h, dpi := opts.size()
	var out []PlotFile
	for _, sp := range sweepSpecs(params, points) {
		svg, png, err := renderSpec(sp, w, h, dpi)
		if err != nil {
			return nil, fmt.Errorf("results: plot %s: %w", sp.Name, err)
		}
		out = append(out, PlotFile{Name: sp.Name, Title: sp.Title, Caption: sp.Caption, SVG: svg, PNG: png})
	}
	return out, nil
}

// WriteSweepDir writes a sweep directory (creating it if needed): sweep.csv (SweepCSV),
// sweep.txt (SweepText without colour) and the plots as SVG and PNG.
func WriteSweepDir(dir string, params []string, points []SweepPoint) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("results: %w", err)
	}
	plots, err := RenderSweepPlots(params, points, PlotOptions{})
	if err != nil {
		return err
	}
	write := func(name string, data []byte) error {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return fmt.Errorf("results: %w", err)
		}
		return nil
	}
	if err := write("sweep.csv", SweepCSV(params, points)); err != nil {
		return err
	}
	if err := write("sweep.txt", []byte(SweepText(params, points, TextOptions{}))); err != nil {
		return err
	}
	for _, p := range plots {
		if err := write(p.Name+".svg", p.SVG); err != nil {
			return err
		}
		if err := write(p.Name+".png", p.PNG); err != nil {
			return err
		}
	}
	return nil
}
