package scenarios

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"msgsim/sim"
)

// Distributions in a scenario are written as a mapping naming the kind and its parameters,
// or as a bare value meaning a constant:
//
//	latency: 20ms                                        # constant
//	latency: {dist: exponential, mean: 5ms}              # or rate: 200/s
//	latency: {dist: lognormal, mean: 40ms, stddev: 20ms} # or p50: 4ms, p99: 20ms
//	latency: {dist: uniform, min: 1ms, max: 3ms}
//	latency: {dist: empirical, percentiles: {0: 1ms, 50: 10ms, 90: 30ms, 100: 200ms}}
//	latency: {dist: mixture, of: [{weight: 0.99, dist: exponential, mean: 5ms},
//	                              {weight: 0.01, dist: {dist: lognormal, mean: 2s, stddev: 1s}}]}
//
// Parameter names are those of sim.DistSpec: constant{value}, exponential{mean | rate},
// uniform{min, max}, normal{mean, stddev}, lognormal{mean, stddev | p50, p99},
// gamma{shape, scale | mean, stddev}, weibull{shape, scale}, pareto{alpha, xm}.
//
// An empirical table maps percentiles (numbers from 0 to 100; `min` and `max` stand for 0
// and 100, and a leading `p` is allowed: p99) to values, in increasing order of
// percentile, from 0 to 100: values are interpolated linearly between rows.
//
// A mixture lists components under `of`, each with a `weight` (a positive number or a
// percentage; weights are normalised to sum to 1) and either the component's own keys
// inline (`dist: exponential, mean: 5ms`) or a nested distribution under `dist` (`dist:
// 2s` or `dist: {dist: ...}`).
//
// In a DurationDist every parameter is a duration except shape and alpha (plain numbers)
// and rate (a Rate like 200/s); values are converted to seconds. In a NumberDist every
// parameter is a plain number. The spec is validated with sim.NewDist and its complaint
// is reported at the distribution's position.

// distParams lists the parameter keys each kind accepts, for unknown-field messages.
var distParams = map[string][]string{
	"constant":    {"value"},
	"exponential": {"mean", "rate"},
	"uniform":     {"min", "max"},
	"normal":      {"mean", "stddev"},
	"lognormal":   {"mean", "stddev", "p50", "p99"},
	"gamma":       {"shape", "scale", "mean", "stddev"},
	"weibull":     {"shape", "scale"},
	"pareto":      {"alpha", "xm"},
	"empirical":   {"percentiles"},
	"mixture":     {"of"},
}

// distKinds is the order in which kinds are listed in messages and the schema.
var distKinds = []string{"constant", "exponential", "uniform", "normal", "lognormal",
	"gamma", "weibull", "pareto", "empirical", "mixture"}

// DurationDist is a distribution of durations (latencies, service times), in seconds
// inside Spec and Dist.
type DurationDist struct {
	Spec sim.DistSpec
	Dist sim.Dist
	Loc  Loc
}

// DecodeYAML decodes a duration distribution.
func (x *DurationDist) DecodeYAML(d *Decoder, n *yaml.Node, path string) {
	if spec, dist, ok := decodeDist(d, n, path, true, 0); ok {
		*x = DurationDist{Spec: spec, Dist: dist, Loc: d.Loc(n, path)}
	}
}

// Sample draws a duration (negative draws, impossible for validated specs, become 0).
func (x DurationDist) Sample(r *rand.Rand) time.Duration { return sim.SampleDuration(x.Dist, r) }

// String describes the distribution ("" if unset).
func (x DurationDist) String() string {
	if x.Dist == nil {
		return ""
	}
	return x.Dist.String()
}

// NumberDist is a distribution of unitless values (an order amount, a batch size).
type NumberDist struct {
	Spec sim.DistSpec
	Dist sim.Dist
	Loc  Loc
}

// DecodeYAML decodes a number distribution.
func (x *NumberDist) DecodeYAML(d *Decoder, n *yaml.Node, path string) {
	if spec, dist, ok := decodeDist(d, n, path, false, 0); ok {
		*x = NumberDist{Spec: spec, Dist: dist, Loc: d.Loc(n, path)}
	}
}

// String describes the distribution ("" if unset).
func (x NumberDist) String() string {
	if x.Dist == nil {
		return ""
	}
	return x.Dist.String()
}

// maxDistDepth bounds mixture nesting while decoding (sim has its own, lower, limit).
const maxDistDepth = 16

// decodeDist decodes the YAML form of a distribution, reports problems, and returns the
// validated spec and distribution.
func decodeDist(d *Decoder, n *yaml.Node, path string, dur bool, depth int) (sim.DistSpec, sim.Dist, bool) {
	before := len(d.errs)
	spec, ok := distSpec(d, n, path, dur, depth)
	if !ok || len(d.errs) != before {
		return sim.DistSpec{}, nil, false
	}
	dist, err := sim.NewDist(spec)
	if err != nil {
		d.Errorf(n, path, "%v", err)
		return sim.DistSpec{}, nil, false
	}
	return spec, dist, true
}

// distSpec builds the spec without the final validation of the whole by sim.NewDist
// (mixture components are validated one by one, at their own positions).
func distSpec(d *Decoder, n *yaml.Node, path string, dur bool, depth int) (sim.DistSpec, bool) {
	n = Resolve(n)
	if IsNull(n) {
		d.Want(n, path, "a distribution")
		return sim.DistSpec{}, false
	}
	if depth > maxDistDepth {
		d.Errorf(n, path, "distributions nested more than %d deep", maxDistDepth)
		return sim.DistSpec{}, false
	}
	if n.Kind == yaml.ScalarNode {
		v, ok := distValue(d, n, path, "value", dur)
		return sim.DistSpec{Kind: "constant", Params: map[string]float64{"value": v}}, ok
	}
	if n.Kind != yaml.MappingNode {
		what := "a distribution like {dist: exponential, mean: 5} or a number"
		if dur {
			what = "a duration or a distribution like {dist: exponential, mean: 5ms}"
		}
		d.Want(n, path, what)
		return sim.DistSpec{}, false
	}
	pairs, _ := d.Pairs(n, path)
	return distFromPairs(d, n, pairs, path, dur, depth, "")
}

// distFromPairs decodes the keys of a distribution mapping; skip is a key that belongs to
// the enclosing value (a mixture component's weight).
func distFromPairs(d *Decoder, n *yaml.Node, pairs []Pair, path string, dur bool, depth int, skip string) (sim.DistSpec, bool) {
	i := slices.IndexFunc(pairs, func(p Pair) bool { return p.Key == "dist" })
	if i < 0 {
		d.Errorf(n, JoinPath(path, "dist"), "required field is missing (one of %s)", strings.Join(distKinds, ", "))
		return sim.DistSpec{}, false
	}
	kn := Resolve(pairs[i].Value)
	if kn == nil || kn.Kind != yaml.ScalarNode {
		d.Want(kn, JoinPath(path, "dist"), "a distribution kind ("+strings.Join(distKinds, ", ")+")")
		return sim.DistSpec{}, false
	}
	kind := kn.Value
	allowed, known := distParams[kind]
	if !known {
		d.Errorf(kn, JoinPath(path, "dist"), "unknown distribution %q%s; known: %s", kind, didYouMean(kind, distKinds), strings.Join(distKinds, ", "))
		return sim.DistSpec{}, false
	}
	spec := sim.DistSpec{Kind: kind, Params: map[string]float64{}}
	ok := true
	for _, p := range pairs {
		ppath := JoinPath(path, p.Key)
		switch {
		case p.Key == "dist" || p.Key == skip:
		case kind == "empirical" && p.Key == "percentiles":
			spec.Percentiles, ok = percentileTable(d, p.Value, ppath, dur)
		case kind == "mixture" && p.Key == "of":
			spec.Components, ok = mixtureComponents(d, p.Value, ppath, dur, depth)
		case slices.Contains(allowed, p.Key):
			if IsNull(p.Value) {
				d.Want(p.Value, ppath, "a value")
				ok = false
				continue
			}
			v, vok := distValue(d, p.Value, ppath, p.Key, dur)
			spec.Params[p.Key] = v
			ok = ok && vok
		default:
			d.Errorf(p.KeyNode, ppath, "unknown field %q for %s%s (want %s)",
				p.Key, kind, didYouMean(p.Key, allowed), strings.Join(allowed, ", "))
			ok = false
		}
	}
	return spec, ok
}

// distValue decodes one parameter: for durations a Duration in seconds (a Rate for
// "rate", a plain number for "shape" and "alpha"), otherwise a plain number.
func distValue(d *Decoder, n *yaml.Node, path, param string, dur bool) (float64, bool) {
	n = Resolve(n)
	if !dur || param == "shape" || param == "alpha" {
		return d.Number(n, path)
	}
	before := len(d.errs)
	if param == "rate" {
		var r Rate
		r.DecodeYAML(d, n, path)
		return r.PerSecond(), len(d.errs) == before
	}
	var x Duration
	x.DecodeYAML(d, n, path)
	return x.Seconds(), len(d.errs) == before
}

// percentileTable decodes {P: value, ...} in document order.
func percentileTable(d *Decoder, n *yaml.Node, path string, dur bool) ([]sim.PercentilePoint, bool) {
	pairs, ok := d.Pairs(n, path)
	if !ok {
		return nil, false
	}
	var out []sim.PercentilePoint
	for _, p := range pairs {
		ppath := JoinPath(path, p.Key)
		pct, err := parsePercentileKey(p.Key)
		if err != nil {
			d.Errorf(p.KeyNode, ppath, "want a percentile from 0 to 100 (or min, max, p99), got %q", p.Key)
			ok = false
			continue
		}
		v, vok := distValue(d, p.Value, ppath, "value", dur)
		ok = ok && vok
		out = append(out, sim.PercentilePoint{P: pct, Value: v})
	}
	return out, ok
}

func parsePercentileKey(k string) (float64, error) {
	switch k {
	case "min":
		return 0, nil
	case "max":
		return 100, nil
	}
	return strconv.ParseFloat(strings.TrimPrefix(k, "p"), 64)
}

// mixtureComponents decodes [{weight: W, ...distribution}, ...].
func mixtureComponents(d *Decoder, n *yaml.Node, path string, dur bool, depth int) ([]sim.MixtureComponent, bool) {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		d.Want(n, path, "a list of components like {weight: 0.9, dist: ...}")
		return nil, false
	}
	ok := true
	out := make([]sim.MixtureComponent, 0, len(n.Content))
	for i, item := range n.Content {
		if d.stopped {
			return nil, false
		}
		ipath := JoinPath(path, strconv.Itoa(i))
		pairs, pok := d.Pairs(item, ipath)
		if !pok {
			ok = false
			continue
		}
		var c sim.MixtureComponent
		wi := slices.IndexFunc(pairs, func(p Pair) bool { return p.Key == "weight" })
		if wi < 0 {
			d.Errorf(item, JoinPath(ipath, "weight"), "required field is missing")
			ok = false
		} else if w, wok := mixtureWeight(d, pairs[wi].Value, JoinPath(ipath, "weight")); wok {
			c.Weight = w
		} else {
			ok = false
		}
		di := slices.IndexFunc(pairs, func(p Pair) bool { return p.Key == "dist" })
		var cok bool
		if di >= 0 && (len(pairs) == 2 || wi < 0 && len(pairs) == 1) && !isKindName(pairs[di].Value) {
			// Nested form: {weight: W, dist: <distribution>}.
			c.Dist, cok = componentSpec(d, pairs[di].Value, JoinPath(ipath, "dist"), dur, depth+1)
		} else {
			// Inline form: {weight: W, dist: KIND, params...}.
			before := len(d.errs)
			c.Dist, cok = distFromPairs(d, Resolve(item), pairs, ipath, dur, depth+1, "weight")
			cok = cok && len(d.errs) == before && validateLeaf(d, item, ipath, c.Dist)
		}
		ok = ok && cok
		out = append(out, c)
	}
	return out, ok
}

// componentSpec decodes a nested component distribution, validating it at its own
// position unless it is itself a mixture (whose leaves were validated one by one, and
// which the enclosing mixture's validation covers), so that validation stays linear in
// the size of the tree.
func componentSpec(d *Decoder, n *yaml.Node, path string, dur bool, depth int) (sim.DistSpec, bool) {
	before := len(d.errs)
	spec, ok := distSpec(d, n, path, dur, depth)
	if !ok || len(d.errs) != before {
		return sim.DistSpec{}, false
	}
	return spec, validateLeaf(d, n, path, spec)
}

// validateLeaf validates a non-mixture spec with sim.NewDist, reporting its complaint at n.
func validateLeaf(d *Decoder, n *yaml.Node, path string, spec sim.DistSpec) bool {
	if spec.Kind == "mixture" {
		return true
	}
	if _, err := sim.NewDist(spec); err != nil {
		d.Errorf(n, path, "%v", err)
		return false
	}
	return true
}

// isKindName reports whether n is a scalar naming a distribution kind.
func isKindName(n *yaml.Node) bool {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		return false
	}
	_, ok := distParams[n.Value]
	return ok
}

// mixtureWeight decodes a weight: a positive number, or a percentage like 99%.
func mixtureWeight(d *Decoder, n *yaml.Node, path string) (float64, bool) {
	r := Resolve(n)
	if r != nil && r.Kind == yaml.ScalarNode && strings.HasSuffix(r.Value, "%") {
		var p Percent
		before := len(d.errs)
		p.DecodeYAML(d, r, path)
		return p.Fraction(), len(d.errs) == before
	}
	w, ok := d.Number(n, path)
	if ok && w <= 0 {
		d.Errorf(r, path, "weight must be > 0, got %s", r.Value)
		return 0, false
	}
	return w, ok
}
