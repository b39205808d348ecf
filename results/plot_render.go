package results

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// palette is the Okabe–Ito colour-blind-safe palette without its yellow (too pale on
// white); a line's Color indexes it modulo its length.
var palette = [...]color.RGBA{
	{0x00, 0x72, 0xB2, 0xff}, // blue
	{0xD5, 0x5E, 0x00, 0xff}, // vermillion
	{0x00, 0x9E, 0x73, 0xff}, // bluish green
	{0xCC, 0x79, 0xA7, 0xff}, // reddish purple
	{0xE6, 0x9F, 0x00, 0xff}, // orange
	{0x56, 0xB4, 0xE9, 0xff}, // sky blue
	{0x33, 0x33, 0x33, 0xff}, // near black
}

var (
	warmupFill = color.NRGBA{0x80, 0x80, 0x80, 0x30}
	faultFill  = color.NRGBA{0xE0, 0x30, 0x30, 0x38}
	gridColor  = color.Gray{0xe0}
)

// sansFont is the typeface of every plot (gonum/plot's default is a serif).
var sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// renderSpec draws a plot spec at w×h inches and returns it as SVG and as PNG at dpi.
func renderSpec(sp plotSpec, w, h float64, dpi int) (svg, pngData []byte, err error) {
	return renderFormats(sp, w, h, dpi, true)
}

// renderFormats is renderSpec with the PNG optional (png is nil without it).
func renderFormats(sp plotSpec, w, h float64, dpi int, withPNG bool) (svg, pngData []byte, err error) {
	W, H := vg.Length(w)*vg.Inch, vg.Length(h)*vg.Inch
	p, leg, err := buildPlot(sp)
	if err != nil {
		return nil, nil, err
	}

	sc := vgsvg.New(W, H)
	drawWithLegend(draw.New(sc), p, leg)
	var sb bytes.Buffer
	if _, err := sc.WriteTo(&sb); err != nil {
		return nil, nil, err
	}
	if !withPNG {
		return sb.Bytes(), nil, nil
	}

	ic := vgimg.NewWith(vgimg.UseWH(W, H), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
	drawWithLegend(draw.New(ic), p, leg)
	// BestSpeed: deflate at the default level is most of the cost of a plot, and the
	// files are only about a third larger.
	var pb bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&pb, ic.Image()); err != nil {
		return nil, nil, err
	}
	return sb.Bytes(), pb.Bytes(), nil
}

// The legend sits below the plot, outside the data so that no line hides behind it, in
// up to three columns filled row by row, lines first, then the shaded spans. Every
// plot of a run has the same width of data area whatever its labels, so plots stacked in
// the report share their time axis. A label too long for one column is shortened.
const (
	legendGap   = vg.Length(8)
	legendThumb = vg.Length(22)
	legendPad   = vg.Length(3) // between rows
)

// legendEntry is one line of the legend: a label and what to draw beside it.
type legendEntry struct {
	label  string
	thumbs []plot.Thumbnailer
}

// plotLegend is a plot's legend before it is laid out.
type plotLegend struct {
	style   text.Style
	entries []legendEntry
}

// columns returns how many columns the legend takes in width w: the most (up to three)
// in which every label fits, else one.
func (l *plotLegend) columns(w vg.Length) int {
	for cols := min(3, len(l.entries)); cols > 1; cols-- {
		fits := true
		for _, e := range l.entries {
			fits = fits && l.style.Width(e.label) <= l.labelWidth(w, cols)
		}
		if fits {
			return cols
		}
	}
	return 1
}

// labelWidth is the room for a label in one of cols columns across w.
func (l *plotLegend) labelWidth(w vg.Length, cols int) vg.Length {
	return (w-2*legendGap)/vg.Length(cols) - legendThumb - l.style.Width(" ") - legendGap
}

// drawWithLegend draws the plot and, below it, its legend (when it has one).
func drawWithLegend(dc draw.Canvas, p *plot.Plot, leg *plotLegend) {
	if leg == nil || len(leg.entries) == 0 {
		p.Draw(dc)
		return
	}
	W := dc.Size().X
	cols := leg.columns(W)
	rows := (len(leg.entries) + cols - 1) / cols
	entryH := leg.style.FontExtents().Height
	legH := vg.Length(rows)*(entryH+legendPad) + 2*legendGap
	p.Draw(draw.Crop(dc, 0, 0, legH, 0))
	colW := (W - 2*legendGap) / vg.Length(cols)
	for c := range cols {
		l := plot.NewLegend()
		l.TextStyle = leg.style
		l.Top, l.Left = true, true
		l.ThumbnailWidth = legendThumb
		l.Padding = legendPad
		for i := c; i < len(leg.entries); i += cols {
			e := leg.entries[i]
			l.Add(fitLabel(leg.style, e.label, leg.labelWidth(W, cols)), e.thumbs...)
		}
		x0 := legendGap + vg.Length(c)*colW
		l.Draw(draw.Crop(dc, x0, -(W - x0 - colW), 0, -(dc.Size().Y - legH + legendGap)))
	}
}

// fitLabel shortens a legend label to at most w wide by replacing its middle with an
// ellipsis, which keeps both ends of a path name ("shoppers-… -> …warehouse").
func fitLabel(sty text.Style, label string, w vg.Length) string {
	if w <= 0 || sty.Width(label) <= w {
		return label
	}
	r := []rune(label)
	for n := len(r) - 1; n > 2; n-- {
		head := (n + 1) / 2
		if s := string(r[:head]) + "…" + string(r[len(r)-(n-head):]); sty.Width(s) <= w {
			return s
		}
	}
	return string(r[:1]) + "…"
}

func withFont(f font.Font, size vg.Length) font.Font {
	f.Size = size
	return f
}

// buildPlot turns a spec into a gonum plot and its legend (nil when nothing is
// labelled).
func buildPlot(sp plotSpec) (*plot.Plot, *plotLegend, error) {
	p := plot.New()
	p.Title.Text = sp.Title
	p.Title.TextStyle.Font = withFont(sansFont, 14)
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text, p.Y.Label.Text = sp.XLabel, sp.YLabel
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = withFont(sansFont, 11)
		ax.Tick.Label.Font = withFont(sansFont, 10)
		ax.Padding = vg.Points(2)
	}
	p.BackgroundColor = color.White
	grid := plotter.NewGrid()
	grid.Vertical.Color, grid.Horizontal.Color = gridColor, gridColor
	p.Add(grid)

	leg := &plotLegend{style: plot.NewLegend().TextStyle}
	leg.style.Font = withFont(sansFont, 10)

	// The data range fixes the axes; the shades then span it.
	xmin, xmax := math.Inf(1), math.Inf(-1)
	ymin, ymax := 0.0, math.Inf(-1)
	for _, l := range sp.Lines {
		if len(l.X) != len(l.Y) {
			return nil, nil, fmt.Errorf("line %q has %d x and %d y values", l.Label, len(l.X), len(l.Y))
		}
		for i := range l.X {
			if isNum(l.X[i]) && isNum(l.Y[i]) {
				xmin, xmax = math.Min(xmin, l.X[i]), math.Max(xmax, l.X[i])
				ymin, ymax = math.Min(ymin, l.Y[i]), math.Max(ymax, l.Y[i])
			}
		}
	}
	if sp.XMax > sp.XMin {
		xmin, xmax = sp.XMin, sp.XMax
	}
	if math.IsInf(xmin, 0) { // no finite point at all
		xmin, xmax = 0, 1
	}
	if !(ymax > ymin) {
		ymax = ymin + 1
	}
	ymax += (ymax - ymin) * 0.05
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = xmin, xmax, ymin, ymax
	p.X.Tick.Marker, p.Y.Tick.Marker = plainTicks{}, plainTicks{}
	if sp.LogX && xmin > 0 {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	}

	var shadeEntries []legendEntry // after the lines in the legend
	shaded := map[string]bool{}    // labels already in the legend; never iterated
	for _, s := range sp.Shades {
		from, to := math.Max(s.From, xmin), math.Min(s.To, xmax)
		if !(to > from) {
			continue
		}
		poly, err := plotter.NewPolygon(plotter.XYs{{X: from, Y: ymin}, {X: to, Y: ymin}, {X: to, Y: ymax}, {X: from, Y: ymax}})
		if err != nil {
			return nil, nil, err
		}
		poly.Color = faultFill
		if s.Warmup {
			poly.Color = warmupFill
		}
		poly.LineStyle.Width = 0
		p.Add(poly)
		if !shaded[s.Label] {
			shaded[s.Label] = true
			shadeEntries = append(shadeEntries, legendEntry{s.Label, []plot.Thumbnailer{poly}})
		}
	}

	for _, l := range sp.Lines {
		style := draw.LineStyle{Color: palette[l.Color%len(palette)], Width: vg.Points(1.6)}
		if l.Dashed {
			style.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		}
		var first *plotter.Line
		for _, seg := range segments(l.X, l.Y) {
			if len(seg) == 1 { // a lone point between gaps: a short tick so it shows
				seg = append(seg, seg[0])
			}
			ln, err := plotter.NewLine(seg)
			if err != nil {
				return nil, nil, fmt.Errorf("line %q: %w", l.Label, err)
			}
			ln.LineStyle = style
			p.Add(ln)
			if first == nil {
				first = ln
			}
		}
		if first == nil { // nothing to draw: keep it in the legend all the same
			first = &plotter.Line{LineStyle: style}
		}
		if l.Label != "" {
			leg.entries = append(leg.entries, legendEntry{l.Label, []plot.Thumbnailer{first}})
		}
	}
	leg.entries = append(leg.entries, shadeEntries...)
	if len(leg.entries) == 0 {
		return p, nil, nil
	}
	return p, leg, nil
}

// plainTicks are gonum/plot's default ticks labelled without trailing zeros ("500",
// not "500.00") and with thousands grouped.
type plainTicks struct{}

func (plainTicks) Ticks(min, max float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ts {
		if ts[i].Label != "" {
			v, _ := strconv.ParseFloat(strconv.FormatFloat(ts[i].Value, 'g', 6, 64), 64)
			ts[i].Label = formatTick(v)
		}
	}
	return ts
}

// formatTick renders a tick value: integers grouped by thousands, others as short as
// they read back.
func formatTick(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return groupThousands(strconv.FormatFloat(v, 'f', 0, 64))
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func isNum(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// segments splits a line at its gaps (a non-finite x or y) into runs of finite points.
func segments(x, y []float64) []plotter.XYs {
	var out []plotter.XYs
	var cur plotter.XYs
	for i := range x {
		if !isNum(x[i]) || !isNum(y[i]) {
			if len(cur) > 0 {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, plotter.XY{X: x[i], Y: y[i]})
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}
