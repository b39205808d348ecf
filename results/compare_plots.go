package results

import (
	"bytes"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// The comparison plots overlay the alternatives, one colour each (the base first, in the
// palette's order): the latency CDF of each path, the throughput of each path over time,
// the depth of each queue over time, and the cost per month as bars. Time plots show the
// first replication of each alternative, which share their random numbers.

// RenderComparePlots builds the overlaid plots of the summaries (base first) named names
// and renders each as SVG and PNG. The same input always gives the same bytes.
func RenderComparePlots(names []string, ss []*Summary, opts PlotOptions) ([]PlotFile, error) {
	if len(ss) == 0 || len(names) != len(ss) {
		return nil, fmt.Errorf("results: compare plots: %d names for %d summaries", len(names), len(ss))
	}
	w, h, dpi := opts.size()
	var out []PlotFile
	for _, sp := range compareSpecs(names, ss, opts) {
		svg, png, err := renderSpec(sp, w, h, dpi)
		if err != nil {
			return nil, fmt.Errorf("results: plot %s: %w", sp.Name, err)
		}
		out = append(out, PlotFile{Name: sp.Name, Title: sp.Title, Caption: sp.Caption, SVG: svg, PNG: png})
	}
	cost, err := costBars(names, ss, w, h, dpi)
	if err != nil {
		return nil, fmt.Errorf("results: plot cost: %w", err)
	}
	return append(out, cost), nil
}

// compareSpecs are the line plots of a comparison, in report order.
func compareSpecs(names []string, ss []*Summary, opts PlotOptions) []plotSpec {
	base := newPlotBuilder(ss[0], opts)
	builders := make([]*plotBuilder, len(ss))
	for i, s := range ss {
		builders[i] = newPlotBuilder(s, opts)
		builders[i].div, builders[i].tUnit = base.div, base.tUnit // one time axis for all
	}
	paths := distinctNames(ss, func(s *Summary) []string {
		var ns []string
		for _, p := range s.Paths {
			ns = append(ns, p.Name)
		}
		return ns
	})
	var out []plotSpec
	for _, p := range paths {
		out = append(out, compareCDF(names, ss, p, len(paths) > 1))
	}
	for _, p := range paths {
		sp := base.timePlot("throughput", "Throughput: "+p,
			"Messages completed on path "+p+" per second of simulated time, one line per alternative (first replication of each).",
			"messages / s")
		if len(paths) > 1 {
			sp.Name += "-" + fileStem(p)
		}
		for i, b := range builders {
			if sd := b.series(p, "EndToEndLatency", "count"); sd != nil {
				sp.Lines = append(sp.Lines, lineSpec{Label: names[i], X: b.times(sd), Y: b.rate(sd), Color: i})
			}
		}
		out = append(out, sp)
	}
	queues := distinctNames(ss, func(s *Summary) []string {
		var ns []string
		for i := range s.Components {
			if isQueue(&s.Components[i]) {
				ns = append(ns, s.Components[i].Name)
			}
		}
		return ns
	})
	for _, q := range queues {
		sp := base.timePlot("queue-depth-"+fileStem(q), "Queue depth: "+q,
			"Visible messages in queue "+q+" (the maximum in each bucket), one line per alternative (first replication of each).",
			"messages")
		for i, b := range builders {
			if sd := b.series(q, "ApproximateNumberOfMessagesVisible", "max"); sd != nil {
				sp.Lines = append(sp.Lines, lineSpec{Label: names[i], X: b.times(sd), Y: append([]float64(nil), sd.Values...), Color: i})
			}
		}
		out = append(out, sp)
	}
	var kept []plotSpec
	for _, sp := range out {
		if len(sp.Lines) > 0 {
			kept = append(kept, sp)
		}
	}
	return kept
}

// distinctNames returns the distinct names each(s) gives over the summaries, first-seen order.
func distinctNames(ss []*Summary, each func(*Summary) []string) []string {
	var out []string
	for _, s := range ss {
		for _, n := range each(s) {
			if !contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}

// compareCDF overlays the pooled latency CDF of one path in every alternative, on one
// unit (ms or s) chosen from the largest latency of all.
func compareCDF(names []string, ss []*Summary, path string, several bool) plotSpec {
	top, bottom := 0.0, math.Inf(1)
	for _, s := range ss {
		if p, ok := s.Path(path); ok && p.Pooled.Histogram != nil && p.Pooled.Histogram.Count() > 0 {
			h := p.Pooled.Histogram
			top = math.Max(top, float64(h.Max())/1e9)
			bottom = math.Min(bottom, float64(max(h.Min(), 1))/1e9)
		}
	}
	k, unit := latencyUnit(top)
	sp := plotSpec{Name: "latency-cdf", Title: "End-to-end latency distribution: " + path,
		Caption: "Cumulative distribution of the end-to-end latency of path " + path + ", all replications pooled, one line per alternative: the fraction of messages that took at most x.",
		XLabel:  "end-to-end latency (" + unit + ")", YLabel: "fraction of messages ≤ latency",
		LogX: top > 0 && top/bottom > 100}
	if several {
		sp.Name += "-" + fileStem(path)
	}
	for i, s := range ss {
		p, ok := s.Path(path)
		if !ok || p.Pooled.Histogram == nil {
			continue
		}
		pts := p.Pooled.Histogram.CDF(cdfPoints)
		if len(pts) == 0 {
			continue
		}
		l := lineSpec{Label: names[i], Color: i, X: make([]float64, len(pts)), Y: make([]float64, len(pts))}
		for j, pt := range pts {
			l.X[j] = float64(max(pt.Value, 1)) / 1e9 * k
			l.Y[j] = pt.Fraction
		}
		sp.Lines = append(sp.Lines, l)
	}
	return sp
}

// costBars draws the cost per month of each alternative as a bar, with its 95% interval
// as an error bar when there are replications.
func costBars(names []string, ss []*Summary, w, h float64, dpi int) (PlotFile, error) {
	pf := PlotFile{Name: "cost", Title: "Cost per month",
		Caption: "Cost per month of each alternative (post-warm-up request rate × 30 days), the mean over the replications with its 95% interval."}
	p := plot.New()
	p.Title.Text = pf.Title
	p.Title.TextStyle.Font = withFont(sansFont, 14)
	p.Title.Padding = vg.Points(6)
	p.Y.Label.Text = "US dollars per month"
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = withFont(sansFont, 11)
		ax.Tick.Label.Font = withFont(sansFont, 10)
	}
	p.Y.Tick.Marker = plainTicks{}
	p.BackgroundColor = color.White
	grid := plotter.NewGrid()
	grid.Vertical.Color, grid.Horizontal.Color = color.Transparent, gridColor
	p.Add(grid)
	top := 0.0
	for i, s := range ss {
		v := finite(s.Cost.PerMonth.Mean)
		bar, err := plotter.NewBarChart(plotter.Values{v}, vg.Points(40))
		if err != nil {
			return pf, err
		}
		bar.Offset = 0
		bar.XMin = float64(i)
		bar.Color = palette[i%len(palette)]
		bar.LineStyle.Width = 0
		p.Add(bar)
		hw := finite(s.Cost.PerMonth.HalfWidth)
		if hw > 0 {
			eb, err := plotter.NewYErrorBars(costErr{x: float64(i), y: v, e: hw})
			if err != nil {
				return pf, err
			}
			p.Add(eb)
		}
		top = math.Max(top, v+hw)
	}
	p.NominalX(names...)
	p.Y.Min = 0
	if top <= 0 {
		top = 1
	}
	p.Y.Max = top * 1.1
	W, H := vg.Length(w)*vg.Inch, vg.Length(h)*vg.Inch
	sc := vgsvg.New(W, H)
	p.Draw(draw.New(sc))
	var sb bytes.Buffer
	if _, err := sc.WriteTo(&sb); err != nil {
		return pf, err
	}
	ic := vgimg.NewWith(vgimg.UseWH(W, H), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
	p.Draw(draw.New(ic))
	var pb bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: ic}).WriteTo(&pb); err != nil {
		return pf, err
	}
	pf.SVG, pf.PNG = sb.Bytes(), pb.Bytes()
	return pf, nil
}

// costErr is one error bar: x, y and the half-width e (plotter.XYer and YErrorer).
type costErr struct{ x, y, e float64 }

func (c costErr) Len() int                       { return 1 }
func (c costErr) XY(int) (float64, float64)      { return c.x, c.y }
func (c costErr) YError(int) (low, high float64) { return c.e, c.e }
