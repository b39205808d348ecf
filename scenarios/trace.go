package scenarios

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"msgsim/sim"
)

// readTrace reads the arrival times of a trace file: one arrival per line, the first
// comma-separated column being seconds since the start (1.25) or a duration (1250ms).
// Blank lines, lines starting with # and a non-numeric header line are skipped. A relative
// path is resolved against the scenario file's directory. Times must not decrease.
func readTrace(file, scenarioPath string) ([]time.Duration, error) {
	path := file
	if !filepath.IsAbs(path) && scenarioPath != "" {
		path = filepath.Join(filepath.Dir(scenarioPath), file)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("trace file: %v", err)
	}
	return parseTrace(data, file)
}

func parseTrace(data []byte, name string) ([]time.Duration, error) {
	var times []time.Duration
	sc := bufio.NewScanner(bytes.NewReader(data))
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		field := strings.TrimSpace(strings.SplitN(text, ",", 2)[0])
		var t time.Duration
		if secs, err := strconv.ParseFloat(field, 64); err == nil {
			t = time.Duration(secs * 1e9)
		} else if d, err := ParseDuration(field); err == nil {
			t = d.D()
		} else if len(times) == 0 && line == 1 {
			continue // a header
		} else {
			return nil, fmt.Errorf("trace %s:%d: %q is not a time (seconds or a duration like 150ms)", name, line, field)
		}
		if t < 0 {
			return nil, fmt.Errorf("trace %s:%d: negative time %v", name, line, t)
		}
		if n := len(times); n > 0 && t < times[n-1] {
			return nil, fmt.Errorf("trace %s:%d: time %v is before the previous one (%v); sort the trace", name, line, t, times[n-1])
		}
		times = append(times, t)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("trace %s: %v", name, err)
	}
	if len(times) == 0 {
		return nil, fmt.Errorf("trace %s: no arrival times", name)
	}
	return slices.Clip(times), nil
}

// constSize is a constant message-size distribution in bytes.
func constSize(s Size) sim.Dist { return sim.Constant(float64(s.Bytes())) }
