package sqs

import "msgsim/models/core"

// Kind is "sqs" or "sqs-fifo" (core.Kinded): reports and prices depend on it.
func (q *Queue) Kind() string {
	if q.cfg.FIFO {
		return core.KindSQSFIFO
	}
	return core.KindSQS
}
