package results

import (
	"strings"
	"testing"
)

func TestKnee(t *testing.T) {
	for _, tc := range []struct {
		name string
		y    []float64
		want int
		ok   bool
	}{
		{"first point above twice the lowest load's", []float64{1, 1.2, 1.9, 2.1, 5}, 3, true},
		{"exactly twice is not yet the knee", []float64{1, 2, 2.5}, 2, true},
		{"flat curve has no knee", []float64{1, 1.1, 1.2}, 0, false},
		{"M/M/1 latency 1/(μ−λ), μ = 100, λ = 10..90", mm1(100, 10, 90, 10), 5, true}, // 1/(100−λ) > 2/90 ⇔ λ > 55
		{"one point", []float64{3}, 0, false},
		{"zero at the lowest load", []float64{0, 1, 2}, 0, false},
	} {
		got, ok := Knee(tc.y)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: Knee(%v) = %d, %v; want %d, %v", tc.name, tc.y, got, ok, tc.want, tc.ok)
		}
	}
}

func mm1(mu, from, to, step float64) []float64 {
	var y []float64
	for l := from; l <= to; l += step {
		y = append(y, 1/(mu-l))
	}
	return y
}

func TestParseQuantity(t *testing.T) {
	for _, tc := range []struct {
		in     string
		v      float64
		suffix string
		ok     bool
	}{
		{"200/s", 200, "/s", true},
		{"1.5s", 1.5, "s", true},
		{"10", 10, "", true},
		{".5", 0.5, "", true},
		{"1e3/s", 1000, "/s", true},
		{"5m", 5, "m", true},
		{"-2", -2, "", true},
		{"fast", 0, "", false},
		{"", 0, "", false},
	} {
		v, s, ok := ParseQuantity(tc.in)
		if v != tc.v || s != tc.suffix || ok != tc.ok {
			t.Errorf("ParseQuantity(%q) = %v, %q, %v; want %v, %q, %v", tc.in, v, s, ok, tc.v, tc.suffix, tc.ok)
		}
	}
}

func TestSweepCSVHasOneRowPerPointWithIntervals(t *testing.T) {
	points := []SweepPoint{
		{Values: []string{"10/s", "a"}, Summary: summaryOf(pathRuns([]float64{1, 3}, []uint64{0, 0}))},
		{Values: []string{"20/s", "a"}, Summary: summaryOf(pathRuns([]float64{2, 4}, []uint64{0, 2}))},
	}
	hw, hw2 := csvFloat(statOf([]float64{1, 3}).HalfWidth), csvFloat(statOf([]float64{0.5, 1.5}).HalfWidth)
	if !strings.HasPrefix(hw, "12.70620473617") {
		t.Fatalf("t(0.975, 1) half-width = %s, want 12.7062047", hw)
	}
	got := string(SweepCSV([]string{"producers.p.arrival.rate", "resources.x.mode"}, points))
	want := "producers.p.arrival.rate,resources.x.mode,replications," +
		"a -> b.p50_s,a -> b.p50_s.ci95,a -> b.p99_s,a -> b.p99_s.ci95,a -> b.throughput_per_s,a -> b.throughput_per_s.ci95," +
		"q.NumberOfMessagesMovedToDLQ,q.NumberOfMessagesMovedToDLQ.ci95,cost.per_month_usd,cost.per_month_usd.ci95,thresholds_passed\n" +
		// p99 1 and 3: mean 2, half-width t(0.975,1)·√2/√2 = 12.7062047 (hw below, to the
		// last bit as sim.MeanCI computes it); p50 half of that.
		"10/s,a,2,1," + hw2 + ",2," + hw + ",10,0,0,0,1,0,\n" +
		"20/s,a,2,1.5," + hw2 + ",3," + hw + ",10,0,1," + hw + ",1,0,\n"
	if got != want {
		t.Errorf("sweep.csv:\n%s\nwant:\n%s", got, want)
	}
	if txt := SweepText([]string{"producers.p.arrival.rate", "resources.x.mode"}, points, TextOptions{Width: 200}); !strings.Contains(txt, "rate  mode") {
		t.Errorf("sweep text uses short parameter names:\n%s", txt)
	}
}

func TestSweepPlotsMarkTheKnee(t *testing.T) {
	var points []SweepPoint
	for i, v := range mm1(100, 10, 90, 10) {
		points = append(points, SweepPoint{Values: []string{formatNumber(float64(10*(i+1))) + "/s"},
			Summary: summaryOf(pathRuns([]float64{v, v}, []uint64{0, 0}))})
	}
	specs := sweepSpecs([]string{"producers.p.arrival.rate"}, points)
	if len(specs) == 0 || specs[0].Name != "sweep-latency-a---b" {
		t.Fatalf("first plot = %+v", specs)
	}
	var knee string
	for _, l := range specs[0].Lines {
		if strings.HasPrefix(l.Label, "knee") {
			knee = l.Label
		}
	}
	if knee != "knee at 60" {
		t.Errorf("knee line %q, want \"knee at 60\" (1/(100−λ) first exceeds 2/90 at λ = 60)", knee)
	}
	if specs[0].XLabel != "producers.p.arrival.rate (/s)" {
		t.Errorf("x label %q", specs[0].XLabel)
	}
}
