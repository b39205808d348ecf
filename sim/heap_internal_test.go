package sim

import (
	"fmt"
	"time"
)

// invariantErr reports a radix pivot ahead of now while events are pending: the engine
// may schedule at now, which the radix heap cannot index below its pivot.
func (q *eventQueue) invariantErr(now time.Duration) error {
	if q.len() > 0 && q.last > uint64(now) {
		return fmt.Errorf("queue pivot %d is ahead of Now %d", q.last, now)
	}
	return nil
}

// frontLen is the number of events in the sorted bottom run.
func (q *eventQueue) frontLen() int { return len(q.bottom) - q.head }
