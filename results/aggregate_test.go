package results

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"msgsim/sim"
)

func TestAggregateGivesTheMeanAndStudentInterval(t *testing.T) {
	var runs []*Run
	for _, n := range []uint64{10, 20, 30} {
		runs = append(runs, &Run{DurationSeconds: 10, Components: []ComponentSummary{
			component("q", "sqs", counter("NumberOfMessagesSent", n))}})
	}
	s := Aggregate(runs)
	got := s.Components[0].Metrics[0].Counter.Total
	// Mean 20; sample sd 10; standard error 10/√3; t(0.975, 2 dof) = 4.302652729911275
	// (tables give 4.303). Half-width = 4.302652729911275 × 10/√3 = 24.84138...
	wantHW := 4.302652729911275 * 10 / math.Sqrt(3)
	// The quantile is computed numerically by gonum: trust 1e-9 relative.
	if got.Mean != 20 || math.Abs(got.HalfWidth-wantHW) > 1e-9*wantHW {
		t.Errorf("got %v ± %v, want 20 ± %v", got.Mean, got.HalfWidth, wantHW)
	}
	if s.Replications != 3 {
		t.Errorf("replications %d", s.Replications)
	}
}

func TestAggregateMergesPathHistogramsExactly(t *testing.T) {
	all := sim.NewHistogram()
	var runs []*Run
	for rep := range 3 {
		var ds []time.Duration
		for i := 1; i <= 50; i++ {
			d := time.Duration(i*(rep+1)) * time.Millisecond
			ds = append(ds, d)
			all.Record(int64(d))
		}
		runs = append(runs, &Run{DurationSeconds: 10, Paths: []PathSummary{{Name: "a -> b", LatencyFigures: histFigures(ds...)}}})
	}
	// Through JSON and back, as shards written to disk would be.
	for i, r := range runs {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var back Run
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		runs[i] = &back
	}
	p := Aggregate(runs).Paths[0]
	want := figuresOf(all)
	if p.Pooled.Count != 150 || p.Pooled.P50 != want.P50 || p.Pooled.P99 != want.P99 || p.Pooled.Max != 0.15 || p.Pooled.Mean != want.Mean {
		t.Errorf("pooled %+v, want %+v", p.Pooled, want)
	}
	if p.Count.Mean != 50 || p.Count.HalfWidth != 0 {
		t.Errorf("count %+v, want 50 ± 0", p.Count)
	}
}

func TestAggregateCountsAMissingPathAsZero(t *testing.T) {
	with := &Run{DurationSeconds: 10, Paths: []PathSummary{{Name: "a -> b", Throughput: 3, LatencyFigures: histFigures(time.Second)}}}
	without := &Run{DurationSeconds: 10}
	s := Aggregate([]*Run{without, with})
	if len(s.Paths) != 1 || s.Paths[0].Throughput.Mean != 1.5 || s.Paths[0].Pooled.Count != 1 {
		t.Errorf("paths %+v", s.Paths)
	}
}

func TestAggregateKeepsTheFirstSeriesAndStripsRuns(t *testing.T) {
	a := &Run{Series: []SeriesData{{Component: "q", Metric: "m", Stat: "sum", Values: []float64{1}}}}
	b := &Run{Series: []SeriesData{{Component: "q", Metric: "m", Stat: "sum", Values: []float64{2}}}}
	s := Aggregate([]*Run{a, b})
	if len(s.Series) != 1 || s.Series[0].Values[0] != 1 {
		t.Errorf("series %+v, want the first run's", s.Series)
	}
	if s.Runs[0].Series != nil || a.Series == nil {
		t.Error("summary runs keep their series, or the input was modified")
	}
}
