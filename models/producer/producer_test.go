package producer

import (
	"math"
	"testing"
	"time"

	"msgsim/models/core"
)

// collector accepts every message and keeps it.
type collector struct {
	held []core.MsgID
}

func (c *collector) Name() string                     { return "collector" }
func (c *collector) Holding() int                     { return len(c.held) }
func (c *collector) Deliver(m core.MsgID) core.Status { c.held = append(c.held, m); return core.OK }

func TestDuplicatesAreResentWithTheSameDedupIDAtTheConfiguredRate(t *testing.T) {
	w := core.NewWorld(core.Config{Seed: 3, Duration: 1000 * time.Second})
	c := &collector{}
	to := w.Add(c)
	p := New(w, Config{Name: "p", Target: to, Arrival: Poisson{PerSecond: 100}, DedupIDs: true, Duplicates: 0.05, Groups: 4})
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	seen := map[uint64]int{}
	for _, m := range c.held {
		msg := w.Msg(m)
		if msg.Dedup != msg.Trace || msg.Group == core.NoGroup {
			t.Fatalf("message %d: dedup %d group %d", msg.Trace, msg.Dedup, msg.Group)
		}
		seen[msg.Dedup]++
	}
	n := float64(p.Emitted())
	dups := float64(len(c.held)) - n
	// binomial: 4 standard errors of n·p
	if sd := math.Sqrt(n * 0.05 * 0.95); math.Abs(dups-0.05*n) > 4*sd {
		t.Fatalf("%v duplicates of %v messages, want 5%% ± %.0f", dups, n, 4*sd)
	}
	for id, k := range seen {
		if k > 2 {
			t.Fatalf("dedup id %d sent %d times", id, k)
		}
	}
	if err := w.CheckConservation(); err != nil {
		t.Fatal(err)
	}
}
