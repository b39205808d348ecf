package peerbench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

// InstallHint is the peers README's install line for SimPy and numpy (Debian).
const InstallHint = "apt-get update && apt-get install -y python3-simpy3 python3-numpy"

// SimPyAvailable reports whether python can import simpy and numpy.
func SimPyAvailable(python string) bool {
	return exec.Command(python, "-c", "import simpy, numpy").Run() == nil
}

// simpyJSON is the part of a peer program's JSON line that the comparison reads.
type simpyJSON struct {
	Customers    int64    `json:"customers"`
	Measured     int64    `json:"measured"`
	MeanSojourn  *float64 `json:"mean_sojourn"`
	P99Sojourn   *float64 `json:"p99_sojourn"`
	DLQFraction  float64  `json:"dlq_fraction"`
	MeanReceives float64  `json:"mean_receives"`
	Events       uint64   `json:"events"`
	Wall         float64  `json:"wall_s"`
}

// RunSimPy runs model m's SimPy program from dir with python, customers arrivals and seed.
func (m Model) RunSimPy(python, dir string, customers int64, seed int64) (Result, error) {
	args := append([]string{filepath.Join(dir, m.Script)}, m.Args...)
	args = append(args, "--customers", strconv.FormatInt(customers, 10), "--seed", strconv.FormatInt(seed, 10))
	cmd := exec.Command(python, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start).Seconds()
	if err != nil {
		return Result{}, fmt.Errorf("%s %s: %v: %s", python, m.Script, err, bytes.TrimSpace(errb.Bytes()))
	}
	var j simpyJSON
	if err := json.Unmarshal(out.Bytes(), &j); err != nil {
		return Result{}, fmt.Errorf("%s: reading its JSON line: %v", m.Script, err)
	}
	r := Result{Customers: j.Customers, Measured: j.Measured, DLQFraction: j.DLQFraction,
		Receives: j.MeanReceives, Events: j.Events, Seconds: j.Wall}
	if st := cmd.ProcessState; st != nil && wall > 0 {
		cpu := (st.UserTime() + st.SystemTime()).Seconds()
		r.CPUSeconds = j.Wall * min(1, cpu/wall)
	}
	if j.MeanSojourn != nil {
		r.MeanSojourn = *j.MeanSojourn
	}
	if j.P99Sojourn != nil {
		r.P99Sojourn = *j.P99Sojourn
	}
	return r, nil
}
