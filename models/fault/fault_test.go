package fault

import (
	"math"
	"strings"
	"testing"
	"time"
)

const s = time.Second

func TestScheduleAnswersThePiecewiseState(t *testing.T) {
	sch := MustCompile(Config{
		Outages:        []Outage{{From: 10 * s, To: 20 * s}, {From: 15 * s, To: 25 * s, Mode: ModeTimeout}},
		ErrorRates:     []Level{{At: 5 * s, Value: 0.1}, {At: 30 * s, Value: 0}},
		LatencyFactors: []Level{{At: 40 * s, Value: 3}},
		RateLimits:     []Level{{At: 50 * s, Value: 0}},
	})
	type want struct {
		down    Mode
		p, k, r float64 // NaN: inherit
	}
	nan := math.NaN()
	cases := []struct {
		at   time.Duration
		want want
	}{
		{0, want{ModeNone, nan, nan, nan}},
		{5*s - 1, want{ModeNone, nan, nan, nan}},
		{5 * s, want{ModeNone, 0.1, nan, nan}},
		{10 * s, want{ModeError, 0.1, nan, nan}},
		{15 * s, want{ModeTimeout, 0.1, nan, nan}}, // timeout wins where outages overlap
		{20 * s, want{ModeTimeout, 0.1, nan, nan}},
		{25*s - 1, want{ModeTimeout, 0.1, nan, nan}},
		{25 * s, want{ModeNone, 0.1, nan, nan}}, // the window is half-open
		{30 * s, want{ModeNone, 0, nan, nan}},
		{40 * s, want{ModeNone, 0, 3, nan}},
		{50 * s, want{ModeNone, 0, 3, 0}},
		{time.Hour, want{ModeNone, 0, 3, 0}},
	}
	eq := func(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }
	check := func(pass string) {
		for _, c := range cases {
			got := sch.At(c.at)
			if got.Down != c.want.down || !eq(got.ErrorProbability, c.want.p) ||
				!eq(got.LatencyFactor, c.want.k) || !eq(got.RateLimit, c.want.r) {
				t.Errorf("%s: at %v: got %+v, want %+v", pass, c.at, got, c.want)
			}
		}
	}
	check("forward")
	// backwards (binary search), then forward again from the start
	for i := len(cases) - 1; i >= 0; i-- {
		if got := sch.At(cases[i].at); got.Down != cases[i].want.down {
			t.Errorf("backward: at %v: down %v, want %v", cases[i].at, got.Down, cases[i].want.down)
		}
	}
	check("forward again")
}

func TestEmptyAndNilSchedulesHaveNoFault(t *testing.T) {
	var nilSch *Schedule
	for name, sch := range map[string]*Schedule{"nil": nilSch, "empty": MustCompile(Config{})} {
		st := sch.At(time.Minute)
		if st.Down != ModeNone || st.HasErrorProbability() || st.HasRateLimit() || st.Latency(s) != s || sch.Active() {
			t.Errorf("%s schedule: %+v, active %v", name, st, sch.Active())
		}
	}
	if !MustCompile(Config{Outages: []Outage{{From: 0, To: s}}}).Active() {
		t.Error("an outage from time 0 must make the schedule active")
	}
}

func TestLatencyFactorScalesDraws(t *testing.T) {
	st := MustCompile(Config{LatencyFactors: []Level{{At: 0, Value: 2.5}}}).At(0)
	if got := st.Latency(4 * time.Millisecond); got != 10*time.Millisecond {
		t.Fatalf("4ms × 2.5 = %v", got)
	}
}

func TestBadFaultsAreErrorsWithTheirPath(t *testing.T) {
	_, err := Compile(Config{
		Outages:        []Outage{{From: 5 * s, To: 5 * s}, {From: -s, To: s}, {From: 0, To: s, Mode: 9}},
		ErrorRates:     []Level{{At: s, Value: 1.5}},
		LatencyFactors: []Level{{At: 2 * s, Value: 1}, {At: s, Value: 0}},
		RateLimits:     []Level{{At: -s, Value: -1}},
	})
	if err == nil {
		t.Fatal("invalid faults accepted")
	}
	for _, want := range []string{"outages.0", "outages.1", "outages.2.mode", "error_rates.0.value",
		"latency_factors.1.at", "latency_factors.1.value", "rate_limits.0.at", "rate_limits.0.value"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %s: %v", want, err)
		}
	}
}

func TestAtAllocatesNothing(t *testing.T) {
	sch := MustCompile(Config{Outages: []Outage{{From: s, To: 2 * s}}})
	now := time.Duration(0)
	if n := testing.AllocsPerRun(1000, func() { now += time.Millisecond; sch.At(now) }); n != 0 {
		t.Fatalf("%v allocs per lookup", n)
	}
}
