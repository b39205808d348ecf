package sim

import (
	"math"
	"testing"
)

func TestMeanCIMatchesHandValues(t *testing.T) {
	cases := []struct {
		name     string
		xs       []float64
		level    float64
		wantMean float64
		wantHW   float64 // computed by hand from printed t tables
	}{
		{
			// mean 3, s² = 10/4 = 2.5, s/√5 = 0.70711; t_{0.975,4} = 2.776445.
			name: "five values at 95%", xs: []float64{1, 2, 3, 4, 5}, level: 0.95,
			wantMean: 3, wantHW: 2.776445 * math.Sqrt(2.5/5),
		},
		{
			// mean 11, s² = (4+4)/1 = 8, s/√2 = 2; t_{0.975,1} = 12.706205.
			name: "two values at 95%", xs: []float64{9, 13}, level: 0.95,
			wantMean: 11, wantHW: 12.706205 * 2,
		},
		{
			// mean 5, s² = 32/7, s/√8 = 0.75593; t_{0.995,7} = 3.499483.
			name: "eight values at 99%", xs: []float64{2, 4, 4, 4, 5, 5, 7, 9}, level: 0.99,
			wantMean: 5, wantHW: 3.499483 * math.Sqrt(32.0/7/8),
		},
		{
			name: "identical values have zero width", xs: []float64{7, 7, 7}, level: 0.95,
			wantMean: 7, wantHW: 0,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, hw := MeanCI(c.xs, c.level)
			// Table values carry 7 significant digits: relative tolerance 1e-6.
			if math.Abs(m-c.wantMean) > 1e-12 || math.Abs(hw-c.wantHW) > 1e-6*c.wantHW {
				t.Errorf("MeanCI = (%v, %v), want (%v, %v)", m, hw, c.wantMean, c.wantHW)
			}
		})
	}
}

func TestMeanCIWithoutAnInterval(t *testing.T) {
	cases := []struct {
		name     string
		xs       []float64
		level    float64
		wantMean float64 // NaN means NaN
	}{
		{"no values", nil, 0.95, math.NaN()},
		{"one value", []float64{4}, 0.95, 4},
		{"level 1", []float64{1, 2}, 1, 1.5},
		{"level 0", []float64{1, 2}, 0, 1.5},
		{"level NaN", []float64{1, 2}, math.NaN(), 1.5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, hw := MeanCI(c.xs, c.level)
			if !math.IsNaN(hw) {
				t.Errorf("half-width = %v, want NaN", hw)
			}
			if m != c.wantMean && !(math.IsNaN(m) && math.IsNaN(c.wantMean)) {
				t.Errorf("mean = %v, want %v", m, c.wantMean)
			}
		})
	}
}

func TestPairedDiffCI(t *testing.T) {
	// Differences 1, 2, 3, 4, 5: the five-value case above, shifted by a common term that
	// pairing cancels.
	a := []float64{101, 52, 203, 14, 1005}
	b := []float64{100, 50, 200, 10, 1000}
	m, hw, err := PairedDiffCI(a, b, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if want := 2.776445 * math.Sqrt(2.5/5); m != 3 || math.Abs(hw-want) > 1e-6*want {
		t.Errorf("PairedDiffCI = (%v, %v), want (3, %v)", m, hw, want)
	}
	if _, _, err := PairedDiffCI(a, b[:4], 0.95); err == nil {
		t.Error("different lengths: no error")
	}
}
