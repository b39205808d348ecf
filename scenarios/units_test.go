package scenarios

import (
	"regexp"
	"testing"
	"time"
)

// decodeScalar decodes YAML text into a fresh T with its DecodeYAML and returns the
// value and the rendered errors.
func decodeScalar[T any, P interface {
	*T
	NodeDecoder
}](text string) (T, string) {
	var v T
	d := NewDecoder("u.yaml", nil)
	d.Decode(parseYAMLText(text), "v", P(&v))
	return v, FormatErrors(d.Errors())
}

func TestDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		str     string // String(); the round trip must parse back to want
		wantErr string
	}{
		{in: "0", want: 0, str: "0s"},
		{in: "0s", want: 0, str: "0s"},
		{in: "150ms", want: 150 * time.Millisecond, str: "150ms"},
		{in: "30s", want: 30 * time.Second, str: "30s"},
		{in: "5m", want: 5 * time.Minute, str: "5m"},
		{in: "1h", want: time.Hour, str: "1h"},
		{in: "1d", want: 24 * time.Hour, str: "1d"},
		{in: "1h30m", want: 90 * time.Minute, str: "1h30m"},
		{in: "90m", want: 90 * time.Minute, str: "1h30m"},
		{in: "1.5s", want: 1500 * time.Millisecond, str: "1.5s"},
		{in: "1d2h3m4.5s", want: 26*time.Hour + 3*time.Minute + 4500*time.Millisecond, str: "1d2h3m4.5s"},
		{in: "250us", want: 250 * time.Microsecond, str: "250µs"},
		{in: "250µs", want: 250 * time.Microsecond, str: "250µs"},
		{in: "1.000000001s", want: time.Second + 1, str: "1.000000001s"},
		{in: "7ns", want: 7, str: "7ns"},
		{in: ".5s", want: 500 * time.Millisecond, str: "500ms"},
		{in: "30", wantErr: `u.yaml:1:1: v: want a duration like 30s, got 30: a number needs a unit (ns, us, ms, s, m, h, d)`},
		{in: "1.5", wantErr: `u.yaml:1:1: v: want a duration like 30s, got 1.5: a number needs a unit (ns, us, ms, s, m, h, d)`},
		{in: "-5s", wantErr: `u.yaml:1:1: v: want a duration like 30s, got "-5s": must not be negative`},
		{in: "5 s", wantErr: `u.yaml:1:1: v: want a duration like 30s, got "5 s": unknown unit " s" (units: ns, us, ms, s, m, h, d)`},
		{in: "5sec", wantErr: `u.yaml:1:1: v: want a duration like 30s, got "5sec": unknown unit "sec" (units: ns, us, ms, s, m, h, d)`},
		{in: "s", wantErr: `u.yaml:1:1: v: want a duration like 30s, got "s": units: ns, us, ms, s, m, h, d`},
		{in: "1s5", wantErr: `u.yaml:1:1: v: want a duration like 30s, got "1s5": a number needs a unit (ns, us, ms, s, m, h, d)`},
		{in: "999999999d", wantErr: `u.yaml:1:1: v: want a duration like 30s, got "999999999d": too large`},
		{in: "[1s]", wantErr: `u.yaml:1:1: v: want a duration like 30s, got list`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, errs := decodeScalar[Duration](tt.in)
			if errs != tt.wantErr {
				t.Fatalf("errors:\n got %s\nwant %s", errs, tt.wantErr)
			}
			if tt.wantErr != "" {
				return
			}
			if got.D() != tt.want || got.String() != tt.str {
				t.Errorf("got %v (%q), want %v (%q)", got.D(), got.String(), tt.want, tt.str)
			}
			if back, err := ParseDuration(got.String()); err != nil || back != got {
				t.Errorf("round trip of %q: %v, %v", got.String(), back, err)
			}
		})
	}
}

func TestRate(t *testing.T) {
	tests := []struct {
		in      string
		perSec  float64
		str     string
		wantErr string
	}{
		{in: "200/s", perSec: 200, str: "200/s"},
		{in: "12000/min", perSec: 200, str: "200/s"},
		{in: "90/min", perSec: 1.5, str: "1.5/s"},
		{in: "5/h", perSec: 5.0 / 3600, str: "5/h"},
		{in: "1/d", perSec: 1.0 / 86400, str: "1/d"},
		{in: "0/s", perSec: 0, str: "0/s"},
		{in: "0.5/s", perSec: 0.5, str: "0.5/s"},
		{in: "200", wantErr: `u.yaml:1:1: v: want a rate like 200/s, got 200: a number needs a unit (/s, /min, /h, /d)`},
		{in: "200/ms", wantErr: `u.yaml:1:1: v: want a rate like 200/s, got "200/ms": unknown unit "/ms" (units: /s, /min, /h, /d)`},
		{in: "-1/s", wantErr: `u.yaml:1:1: v: want a rate like 200/s, got "-1/s": must not be negative`},
		{in: "{rate: 1}", wantErr: `u.yaml:1:1: v: want a rate like 200/s, got mapping`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, errs := decodeScalar[Rate](tt.in)
			if errs != tt.wantErr {
				t.Fatalf("errors:\n got %s\nwant %s", errs, tt.wantErr)
			}
			if tt.wantErr != "" {
				return
			}
			if got.PerSecond() != tt.perSec || got.String() != tt.str {
				t.Errorf("got %v (%q), want %v (%q)", got.PerSecond(), got.String(), tt.perSec, tt.str)
			}
			if back, err := ParseRate(got.String()); err != nil || back != got {
				t.Errorf("round trip of %q: %v, %v", got.String(), back, err)
			}
		})
	}
}

func TestSize(t *testing.T) {
	tests := []struct {
		in      string
		bytes   int64
		str     string
		wantErr string
	}{
		{in: "0", bytes: 0, str: "0B"},
		{in: "512B", bytes: 512, str: "512B"},
		{in: "2KB", bytes: 2048, str: "2KB"},
		{in: "256KiB", bytes: 262144, str: "256KB"},
		{in: "1.5MB", bytes: 1572864, str: "1536KB"},
		{in: "6MB", bytes: 6291456, str: "6MB"},
		{in: "1GiB", bytes: 1 << 30, str: "1GB"},
		{in: "1500B", bytes: 1500, str: "1500B"},
		{in: "2 KB", bytes: 2048, str: "2KB"},
		{in: "2048", wantErr: `u.yaml:1:1: v: want a size like 2KB, got 2048: a number needs a unit (B, KB, MB, GB, KiB, MiB, GiB (KB = 1024 bytes))`},
		{in: "2kb", wantErr: `u.yaml:1:1: v: want a size like 2KB, got "2kb": unknown unit "kb" (units: B, KB, MB, GB, KiB, MiB, GiB (KB = 1024 bytes))`},
		{in: "0.1B", wantErr: `u.yaml:1:1: v: want a size like 2KB, got "0.1B": not a whole number of bytes`},
		{in: "-1KB", wantErr: `u.yaml:1:1: v: want a size like 2KB, got "-1KB": must not be negative`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, errs := decodeScalar[Size](tt.in)
			if errs != tt.wantErr {
				t.Fatalf("errors:\n got %s\nwant %s", errs, tt.wantErr)
			}
			if tt.wantErr != "" {
				return
			}
			if got.Bytes() != tt.bytes || got.String() != tt.str {
				t.Errorf("got %v (%q), want %v (%q)", got.Bytes(), got.String(), tt.bytes, tt.str)
			}
			if back, err := ParseSize(got.String()); err != nil || back != got {
				t.Errorf("round trip of %q: %v, %v", got.String(), back, err)
			}
		})
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		in      string
		frac    float64
		str     string
		wantErr string
	}{
		{in: "0.1%", frac: 0.001, str: "0.1%"},
		{in: "5%", frac: 0.05, str: "5%"},
		{in: "100%", frac: 1, str: "100%"},
		{in: "0", frac: 0, str: "0%"},
		{in: "0.001", frac: 0.001, str: "0.1%"},
		{in: "1", frac: 1, str: "100%"},
		{in: "5", wantErr: `u.yaml:1:1: v: want a percentage like 0.1% or a fraction in 0..1, got 5: a bare fraction must be in 0..1 (did you mean 5%?)`},
		{in: "150%", wantErr: `u.yaml:1:1: v: want a percentage like 0.1% or a fraction in 0..1, got "150%": more than 100%`},
		{in: "-1%", wantErr: `u.yaml:1:1: v: want a percentage like 0.1% or a fraction in 0..1, got "-1%": must not be negative`},
		{in: "lots", wantErr: `u.yaml:1:1: v: want a percentage like 0.1% or a fraction in 0..1, got "lots": write a percentage with %, or a bare fraction`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, errs := decodeScalar[Percent](tt.in)
			if errs != tt.wantErr {
				t.Fatalf("errors:\n got %s\nwant %s", errs, tt.wantErr)
			}
			if tt.wantErr != "" {
				return
			}
			if got.Fraction() != tt.frac || got.String() != tt.str {
				t.Errorf("got %v (%q), want %v (%q)", got.Fraction(), got.String(), tt.frac, tt.str)
			}
			if back, err := ParsePercent(got.String()); err != nil || back != got {
				t.Errorf("round trip of %q: %v, %v", got.String(), back, err)
			}
		})
	}
}

func TestMemory(t *testing.T) {
	tests := []struct {
		in      string
		mb      int
		str     string
		wantErr string
	}{
		{in: "512MB", mb: 512, str: "512MB"},
		{in: "512", mb: 512, str: "512MB"},
		{in: "1GB", mb: 1024, str: "1024MB"},
		{in: "1.5GB", mb: 1536, str: "1536MB"},
		{in: "10240 MB", mb: 10240, str: "10240MB"},
		{in: "512KB", wantErr: `u.yaml:1:1: v: want a memory size like 512MB, got "512KB": unknown unit "KB" (units: MB, GB (binary, as Lambda: 1GB = 1024MB); a bare number is MB)`},
		{in: "0.5MB", wantErr: `u.yaml:1:1: v: want a memory size like 512MB, got "0.5MB": not a whole number of MB`},
		{in: "-128", wantErr: `u.yaml:1:1: v: want a memory size like 512MB, got -128: must not be negative`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, errs := decodeScalar[Memory](tt.in)
			if errs != tt.wantErr {
				t.Fatalf("errors:\n got %s\nwant %s", errs, tt.wantErr)
			}
			if tt.wantErr != "" {
				return
			}
			if got.MB() != tt.mb || got.String() != tt.str {
				t.Errorf("got %v (%q), want %v (%q)", got.MB(), got.String(), tt.mb, tt.str)
			}
			if back, err := ParseMemory(got.String()); err != nil || back != got {
				t.Errorf("round trip of %q: %v, %v", got.String(), back, err)
			}
		})
	}
}

func TestParseFunctionsWrapErrorsForFlags(t *testing.T) {
	_, err := ParseDuration("10x")
	want := `want a duration like 30s, got "10x": unknown unit "x" (units: ns, us, ms, s, m, h, d)`
	if err == nil || err.Error() != want {
		t.Errorf("ParseDuration: %v, want %s", err, want)
	}
	if p, err := ParsePercent("0.5"); err != nil || p != 0.5 {
		t.Errorf("ParsePercent(0.5) = %v, %v", p, err)
	}
}

func TestUnitPatternsAcceptWhatParsersAccept(t *testing.T) {
	// The schema's regular expressions must accept every valid written form above.
	for _, s := range []string{"0", "150ms", "1h30m", "1.5s", "250µs", ".5s", "1d2h3m4.5s"} {
		if !matches(durationSpec.pattern, s) {
			t.Errorf("duration pattern rejects %q", s)
		}
	}
	for _, s := range []string{"200/s", "12000/min", "0.5/s", "1/d"} {
		if !matches(rateSpec.pattern, s) {
			t.Errorf("rate pattern rejects %q", s)
		}
	}
	for _, s := range []string{"0", "2KB", "1.5MB", "256KiB", "2 KB"} {
		if !matches(sizeSpec.pattern, s) {
			t.Errorf("size pattern rejects %q", s)
		}
	}
	for _, s := range []string{"0.1%", "100%"} {
		if !matches(percentSpec.pattern, s) {
			t.Errorf("percent pattern rejects %q", s)
		}
	}
	for _, s := range []string{"512MB", "1.5GB", "10240 MB"} {
		if !matches(memorySpec.pattern, s) {
			t.Errorf("memory pattern rejects %q", s)
		}
	}
	if matches(durationSpec.pattern, "5x") || matches(rateSpec.pattern, "200") {
		t.Error("patterns accept invalid forms")
	}
}

func matches(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }
