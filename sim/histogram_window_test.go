package sim

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// TestHistogramWindowEqualsRecordingTwice checks the window against what it replaces: a
// second, coarse histogram into which every value is also recorded and which is emptied
// at each Take. Both must be identical (the JSON form covers counts, count, sum, min, max,
// overflow and negatives), and the total must equal a histogram recorded directly, with
// a reset of the total in the middle of an interval; each interval must stay as taken
// while the next is recorded; for the precisions the models use and for the extremes.
func TestHistogramWindowEqualsRecordingTwice(t *testing.T) {
	precisions := [][2]int{{DefaultPrecision, CoarsePrecision}, {DefaultPrecision, DefaultPrecision},
		{maxPrecision, minPrecision}, {minPrecision, minPrecision}}
	draws := map[string]func(r *rand.Rand) int64{
		"exponential latencies": func(r *rand.Rand) int64 {
			return int64(Exponential(0.05).Sample(r) * 1e9)
		},
		"small exact values": func(r *rand.Rand) int64 { return r.Int64N(300) },
		"negatives and overflows": func(r *rand.Rand) int64 {
			switch r.IntN(10) {
			case 0:
				return -r.Int64N(1000)
			case 1:
				return HistogramTop + r.Int64N(HistogramTop)
			}
			return r.Int64N(1 << 40)
		},
	}
	for name, draw := range draws {
		for _, p := range precisions {
			t.Run(fmt.Sprintf("%s at %d and %d bits", name, p[0], p[1]), func(t *testing.T) {
				testWindowAgainstTwoHistograms(t, draw, p[0], p[1])
			})
		}
	}
}

func testWindowAgainstTwoHistograms(t *testing.T, draw func(r *rand.Rand) int64, totalBits, winBits int) {
	r := rand.New(rand.NewPCG(1, 2))
	w, err := NewHistogramWindow(totalBits, winBits)
	if err != nil {
		t.Fatal(err)
	}
	total := w.Total()
	direct, _ := NewHistogramPrecision(totalBits)
	coarse, _ := NewHistogramPrecision(winBits)
	var prev *Histogram // the last Take's: it must not change until the next Take
	var prevJSON string
	for interval := range 40 {
		n := r.IntN(200) // some intervals are empty
		for i := range n {
			v := draw(r)
			w.Record(v)
			direct.Record(v)
			coarse.Record(v)
			// the warm-up ends mid-interval; or at an interval's first or last value,
			// twice in one interval
			if interval == 7 && i == n/2 || interval == 12 && (i == 0 || i == n-1) {
				w.ResetTotal()
				direct.Reset()
			}
		}
		if prev != nil && mustJSON(t, prev) != prevJSON {
			t.Fatalf("interval %d: the previous interval changed before the next Take", interval)
		}
		prev = w.Take()
		got, want := mustJSON(t, prev), mustJSON(t, coarse)
		if got != want {
			t.Fatalf("interval %d: window\n%s\nwant\n%s", interval, got, want)
		}
		prevJSON = got
		coarse.Reset()
		if got, want := mustJSON(t, total), mustJSON(t, direct); got != want {
			t.Fatalf("interval %d: total\n%s\nwant\n%s", interval, got, want)
		}
	}
}

func TestHistogramWindowRejectsBadPrecision(t *testing.T) {
	for _, c := range []struct {
		name               string
		totalBits, winBits int
	}{
		{"window finer than the total", CoarsePrecision, DefaultPrecision},
		{"window below the minimum", DefaultPrecision, 0},
		{"total beyond the maximum", maxPrecision + 1, CoarsePrecision},
	} {
		if _, err := NewHistogramWindow(c.totalBits, c.winBits); err == nil {
			t.Errorf("%s: precisions %d, %d accepted", c.name, c.totalBits, c.winBits)
		}
	}
}

func TestHistogramWindowRecordDoesNotAllocate(t *testing.T) {
	w, _ := NewHistogramWindow(DefaultPrecision, CoarsePrecision)
	interval := func() {
		for v := range int64(100) {
			w.Record(v * 1e6)
		}
		w.Take()
	}
	if n := testing.AllocsPerRun(100, interval); n != 0 {
		t.Fatalf("an interval allocates %.0f times", n)
	}
}

// TestHistogramWindowRecordTouchesOneHeaderLine checks the layout the window's doc
// promises: every field Record changes on every call lies in its first 64 bytes.
func TestHistogramWindowRecordTouchesOneHeaderLine(t *testing.T) {
	var w HistogramWindow
	if end := unsafe.Offsetof(w.total) + unsafe.Offsetof(w.total.sumLo) + unsafe.Sizeof(w.total.sumLo); end > 64 {
		t.Fatalf("the total's count and sum end at byte %d of the window, beyond the first 64", end)
	}
}

func mustJSON(t *testing.T, h *Histogram) string {
	t.Helper()
	b, err := h.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
