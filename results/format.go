package results

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Number formats shared by the terminal summary, threshold details and the CSV files'
// neighbours: fixed rules, so the same value always renders the same way.

// formatSeconds renders a duration in seconds with a unit chosen by size: 850ns, 12.5µs,
// 3.2ms, 1.25s, 420s.
func formatSeconds(v float64) string {
	a := math.Abs(v)
	switch {
	case v == 0:
		return "0s"
	case a < 1e-6:
		return strconv.FormatFloat(v*1e9, 'f', 0, 64) + "ns"
	case a < 1e-3:
		return strconv.FormatFloat(v*1e6, 'f', 1, 64) + "µs"
	case a < 1:
		return strconv.FormatFloat(v*1e3, 'f', 1, 64) + "ms"
	case a < 100:
		return strconv.FormatFloat(v, 'f', 2, 64) + "s"
	}
	return groupThousands(strconv.FormatFloat(v, 'f', 0, 64)) + "s"
}

// formatNumber renders a count or a plain figure: integers with thousands separators
// (1,234,567), others with two decimals from 1 up (12.35), three significant digits
// below (0.00123).
func formatNumber(v float64) string {
	a := math.Abs(v)
	switch {
	case v == math.Trunc(v) && a < 1e15:
		return groupThousands(strconv.FormatFloat(v, 'f', 0, 64))
	case a >= 1000:
		return groupThousands(strconv.FormatFloat(v, 'f', 0, 64))
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// formatMoney renders US dollars: cents from a cent up ($1,234.56), six decimals below
// ($0.000123), so that the cost of a short run does not read as zero.
func formatMoney(v float64) string {
	switch a := math.Abs(v); {
	case v == 0:
		return "$0"
	case a >= 0.01:
		s := strconv.FormatFloat(v, 'f', 2, 64)
		i := strings.IndexByte(s, '.')
		return "$" + groupThousands(s[:i]) + s[i:]
	}
	return "$" + strconv.FormatFloat(v, 'f', 6, 64)
}

// groupThousands puts commas into the integer s ("-1234567" → "-1,234,567").
func groupThousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// formatStat renders a Stat with f, adding "±half-width" with replications (unless the
// replications all agree: a half-width of 0).
func formatStat(s Stat, reps int, f func(float64) string) string {
	if reps < 2 || s.HalfWidth == 0 {
		return f(s.Mean)
	}
	return f(s.Mean) + "±" + f(s.HalfWidth)
}

// table renders aligned columns: the first column left-aligned, the others right-aligned,
// two spaces apart, indented by two. When the rows are wider than maxWidth, the columns
// after the first are split over several tables that each repeat the first column.
type table struct {
	header []string
	rows   [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func width(s string) int { return utf8.RuneCountInString(s) }

func (t *table) render(b *strings.Builder, maxWidth int, st styler) {
	if len(t.rows) == 0 {
		return
	}
	n := len(t.header)
	w := make([]int, n)
	for c := range n {
		w[c] = width(t.header[c])
		for _, r := range t.rows {
			if c < len(r) {
				w[c] = max(w[c], width(r[c]))
			}
		}
	}
	// Split the value columns into groups that fit.
	var groups [][]int
	cur, used := []int{}, 2+w[0]
	for c := 1; c < n; c++ {
		if len(cur) > 0 && used+2+w[c] > maxWidth {
			groups = append(groups, cur)
			cur, used = []int{}, 2+w[0]
		}
		cur = append(cur, c)
		used += 2 + w[c]
	}
	groups = append(groups, cur)
	for gi, g := range groups {
		if gi > 0 {
			b.WriteByte('\n')
		}
		line := func(cells []string, head bool) {
			var l strings.Builder
			l.WriteString("  ")
			l.WriteString(pad(cell(cells, 0), w[0], false))
			for _, c := range g {
				l.WriteString("  ")
				l.WriteString(pad(cell(cells, c), w[c], true))
			}
			s := strings.TrimRight(l.String(), " ")
			if head {
				s = st.dim(s)
			}
			b.WriteString(s)
			b.WriteByte('\n')
		}
		line(t.header, true)
		for _, r := range t.rows {
			line(r, false)
		}
	}
}

func cell(cells []string, i int) string {
	if i < len(cells) {
		return cells[i]
	}
	return ""
}

func pad(s string, w int, right bool) string {
	n := w - width(s)
	if n <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", n) + s
	}
	return s + strings.Repeat(" ", n)
}

// styler adds ANSI colour when asked, and nothing otherwise.
type styler bool

func (s styler) wrap(code, x string) string {
	if !s {
		return x
	}
	return fmt.Sprintf("\x1b[%sm%s\x1b[0m", code, x)
}

func (s styler) bold(x string) string  { return s.wrap("1", x) }
func (s styler) dim(x string) string   { return s.wrap("2", x) }
func (s styler) green(x string) string { return s.wrap("32", x) }
func (s styler) red(x string) string   { return s.wrap("31", x) }
