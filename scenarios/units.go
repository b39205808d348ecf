package scenarios

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// The unit types below are how a scenario writes quantities: `30s`, `200/s`, `2KB`,
// `0.1%`, `512MB`. Each decodes from YAML with a message that says what was wanted, and
// String renders a form that parses back to the same value (round trip), used when the
// resolved scenario is written out.

// unitSpec describes a unit type for messages and the JSON Schema.
type unitSpec struct {
	want    string // "a duration like 30s"
	units   string // "ns, us, ms, s, m, h, d"
	pattern string // regular expression of the accepted strings
}

var (
	durationSpec = unitSpec{"a duration like 30s", "ns, us, ms, s, m, h, d",
		`^(0|([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h|d))+$`}
	rateSpec = unitSpec{"a rate like 200/s", "/s, /min, /h, /d",
		`^([0-9]+(\.[0-9]*)?|\.[0-9]+)/(s|min|h|d)$`}
	sizeSpec = unitSpec{"a size like 2KB", "B, KB, MB, GB, KiB, MiB, GiB (KB = 1024 bytes)",
		`^(0|([0-9]+(\.[0-9]*)?|\.[0-9]+) ?(B|KB|MB|GB|KiB|MiB|GiB))$`}
	percentSpec = unitSpec{"a percentage like 0.1% or a fraction in 0..1", "%",
		`^([0-9]+(\.[0-9]*)?|\.[0-9]+)%$`}
	memorySpec = unitSpec{"a memory size like 512MB", "MB, GB (binary, as Lambda: 1GB = 1024MB); a bare number is MB",
		`^([0-9]+(\.[0-9]*)?|\.[0-9]+) ?(MB|GB|MiB|GiB)$`}
)

// decodeUnit decodes a scalar through parse (which receives the text of strings and bare
// numbers alike) and reports "want WHAT, got X: DETAIL" on failure.
func decodeUnit[T any](d *Decoder, n *yaml.Node, path string, spec unitSpec, parse func(string, bool) (T, error), out *T) {
	if n.Kind != yaml.ScalarNode {
		d.Want(n, path, spec.want)
		return
	}
	tag := n.ShortTag()
	v, err := parse(n.Value, tag == "!!int" || tag == "!!float")
	if err != nil {
		d.Errorf(n, path, "want %s, got %s: %v", spec.want, Describe(n), err)
		return
	}
	*out = v
}

// wrapParse adapts a parse function for use outside YAML (command-line flags).
func wrapParse[T any](s string, spec unitSpec, parse func(string, bool) (T, error)) (T, error) {
	v, err := parse(s, false)
	if err != nil {
		return v, fmt.Errorf("want %s, got %q: %v", spec.want, s, err)
	}
	return v, nil
}

// splitNumber splits a leading unsigned decimal (digits with at most one point) from s.
func splitNumber(s string) (num, rest string) {
	i, dot, digits := 0, false, 0
	for ; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			digits++
			continue
		}
		if c == '.' && !dot {
			dot = true
			continue
		}
		break
	}
	if digits == 0 {
		return "", s
	}
	return s[:i], s[i:]
}

// exactScale returns num × mult rounded to the nearest integer, computed exactly, and
// whether it fits in an int64.
func exactScale(num string, mult int64) (int64, bool) {
	if !strings.Contains(num, ".") { // fast path for whole numbers
		i, err := strconv.ParseInt(num, 10, 64)
		if err != nil || i > math.MaxInt64/mult {
			return 0, false
		}
		return i * mult, true
	}
	r, ok := new(big.Rat).SetString(num)
	if !ok {
		return 0, false
	}
	r.Mul(r, new(big.Rat).SetInt64(mult))
	// Round half up: floor(r + 1/2).
	r.Add(r, big.NewRat(1, 2))
	q := new(big.Int).Quo(r.Num(), r.Denom())
	if !q.IsInt64() {
		return 0, false
	}
	return q.Int64(), true
}

var (
	errNeedsUnit = errors.New("a number needs a unit")
	errNegative  = errors.New("must not be negative")
	errTooLarge  = errors.New("too large")
)

// ---- Duration ----

// Duration is a length of simulated time: `150ms`, `30s`, `5m`, `1h`, `1d`, `1h30m`,
// `1.5s`, or a plain 0. Units: ns, us (or µs), ms, s, m, h, d (24h). Negative durations
// are errors: no setting in a scenario is a negative time.
type Duration time.Duration

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// Seconds returns d in seconds.
func (d Duration) Seconds() float64 { return time.Duration(d).Seconds() }

// String renders d with days, hours and minutes as whole units and the remainder as
// Go renders it (1d2h30m, 1h30m1.5s, 150ms, 0s); ParseDuration reads it back exactly.
func (d Duration) String() string {
	if d <= 0 {
		return time.Duration(d).String()
	}
	var b strings.Builder
	rest := time.Duration(d)
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}} {
		if rest >= u.unit {
			fmt.Fprintf(&b, "%d%s", rest/u.unit, u.name)
			rest %= u.unit
		}
	}
	if rest > 0 {
		b.WriteString(rest.String())
	}
	return b.String()
}

var durationUnits = map[string]int64{
	"ns": 1, "us": 1e3, "µs": 1e3, "μs": 1e3, "ms": 1e6, "s": 1e9,
	"m": 60e9, "h": 3600e9, "d": 86400e9,
}

// ParseDuration parses the scenario form of a duration (see Duration).
func ParseDuration(s string) (Duration, error) { return wrapParse(s, durationSpec, parseDuration) }

func parseDuration(s string, bare bool) (Duration, error) {
	if s == "0" {
		return 0, nil
	}
	if strings.HasPrefix(s, "-") {
		return 0, errNegative
	}
	if bare {
		return 0, fmt.Errorf("%w (%s)", errNeedsUnit, durationSpec.units)
	}
	if s == "" {
		return 0, fmt.Errorf("units: %s", durationSpec.units)
	}
	var total int64
	rest := s
	for rest != "" {
		num, r := splitNumber(rest)
		if num == "" {
			return 0, fmt.Errorf("units: %s", durationSpec.units)
		}
		i := 0
		for i < len(r) && !(r[i] >= '0' && r[i] <= '9') && r[i] != '.' {
			i++
		}
		unit := r[:i]
		mult, ok := durationUnits[unit]
		if !ok {
			if unit == "" {
				return 0, fmt.Errorf("%w (%s)", errNeedsUnit, durationSpec.units)
			}
			return 0, fmt.Errorf("unknown unit %q (units: %s)", unit, durationSpec.units)
		}
		v, ok := exactScale(num, mult)
		if !ok || total > math.MaxInt64-v {
			return 0, errTooLarge
		}
		total += v
		rest = r[i:]
	}
	return Duration(total), nil
}

// DecodeYAML decodes a duration.
func (x *Duration) DecodeYAML(d *Decoder, n *yaml.Node, path string) {
	decodeUnit(d, n, path, durationSpec, parseDuration, x)
}

// ---- Rate ----

// Rate is events per second: `200/s`, `12000/min`, `5/h`, `1/d`. A bare number is an
// error, since "200" could mean per second or per minute.
type Rate float64

// PerSecond returns the rate in events per second.
func (r Rate) PerSecond() float64 { return float64(r) }

var rateUnits = []struct {
	name    string
	seconds float64
}{{"s", 1}, {"min", 60}, {"h", 3600}, {"d", 86400}}

// String renders the shortest of n/s, n/min, n/h, n/d that parses back to exactly r.
func (r Rate) String() string {
	best := strconv.FormatFloat(float64(r), 'f', -1, 64) + "/s"
	for _, u := range rateUnits[1:] {
		s := strconv.FormatFloat(float64(r)*u.seconds, 'f', -1, 64) + "/" + u.name
		if len(s) < len(best) {
			if back, err := parseRate(s, false); err == nil && back == r {
				best = s
			}
		}
	}
	return best
}

// ParseRate parses the scenario form of a rate (see Rate).
func ParseRate(s string) (Rate, error) { return wrapParse(s, rateSpec, parseRate) }

func parseRate(s string, bare bool) (Rate, error) {
	if strings.HasPrefix(s, "-") {
		return 0, errNegative
	}
	num, rest := splitNumber(s)
	if num == "" {
		return 0, fmt.Errorf("units: %s", rateSpec.units)
	}
	if bare || rest == "" {
		return 0, fmt.Errorf("%w (%s)", errNeedsUnit, rateSpec.units)
	}
	unit, ok := strings.CutPrefix(rest, "/")
	for _, u := range rateUnits {
		if ok && unit == u.name {
			v, err := strconv.ParseFloat(num, 64)
			if err != nil || math.IsInf(v, 0) {
				return 0, errTooLarge
			}
			return Rate(v / u.seconds), nil
		}
	}
	return 0, fmt.Errorf("unknown unit %q (units: %s)", rest, rateSpec.units)
}

// DecodeYAML decodes a rate.
func (x *Rate) DecodeYAML(d *Decoder, n *yaml.Node, path string) {
	decodeUnit(d, n, path, rateSpec, parseRate, x)
}

// ---- Size ----

// Size is a number of bytes: `512B`, `2KB`, `1.5MB`, `256KiB`. Following AWS quotas
// (SQS's 256 KB message limit is 262,144 bytes; Lambda's 6 MB payload is 6,291,456),
// KB, MB and GB are binary: KB = KiB = 1024 bytes. A bare 0 is allowed; other bare
// numbers are errors that ask for a unit. The value must be a whole number of bytes.
type Size int64

// Bytes returns the size in bytes.
func (s Size) Bytes() int64 { return int64(s) }

var sizeUnits = map[string]int64{
	"B": 1, "KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30,
	"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30,
}

// String renders the size in the largest of GB, MB, KB that divides it, else in B.
func (s Size) String() string {
	for _, u := range []string{"GB", "MB", "KB"} {
		if m := sizeUnits[u]; s != 0 && s%Size(m) == 0 {
			return strconv.FormatInt(int64(s)/m, 10) + u
		}
	}
	return strconv.FormatInt(int64(s), 10) + "B"
}

// ParseSize parses the scenario form of a size (see Size).
func ParseSize(s string) (Size, error) { return wrapParse(s, sizeSpec, parseSize) }

func parseSize(s string, bare bool) (Size, error) {
	if s == "0" {
		return 0, nil
	}
	if strings.HasPrefix(s, "-") {
		return 0, errNegative
	}
	num, rest := splitNumber(s)
	if num == "" {
		return 0, fmt.Errorf("units: %s", sizeSpec.units)
	}
	if bare || rest == "" {
		return 0, fmt.Errorf("%w (%s)", errNeedsUnit, sizeSpec.units)
	}
	unit := strings.TrimPrefix(rest, " ")
	mult, ok := sizeUnits[unit]
	if !ok {
		return 0, fmt.Errorf("unknown unit %q (units: %s)", unit, sizeSpec.units)
	}
	r, _ := new(big.Rat).SetString(num)
	r.Mul(r, new(big.Rat).SetInt64(mult))
	if !r.IsInt() {
		return 0, errors.New("not a whole number of bytes")
	}
	if !r.Num().IsInt64() {
		return 0, errTooLarge
	}
	return Size(r.Num().Int64()), nil
}

// DecodeYAML decodes a size.
func (x *Size) DecodeYAML(d *Decoder, n *yaml.Node, path string) {
	decodeUnit(d, n, path, sizeSpec, parseSize, x)
}

// ---- Percent ----

// Percent is a fraction in [0, 1], written as a percentage (`0.1%` is 0.001) or as a bare
// fraction (`0.001`). A bare number above 1 is an error (did you mean N%?), so that
// `poison: 5` is not silently read as 500%.
type Percent float64

// Fraction returns the value as a fraction in [0, 1].
func (p Percent) Fraction() float64 { return float64(p) }

// String renders the value as a percentage if that parses back exactly, else as a
// fraction.
func (p Percent) String() string {
	s := strconv.FormatFloat(float64(p)*100, 'f', -1, 64) + "%"
	if back, err := parsePercent(s, false); err == nil && back == p {
		return s
	}
	return strconv.FormatFloat(float64(p), 'f', -1, 64)
}

// ParsePercent parses the scenario form of a percentage (see Percent); a string without
// % is read as a fraction.
func ParsePercent(s string) (Percent, error) {
	return wrapParse(s, percentSpec, func(s string, _ bool) (Percent, error) {
		return parsePercent(s, !strings.HasSuffix(s, "%"))
	})
}

func parsePercent(s string, bare bool) (Percent, error) {
	if strings.HasPrefix(s, "-") {
		return 0, errNegative
	}
	num, rest := splitNumber(s)
	if bare {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, errors.New("not a number")
		}
		if v > 1 {
			return 0, fmt.Errorf("a bare fraction must be in 0..1 (did you mean %s%%?)", s)
		}
		return Percent(v), nil
	}
	if num == "" || rest != "%" {
		return 0, errors.New("write a percentage with %, or a bare fraction")
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, errors.New("not a number")
	}
	if v > 100 {
		return 0, errors.New("more than 100%")
	}
	return Percent(v / 100), nil
}

// DecodeYAML decodes a percentage or fraction.
func (x *Percent) DecodeYAML(d *Decoder, n *yaml.Node, path string) {
	decodeUnit(d, n, path, percentSpec, parsePercent, x)
}

// ---- Memory ----

// Memory is a Lambda function's memory in MB as Lambda counts them (binary: 1GB =
// 1024MB): `512MB`, `1GB`, `1.5GB`, or a bare 512 meaning MB, the way the Lambda console
// and API (MemorySize) write it.
type Memory int

// MB returns the memory in megabytes.
func (m Memory) MB() int { return int(m) }

// String renders the memory as NMB.
func (m Memory) String() string { return strconv.Itoa(int(m)) + "MB" }

// ParseMemory parses the scenario form of a memory size (see Memory).
func ParseMemory(s string) (Memory, error) { return wrapParse(s, memorySpec, parseMemory) }

func parseMemory(s string, _ bool) (Memory, error) {
	if strings.HasPrefix(s, "-") {
		return 0, errNegative
	}
	num, rest := splitNumber(s)
	if num == "" {
		return 0, fmt.Errorf("units: %s", memorySpec.units)
	}
	var mult int64
	switch strings.TrimPrefix(rest, " ") {
	case "", "MB", "MiB":
		mult = 1
	case "GB", "GiB":
		mult = 1024
	default:
		return 0, fmt.Errorf("unknown unit %q (units: %s)", rest, memorySpec.units)
	}
	r, _ := new(big.Rat).SetString(num)
	r.Mul(r, new(big.Rat).SetInt64(mult))
	if !r.IsInt() {
		return 0, errors.New("not a whole number of MB")
	}
	if !r.Num().IsInt64() || r.Num().Int64() > math.MaxInt32 {
		return 0, errTooLarge
	}
	return Memory(r.Num().Int64()), nil
}

// DecodeYAML decodes a memory size.
func (x *Memory) DecodeYAML(d *Decoder, n *yaml.Node, path string) {
	decodeUnit(d, n, path, memorySpec, parseMemory, x)
}
