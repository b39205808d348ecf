package sim

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
)

// expRefPrec is the precision of the reference e^x: 160 bits, 107 more than float64, so the
// reference's own error (a few units of 2^-160 relative) is ~2^-105 ulp, invisible in the
// measured errors.
const expRefPrec = 160

// expRefLn2 is ln 2 to 200 bits, from ln 2 = 2·atanh(1/3) = 2·Σ_{j≥0} 3^-(2j+1)/(2j+1), whose
// terms shrink by 9× each: 70 terms give 2^-220.
var expRefLn2 = sync.OnceValue(func() *big.Float {
	const prec = 200
	sum := new(big.Float).SetPrec(prec)
	pow := new(big.Float).SetPrec(prec).Quo(big.NewFloat(1).SetPrec(prec), big.NewFloat(3)) // 3^-(2j+1)
	ninth := new(big.Float).SetPrec(prec).Quo(big.NewFloat(1).SetPrec(prec), big.NewFloat(9))
	term := new(big.Float).SetPrec(prec)
	for j := 0; j < 70; j++ {
		term.Quo(pow, new(big.Float).SetInt64(int64(2*j+1)))
		sum.Add(sum, term)
		pow.Mul(pow, ninth)
	}
	return sum.Mul(sum, big.NewFloat(2))
})

// expRef returns e^x to expRefPrec bits, independently of the code under test: x = k·ln2 + r
// with k = round(x/ln2) and |r| ≤ 0.35, then e^r = (e^(r/2^8))^(2^8) with e^(r/2^8) from its
// Taylor series summed until a term is below 2^-200 (|r/2^8| < 2^-9, so ~20 terms), and
// e^x = 2^k·e^r. The 8 squarings multiply the relative error by 2^8: 2^-200·2^8 ≪ 2^-160.
func expRef(x float64) *big.Float {
	const prec = 210
	ln2 := expRefLn2()
	k := math.Round(x / math.Ln2)
	r := new(big.Float).SetPrec(prec).SetFloat64(x)
	r.Sub(r, new(big.Float).SetPrec(prec).Mul(ln2, big.NewFloat(k)))
	r.SetMantExp(r, -8)
	sum := big.NewFloat(1).SetPrec(prec)
	term := big.NewFloat(1).SetPrec(prec)
	eps := big.NewFloat(0x1p-200)
	for n := int64(1); ; n++ {
		term.Mul(term, r)
		term.Quo(term, new(big.Float).SetInt64(n))
		sum.Add(sum, term)
		if new(big.Float).Abs(term).Cmp(eps) < 0 {
			break
		}
	}
	for range 8 {
		sum.Mul(sum, sum)
	}
	sum.SetMantExp(sum, int(k))
	return sum.SetPrec(expRefPrec)
}

// ulpError is |got - want| in units in the last place of want's float64 binade: want =
// m·2^e with m in [0.5, 1), so a float64 there has ulp 2^(e-53).
func ulpError(got float64, want *big.Float) float64 {
	d := new(big.Float).SetPrec(expRefPrec).SetFloat64(got)
	d.Sub(d, want)
	e := want.MantExp(nil)
	f, _ := d.SetMantExp(d, 53-e).Float64()
	return math.Abs(f)
}

func TestExpReferenceMatchesKnownConstants(t *testing.T) {
	cases := []struct {
		name   string
		got    *big.Float
		digits string // the value to 40 significant digits
	}{
		{"ln 2", expRefLn2(), "0.6931471805599453094172321214581765680755"},
		{"e^1", expRef(1), "2.718281828459045235360287471352662497757"},
		{"e^-1", expRef(-1), "0.3678794411714423215955237701614608674458"},
		{"e^10", expRef(10), "22026.46579480671651695790064528424436635"},
		{"e^-20", expRef(-20), "2.061153622438557827965940380155820976376e-9"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, _, err := big.ParseFloat(c.digits, 10, expRefPrec, big.ToNearestEven)
			if err != nil {
				t.Fatal(err)
			}
			diff := new(big.Float).Sub(c.got, want)
			diff.Quo(diff, want)
			if rel, _ := diff.Float64(); math.Abs(rel) > 1e-39 { // 40 digits: half a unit in the 40th
				t.Errorf("got %s, want %s (relative error %g)", c.got.Text('g', 45), c.digits, rel)
			}
		})
	}
}

// expTableExact computes expTable from its definition with math/big: 2^(i/N) is the 7-fold
// square root of 2^i (each math/big Sqrt is correctly rounded at 256 bits, so the result is
// good to ~2^-253), H is its nearest float64 (big.Float.Float64 rounds to nearest even), and
// tail = 2^(i/N)/H - 1 rounded to the nearest float64.
func expTableExact() [expN]expEntry {
	const prec = 256
	var tab [expN]expEntry
	for i := range expN {
		v := new(big.Float).SetPrec(prec).SetInt(new(big.Int).Lsh(big.NewInt(1), uint(i))) // 2^i
		for range expTableBits {
			v.Sqrt(v)
		}
		h, _ := v.Float64()
		tail := new(big.Float).SetPrec(prec).Quo(v, big.NewFloat(h))
		tail.Sub(tail, big.NewFloat(1))
		tf, _ := tail.Float64()
		tab[i] = expEntry{tail: tf, sbits: math.Float64bits(h) - uint64(i)<<(52-expTableBits)}
	}
	return tab
}

// TestExpTableIsExact regenerates expTable and, if it differs, prints the Go literal to paste
// into exp.go.
func TestExpTableIsExact(t *testing.T) {
	want := expTableExact()
	if want == expTable {
		return
	}
	var b strings.Builder
	b.WriteString("var expTable = [expN]expEntry{\n")
	for i, e := range want {
		fmt.Fprintf(&b, "\t{%s, %#016x}, // %d\n", strings.Replace(fmt.Sprintf("%x", e.tail), "0x0p+00", "0", 1), e.sbits, i)
	}
	b.WriteString("}\n")
	for i := range want {
		if want[i] != expTable[i] {
			t.Errorf("expTable[%d] = {%x, %#x}, want {%x, %#x}", i, expTable[i].tail, expTable[i].sbits, want[i].tail, want[i].sbits)
			break
		}
	}
	t.Logf("the exact table:\n%s", b.String())
}

// expMaxULP is the error bound of the method, from its source's analysis (musl exp.c): at most
// 0.5 (the final rounding) + 1.11/N (rounding of T and of the intermediate sums) + 0.25/N
// (no FMA) + 2^53·1.555·2^-66 (the polynomial's absolute error), plus 2^-13 for a subnormal
// s·tmp near x = -700 (see expFastLimit) = 0.5109 ulp.
const expMaxULP = 0.5 + 1.11/expN + 0.25/expN + 1.555*0x1p-13 + 0x1p-13

// TestExpAccuracy measures the maximum error of exp in ulps against expRef and fails if it
// exceeds expMaxULP (and so 1 ulp); a wrong table entry or coefficient makes it fail. It logs
// math.Exp's error on the same inputs for comparison.
func TestExpAccuracy(t *testing.T) {
	n := 200_000
	if testing.Short() {
		n = 4_000
	}
	cases := []struct {
		name  string
		share int // arguments drawn: n/share
		x     func(rng *rand.Rand) float64
	}{
		{"uniform over the fast range (-700, 700)", 1, func(rng *rand.Rand) float64 {
			return (2*rng.Float64() - 1) * expFastLimit
		}},
		{"lognormal draws mu+sigma·z, mu in [ln 1e-4, ln 10], z in [-8, 8]", 1, func(rng *rand.Rand) float64 {
			mu := math.Log(1e-4) + rng.Float64()*(math.Log(10)-math.Log(1e-4))
			sigma := 2 * rng.Float64()
			return mu + sigma*(16*rng.Float64()-8)
		}},
		{"small arguments |x| < ln2/128, where k = 0", 4, func(rng *rand.Rand) float64 {
			return (2*rng.Float64() - 1) * math.Ln2 / expN
		}},
		{"tiny arguments |x| < 2^-20", 4, func(rng *rand.Rand) float64 {
			return (2*rng.Float64() - 1) * 0x1p-20
		}},
		{"near the table boundaries (j+1/2)·ln2/N", 4, func(rng *rand.Rand) float64 {
			j := float64(rng.IntN(2*expN*20) - expN*20)
			return (j+0.5)*math.Ln2/expN + (2*rng.Float64()-1)*0x1p-40
		}},
		{"large negative arguments (-700, -690), results near 2^-1010", 4, func(rng *rand.Rand) float64 {
			return -expFastLimit + 10*rng.Float64()
		}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(2026, uint64(i)))
			var worst, worstMath float64
			var worstX float64
			for range n / c.share {
				x := c.x(rng)
				want := expRef(x)
				if e := ulpError(exp(x), want); e > worst {
					worst, worstX = e, x
				}
				worstMath = max(worstMath, ulpError(math.Exp(x), want))
			}
			t.Logf("%d arguments: exp max error %.4f ulp (at x = %v), math.Exp %.4f ulp", n/c.share, worst, worstX, worstMath)
			if worst > expMaxULP {
				t.Errorf("max error %.4f ulp at x = %v (%x), want ≤ %.4f", worst, worstX, worstX, expMaxULP)
			}
		})
	}
}

// TestExpMatchesMathExpOnSpecialCases checks that exp returns exactly math.Exp's bits on
// special values, on every argument handed to math.Exp (|x| ≥ 700) and on arguments where
// both are exact or trivially rounded.
func TestExpMatchesMathExpOnSpecialCases(t *testing.T) {
	const (
		overflow  = 7.09782712893383973096e+02  // largest x with e^x finite
		minNormal = -7.08396418532264106224e+02 // e^x = 2^-1022, smallest normal
		underflow = -7.45133219101941108420e+02 // e^x rounds to 2^-1074, smallest subnormal
	)
	around := func(x float64) []float64 {
		return []float64{math.Nextafter(x, math.Inf(-1)), x, math.Nextafter(x, math.Inf(1))}
	}
	cases := []struct {
		name string
		xs   []float64
	}{
		{"NaN", []float64{math.NaN(), math.Float64frombits(0xfff8000000000001)}},
		{"+Inf and -Inf", []float64{math.Inf(1), math.Inf(-1)}},
		{"zero and minus zero give exactly 1", []float64{0, math.Copysign(0, -1)}},
		{"tiny arguments give 1 or its neighbour, as math.Exp does", []float64{math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64,
			0x1p-60, -0x1p-60, 0x1p-53, -0x1p-54, 0x1p-1022, -0x1p-1022}},
		{"the fallback boundary ±700 and past it", append(around(expFastLimit)[1:], around(-expFastLimit)[:2]...)},
		{"around the overflow threshold", around(overflow)},
		{"around the smallest normal result", around(minNormal)},
		{"around the underflow to zero", around(underflow)},
		{"largest finite arguments", []float64{math.MaxFloat64, -math.MaxFloat64, 1000, -1000}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, x := range c.xs {
				got, want := exp(x), math.Exp(x)
				if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
					t.Errorf("exp(%v) = %v (%#x), math.Exp gives %v (%#x)", x, got, math.Float64bits(got), want, math.Float64bits(want))
				}
			}
		})
	}
}

// TestExpNearTheFallbackBoundary checks the fast path's largest arguments, just inside ±700:
// finite, normal, and within expMaxULP of the exact value.
func TestExpNearTheFallbackBoundary(t *testing.T) {
	for _, x := range []float64{math.Nextafter(expFastLimit, 0), math.Nextafter(-expFastLimit, 0), 699.9, -699.9} {
		got := exp(x)
		if e := ulpError(got, expRef(x)); e > expMaxULP || got < 0x1p-1022 || math.IsInf(got, 0) {
			t.Errorf("exp(%v) = %v, error %.4f ulp, want a normal float64 within %.4f ulp", x, got, e, expMaxULP)
		}
	}
}

// TestExpIsMonotonic checks that exp never decreases over runs of consecutive float64s
// around a few points, including the table's switching points (j+1/2)·ln2/N where k changes.
func TestExpIsMonotonic(t *testing.T) {
	points := []struct {
		name string
		x    float64
	}{
		{"zero", 0},
		{"one", 1},
		{"first table switch ln2/2N", 0.5 * math.Ln2 / expN},
		{"a negative table switch -37.5·ln2/N", -37.5 * math.Ln2 / expN},
		{"the switch to the next power of two, (8 - 1/2N)·ln2", (8*expN - 0.5) * math.Ln2 / expN},
		{"a typical latency draw ln 0.004", math.Log(0.004)},
		{"-700", -700},
		{"700", 700},
	}
	const run = 20_000 // consecutive float64s either side
	for _, p := range points {
		t.Run(p.name, func(t *testing.T) {
			x := p.x
			for range run {
				x = math.Nextafter(x, math.Inf(-1))
			}
			prev := exp(x)
			for range 2 * run {
				x = math.Nextafter(x, math.Inf(1))
				if y := exp(x); y < prev {
					t.Fatalf("exp(%v) = %v < exp(previous float64) = %v", x, y, prev)
				} else {
					prev = y
				}
			}
		})
	}
}

// FuzzExp checks that exp never panics and agrees with math.Exp: the same bits where exp
// defers to it (|x| ≥ 700, NaN), otherwise the same or adjacent float64s or, where they are
// further apart, exp within expMaxULP of the exact value. (math.Exp on amd64 is off by up to
// 1.7 ulp, as TestExpAccuracy logs, so they can be two float64s apart, math.Exp the wrong one.)
func FuzzExp(f *testing.F) {
	for _, x := range []float64{0, 1, -1, 0.5, 0.33079741752500946, math.Log(0.004), 700, -700, 709.8, -745.2, math.Inf(1), math.NaN(), 1e-300} {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, x float64) {
		got, want := exp(x), math.Exp(x)
		if !(math.Abs(x) < expFastLimit) {
			if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Fatalf("exp(%v) = %v, math.Exp gives %v", x, got, want)
			}
			return
		}
		d := int64(math.Float64bits(got)) - int64(math.Float64bits(want))
		if d >= -1 && d <= 1 {
			return
		}
		if e := ulpError(got, expRef(x)); e > expMaxULP {
			t.Fatalf("exp(%v) = %v (%#x) is %.4f ulp from the exact value, want ≤ %.4f (math.Exp gives %v, %d float64s away)",
				x, got, math.Float64bits(got), e, expMaxULP, want, d)
		}
	})
}

// expBenchInputs are lognormal-draw arguments: mu = ln 4 ms, sigma 0.7, z standard normal.
func expBenchInputs() []float64 {
	rng := rand.New(rand.NewPCG(1, 2))
	xs := make([]float64, 1024)
	for i := range xs {
		xs[i] = math.Log(0.004) + 0.7*rng.NormFloat64()
	}
	return xs
}

// expSink keeps benchmark results alive.
var expSink float64

// BenchmarkExp measures exp's throughput (independent calls over lognormal-draw arguments)
// and latency (each argument depends on the previous result, as in x = mu + e^x·2^-60).
func BenchmarkExp(b *testing.B) {
	xs := expBenchInputs()
	b.Run("throughput", func(b *testing.B) {
		var s float64
		for i := 0; b.Loop(); i++ {
			s += exp(xs[i&1023])
		}
		expSink = s
	})
	b.Run("latency", func(b *testing.B) {
		var y float64
		for i := 0; b.Loop(); i++ {
			y = exp(xs[i&1023] + y*0x1p-60)
		}
		expSink = y
	})
}

// BenchmarkMathExp is BenchmarkExp for math.Exp.
func BenchmarkMathExp(b *testing.B) {
	xs := expBenchInputs()
	b.Run("throughput", func(b *testing.B) {
		var s float64
		for i := 0; b.Loop(); i++ {
			s += math.Exp(xs[i&1023])
		}
		expSink = s
	})
	b.Run("latency", func(b *testing.B) {
		var y float64
		for i := 0; b.Loop(); i++ {
			y = math.Exp(xs[i&1023] + y*0x1p-60)
		}
		expSink = y
	})
}
