//go:build !calendarqueue

package sim

// engineQueue is the event queue the engine uses: the radix heap of heap.go. Building with
// the tag calendarqueue swaps in the calendar queue of calendar.go, so that the two can be
// compared on the same tests and benchmarks (see engine_bench_test.go).
type engineQueue = eventQueue

func newEngineQueue(int) engineQueue {
	return eventQueue{bottom: make([]item, 0, 2*sortBelow)}
}
