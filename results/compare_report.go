package results

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

//go:embed compare_report.html.tmpl
var compareReportTemplate string

// reportCSS is the single-run report's style sheet (between <style> and </style> of
// report.html.tmpl), shared so that both pages look alike.
func reportCSS() template.CSS {
	_, after, ok := strings.Cut(reportTemplate, "<style>")
	if !ok {
		return ""
	}
	css, _, _ := strings.Cut(after, "</style>")
	return template.CSS(css) // our own embedded file
}

type compareCell struct {
	Text  string
	Class string // "ns", "sig", "ok", "bad" or ""
}

type compareReportData struct {
	Title, Description string
	CSS                template.CSS
	Header             []string
	Note               string
	Columns            []string
	Rows               [][]compareCell
	ThresholdColumns   []string
	Thresholds         [][]compareCell
	Plots              []reportPlot
}

// CompareReport renders the comparison's report.html: one self-contained page with the
// side-by-side table (differences that are not significant greyed), the thresholds of
// every alternative and the overlaid plots. The same input always gives the same bytes.
func CompareReport(c *Comparison, description string, plots []PlotFile) ([]byte, error) {
	t, err := template.New("compare").Parse(compareReportTemplate)
	if err != nil {
		return nil, fmt.Errorf("results: compare report template: %w", err)
	}
	d := &compareReportData{Title: c.Scenario + ": " + strings.Join(c.Names, " vs "), Description: description, CSS: reportCSS()}
	d.Header = []string{"seed " + strconv.FormatUint(c.Seed, 10),
		strconv.Itoa(c.Replications) + " replications per alternative, common random numbers"}
	d.Note = "Figures are means ± the half-width of their 95% confidence interval. Δ is the alternative minus " +
		c.Names[0] + ", paired replication by replication, ± the 95% interval of the paired difference; " +
		"n.s. (greyed) means the interval contains 0: not significant."
	d.Columns = []string{"figure", c.Names[0]}
	for _, n := range c.Names[1:] {
		d.Columns = append(d.Columns, n, "Δ "+n)
	}
	for _, r := range c.Rows {
		row := []compareCell{{Text: r.Figure.Label}, {Text: formatStat(r.Values[0], c.Replications, r.Figure.Format)}}
		for i := 1; i < len(c.Names); i++ {
			cls := "ns"
			if r.Diffs[i].Significant {
				cls = "sig"
			}
			row = append(row, compareCell{Text: formatStat(r.Values[i], c.Replications, r.Figure.Format)},
				compareCell{Text: formatDiff(r.Figure, r.Diffs[i]), Class: cls})
		}
		d.Rows = append(d.Rows, row)
	}
	if hasThresholds(c) {
		d.ThresholdColumns = append([]string{"threshold"}, c.Names...)
		for i, r := range c.Thresholds[0] {
			row := []compareCell{{Text: r.Expr}}
			for a := range c.Names {
				cls := "bad"
				if a < len(c.Thresholds) && i < len(c.Thresholds[a]) && c.Thresholds[a][i].OK {
					cls = "ok"
				}
				row = append(row, compareCell{Text: thresholdCell(c, a, i), Class: cls})
			}
			d.Thresholds = append(d.Thresholds, row)
		}
	}
	for _, p := range plots {
		d.Plots = append(d.Plots, reportPlot{Name: p.Name, Title: p.Title, Caption: p.Caption, SVG: inlineSVG(p.SVG)})
	}
	var b bytes.Buffer
	if err := t.Execute(&b, d); err != nil {
		return nil, fmt.Errorf("results: compare report: %w", err)
	}
	return b.Bytes(), nil
}

// WriteCompareDir writes a comparison directory (creating it if needed):
//
//	comparison.txt  the side-by-side table (CompareText, without colour)
//	comparison.csv  the same figures, exactly (CompareCSV)
//	*.svg, *.png    the overlaid plots (RenderComparePlots)
//	report.html     the comparison report (CompareReport)
//
// ss are the alternatives' summaries, base first, in c.Names order.
func WriteCompareDir(dir string, c *Comparison, ss []*Summary) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("results: %w", err)
	}
	plots, err := RenderComparePlots(c.Names, ss, PlotOptions{})
	if err != nil {
		return err
	}
	desc := ""
	if len(ss) > 0 {
		desc = ss[0].Description
	}
	page, err := CompareReport(c, desc, plots)
	if err != nil {
		return err
	}
	files := []struct {
		name string
		data []byte
	}{
		{"comparison.txt", []byte(CompareText(c, TextOptions{}))},
		{"comparison.csv", CompareCSV(c)},
		{"report.html", page},
	}
	for _, p := range plots {
		files = append(files, struct {
			name string
			data []byte
		}{p.Name + ".svg", p.SVG}, struct {
			name string
			data []byte
		}{p.Name + ".png", p.PNG})
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.name), f.data, 0o644); err != nil {
			return fmt.Errorf("results: %w", err)
		}
	}
	return nil
}
