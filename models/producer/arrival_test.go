package producer

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// countIn counts arrivals of a process in [0, end), starting from 0.
func countIn(a Arrival, end time.Duration, seed uint64) []time.Duration {
	r := rand.New(rand.NewPCG(seed, 7))
	var times []time.Duration
	t := time.Duration(0)
	for {
		next, ok := a.Next(t, r)
		if !ok || next >= end {
			return times
		}
		times = append(times, next)
		t = next
	}
}

// within4SE asserts a Poisson count n against its mean m: a Poisson count has standard
// deviation √m, so a correct process fails this with probability < 1e-4.
func within4SE(t *testing.T, what string, n int, m float64) {
	t.Helper()
	if math.Abs(float64(n)-m) > 4*math.Sqrt(m) {
		t.Errorf("%s: %d arrivals, want %.0f ± %.0f (4 SE)", what, n, m, 4*math.Sqrt(m))
	}
}

func TestPoissonCountMatchesRate(t *testing.T) {
	times := countIn(Poisson{PerSecond: 200}, 100*time.Second, 1)
	within4SE(t, "poisson 200/s × 100 s", len(times), 20000)
}

func TestConstantArrivalsAreEvenlySpaced(t *testing.T) {
	times := countIn(Constant{PerSecond: 4}, 2*time.Second, 1)
	want := []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, 750 * time.Millisecond, time.Second,
		1250 * time.Millisecond, 1500 * time.Millisecond, 1750 * time.Millisecond}
	if len(times) != len(want) {
		t.Fatalf("times %v", times)
	}
	for i := range want {
		if times[i] != want[i] {
			t.Fatalf("arrival %d at %v, want %v", i, times[i], want[i])
		}
	}
}

func TestSpikeRateInsideAndOutside(t *testing.T) {
	s := Spike(100, 2000, 60*time.Second, 30*time.Second)
	times := countIn(s, 180*time.Second, 2)
	var before, during, after int
	for _, at := range times {
		switch {
		case at < 60*time.Second:
			before++
		case at < 90*time.Second:
			during++
		default:
			after++
		}
	}
	within4SE(t, "before the spike", before, 6000)
	within4SE(t, "during the spike", during, 60000)
	within4SE(t, "after the spike", after, 9000)
}

func TestRampIntegratesLinearRate(t *testing.T) {
	// 50/s for 10 s, then linear to 500/s over 60 s, then 500/s for 30 s.
	rp := Ramp(50, 500, 10*time.Second, 60*time.Second)
	times := countIn(rp, 100*time.Second, 3)
	var first, ramp, last int
	for _, at := range times {
		switch {
		case at < 10*time.Second:
			first++
		case at < 70*time.Second:
			ramp++
		default:
			last++
		}
	}
	within4SE(t, "before the ramp", first, 500)
	within4SE(t, "during the ramp", ramp, (50+500)/2.0*60)
	within4SE(t, "after the ramp", last, 15000)
	// the ramp's second half carries (275+500)/2·30 of the arrivals
	var secondHalf int
	for _, at := range times {
		if at >= 40*time.Second && at < 70*time.Second {
			secondHalf++
		}
	}
	within4SE(t, "second half of the ramp", secondHalf, (275+500)/2.0*30)
}

func TestDiurnalFollowsSine(t *testing.T) {
	d := Diurnal{Mean: 100, Amplitude: 0.5, Period: 100 * time.Second}
	times := countIn(d, 100*time.Second, 4)
	var up, down int
	for _, at := range times {
		if at < 50*time.Second {
			up++
		} else {
			down++
		}
	}
	// ∫ over the first half of mean·(1+a·sin) = mean·(T/2 + a·T/π)
	want := 100 * (50 + 0.5*100/math.Pi)
	within4SE(t, "first half-period", up, want)
	within4SE(t, "second half-period", down, 100*(50-0.5*100/math.Pi))
}

func TestBurstyLongRunRate(t *testing.T) {
	b := &Bursty{Burst: 1000, Idle: 0, On: time.Second, Off: 4 * time.Second}
	times := countIn(b, 2000*time.Second, 5)
	// long-run rate 1000·1/5 = 200/s; the count's variance is inflated by the on/off
	// modulation: for an MMPP the index of dispersion is 1 + 2·λ_on²·(on·off)²/((on+off)³·λ̄)
	// ≈ 1 + 2·10⁶·16/(125·200) = 1281, so SD ≈ √(1281·400000).
	mean := 200.0 * 2000
	sd := math.Sqrt(1281 * mean)
	if math.Abs(float64(len(times))-mean) > 4*sd {
		t.Fatalf("bursty: %d arrivals, want %.0f ± %.0f", len(times), mean, 4*sd)
	}
}

func TestTraceReplaysAndLoops(t *testing.T) {
	tr := &Trace{Times: []time.Duration{time.Second, 3 * time.Second}, Loop: true}
	got := countIn(tr, 10*time.Second, 1)
	want := []time.Duration{1, 3, 4, 6, 7, 9}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i]*time.Second {
			t.Fatalf("got %v", got)
		}
	}
	once := &Trace{Times: []time.Duration{time.Second}}
	if got := countIn(once, time.Hour, 1); len(got) != 1 {
		t.Fatalf("a trace without loop ends: %v", got)
	}
}
