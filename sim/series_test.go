package sim

import (
	"math"
	"slices"
	"testing"
	"time"
)

func TestSeriesAddSumsIntoBuckets(t *testing.T) {
	s, err := NewSeries(10*time.Second, time.Second, 5) // buckets [10s,11s) .. [14s,15s)
	if err != nil {
		t.Fatal(err)
	}
	adds := []struct {
		at time.Duration
		v  float64
	}{
		{10 * time.Second, 1},                      // first instant of bucket 0
		{11*time.Second - 1, 2},                    // last instant of bucket 0
		{11 * time.Second, 4},                      // bucket 1
		{14*time.Second + 999*time.Millisecond, 8}, // bucket 4
		{15 * time.Second, 100},                    // just past the end: dropped
		{9 * time.Second, 100},                     // before the start: dropped
	}
	for _, a := range adds {
		s.Add(a.at, a.v)
	}
	want := []float64{3, 4, 0, 0, 8}
	for i, w := range want {
		tm, v := s.At(i)
		if v != w || tm != 10*time.Second+time.Duration(i)*time.Second {
			t.Errorf("At(%d) = (%v, %v), want (%v, %v)", i, tm, v, 10*time.Second+time.Duration(i)*time.Second, w)
		}
	}
	if s.Dropped() != 2 {
		t.Errorf("Dropped = %d, want 2", s.Dropped())
	}
	if s.Len() != 5 || s.Width() != time.Second || s.Start() != 10*time.Second {
		t.Errorf("Len/Width/Start = %d/%v/%v", s.Len(), s.Width(), s.Start())
	}
	pts := s.Points()
	if len(pts) != 5 || pts[4].T != 14*time.Second || pts[4].V != 8 {
		t.Errorf("Points = %v", pts)
	}
}

func TestSeriesSetAndOutOfRange(t *testing.T) {
	s, _ := NewSeries(0, time.Minute, 3)
	s.Set(1, 42)
	s.Set(-1, 1)
	s.Set(3, 1)
	if _, v := s.At(1); v != 42 {
		t.Errorf("At(1) = %v, want 42", v)
	}
	if s.Dropped() != 2 {
		t.Errorf("Dropped = %d, want 2", s.Dropped())
	}
	if _, v := s.At(3); !math.IsNaN(v) {
		t.Errorf("At(3) value = %v, want NaN", v)
	}
	if i, ok := s.Index(2*time.Minute + 5); !ok || i != 2 {
		t.Errorf("Index = %d, %v; want 2, true", i, ok)
	}
}

// TestTableSeriesBehaveAsSeparateSeries checks the series of a SeriesTable against series
// made by NewSeries: the same values after sets and additions, the same drops, and a
// table that is full after k series.
func TestTableSeriesBehaveAsSeparateSeries(t *testing.T) {
	const n, k = 7, 5
	tab, err := NewSeriesTable(time.Second, time.Second, n, k)
	if err != nil {
		t.Fatal(err)
	}
	var ss, ref []*Series
	for range k {
		r, _ := NewSeries(time.Second, time.Second, n)
		ss, ref = append(ss, tab.Series()), append(ref, r)
	}
	if !tab.Full() || tab.Series() != nil {
		t.Fatalf("a table for %d series made more", k)
	}
	for j := range k {
		for _, s := range []*Series{ss[j], ref[j]} {
			s.Set(j%n, float64(10*j+1))
			s.Set(n-1-j%n, float64(10*j+2))
			s.Add(time.Duration(j+1)*time.Second, 0.5)
			s.Set(n, 1)                              // out of range: dropped
			s.Add(time.Duration(n+1)*time.Second, 1) // beyond the end: dropped
		}
	}
	for j := range k {
		if ss[j].Len() != n || ss[j].Dropped() != ref[j].Dropped() {
			t.Errorf("series %d: Len %d, Dropped %d, want %d, %d", j, ss[j].Len(), ss[j].Dropped(), n, ref[j].Dropped())
		}
		for i := -1; i <= n; i++ {
			gt, gv := ss[j].At(i)
			wt, wv := ref[j].At(i)
			if gt != wt || (gv != wv && !(math.IsNaN(gv) && math.IsNaN(wv))) {
				t.Errorf("series %d: At(%d) = (%v, %v), want (%v, %v)", j, i, gt, gv, wt, wv)
			}
		}
		if got, want := ss[j].Points(), ref[j].Points(); !slices.Equal(got, want) {
			t.Errorf("series %d: Points %v, want %v", j, got, want)
		}
	}
}

func TestNewSeriesTableRejectsBadInput(t *testing.T) {
	for _, c := range []struct {
		name  string
		width time.Duration
		n, k  int
	}{
		{"zero width", 0, 3, 8},
		{"no buckets", time.Second, 0, 8},
		{"no room for a series", time.Second, 3, 0},
	} {
		if _, err := NewSeriesTable(0, c.width, c.n, c.k); err == nil {
			t.Errorf("%s: accepted", c.name)
		}
	}
}

func TestNewSeriesRejectsBadInput(t *testing.T) {
	cases := []struct {
		name  string
		width time.Duration
		n     int
	}{
		{"zero width", 0, 10},
		{"negative width", -time.Second, 10},
		{"no buckets", time.Second, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := NewSeries(0, c.width, c.n); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestSeriesAddDoesNotAllocate(t *testing.T) {
	s, _ := NewSeries(0, time.Millisecond, 1000)
	now := time.Duration(0)
	if a := testing.AllocsPerRun(1000, func() { now += 7919; s.Add(now, 1) }); a != 0 {
		t.Errorf("Add allocates %v times", a)
	}
}

func TestBucketWidthIsNiceAndNearTarget(t *testing.T) {
	cases := []struct {
		name   string
		run    time.Duration
		target int
		want   time.Duration
	}{
		{"10 min at default 500 buckets: 1.2s ideal, 1s gives 600", 10 * time.Minute, 0, time.Second},
		{"1 hour at 500: 7.2s ideal, 10s gives 360 (1.39x) vs 5s 720 (1.44x)", time.Hour, 500, 10 * time.Second},
		{"24 hours at 500: 172.8s ideal, 2 min gives 720 vs 5 min 288", 24 * time.Hour, 500, 2 * time.Minute},
		{"1 min at 500: 120ms ideal, 100ms", time.Minute, 500, 100 * time.Millisecond},
		{"1 s at 500: 2ms exactly", time.Second, 500, 2 * time.Millisecond},
		{"30 s at 100: 300ms ideal, 200ms gives 150 vs 500ms 60", 30 * time.Second, 100, 200 * time.Millisecond},
		{"25 min at 50: 30s exactly", 25 * time.Minute, 50, 30 * time.Second},
		{"a week at 500: 20.16 min ideal, 20 min", 7 * 24 * time.Hour, 500, 20 * time.Minute},
		{"a year at 500: 17.5h ideal, 20h", 365 * 24 * time.Hour, 500, 20 * time.Hour},
		{"non-positive run length: one second", 0, 500, 2 * time.Millisecond},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := BucketWidth(c.run, c.target); got != c.want {
				t.Errorf("BucketWidth(%v, %d) = %v, want %v", c.run, c.target, got, c.want)
			}
		})
	}
	// Over a range of run lengths the bucket count stays within √2.5 of the target, the
	// largest gap between adjacent nice widths.
	for run := time.Second; run < 1000*time.Hour; run = run * 13 / 10 {
		n := float64(run) / float64(BucketWidth(run, 500))
		if r := n / 500; r > math.Sqrt(2.5)+1e-9 || r < 1/math.Sqrt(2.5)-1e-9 {
			t.Errorf("run %v: %v buckets, ratio %v to target", run, n, r)
		}
	}
}
