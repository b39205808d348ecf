// Package handloop is a hand-written M/M/c event loop with no library: a binary heap of
// float64 event times, exponential draws, a FIFO line as a ring of arrival times. It is the
// baseline `make bench-peers` divides msgsim's M/M/10 speed by — what a programmer would
// write for this one model, without a general engine, models, metrics or a message pool.
// It shares nothing with msgsim.
package handloop

import (
	"math/rand/v2"
)

// Result is what one run measured.
type Result struct {
	Customers   int64   // arrivals, warm-up included
	Measured    int64   // departures of customers after the warm-up (the first 5%)
	MeanSojourn float64 // seconds
	Events      int64   // arrivals plus departures processed
}

// MMc simulates n customers of an M/M/c FIFO queue (arrival rate lam, service rate mu per
// server) and returns the mean sojourn of all but the first 5% of them.
func MMc(lam, mu float64, c int, n int64, seed uint64) Result {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	var dep heap                     // customers in service, by departure time
	line := make([]waiting, 0, 1024) // line[head:] wait in FIFO order
	head := 0
	warm := n / 20
	var res Result
	var sum float64
	nextArr := rng.ExpFloat64() / lam
	for res.Customers < n || dep.len() > 0 {
		res.Events++
		if res.Customers < n && (dep.len() == 0 || nextArr < dep.min()) {
			now := nextArr
			res.Customers++
			if dep.len() < c {
				dep.push(item{t: now + rng.ExpFloat64()/mu, arr: now, id: res.Customers})
			} else {
				line = append(line, waiting{arr: now, id: res.Customers})
			}
			nextArr = now + rng.ExpFloat64()/lam
			continue
		}
		it := dep.pop()
		now := it.t
		if it.id > warm {
			sum += now - it.arr
			res.Measured++
		}
		if head < len(line) {
			w := line[head]
			head++
			if head > 4096 && head*2 > len(line) { // reuse the front of the slice
				line = append(line[:0], line[head:]...)
				head = 0
			}
			dep.push(item{t: now + rng.ExpFloat64()/mu, arr: w.arr, id: w.id})
		}
	}
	if res.Measured > 0 {
		res.MeanSojourn = sum / float64(res.Measured)
	}
	return res
}

// waiting is a customer in the line: its arrival time and arrival number.
type waiting struct {
	arr float64
	id  int64
}

// item is a customer in service: its departure time, arrival time and arrival number.
type item struct {
	t, arr float64
	id     int64
}

// heap is a binary min-heap of items by departure time.
type heap struct{ a []item }

func (h *heap) len() int     { return len(h.a) }
func (h *heap) min() float64 { return h.a[0].t }
func (h *heap) push(it item) { h.a = append(h.a, it); h.up(len(h.a) - 1) }
func (h *heap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if h.a[p].t <= h.a[i].t {
			return
		}
		h.a[p], h.a[i] = h.a[i], h.a[p]
		i = p
	}
}

func (h *heap) pop() item {
	top := h.a[0]
	last := len(h.a) - 1
	h.a[0] = h.a[last]
	h.a = h.a[:last]
	i := 0
	for {
		l := 2*i + 1
		if l >= last {
			break
		}
		m := l
		if r := l + 1; r < last && h.a[r].t < h.a[l].t {
			m = r
		}
		if h.a[i].t <= h.a[m].t {
			break
		}
		h.a[i], h.a[m] = h.a[m], h.a[i]
		i = m
	}
	return top
}
