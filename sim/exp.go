package sim

import "math"

// exp returns e^x, like math.Exp but with half its latency (a dependency chain of ~13
// floating-point operations instead of ~25; see BenchmarkExp) and a smaller error: at most
// 0.507 ulp on the 600,000 arguments of TestExpAccuracy, lognormal-draw arguments included
// (0.5085 in a run with 1.2 million; the method's bound is 0.511), against a 160-bit
// math/big reference, where math.Exp on amd64 is off by up to 1.72 ulp. It exists because
// every lognormal and Pareto draw calls exp, and Go's amd64 math.Exp (a Taylor series on
// x/16, then four squarings, all dependent) took ~10% of the simulator's CPU time.
//
// The method is the table-driven exp of ARM's optimized-routines, also in musl
// (Szabolcs Nagy, 2018, MIT licence; src/math/exp.c and exp_data.c), without its special
// cases: with N = 128,
//
//	x = k·ln2/N + r,  k = round(x·N/ln2),  |r| ≤ ln2/2N (+ rounding slack)
//	e^x = 2^(k/N) · e^r = 2^(k>>7) · 2^((k mod N)/N) · e^r
//
// k is rounded by adding and subtracting 1.5·2^52 (the sum's low mantissa bits are k);
// r = x - k·ln2hi/N - k·ln2lo/N (Cody–Waite: ln2hi/N has 17 trailing zero bits and |k| < 2^17,
// so k·ln2hi/N is exact); 2^((k mod N)/N) = H·(1 + T) comes from expTable (H the nearest
// float64, T the relative rounding error of H, which recovers ~0.5 ulp of accuracy); the
// power 2^(k>>7) is added into H's exponent bits; and e^r - 1 is a degree-5 polynomial
// (coefficients from the same source, absolute error 1.555·2^-66 on |r| ≤ ln2/256) evaluated
// in Estrin form, so the dependency chain is short. The result is s + s·tmp with s = H·2^(k>>7)
// and tmp = T + (e^r - 1).
//
// Products are converted with float64(...) before they are added, which forbids the compiler
// from fusing them into FMA instructions on architectures where it otherwise would (arm64,
// ppc64, s390x): exp returns the same bits on every platform, so a seed reproduces a run
// exactly everywhere. (math.Exp does not: on amd64 it uses FMA only on CPUs that have it.)
//
// Arguments with |x| ≥ 700 and NaN go to math.Exp, so every special case (±Inf, NaN,
// overflow to +Inf, underflow to 0 or a subnormal) is exactly math.Exp's. The limit keeps the
// result above 2^-1009: closer to the subnormal range, s·tmp would itself be subnormal and lose
// up to 0.25 ulp of the result (musl rescales there instead; the simulator never needs it).
// Tiny arguments need no special case: k = 0, s = 1 and the result is 1 + x (+ x²/2 when it
// matters).
func exp(x float64) float64 {
	if !(math.Abs(x) < expFastLimit) {
		return math.Exp(x)
	}
	z := float64(x * expInvLn2N)
	kd := z + expShift // rounds z to the nearest integer k, held in kd's low mantissa bits
	ki := math.Float64bits(kd)
	kd -= expShift
	r := x + float64(kd*expNegLn2hiN) + float64(kd*expNegLn2loN)
	e := &expTable[ki%expN]
	// ki<<45 puts k's bits from the 8th up at the exponent field (bit 52 on, modulo 2^64);
	// its low 7 bits land on the mantissa's top, where the table entry has subtracted them.
	s := math.Float64frombits(e.sbits + ki<<(52-expTableBits))
	r2 := float64(r * r)
	p01 := e.tail + r
	p23 := expC2 + float64(r*expC3)
	p45 := expC4 + float64(r*expC5)
	tmp := p01 + float64(r2*p23) + float64(float64(r2*r2)*p45)
	return s + float64(s*tmp)
}

const (
	expTableBits = 7
	expN         = 1 << expTableBits
	// expFastLimit bounds the arguments exp computes itself: e^±700 is 1.0e304 = 2^1009.9 and
	// 9.9e-305 = 2^-1009.9, well inside the normal float64 range [2^-1022, 2^1024). Near 2^-1022
	// the product s·tmp (|tmp| < 2^-8) is subnormal; from 2^-1009.9 its rounding error, at most
	// 2^-1075, is below 2^-13 ulp of the result.
	expFastLimit = 700

	expInvLn2N   = 0x1.71547652b82fep0 * expN // N/ln2
	expShift     = 0x1.8p52                   // 1.5·2^52: adding it rounds to an integer
	expNegLn2hiN = -0x1.62e42fefa0000p-8      // -ln2/N, high part (17 trailing zero bits)
	expNegLn2loN = -0x1.cf79abc9e3b3ap-47     // -ln2/N - expNegLn2hiN

	// e^r - 1 ≈ r + C2·r² + C3·r³ + C4·r⁴ + C5·r⁵ on |r| ≤ ln2/256 (musl exp_data.c).
	expC2 = 0x1.ffffffffffdbdp-2
	expC3 = 0x1.555555555543cp-3
	expC4 = 0x1.55555cf172b91p-5
	expC5 = 0x1.1111167a4d017p-7
)

// expEntry is one row of expTable: 2^(i/N) = H·(1 + tail), H the float64 nearest to
// 2^(i/N), stored as sbits = bits(H) - i<<45 so that adding k<<45 (k ≡ i mod N) yields the
// bits of H·2^(k>>7) directly.
type expEntry struct {
	tail  float64
	sbits uint64
}

// expTable holds 2^(i/N) for i in [0, N). It is generated, and checked to be exact, by
// TestExpTableIsExact (which computes it with math/big and prints it when it differs).
var expTable = [expN]expEntry{
	{0, 0x3ff0000000000000},                      // 0
	{0x1.b3b4f1a88bf6ep-54, 0x3feff63da9fb3335},  // 1
	{-0x1.160139cd8dc5dp-56, 0x3fefec9a3e778061}, // 2
	{-0x1.05e7a108766d1p-54, 0x3fefe315e86e7f85}, // 3
	{0x1.cd2523567f613p-55, 0x3fefd9b0d3158574},  // 4
	{-0x1.bce8023f98efap-55, 0x3fefd06b29ddf6de}, // 5
	{0x1.0f74e61e6c861p-57, 0x3fefc74518759bc8},  // 6
	{0x1.0a3e45b33d399p-54, 0x3fefbe3ecac6f383},  // 7
	{0x1.79aa65d837b6dp-54, 0x3fefb5586cf9890f},  // 8
	{0x1.eb51a92fdeffcp-55, 0x3fefac922b7247f7},  // 9
	{0x1.ebe3d702f9cd1p-60, 0x3fefa3ec32d3d1a2},  // 10
	{-0x1.a033489906e0bp-57, 0x3fef9b66affed31b}, // 11
	{-0x1.556522a2fbd0ep-54, 0x3fef9301d0125b51}, // 12
	{-0x1.080ef8c4eea55p-58, 0x3fef8abdc06c31cc}, // 13
	{-0x1.1c923b9d5f416p-54, 0x3fef829aaea92de0}, // 14
	{0x1.0d3e3e95c55afp-55, 0x3fef7a98c8a58e51},  // 15
	{-0x1.01b15eaa59348p-55, 0x3fef72b83c7d517b}, // 16
	{-0x1.f1ff055de323dp-55, 0x3fef6af9388c8dea}, // 17
	{0x1.b898c3f1353bfp-55, 0x3fef635beb6fcb75},  // 18
	{-0x1.6d99c7611eb26p-54, 0x3fef5be084045cd4}, // 19
	{0x1.aecf73e3a2f6p-54, 0x3fef54873168b9aa},   // 20
	{-0x1.fe782cb86389dp-55, 0x3fef4d5022fcd91d}, // 21
	{0x1.a6f4144a6c38dp-55, 0x3fef463b88628cd6},  // 22
	{0x1.07a05b0e4047dp-55, 0x3fef3f49917ddc96},  // 23
	{0x1.68efde3a8a894p-54, 0x3fef387a6e756238},  // 24
	{0x1.75e18f274487dp-55, 0x3fef31ce4fb2a63f},  // 25
	{0x1.0472b981fe7f2p-55, 0x3fef2b4565e27cdd},  // 26
	{-0x1.6b87b3f71085ep-54, 0x3fef24dfe1f56381}, // 27
	{0x1.2f7e16d09ab31p-55, 0x3fef1e9df51fdee1},  // 28
	{-0x1.d219b1a6fbffap-60, 0x3fef187fd0dad990}, // 29
	{0x1.b3782720c0ab4p-55, 0x3fef1285a6e4030b},  // 30
	{0x1.e149289cecb8fp-57, 0x3fef0cafa93e2f56},  // 31
	{0x1.34d754db0abb6p-55, 0x3fef06fe0a31b715},  // 32
	{0x1.64201e2ac744cp-55, 0x3fef0170fc4cd831},  // 33
	{0x1.fdd395dd3f84ap-55, 0x3feefc08b26416ff},  // 34
	{-0x1.6a3803b8e5b04p-55, 0x3feef6c55f929ff1}, // 35
	{-0x1.24aedcc4b5068p-54, 0x3feef1a7373aa9cb}, // 36
	{-0x1.907f81b512d8ep-54, 0x3feeecae6d05d866}, // 37
	{-0x1.1d1e83e9436d2p-56, 0x3feee7db34e59ff7}, // 38
	{-0x1.91919b3ce1b15p-54, 0x3feee32dc313a8e5}, // 39
	{0x1.59f48a72a4c6dp-55, 0x3feedea64c123422},  // 40
	{-0x1.312607a28698ap-54, 0x3feeda4504ac801c}, // 41
	{-0x1.8a78f4817895bp-58, 0x3feed60a21f72e2a}, // 42
	{-0x1.c2c9b67499a1bp-56, 0x3feed1f5d950a897}, // 43
	{0x1.363ed60c2ac11p-59, 0x3feece086061892d},  // 44
	{0x1.666093b0664efp-54, 0x3feeca41ed1d0057},  // 45
	{0x1.ecce1daa10379p-57, 0x3feec6a2b5c13cd0},  // 46
	{0x1.3ff8e3f0f123p-54, 0x3feec32af0d7d3de},   // 47
	{0x1.690cebb7aafbp-56, 0x3feebfdad5362a27},   // 48
	{0x1.31dbdeb54e077p-54, 0x3feebcb299fddd0d},  // 49
	{-0x1.f94340071a38ep-55, 0x3feeb9b2769d2ca7}, // 50
	{-0x1.7deccdc93a349p-55, 0x3feeb6daa2cf6642}, // 51
	{-0x1.8dec6bd0f385fp-56, 0x3feeb42b569d4f82}, // 52
	{-0x1.61246ec7b5cf6p-55, 0x3feeb1a4ca5d920f}, // 53
	{0x1.3350518fdd78ep-54, 0x3feeaf4736b527da},  // 54
	{0x1.b98b72f8a9b05p-56, 0x3feead12d497c7fd},  // 55
	{0x1.063e1e21c5409p-54, 0x3feeab07dd485429},  // 56
	{0x1.4c7855019c6eap-60, 0x3feea9268a5946b7},  // 57
	{0x1.432e62b64c035p-54, 0x3feea76f15ad2148},  // 58
	{-0x1.ce44a6199769fp-55, 0x3feea5e1b976dc09}, // 59
	{-0x1.c33c53bef4da8p-55, 0x3feea47eb03a5585}, // 60
	{-0x1.45378892be9aep-55, 0x3feea34634ccc320}, // 61
	{-0x1.3cedd78565858p-54, 0x3feea23882552225}, // 62
	{0x1.710aa807e1964p-58, 0x3feea155d44ca973},  // 63
	{-0x1.3b3efbf5e2228p-54, 0x3feea09e667f3bcd}, // 64
	{-0x1.a12ad8734b982p-57, 0x3feea012750bdabf}, // 65
	{-0x1.367efb86da9eep-57, 0x3fee9fb23c651a2f}, // 66
	{-0x1.0dc3d54e08851p-55, 0x3fee9f7df9519484}, // 67
	{-0x1.81f647e5a3ecfp-56, 0x3fee9f75e8ec5f74}, // 68
	{-0x1.6ee4ac08b7dbp-55, 0x3fee9f9a48a58174},  // 69
	{-0x1.619321e55e68ap-55, 0x3fee9feb564267c9}, // 70
	{0x1.09ccb5e09d4d3p-54, 0x3feea0694fde5d3f},  // 71
	{-0x1.b32dcb94da51dp-56, 0x3feea11473eb0187}, // 72
	{0x1.4ecfd5467c06bp-54, 0x3feea1ed0130c132},  // 73
	{0x1.5ebe1abd66c55p-57, 0x3feea2f336cf4e62},  // 74
	{-0x1.8a1c52fb3cf42p-55, 0x3feea427543e1a12}, // 75
	{-0x1.369b6f13b3734p-54, 0x3feea589994cce13}, // 76
	{-0x1.05e843a19ff1ep-55, 0x3feea71a4623c7ad}, // 77
	{-0x1.4d450d872576ep-54, 0x3feea8d99b4492ed}, // 78
	{0x1.0ad675b0e8ap-54, 0x3feeaac7d98a6699},    // 79
	{0x1.db72fc1f0eab4p-55, 0x3feeace5422aa0db},  // 80
	{-0x1.5b6609cc5e7ffp-57, 0x3feeaf3216b5448c}, // 81
	{0x1.bf68359f35f44p-56, 0x3feeb1ae99157736},  // 82
	{-0x1.3091fa71e3d83p-54, 0x3feeb45b0b91ffc6}, // 83
	{-0x1.da9b88b6c1e29p-58, 0x3feeb737b0cdc5e5}, // 84
	{-0x1.c23f97c90b959p-57, 0x3feeba44cbc8520f}, // 85
	{-0x1.2434322f4f9aap-54, 0x3feebd829fde4e50}, // 86
	{-0x1.5ca6cd7668e4bp-55, 0x3feec0f170ca07ba}, // 87
	{0x1.1affc2b91ce27p-56, 0x3feec49182a3f090},  // 88
	{0x1.dd235e10a73bbp-57, 0x3feec86319e32323},  // 89
	{-0x1.7c50422622263p-55, 0x3feecc667b5de565}, // 90
	{0x1.b1c86e3e231d5p-55, 0x3feed09bec4a2d33},  // 91
	{-0x1.1bbd1d3bcbb15p-54, 0x3feed503b23e255d}, // 92
	{0x1.0cc319cee31d2p-54, 0x3feed99e1330b358},  // 93
	{0x1.469846e735ab3p-55, 0x3feede6b5579fdbf},  // 94
	{-0x1.2dfcd978e9db4p-55, 0x3feee36bbfd3f37a}, // 95
	{0x1.c1a7792cb3387p-55, 0x3feee89f995ad3ad},  // 96
	{-0x1.07b8f4ad1d9fap-54, 0x3feeee07298db666}, // 97
	{-0x1.5c3d956dcaebap-58, 0x3feef3a2b84f15fb}, // 98
	{-0x1.0a40e3da6f64p-54, 0x3feef9728de5593a},  // 99
	{-0x1.8d6f438ad9334p-57, 0x3feeff76f2fb5e47}, // 100
	{-0x1.1eee26b588a35p-54, 0x3fef05b030a1064a}, // 101
	{0x1.4ffd70a5fddcdp-56, 0x3fef0c1e904bc1d2},  // 102
	{-0x1.1bdfbfa9298acp-54, 0x3fef12c25bd71e09}, // 103
	{0x1.36eae30af0cb3p-56, 0x3fef199bdd85529c},  // 104
	{0x1.ee3325c9ffd94p-55, 0x3fef20ab5fffd07a},  // 105
	{0x1.4e08fd10959acp-55, 0x3fef27f12e57d14b},  // 106
	{0x1.3cdaf384e1a67p-57, 0x3fef2f6d9406e7b5},  // 107
	{0x1.76b2c6c921968p-57, 0x3fef3720dcef9069},  // 108
	{-0x1.08a1883ccb5d2p-55, 0x3fef3f0b555dc3fa}, // 109
	{-0x1.fad5d3ffffa6fp-55, 0x3fef472d4a07897c}, // 110
	{-0x1.00dae3875a949p-54, 0x3fef4f87080d89f2}, // 111
	{0x1.4a385a63d07a7p-56, 0x3fef5818dcfba487},  // 112
	{-0x1.2919e2040220fp-55, 0x3fef60e316c98398}, // 113
	{0x1.e5a50d5c192acp-55, 0x3fef69e603db3285},  // 114
	{0x1.43a59ac016b4bp-55, 0x3fef7321f301b460},  // 115
	{-0x1.2d52107b43e1fp-55, 0x3fef7c97337b9b5f}, // 116
	{-0x1.92ab93b470dc9p-55, 0x3fef864614f5a129}, // 117
	{0x1.4b604603a88d3p-56, 0x3fef902ee78b3ff6},  // 118
	{0x1.3c5ec519d7271p-55, 0x3fef9a51fbc74c83},  // 119
	{-0x1.ff7128fd391fp-55, 0x3fefa4afa2a490da},  // 120
	{-0x1.dae98e223747dp-55, 0x3fefaf482d8e67f1}, // 121
	{0x1.ec3bc41aa2008p-55, 0x3fefba1bee615a27},  // 122
	{0x1.42b94c3a9eb32p-55, 0x3fefc52b376bba97},  // 123
	{0x1.a64a931d185eep-55, 0x3fefd0765b6e4540},  // 124
	{-0x1.e37bae43be3edp-55, 0x3fefdbfdad9cbe14}, // 125
	{0x1.7893b4d91cd9dp-56, 0x3fefe7c1819e90d8},  // 126
	{0x1.305c14160cc89p-58, 0x3feff3c22b8f71f1},  // 127
}
