package sim

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// gaugeStep is one change of a gauge: Set (add=false) or Add (add=true) at time at.
type gaugeStep struct {
	at  time.Duration
	v   float64
	add bool
}

func TestGaugeTimeWeightedStatistics(t *testing.T) {
	s := time.Second
	cases := []struct {
		name         string
		steps        []gaugeStep
		now          time.Duration
		wantIntegral float64 // value·seconds, computed by hand
		wantMax      float64
		wantValue    float64
	}{
		{
			name:  "queue holds 100 for 1s then drains: mean depth 10 over 10s",
			steps: []gaugeStep{{0, 100, false}, {1 * s, 0, false}},
			now:   10 * s, wantIntegral: 100, wantMax: 100, wantValue: 0,
		},
		{
			// 0 on [0,2), 3 on [2,5), 1 on [5,6), 4 on [6,10): 0+9+1+16 = 26.
			name: "step function with Set and Add",
			steps: []gaugeStep{{2 * s, 3, false}, {5 * s, -2, true}, {6 * s, 3, true},
				{6 * s, 0, true}},
			now: 10 * s, wantIntegral: 26, wantMax: 4, wantValue: 4,
		},
		{
			name:  "several changes at one instant count only the last for the integral",
			steps: []gaugeStep{{1 * s, 50, false}, {1 * s, 2, false}},
			now:   3 * s, wantIntegral: 4, wantMax: 50, wantValue: 2,
		},
		{
			name: "no changes: stays at zero",
			now:  5 * s, wantIntegral: 0, wantMax: 0, wantValue: 0,
		},
		{
			// 2 on [1s,3s) and then a time going backwards is treated as 3s: 2·2 + 7·1.
			name:  "a time before the last update does not go back",
			steps: []gaugeStep{{1 * s, 2, false}, {3 * s, 5, false}, {2 * s, 7, false}},
			now:   4 * s, wantIntegral: 11, wantMax: 7, wantValue: 7,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var g Gauge
			for _, st := range c.steps {
				if st.add {
					g.Add(st.at, st.v)
				} else {
					g.Set(st.at, st.v)
				}
			}
			if got := g.Integral(c.now); math.Abs(got-c.wantIntegral) > 1e-9 {
				t.Errorf("Integral = %v, want %v", got, c.wantIntegral)
			}
			if got, want := g.Mean(c.now), c.wantIntegral/c.now.Seconds(); math.Abs(got-want) > 1e-9 {
				t.Errorf("Mean = %v, want %v", got, want)
			}
			if g.Max() != c.wantMax || g.Value() != c.wantValue {
				t.Errorf("Max = %v, Value = %v; want %v, %v", g.Max(), g.Value(), c.wantMax, c.wantValue)
			}
		})
	}
}

func TestGaugeResetWindowExcludesWarmup(t *testing.T) {
	s := time.Second
	var g Gauge
	g.Set(0, 1000) // a warm-up burst
	g.Set(30*s, 10)
	g.ResetWindow(60 * s) // warm-up ends at 60s while the value is 10
	if g.Max() != 10 || g.Value() != 10 {
		t.Fatalf("after reset Max = %v, Value = %v, want 10, 10", g.Max(), g.Value())
	}
	if got := g.Mean(60 * s); got != 10 {
		t.Errorf("Mean on an empty window = %v, want the current value 10", got)
	}
	g.Set(70*s, 20)
	// 10 on [60,70), 20 on [70,80): integral 300 value·s over 20 s.
	if got := g.Integral(80 * s); math.Abs(got-300) > 1e-9 {
		t.Errorf("Integral = %v, want 300", got)
	}
	if got := g.Mean(80 * s); math.Abs(got-15) > 1e-12 {
		t.Errorf("Mean = %v, want 15", got)
	}
	if g.Max() != 20 {
		t.Errorf("Max = %v, want 20", g.Max())
	}
}

func TestGaugeTakeWindowMax(t *testing.T) {
	s := time.Second
	var g Gauge
	g.Set(1*s, 5)
	g.Set(2*s, 9)
	g.Set(3*s, 2)
	if m := g.TakeWindowMax(); m != 9 {
		t.Errorf("first window max = %v, want 9", m)
	}
	// Nothing changes: the next window's max is the value in force, 2.
	if m := g.TakeWindowMax(); m != 2 {
		t.Errorf("quiet window max = %v, want 2", m)
	}
	g.Add(4*s, 1)
	g.Add(5*s, -3)
	if m := g.TakeWindowMax(); m != 3 {
		t.Errorf("third window max = %v, want 3", m)
	}
	if g.Max() != 9 {
		t.Errorf("overall Max = %v, want 9 (TakeWindowMax must not reset it)", g.Max())
	}
}

// TestGaugeMaximaFollowTheirDefinitions drives a gauge through random changes, window
// resets and window-max takes, and checks Max and TakeWindowMax against the largest value
// held since the last ResetWindow and since the last take (or reset), kept naively.
func TestGaugeMaximaFollowTheirDefinitions(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var g Gauge
	cur, maxSinceReset, maxSinceTake := 0.0, 0.0, 0.0
	for i := range 100000 {
		now := time.Duration(i) * time.Millisecond
		switch r.IntN(20) {
		case 0:
			g.ResetWindow(now)
			maxSinceReset, maxSinceTake = cur, cur
		case 1, 2:
			if got := g.TakeWindowMax(); got != maxSinceTake {
				t.Fatalf("step %d: TakeWindowMax = %v, want %v", i, got, maxSinceTake)
			}
			maxSinceTake = cur
		default:
			cur = float64(r.IntN(21) - 10)
			g.Set(now, cur)
			maxSinceReset, maxSinceTake = max(maxSinceReset, cur), max(maxSinceTake, cur)
		}
		if g.Max() != maxSinceReset {
			t.Fatalf("step %d: Max = %v, want %v", i, g.Max(), maxSinceReset)
		}
	}
}

func TestGaugeDoesNotAllocate(t *testing.T) {
	var g Gauge
	now := time.Duration(0)
	allocs := testing.AllocsPerRun(1000, func() {
		now += time.Millisecond
		g.Add(now, 1)
		_ = g.Mean(now)
		_ = g.TakeWindowMax()
	})
	if allocs != 0 {
		t.Errorf("%v allocations per update", allocs)
	}
}
