package service

import (
	"strings"
	"time"

	"msgsim/models/core"
	"msgsim/sim"
)

// timed is a test client that, at hand-placed times, produces a message (with an
// optional string attribute "key") and calls its callee (or, async, sends it with no
// latency and nobody waiting: a refusal is dropped by the world, counted). It owns a
// called message until the reply, then consumes it. It declares its attribute schema, so
// AttrKey finds "key".
type timed struct {
	w       *core.World
	id      core.ComponentID
	h       sim.HandlerID
	index   int32
	to      core.ComponentID
	async   bool
	size    int32
	keys    []int32 // interned key of each scheduled request, or -1
	msgs    []core.MsgID
	replies []reply
	held    int
}

func newTimed(w *core.World, name string, to core.ComponentID, async bool) *timed {
	c := &timed{w: w, to: to, async: async, size: 100}
	c.id = w.Add(c)
	c.h = w.Eng.Register(c)
	c.index = w.Paths().AddProducer(name)
	return c
}

func (c *timed) Name() string        { return "timed" }
func (c *timed) Holding() int        { return c.held }
func (c *timed) Index() int32        { return c.index }
func (c *timed) AttrNames() []string { return []string{"key"} }

// at schedules one request at each time, with partition/cache key key ("" for none).
func (c *timed) at(key string, ts ...time.Duration) {
	k := int32(core.AttrAbsent)
	if key != "" {
		k = c.w.Strings.ID(key)
	}
	for _, t := range ts {
		_ = c.w.Eng.Schedule(sim.Event{At: t, Target: sim.Target{Handler: c.h}, A: int64(len(c.keys))})
		c.keys = append(c.keys, k)
		c.msgs = append(c.msgs, core.NoMsg)
		c.replies = append(c.replies, reply{status: 255, at: -1})
	}
}

// every schedules n requests from start, one every gap.
func (c *timed) every(key string, start, gap time.Duration, n int) {
	ts := make([]time.Duration, n)
	for i := range ts {
		ts[i] = start + time.Duration(i)*gap
	}
	c.at(key, ts...)
}

func (c *timed) Fire(ev sim.Event) {
	i := int(ev.A)
	m := c.w.Produce(c.index, c.size)
	attrs := c.w.Attrs(m)
	for j := range attrs {
		attrs[j].Str = core.AttrAbsent
	}
	attrs[0].Str = c.keys[i]
	if c.async {
		c.w.Send(m, c.to, 0, core.None, 0)
		return
	}
	c.msgs[i] = m
	c.held++
	c.w.Call(c.id, int64(i), c.to, m)
}

func (c *timed) Done(token int64, st core.Status) {
	c.replies[token] = reply{status: st, at: c.w.Now()}
	c.held--
	c.w.Consume(c.msgs[token], c.id, false)
}

// count is how many replies had status st.
func (c *timed) count(st core.Status) int {
	n := 0
	for _, r := range c.replies {
		if r.status == st {
			n++
		}
	}
	return n
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
