package apigateway

import (
	"math/rand/v2"
	"time"

	"msgsim/models/core"
	"msgsim/models/service"
)

// cache is the REST response cache of one stage (§6.3) under a key-cardinality model:
// each request has a key (uniform over Keys keys, or an attribute's value); a request is
// a hit when it arrives within TTL of the last miss of its key, and a miss fills the
// key's entry at once. Entries live in a direct-mapped table of Capacity slots (memory
// bound): with Keys ≤ Capacity each key has a slot of its own; otherwise a key's slot is
// its hash modulo Capacity, and keys sharing a slot evict each other.
//
// For Poisson requests at rate λ_k on a key, the entry is a renewal process: a miss opens
// a window of length TTL in which every request hits (λ_k·TTL of them on average), then
// the next request misses. A cycle holds 1 miss and λ_k·TTL hits on average, so the hit
// probability is λ_k·TTL / (1 + λ_k·TTL) = 1 − 1/(1 + λ_k·TTL).
type cache struct {
	ttl   time.Duration
	keys  int
	attr  *service.AttrKey
	slots []cacheEntry
}

type cacheEntry struct {
	key   uint64
	until time.Duration // the entry serves hits before this time
	used  bool
}

func newCache(w *core.World, c *Cache) *cache {
	k := &cache{ttl: c.TTL, keys: c.Keys, slots: make([]cacheEntry, c.Capacity)}
	if c.KeyAttr != "" {
		k.attr = service.NewAttrKey(w, c.KeyAttr)
	}
	return k
}

// lookup reports whether the request m at time now is a cache hit, filling the entry on a
// miss. A request without the key attribute is never cached (a miss that fills nothing).
func (c *cache) lookup(now time.Duration, m core.MsgID, rng *rand.Rand) bool {
	var key uint64
	var idx int
	if c.attr != nil {
		h, ok := c.attr.Hash(m)
		if !ok {
			return false
		}
		key, idx = h, core.Spread(h, len(c.slots))
	} else {
		key = uint64(rng.IntN(c.keys))
		if c.keys <= len(c.slots) {
			idx = int(key)
		} else {
			idx = core.Spread(core.Mix64(key), len(c.slots))
		}
	}
	e := &c.slots[idx]
	if e.used && e.key == key && now < e.until {
		return true
	}
	*e = cacheEntry{key: key, until: now + c.ttl, used: true}
	return false
}
