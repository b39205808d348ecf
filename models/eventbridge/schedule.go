package eventbridge

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// schedule is a compiled schedule expression of a scheduled rule (§4.4).
//
// rate(value unit) fires every value units, the first time one period after simulated
// time 0 (AWS starts the period when the rule is created; the run starts with the rule
// in place). cron(min hour dom month dow year) fires at the matching minutes in UTC,
// including simulated time 0 itself when it matches, on the wall clock that starts at
// Config.Start. Both fire exactly on time: the up-to-a-minute lateness AWS allows is not
// modelled.
type schedule struct {
	every time.Duration // rate: the period; 0 for cron
	cron  cron.Schedule
	years []yearRange // cron: allowed years, nil for any
	text  string
}

type yearRange struct{ lo, hi int }

var ratePattern = regexp.MustCompile(`^rate\(([0-9]+) ([a-z]+)\)$`)

// parseSchedule parses "rate(...)" or "cron(...)", returning an error that says why an
// expression is invalid.
func parseSchedule(expr string) (*schedule, error) {
	switch {
	case strings.HasPrefix(expr, "rate("):
		return parseRate(expr)
	case strings.HasPrefix(expr, "cron("):
		return parseCron(expr)
	}
	return nil, fmt.Errorf("schedule %q must be rate(value unit) or cron(min hour dom month dow year)", expr)
}

func parseRate(expr string) (*schedule, error) {
	m := ratePattern.FindStringSubmatch(expr)
	if m == nil {
		return nil, fmt.Errorf("schedule %q: rate must be rate(value unit), e.g. rate(5 minutes)", expr)
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n < 1 {
		return nil, fmt.Errorf("schedule %q: rate value must be a positive integer", expr)
	}
	var unit time.Duration
	singular := false
	switch m[2] {
	case "minute", "minutes":
		unit, singular = time.Minute, m[2] == "minute"
	case "hour", "hours":
		unit, singular = time.Hour, m[2] == "hour"
	case "day", "days":
		unit, singular = 24*time.Hour, m[2] == "day"
	default:
		return nil, fmt.Errorf("schedule %q: rate unit %q must be minute(s), hour(s) or day(s)", expr, m[2])
	}
	if (n == 1) != singular {
		return nil, fmt.Errorf("schedule %q: the unit must be singular for a value of 1 and plural otherwise", expr)
	}
	if n > int(time.Duration(1<<62)/unit) {
		return nil, fmt.Errorf("schedule %q: rate is too long", expr)
	}
	return &schedule{every: time.Duration(n) * unit, text: expr}, nil
}

// parseCron parses an AWS cron expression — six fields, minutes hours day-of-month month
// day-of-week year, exactly one of day-of-month and day-of-week "?", day-of-week 1–7 for
// SUN–SAT — and translates it to the five-field form of robfig/cron (day-of-week 0–6),
// keeping the year as a filter. The AWS extensions L, W and # are not supported.
func parseCron(expr string) (*schedule, error) {
	if !strings.HasSuffix(expr, ")") {
		return nil, fmt.Errorf("schedule %q: missing closing parenthesis", expr)
	}
	fields := strings.Fields(expr[len("cron(") : len(expr)-1])
	if len(fields) != 6 {
		return nil, fmt.Errorf("schedule %q: cron needs 6 fields (minutes hours day-of-month month day-of-week year), got %d", expr, len(fields))
	}
	min, hour, dom, month, dow, year := fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]
	if (dom == "?") == (dow == "?") {
		return nil, fmt.Errorf("schedule %q: exactly one of day-of-month and day-of-week must be ?", expr)
	}
	unsupported := fmt.Errorf("schedule %q: the L, W and # forms are not supported by the simulator", expr)
	for i, f := range fields {
		if strings.Contains(f, "#") {
			return nil, unsupported
		}
		if (i == 0 || i == 1 || i == 3 || i == 5) && strings.Contains(f, "?") {
			return nil, fmt.Errorf("schedule %q: ? is allowed only in day-of-month and day-of-week", expr)
		}
	}
	// no day name contains an L, and day-of-month has no names at all
	if strings.ContainsAny(strings.ToUpper(dom), "LW") || strings.ContainsAny(strings.ToUpper(dow), "L") {
		return nil, unsupported
	}
	if dow != "?" {
		var err error
		if dow, err = translateDow(dow); err != nil {
			return nil, fmt.Errorf("schedule %q: day-of-week: %v", expr, err)
		}
	}
	years, err := parseYears(year)
	if err != nil {
		return nil, fmt.Errorf("schedule %q: year: %v", expr, err)
	}
	spec := "CRON_TZ=UTC " + strings.Join([]string{min, hour, dom, month, dow}, " ")
	parser := cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)
	s, err := parser.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("schedule %q: %v", expr, err)
	}
	return &schedule{cron: s, years: years, text: expr}, nil
}

// translateDow rewrites AWS day-of-week numbers (1 = SUN … 7 = SAT) to robfig's (0 = SUN
// … 6 = SAT) in every list element, range bound and step start; names pass unchanged.
func translateDow(f string) (string, error) {
	parts := strings.Split(f, ",")
	for i, p := range parts {
		rng, step, hasStep := strings.Cut(p, "/")
		if hasStep {
			if n, err := strconv.Atoi(step); err != nil || n < 1 {
				return "", fmt.Errorf("step %q must be a positive integer", step)
			}
		}
		if rng != "*" {
			lo, hi, isRange := strings.Cut(rng, "-")
			var err error
			if lo, err = shiftDay(lo); err != nil {
				return "", err
			}
			rng = lo
			if isRange {
				if hi, err = shiftDay(hi); err != nil {
					return "", err
				}
				rng += "-" + hi
			}
		}
		if hasStep {
			rng += "/" + step
		}
		parts[i] = rng
	}
	return strings.Join(parts, ","), nil
}

func shiftDay(s string) (string, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return s, nil // a name (SUN … SAT), checked by the parser
	}
	if n < 1 || n > 7 {
		return "", fmt.Errorf("%d is out of range 1..7 (1 = SUN)", n)
	}
	return strconv.Itoa(n - 1), nil
}

// parseYears parses the year field: "*", a year, a range, or a list of those, within
// 1970–2199.
func parseYears(f string) ([]yearRange, error) {
	if f == "*" {
		return nil, nil
	}
	var out []yearRange
	for _, p := range strings.Split(f, ",") {
		lo, hi, isRange := strings.Cut(p, "-")
		a, err1 := strconv.Atoi(lo)
		b := a
		var err2 error
		if isRange {
			b, err2 = strconv.Atoi(hi)
		}
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%q must be *, a year, a range or a list (steps are not supported)", f)
		}
		if a < 1970 || b > 2199 || a > b {
			return nil, fmt.Errorf("%q is out of range 1970..2199", p)
		}
		out = append(out, yearRange{a, b})
	}
	return out, nil
}

func (s *schedule) yearOK(y int) bool {
	if s.years == nil {
		return true
	}
	for _, r := range s.years {
		if y >= r.lo && y <= r.hi {
			return true
		}
	}
	return false
}

// nextYear is the first allowed year after y, or 0.
func (s *schedule) nextYear(y int) int {
	best := 0
	for _, r := range s.years {
		c := r.lo
		if c <= y {
			c = y + 1
		}
		if c <= r.hi && (best == 0 || c < best) {
			best = c
		}
	}
	return best
}

// first is the simulated time of the first firing (ok false: never).
func (s *schedule) first(start time.Time) (time.Duration, bool) {
	if s.every > 0 {
		return s.every, true
	}
	return s.nextCron(start, start.Add(-time.Nanosecond))
}

// next is the simulated time of the firing after the one at simulated time prev.
func (s *schedule) next(start time.Time, prev time.Duration) (time.Duration, bool) {
	if s.every > 0 {
		return prev + s.every, true
	}
	return s.nextCron(start, start.Add(prev))
}

// nextCron finds the first matching wall time strictly after after (in an allowed year)
// and converts it to simulated time.
func (s *schedule) nextCron(start, after time.Time) (time.Duration, bool) {
	t := after
	for range 300 { // years are ≤ 2199: a bounded search
		t = s.cron.Next(t)
		if t.IsZero() {
			return 0, false
		}
		if s.yearOK(t.Year()) {
			d := t.Sub(start)
			return d, d >= 0
		}
		y := s.nextYear(t.Year())
		if y == 0 {
			return 0, false
		}
		t = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond)
	}
	return 0, false
}
