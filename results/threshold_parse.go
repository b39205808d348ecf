package results

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Threshold is a parsed pass/fail criterion, written in a scenario as
//
//	function(selector: reference) operator value
//
// for example p99(latency: shoppers -> warehouse) < 2s, rate(dlq: order-queue) < 0.1%,
// max(depth: order-queue) < 10000, sum(throttles: inventory) == 0, cost(per_month) < 500,
// throughput(latency: a -> b) > 100/s, sum(metric: order-queue.NumberOfEmptyReceives) < 100.
// See thresholds.go for what each function and selector measures.
type Threshold struct {
	Expr     string  // the text as written
	Func     string  // p50, p90, p95, p99, mean, max, count, sum, rate, throughput, cost
	Selector string  // latency, depth, age, concurrency, dlq, errors, throttles, metric; per_run or per_month for cost
	Ref      string  // a path "a -> b", a component, or component.Metric; optional for cost
	Op       string  // <, <=, >, >=, ==, !=
	Value    float64 // in the quantity's base unit: seconds, fraction, per second, dollars, count
	Quantity string  // what Value measures: "duration", "ratio", "rate", "money", "count", "any"
}

// Quantities a threshold's value may measure.
const (
	qDuration = "duration" // seconds; written 2s, 500ms, 1.5m, or a plain number of seconds
	qRatio    = "ratio"    // a fraction; written 0.1% or a plain fraction (0.001)
	qRate     = "rate"     // per second; written 100/s or a plain number
	qMoney    = "money"    // US dollars; written 500, $500
	qCount    = "count"    // a plain number
	qAny      = "any"      // a generic metric: a plain number, or a duration in seconds
)

// funcSelectors lists, for each function, the selectors it accepts and the quantity of the
// result.
var funcSelectors = map[string][]struct{ sel, quantity string }{
	"p50":        {{"latency", qDuration}, {"metric", qAny}},
	"p90":        {{"latency", qDuration}, {"metric", qAny}},
	"p95":        {{"latency", qDuration}, {"metric", qAny}},
	"p99":        {{"latency", qDuration}, {"metric", qAny}},
	"mean":       {{"latency", qDuration}, {"depth", qCount}, {"age", qDuration}, {"concurrency", qCount}, {"metric", qAny}},
	"max":        {{"latency", qDuration}, {"depth", qCount}, {"age", qDuration}, {"concurrency", qCount}, {"metric", qAny}},
	"count":      {{"latency", qCount}, {"metric", qCount}},
	"sum":        {{"dlq", qCount}, {"errors", qCount}, {"throttles", qCount}, {"metric", qCount}},
	"rate":       {{"dlq", qRatio}, {"errors", qRatio}, {"throttles", qRatio}},
	"throughput": {{"latency", qRate}, {"metric", qRate}},
	"cost":       {{"per_run", qMoney}, {"per_month", qMoney}},
}

// funcOrder is the list of functions in error messages.
const funcOrder = "p50, p90, p95, p99, mean, max, count, sum, rate, throughput or cost"

// parser reads one threshold expression; pos is a byte offset into s.
type parser struct {
	s   string
	pos int
}

// ParseError is a threshold that does not parse: where (1-based column, in characters)
// and what was expected.
type ParseError struct {
	Expr   string
	Column int
	Msg    string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("threshold %q: column %d: %s", e.Expr, e.Column, e.Msg)
}

func (p *parser) errAt(pos int, format string, args ...any) error {
	col := utf8.RuneCountInString(p.s[:min(pos, len(p.s))]) + 1
	return &ParseError{Expr: p.s, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// found describes what is at pos, for "expected X, found Y".
func (p *parser) found(pos int) string {
	if pos >= len(p.s) {
		return "end of input"
	}
	r, _ := utf8.DecodeRuneInString(p.s[pos:])
	return strconv.QuoteRune(r)
}

func (p *parser) skipSpace() {
	for p.pos < len(p.s) {
		r, n := utf8.DecodeRuneInString(p.s[p.pos:])
		if !unicode.IsSpace(r) {
			return
		}
		p.pos += n
	}
}

// ident reads letters, digits and underscores.
func (p *parser) ident() string {
	start := p.pos
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			p.pos++
			continue
		}
		break
	}
	return p.s[start:p.pos]
}

func (p *parser) expect(c byte, what string) error {
	p.skipSpace()
	if p.pos < len(p.s) && p.s[p.pos] == c {
		p.pos++
		return nil
	}
	return p.errAt(p.pos, "expected %s, found %s", what, p.found(p.pos))
}

// ParseThreshold parses one threshold expression. Errors give the column and what was
// expected, e.g. `threshold "p99(latency shoppers) < 2s": column 13: expected ':' after
// the selector, found 's'`.
func ParseThreshold(s string) (Threshold, error) {
	p := &parser{s: s}
	t := Threshold{Expr: s}

	p.skipSpace()
	fpos := p.pos
	t.Func = strings.ToLower(p.ident())
	if t.Func == "" {
		return t, p.errAt(fpos, "expected a function (%s), found %s", funcOrder, p.found(fpos))
	}
	sels, ok := funcSelectors[t.Func]
	if !ok {
		return t, p.errAt(fpos, "unknown function %q: expected %s", t.Func, funcOrder)
	}
	if err := p.expect('(', "'(' after "+t.Func); err != nil {
		return t, err
	}

	p.skipSpace()
	spos := p.pos
	t.Selector = strings.ToLower(p.ident())
	var allowed []string
	for _, sq := range sels {
		allowed = append(allowed, sq.sel)
		if sq.sel == t.Selector {
			t.Quantity = sq.quantity
		}
	}
	if t.Selector == "" {
		return t, p.errAt(spos, "expected a selector (%s), found %s", strings.Join(allowed, ", "), p.found(spos))
	}
	if t.Quantity == "" {
		return t, p.errAt(spos, "%s does not take %q: expected %s", t.Func, t.Selector, strings.Join(allowed, ", "))
	}

	p.skipSpace()
	if t.Func == "cost" && p.pos < len(p.s) && p.s[p.pos] == ')' {
		p.pos++
	} else {
		if err := p.expect(':', "':' after the selector"); err != nil {
			return t, err
		}
		p.skipSpace()
		rpos := p.pos
		end := strings.IndexByte(p.s[p.pos:], ')')
		if end < 0 {
			return t, p.errAt(len(p.s), "expected ')' after the reference, found end of input")
		}
		t.Ref = normalizeRef(p.s[p.pos : p.pos+end])
		if t.Ref == "" {
			return t, p.errAt(rpos, "expected a path, component or metric name, found ')'")
		}
		if t.Selector == "metric" && !strings.Contains(t.Ref, ".") {
			return t, p.errAt(rpos, "expected component.MetricName after metric:, found %q", t.Ref)
		}
		p.pos += end + 1
	}

	p.skipSpace()
	opos := p.pos
	for _, op := range []string{"<=", ">=", "==", "!=", "<", ">"} {
		if strings.HasPrefix(p.s[p.pos:], op) {
			t.Op = op
			p.pos += len(op)
			break
		}
	}
	if t.Op == "" {
		return t, p.errAt(opos, "expected an operator (<, <=, >, >=, ==, !=), found %s", p.found(opos))
	}

	v, err := p.value(t.Quantity)
	if err != nil {
		return t, err
	}
	t.Value = v
	p.skipSpace()
	if p.pos < len(p.s) {
		return t, p.errAt(p.pos, "expected end of threshold, found %s", p.found(p.pos))
	}
	return t, nil
}

// normalizeRef trims a reference and writes a path's arrow as " -> ".
func normalizeRef(r string) string {
	parts := strings.Split(r, "->")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return strings.Join(parts, " -> ")
}

// durationUnits are the time units a duration value may carry, in seconds.
var durationUnits = []struct {
	unit string
	sec  float64
}{{"ns", 1e-9}, {"us", 1e-6}, {"µs", 1e-6}, {"ms", 1e-3}, {"s", 1}, {"min", 60}, {"m", 60}, {"h", 3600}}

// value reads a number with its unit and converts it to the quantity's base unit.
func (p *parser) value(q string) (float64, error) {
	p.skipSpace()
	vpos := p.pos
	dollar := false
	if p.pos < len(p.s) && p.s[p.pos] == '$' {
		if q != qMoney {
			return 0, p.errAt(vpos, "'$' fits only a cost")
		}
		dollar = true
		p.pos++
	}
	npos := p.pos
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c >= '0' && c <= '9' || c == '.' || c == '_' {
			p.pos++
			continue
		}
		// An exponent: e or E followed by a digit or a sign and a digit.
		if (c == 'e' || c == 'E') && p.pos > npos {
			rest := p.s[p.pos+1:]
			if len(rest) > 0 && (rest[0] >= '0' && rest[0] <= '9') ||
				len(rest) > 1 && (rest[0] == '+' || rest[0] == '-') && rest[1] >= '0' && rest[1] <= '9' {
				p.pos += 2
				continue
			}
		}
		break
	}
	num := p.s[npos:p.pos]
	if num == "" {
		return 0, p.errAt(npos, "expected a number, found %s", p.found(npos))
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(num, "_", ""), 64)
	if err != nil || strings.HasPrefix(num, "_") || strings.HasSuffix(num, "_") || strings.Contains(num, "__") {
		return 0, p.errAt(npos, "%q is not a number", num)
	}
	p.skipSpace() // "2 s" reads as "2s"
	upos := p.pos
	unit := ""
	for p.pos < len(p.s) {
		r, n := utf8.DecodeRuneInString(p.s[p.pos:])
		if unicode.IsSpace(r) {
			break
		}
		unit += string(r)
		p.pos += n
	}
	switch {
	case unit == "":
		return v, nil
	case unit == "%":
		if q != qRatio {
			return 0, p.errAt(upos, "unit %% fits only a rate(...) of dlq, errors or throttles")
		}
		return v / 100, nil
	case unit == "/s":
		if q != qRate {
			return 0, p.errAt(upos, "unit /s fits only a throughput(...)")
		}
		return v, nil
	case unit == "$" && !dollar:
		if q != qMoney {
			return 0, p.errAt(upos, "unit $ fits only a cost")
		}
		return v, nil
	}
	for _, du := range durationUnits {
		if unit == du.unit {
			if q != qDuration && q != qAny {
				return 0, p.errAt(upos, "time unit %s fits only a latency or an age", unit)
			}
			return v * du.sec, nil
		}
	}
	return 0, p.errAt(upos, "unknown unit %q: expected s, ms, us, ns, m, h, %%, /s or $", unit)
}
