package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"msgsim/results"
)

// bisect finds the largest x in [lo, hi] for which pass(x) holds, to within tol,
// assuming pass holds up to some value and fails beyond it (latency thresholds against a
// growing load). It probes lo, then hi, then midpoints, always in the same order, so the
// search is as deterministic as pass. found is false when pass(lo) fails; when pass(hi)
// holds, best is hi.
func bisect(lo, hi, tol float64, pass func(x float64) (bool, error)) (best float64, found bool, err error) {
	if !(hi >= lo) || !(tol > 0) {
		return 0, false, fmt.Errorf("find-max: want min ≤ max and a positive tolerance")
	}
	ok, err := pass(lo)
	if err != nil || !ok {
		return lo, false, err
	}
	if hi == lo {
		return lo, true, nil
	}
	ok, err = pass(hi)
	if err != nil || ok {
		return hi, ok, err
	}
	for hi-lo > tol {
		mid := lo + (hi-lo)/2
		ok, err := pass(mid)
		if err != nil {
			return lo, true, err
		}
		if ok {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo, true, nil
}

// runFindMax bisects o.findMax between o.min and o.max, running the scenario's
// replications at each probe, and prints each probe and the answer; probes.csv goes
// into out/<scenario>-findmax. It exits 1 when even --min fails the thresholds.
func runFindMax(stdout io.Writer, arg string, o sweepOptions) error {
	usage := func(err error) error { return &exitError{code: exitUsage, err: err} }
	if len(o.params) > 0 || o.shard != "" {
		return usage(errors.New("--find-max cannot be combined with --param or --shard"))
	}
	lo, unit, ok1 := results.ParseQuantity(o.min)
	hi, unitHi, ok2 := results.ParseQuantity(o.max)
	if !ok1 || !ok2 {
		return usage(fmt.Errorf("--find-max needs --min and --max as numbers (with the field's unit, e.g. 10/s)"))
	}
	if unitHi != unit {
		return usage(fmt.Errorf("--min %q and --max %q have different units", o.min, o.max))
	}
	tol := o.tolerance
	if tol == 0 {
		tol = (hi - lo) / 100
	}
	check, err := loadScenario(arg, o.variant, append(append([]string(nil), o.sets...), o.findMax+"="+o.min))
	if err != nil {
		return usage(err)
	}
	if len(check.thresholds) == 0 {
		return usage(fmt.Errorf("%s has no thresholds: --find-max searches for the largest value that meets them", check.file.Name))
	}
	var csvBuf bytes.Buffer
	cw := csv.NewWriter(&csvBuf)
	header := []string{"probe", o.findMax, "thresholds_passed"}
	for _, t := range check.thresholds {
		header = append(header, t.Expr)
	}
	_ = cw.Write(header)
	n := 0
	pass := func(x float64) (bool, error) {
		n++
		v := formatQuantity(x, unit)
		l, err := loadScenario(arg, o.variant, append(append([]string(nil), o.sets...), o.findMax+"="+v))
		if err != nil {
			return false, err
		}
		jobs := make([]job, l.file.Replications)
		for r := range jobs {
			jobs[r] = job{l: l, rep: r}
		}
		runs, err := runJobs(jobs, o.workers, newProgress(o.stderr, len(jobs), "probe "+strconv.Itoa(n)))
		if err != nil {
			return false, err
		}
		s := results.Aggregate(runs)
		ok := !results.Failed(s.Thresholds)
		mark := "✓"
		if !ok {
			mark = "✗"
		}
		fmt.Fprintf(stdout, "probe %2d: %s = %-12s %s", n, o.findMax, v, mark)
		rec := []string{strconv.Itoa(n), v, strconv.FormatBool(ok)}
		for _, r := range s.Thresholds {
			fmt.Fprintf(stdout, "  %s", r.Detail)
			rec = append(rec, strconv.FormatFloat(r.Observed, 'g', -1, 64))
		}
		fmt.Fprintln(stdout)
		_ = cw.Write(rec)
		return ok, nil
	}
	best, found, err := bisect(lo, hi, tol, pass)
	if err != nil {
		return usage(err)
	}
	cw.Flush()
	dir := o.out
	if dir == "" {
		dir = filepath.Join("out", check.file.Name+"-findmax")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "probes.csv"), csvBuf.Bytes(), 0o644); err != nil {
		return err
	}
	switch {
	case !found:
		fmt.Fprintf(stdout, "\nno value meets all thresholds: %s = %s already fails (probes in %s)\n", o.findMax, o.min, dir)
		return &exitError{code: exitThreshold, err: fmt.Errorf("thresholds fail at --min")}
	case best == hi:
		fmt.Fprintf(stdout, "\nall thresholds hold up to --max: %s = %s (probes in %s)\n", o.findMax, formatQuantity(best, unit), dir)
	default:
		fmt.Fprintf(stdout, "\nlargest %s meeting all thresholds: %s (within %s; probes in %s)\n",
			o.findMax, formatQuantity(best, unit), formatQuantity(tol, unit), dir)
	}
	return nil
}
