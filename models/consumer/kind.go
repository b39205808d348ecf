package consumer

// Kind is the component kind of a worker fleet (core.Kinded).
const Kind = "consumer"

// Kind is "consumer" (core.Kinded): a fleet of polling workers has no AWS price of its own;
// the requests it makes are billed to its queue.
func (c *Consumer) Kind() string { return Kind }

// MetricLimit caps the Busy gauge at the number of workers (results.MetricLimiter).
func (c *Consumer) MetricLimit(metric string) (float64, bool) {
	if metric != "Busy" {
		return 0, false
	}
	return float64(len(c.workers)), true
}
