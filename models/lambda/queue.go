package lambda

import (
	"time"

	"msgsim/models/sqs"
)

// queueFIFO and queueVisibility read the two queue settings the event source mapping
// needs: FIFO (batch-size range, ordering rules) and the default visibility timeout (how
// long a throttled batch may be held before its messages reappear).
func queueFIFO(q *sqs.Queue) bool { return q.FIFO() }

func queueVisibility(q *sqs.Queue) time.Duration { return q.Config().VisibilityTimeout }
