package results

import (
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// chromium finds a Chromium or Chrome binary: /usr/bin/chromium (Debian package
// `chromium`) or one of the usual names on PATH.
func chromium() (string, bool) {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", true
	}
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(n); err == nil {
			return p, true
		}
	}
	return "", false
}

// TestReportRendersInABrowser opens report.html in headless Chromium and checks that the
// screenshot is a page with content, not a blank or an error page. Set
// MSGSIM_REPORT_SCREENSHOT=path to keep the screenshot and look at it.
func TestReportRendersInABrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	bin, ok := chromium()
	if !ok {
		t.Skip("Chromium not found (/usr/bin/chromium or chromium on PATH; Debian: apt-get install chromium): report.html not checked in a browser")
	}
	dir := t.TempDir()
	s := reportSummary(t)
	plots, err := RenderPlots(s, PlotOptions{SVGOnly: true}) // the report embeds the SVGs
	if err != nil {
		t.Fatal(err)
	}
	page, err := Report(s, plots)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "report.html"), page, 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "screenshot.png")
	if keep := os.Getenv("MSGSIM_REPORT_SCREENSHOT"); keep != "" {
		shot = keep
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--hide-scrollbars", "--user-data-dir="+t.TempDir(), "--screenshot="+shot, "--window-size=1280,2400",
		"file://"+filepath.Join(dir, "report.html"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	b := img.Bounds()
	if b.Dx() != 1280 || b.Dy() != 2400 {
		t.Errorf("screenshot is %dx%d, want 1280x2400", b.Dx(), b.Dy())
	}
	// A page of text, tables and plots has dark pixels in a good share of its rows and
	// a clearly non-zero luminance variance; a blank page has neither. Measured with
	// this sampling (every 2nd pixel and row): a blank page 0 and 0%; a two-line page
	// ("Not found" and a sentence) variance 0.00045 with ink in 1.4% of rows; this
	// report 0.0075 and 46%. The bounds sit between: 0.002 and 20%.
	var n, dark, rowsWithInk int
	var sum, sumSq float64
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		ink := false
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			l := (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(bl)) / 65535
			sum += l
			sumSq += l * l
			n++
			if l < 0.5 {
				dark++
				ink = true
			}
		}
		if ink {
			rowsWithInk++
		}
	}
	mean := sum / float64(n)
	variance := sumSq/float64(n) - mean*mean
	rows := (b.Dy() + 1) / 2
	t.Logf("screenshot %s: luminance mean %.3f variance %.4f, dark pixels %.2f%%, rows with ink %.0f%%",
		shot, mean, variance, 100*float64(dark)/float64(n), 100*float64(rowsWithInk)/float64(rows))
	if variance < 0.002 || dark == 0 {
		t.Errorf("screenshot looks blank: luminance variance %.4f, %d dark pixels", variance, dark)
	}
	if float64(rowsWithInk) < 0.2*float64(rows) {
		t.Errorf("only %d of %d rows have any text or lines", rowsWithInk, rows)
	}
}
