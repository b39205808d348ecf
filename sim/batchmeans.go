package sim

import (
	"fmt"
	"math"
)

// BatchMeans estimates the mean of one long, autocorrelated output sequence (the waiting
// times of successive messages in a queue, say) with an honest confidence interval.
//
// Successive observations of a simulation are correlated: in an M/M/1 queue at 90% load a
// long wait is followed by more long waits, and the naive interval s/√n, which assumes
// independence, is several times too narrow. Batch means splits the sequence into b
// consecutive batches of m observations; when m is long compared with the correlation time
// the batch means are nearly independent and nearly normal, so a Student-t interval over
// them with b-1 degrees of freedom covers the true mean at about the stated level.
// 20–40 batches is the usual choice: fewer wastes degrees of freedom (t grows), more makes
// the batches short and correlated.
//
// The run length is not known in advance, so the accumulator starts with batches of one
// observation and, whenever it holds 2·target complete batches, merges adjacent pairs and
// doubles the batch size. It therefore holds between target and 2·target-1 batches once
// 2·target observations have been seen, in memory fixed at construction: Add never
// allocates. Observations of the incomplete last batch count in Mean but not in the
// interval. Start adding after the warm-up period.
type BatchMeans struct {
	target    int
	batchSize uint64    // observations per complete batch
	sums      []float64 // sums of complete batches; cap 2·target
	partial   float64   // sum of the incomplete batch
	inPartial uint64
	n         uint64
	total     float64
}

// NewBatchMeans returns an empty accumulator aiming for targetBatches batches (at least 2;
// 20 keeps 20–39 batches).
func NewBatchMeans(targetBatches int) (*BatchMeans, error) {
	if targetBatches < 2 {
		return nil, fmt.Errorf("sim: batch means needs a target of at least 2 batches, got %d", targetBatches)
	}
	return &BatchMeans{
		target:    targetBatches,
		batchSize: 1,
		sums:      make([]float64, 0, 2*targetBatches),
	}, nil
}

// Add appends the next observation of the sequence.
func (b *BatchMeans) Add(x float64) {
	b.n++
	b.total += x
	b.partial += x
	b.inPartial++
	if b.inPartial < b.batchSize {
		return
	}
	b.sums = append(b.sums, b.partial)
	b.partial, b.inPartial = 0, 0
	if len(b.sums) == cap(b.sums) {
		for i := 0; i < b.target; i++ {
			b.sums[i] = b.sums[2*i] + b.sums[2*i+1]
		}
		b.sums = b.sums[:b.target]
		b.batchSize *= 2
	}
}

// N returns the number of observations added.
func (b *BatchMeans) N() uint64 { return b.n }

// Batches returns the number of complete batches the interval uses.
func (b *BatchMeans) Batches() int { return len(b.sums) }

// BatchSize returns the number of observations in each complete batch.
func (b *BatchMeans) BatchSize() uint64 { return b.batchSize }

// Mean returns the mean of all observations, or NaN if there are none.
func (b *BatchMeans) Mean() float64 {
	if b.n == 0 {
		return math.NaN()
	}
	return b.total / float64(b.n)
}

// HalfWidth returns the half-width of the confidence interval for the mean at the given
// level: t_{(1+level)/2, b-1} · s_B/√b, with s_B the standard deviation of the b batch
// means. It is NaN with fewer than 2 batches or a level outside (0, 1).
func (b *BatchMeans) HalfWidth(level float64) float64 {
	k := len(b.sums)
	if k < 2 {
		return math.NaN()
	}
	m := float64(b.batchSize)
	var mean float64
	for _, s := range b.sums {
		mean += s / m
	}
	mean /= float64(k)
	var ss float64
	for _, s := range b.sums {
		d := s/m - mean
		ss += d * d
	}
	variance := ss / float64(k-1)
	return tHalfWidth(level, k-1, math.Sqrt(variance/float64(k)))
}
