package results

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// Window is a span of simulated time, in seconds from the start of the run (warm-up
// included, like the time series): a fault window (an outage, an injected error burst)
// that the plots shade so that the cause sits next to its effect.
type Window struct {
	From  float64 `json:"from_s"`
	To    float64 `json:"to_s"`
	Label string  `json:"label"`
}

// PlotOptions are the choices of WritePlots and RenderPlots. The zero value gives 8×4
// inch plots, PNGs at 96 dpi, the Summary's fault windows, and DLQs found from the graph.
type PlotOptions struct {
	// Faults are shaded on every time plot; nil means the Summary's own (s.Faults).
	Faults []Window
	// DLQs names the queues that serve as dead-letter queues. Nil means: the targets of
	// the graph's "redrive" edges, else queues whose name contains "dlq" or
	// "dead-letter" (case-insensitive).
	DLQs []string
	// WidthInches and HeightInches are the size of every plot; 0 means 8 and 4.
	WidthInches, HeightInches float64
	// DPI is the resolution of the PNGs; 0 means 96.
	DPI int
	// SVGOnly skips the PNGs (PlotFile.PNG stays nil; WritePlots writes only SVG): the
	// report needs only the SVGs, and rasterising is most of the cost of a plot.
	SVGOnly bool
}

func (o PlotOptions) size() (w, h float64, dpi int) {
	w, h, dpi = o.WidthInches, o.HeightInches, o.DPI
	if w <= 0 {
		w = 8
	}
	if h <= 0 {
		h = 4
	}
	if dpi <= 0 {
		dpi = 96
	}
	return w, h, dpi
}

// PlotFile is one rendered plot: Name is the file stem (Name.svg and Name.png in the
// run directory), Title and Caption describe it for the report.
type PlotFile struct {
	Name    string
	Title   string
	Caption string
	SVG     []byte
	PNG     []byte
}

// RenderPlots builds every plot the Summary has data for and renders each as SVG and
// PNG, in a fixed order: throughput, latency over time, latency CDF, then per queue its
// depth, the age of the oldest message of all queues, the DLQ depth, per function its
// concurrency and its throttles and cold starts, then errors and retries. A plot without
// data is left out. The same Summary and options always give the same bytes.
//
// The plots are independent, so they are rendered by up to GOMAXPROCS goroutines; each
// writes only its own slot of the result, which keeps the output in the fixed order.
func RenderPlots(s *Summary, opts PlotOptions) ([]PlotFile, error) {
	specs := buildPlotSpecs(s, opts)
	w, h, dpi := opts.size()
	out := make([]PlotFile, len(specs))
	errs := make([]error, len(specs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(specs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				sp := specs[i]
				svg, png, err := renderFormats(sp, w, h, dpi, !opts.SVGOnly)
				out[i] = PlotFile{Name: sp.Name, Title: sp.Title, Caption: sp.Caption, SVG: svg, PNG: png}
				errs[i] = err
			}
		}()
	}
	for i := range specs {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("results: plot %s: %w", specs[i].Name, err)
		}
	}
	return out, nil
}

// WritePlots renders the plots (RenderPlots) and writes each as <Name>.svg and
// <Name>.png into dir, which must exist. It returns the plots it wrote.
func WritePlots(dir string, s *Summary, opts PlotOptions) ([]PlotFile, error) {
	plots, err := RenderPlots(s, opts)
	if err != nil {
		return nil, err
	}
	for _, p := range plots {
		if err := os.WriteFile(filepath.Join(dir, p.Name+".svg"), p.SVG, 0o644); err != nil {
			return nil, fmt.Errorf("results: %w", err)
		}
		if p.PNG == nil {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, p.Name+".png"), p.PNG, 0o644); err != nil {
			return nil, fmt.Errorf("results: %w", err)
		}
	}
	return plots, nil
}

// WriteVisuals writes the plots and report.html into dir (WriteDir calls it): the plots
// with the Summary's fault windows and default sizes.
func WriteVisuals(dir string, s *Summary) error {
	plots, err := WritePlots(dir, s, PlotOptions{})
	if err != nil {
		return err
	}
	page, err := Report(s, plots)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "report.html"), page, 0o644); err != nil {
		return fmt.Errorf("results: %w", err)
	}
	return nil
}

// fileStem turns a component name into a safe part of a file name: lower-case letters,
// digits, '-' and '_' kept, runs of anything else become one '-'.
func fileStem(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-' {
			b.WriteRune(r)
			dash = false
			continue
		}
		if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if s == "" {
		s = "x"
	}
	return s
}
