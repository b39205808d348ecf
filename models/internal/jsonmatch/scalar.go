package jsonmatch

import (
	"encoding/json"
	"math"
	"strconv"
)

// Kind is the JSON type of a leaf value.
type Kind uint8

// The kinds of leaf values a condition can test.
const (
	KindString Kind = iota + 1
	KindNumber
	KindBool
	KindNull
)

// Scalar is one leaf value of an event or message: a string, number, bool or null.
// Only the field matching Kind is meaningful.
type Scalar struct {
	Kind Kind
	Str  string
	Num  float64
	Bool bool
}

// StringScalar returns s as a string leaf.
func StringScalar(s string) Scalar { return Scalar{Kind: KindString, Str: s} }

// NumberScalar returns f as a number leaf.
func NumberScalar(f float64) Scalar { return Scalar{Kind: KindNumber, Num: f} }

// scalarOf converts a decoded JSON value to a Scalar. It reports false for objects,
// arrays and types that JSON decoding never produces.
func scalarOf(v any) (Scalar, bool) {
	switch x := v.(type) {
	case string:
		return Scalar{Kind: KindString, Str: x}, true
	case float64:
		return Scalar{Kind: KindNumber, Num: x}, true
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return Scalar{}, false
		}
		return Scalar{Kind: KindNumber, Num: f}, true
	case bool:
		return Scalar{Kind: KindBool, Bool: x}, true
	case nil:
		return Scalar{Kind: KindNull}, true
	case int:
		return Scalar{Kind: KindNumber, Num: float64(x)}, true
	case int64:
		return Scalar{Kind: KindNumber, Num: float64(x)}, true
	case int32:
		return Scalar{Kind: KindNumber, Num: float64(x)}, true
	case uint64:
		return Scalar{Kind: KindNumber, Num: float64(x)}, true
	case float32:
		return Scalar{Kind: KindNumber, Num: float64(x)}, true
	}
	return Scalar{}, false
}

// quantize scales x to an integer count of 10^-decimals units, the precision at which the
// services compare numbers (EventBridge 6 decimals [E-FILTER], SNS 5 [SNS-FPC]); 5 and
// 5.0 therefore compare equal. Values too large to scale exactly are only scaled.
func quantize(x float64, scale float64) float64 {
	y := x * scale
	if math.Abs(y) < 1<<53 {
		return math.Round(y)
	}
	return y
}
