package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestBatchMeansMergesPairsAndDoublesBatchSize(t *testing.T) {
	cases := []struct {
		name        string
		target, n   int
		wantBatches int
		wantSize    uint64
	}{
		{"below 2·target nothing merges", 20, 39, 39, 1},
		{"at 2·target pairs merge", 20, 40, 20, 2},
		{"4096 observations at target 20: 32 batches of 128", 20, 4096, 32, 128},
		{"one short of a merge: 39 batches of 128 and a partial", 20, 40*128 - 1, 39, 128},
		{"target 2 from 8 observations: 2 batches of 4", 2, 8, 2, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := NewBatchMeans(c.target)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < c.n; i++ {
				b.Add(float64(i))
			}
			if b.Batches() != c.wantBatches || b.BatchSize() != c.wantSize || b.N() != uint64(c.n) {
				t.Errorf("Batches=%d BatchSize=%d N=%d, want %d, %d, %d",
					b.Batches(), b.BatchSize(), b.N(), c.wantBatches, c.wantSize, c.n)
			}
			if want := float64(c.n-1) / 2; b.Mean() != want {
				t.Errorf("Mean = %v, want %v", b.Mean(), want)
			}
		})
	}
}

func TestBatchMeansIntervalIsTOverBatchMeans(t *testing.T) {
	// Target 2, observations 1..8: batches {1..4}, {5..8} with means 2.5 and 6.5, so the
	// interval is MeanCI of those two means.
	b, _ := NewBatchMeans(2)
	for i := 1; i <= 8; i++ {
		b.Add(float64(i))
	}
	_, want := MeanCI([]float64{2.5, 6.5}, 0.95)
	if got := b.HalfWidth(0.95); math.Abs(got-want) > 1e-12*want {
		t.Errorf("HalfWidth = %v, want %v", got, want)
	}
}

func TestBatchMeansBadInput(t *testing.T) {
	for _, target := range []int{-1, 0, 1} {
		if _, err := NewBatchMeans(target); err == nil {
			t.Errorf("target %d: no error", target)
		}
	}
	b, _ := NewBatchMeans(20)
	if !math.IsNaN(b.Mean()) || !math.IsNaN(b.HalfWidth(0.95)) {
		t.Error("empty accumulator should give NaN mean and half-width")
	}
	b.Add(1)
	if !math.IsNaN(b.HalfWidth(0.95)) {
		t.Error("one batch should give a NaN half-width")
	}
	for range 10 {
		b.Add(2)
	}
	if !math.IsNaN(b.HalfWidth(1.5)) {
		t.Error("level outside (0,1) should give a NaN half-width")
	}
}

func TestBatchMeansAddDoesNotAllocate(t *testing.T) {
	b, _ := NewBatchMeans(20)
	x := 0.0
	if a := testing.AllocsPerRun(10000, func() { x += 0.5; b.Add(x) }); a != 0 {
		t.Errorf("Add allocates %v times", a)
	}
}

// coverageRuns is the number of independent runs in each coverage test. The fraction of
// runs whose interval covers the true mean is Binomial(400, c)/400 with c the true
// coverage, so it lies within c ± 3·sqrt(c(1-c)/400) with probability 99.7%.
const coverageRuns = 400

func coverageBand(c float64) float64 { return 3 * math.Sqrt(c*(1-c)/coverageRuns) }

// naiveCI is the i.i.d. interval t_{0.975,n-1}·s/√n over all observations, the one
// batch means replaces; it accumulates with Welford's method.
type naiveCI struct{ n, mean, m2 float64 }

func (w *naiveCI) add(x float64) {
	w.n++
	d := x - w.mean
	w.mean += d / w.n
	w.m2 += d * (x - w.mean)
}

func (w *naiveCI) halfWidth(level float64) float64 {
	return tHalfWidth(level, int(w.n)-1, math.Sqrt(w.m2/(w.n-1)/w.n))
}

func TestBatchMeansCoversMeanOfIIDNormalData(t *testing.T) {
	// 4096 = 32 batches of 128 at target 20, with no partial batch. For i.i.d. normal data
	// the batch means are i.i.d. normal and the t interval is exact: coverage 95%, band
	// 0.95 ± 3·sqrt(0.95·0.05/400) = 0.95 ± 0.0327.
	const n, mu = 4096, 10.0
	covered := 0
	for run := range coverageRuns {
		rng := rand.New(rand.NewPCG(2024, uint64(run)))
		b, _ := NewBatchMeans(20)
		for range n {
			b.Add(mu + 3*rng.NormFloat64())
		}
		if math.Abs(b.Mean()-mu) <= b.HalfWidth(0.95) {
			covered++
		}
	}
	got := float64(covered) / coverageRuns
	if band := coverageBand(0.95); math.Abs(got-0.95) > band {
		t.Errorf("coverage %.4f outside 0.95 ± %.4f", got, band)
	}
	t.Logf("i.i.d. normal: batch-means coverage %.4f", got)
}

func TestBatchMeansCoversMeanOfAR1WhereNaiveIntervalFails(t *testing.T) {
	if testing.Short() {
		t.Skip("6.5M AR(1) steps")
	}
	// X_t = mu + phi·(X_{t-1} - mu) + e_t with e_t ~ N(0,1), started in the stationary
	// law N(mu, 1/(1-phi²)). The integrated correlation time is τ = (1+phi)/(1-phi) = 19,
	// so Var(mean) ≈ τ·σ_X²/n.
	//
	// Naive i.i.d. interval: 1.96·σ_X/√n is 1/√19 of what it should be, so its coverage is
	// 2Φ(1.96/√19) - 1 = 2Φ(0.4497) - 1 = 0.347 (the finite-n corrections, τ/n and
	// 2phi/(n(1-phi)²), are below 0.1%). Band: 0.347 ± 3·sqrt(0.347·0.653/400) = ± 0.0714.
	//
	// Batch means: n = 16384 gives 32 batches of 512 ≫ τ. The lag-1 correlation of batch
	// means is ≈ phi/((1-phi)²·m·18.65) = 0.0094, which shrinks the estimated standard
	// error by ≈ 1%, so the true coverage is ≈ P(|T_31| < 0.991·2.0395) ≈ 0.948; we test
	// against the 95% band 0.95 ± 0.0327, which contains it with room to spare.
	const n, mu, phi = 16384, 5.0, 0.9
	coveredBM, coveredNaive := 0, 0
	for run := range coverageRuns {
		rng := rand.New(rand.NewPCG(77, uint64(run)))
		b, _ := NewBatchMeans(20)
		var naive naiveCI
		x := mu + rng.NormFloat64()/math.Sqrt(1-phi*phi)
		for range n {
			b.Add(x)
			naive.add(x)
			x = mu + phi*(x-mu) + rng.NormFloat64()
		}
		if b.Batches() != 32 || b.BatchSize() != 512 {
			t.Fatalf("got %d batches of %d, want 32 of 512", b.Batches(), b.BatchSize())
		}
		if math.Abs(b.Mean()-mu) <= b.HalfWidth(0.95) {
			coveredBM++
		}
		if math.Abs(naive.mean-mu) <= naive.halfWidth(0.95) {
			coveredNaive++
		}
	}
	bm := float64(coveredBM) / coverageRuns
	nv := float64(coveredNaive) / coverageRuns
	if band := coverageBand(0.95); math.Abs(bm-0.95) > band {
		t.Errorf("batch-means coverage %.4f outside 0.95 ± %.4f", bm, band)
	}
	if band := coverageBand(0.347); math.Abs(nv-0.347) > band {
		t.Errorf("naive coverage %.4f outside 0.347 ± %.4f", nv, band)
	}
	t.Logf("AR(1) phi=0.9: batch-means coverage %.4f, naive i.i.d. coverage %.4f", bm, nv)
}
