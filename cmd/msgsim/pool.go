package main

import (
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"msgsim/results"
)

// job is one replication of one loaded scenario: a replication of a run, of an
// alternative of a comparison, or of a point of a sweep.
type job struct {
	l     *loaded
	point int // the alternative or sweep point; 0 for a run
	rep   int // the replication index: with the seed, it names the random streams
}

// runJobs runs the jobs on up to workers goroutines (0: all cores). Each job builds its
// own World and its Run lands at the job's index, so the result depends neither on the
// number of workers nor on the order in which they finish. The first error (in job order)
// is returned.
//
// Only replication 0 keeps its time series: results.Aggregate plots the first
// replication's, and dropping the others keeps a large sweep's memory (and its shard
// files) small without changing any output.
func runJobs(jobs []job, workers int, prog *progress) ([]*results.Run, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(jobs)))
	runs := make([]*results.Run, len(jobs))
	errs := make([]error, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				runs[i], errs[i] = runOne(jobs[i].l, jobs[i].rep)
				if runs[i] != nil && jobs[i].rep != 0 {
					runs[i].Series = nil
				}
				prog.done(runs[i])
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	prog.finish()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("%s replication %d: %w", jobs[i].l.file.Name, jobs[i].rep, err)
		}
	}
	return runs, nil
}

// progress is a progress bar on stderr — replications done, events per wall second, ETA
// — shown only when stderr is a terminal; a nil *progress does nothing.
type progress struct {
	mu     sync.Mutex
	bar    *progressbar.ProgressBar
	start  time.Time
	events uint64
}

// newProgress returns a bar over total replications, or nil when w is not a terminal.
func newProgress(w io.Writer, total int, what string) *progress {
	if !isTerminal(w) || total <= 0 {
		return nil
	}
	return &progress{start: time.Now(), bar: progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionSetItsString("replications"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

// done counts one finished replication and its events.
func (p *progress) done(r *results.Run) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if r != nil {
		p.events += r.EventsFired
	}
	if s := time.Since(p.start).Seconds(); s > 0 {
		p.bar.Describe(fmt.Sprintf("%.2fM events/s", float64(p.events)/s/1e6))
	}
	_ = p.bar.Add(1)
}

func (p *progress) finish() {
	if p == nil {
		return
	}
	_ = p.bar.Finish()
}
