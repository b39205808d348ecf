package service

import (
	"math"

	"msgsim/models/core"
)

// AttrKey reads the attribute called Name from messages, whatever producer they came
// from. Each producer declares its attribute names (core.AttrSchema); the slot of Name is
// looked up the first time a producer's message is seen and kept in a slice indexed by
// producer, so the hot path reads an array and never hashes a string. Used for DynamoDB
// partition keys here and for API Gateway client and cache keys.
type AttrKey struct {
	w     *core.World
	name  string
	slots []int8 // per producer index: slot of the attribute, absent, or unknown
}

const (
	slotUnknown int8 = -2
	slotAbsent  int8 = -1
)

// NewAttrKey returns a reader of attribute name.
func NewAttrKey(w *core.World, name string) *AttrKey { return &AttrKey{w: w, name: name} }

// Name is the attribute's name.
func (k *AttrKey) Name() string { return k.name }

// Value returns message m's value of the attribute, and false if it has none.
func (k *AttrKey) Value(m core.MsgID) (core.AttrValue, bool) {
	msg := k.w.Msg(m)
	p := msg.Producer
	if p < 0 {
		return core.AttrValue{}, false
	}
	for int(p) >= len(k.slots) {
		k.slots = append(k.slots, slotUnknown)
	}
	if k.slots[p] == slotUnknown {
		k.slots[p] = slotAbsent
		for i, n := range k.w.AttrNames(p) {
			if n == k.name && i < core.MaxAttrs {
				k.slots[p] = int8(i)
				break
			}
		}
	}
	if k.slots[p] == slotAbsent {
		return core.AttrValue{}, false
	}
	v := k.w.Attrs(m)[k.slots[p]]
	if v.Str == core.AttrAbsent {
		return core.AttrValue{}, false
	}
	return v, true
}

// Hash returns a well-mixed 64-bit hash of m's value of the attribute (the same value
// always gives the same hash), and false if m has none.
func (k *AttrKey) Hash(m core.MsgID) (uint64, bool) {
	v, ok := k.Value(m)
	if !ok {
		return 0, false
	}
	if v.Str == core.AttrNumber {
		return core.Mix64(math.Float64bits(v.Num)), true
	}
	return core.Mix64(uint64(v.Str) + 0x9e3779b97f4a7c15), true
}
