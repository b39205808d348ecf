//go:build calendarqueue

package sim

// engineQueue is the calendar queue of calendar.go when built with the tag calendarqueue
// (see engine_queue.go).
type engineQueue = calendarQueue

func newEngineQueue(capacity int) engineQueue { return newCalendarQueue(capacity) }
