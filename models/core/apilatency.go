package core

import (
	"math/rand/v2"
	"time"

	"msgsim/sim"
)

// APILatency is implemented by targets whose send API has a latency of its own (SQS
// SendMessage, SNS Publish, EventBridge PutEvents). A sender draws it from its own random
// stream, so the draw belongs to the sender's numbers. The World asks for the
// distribution once, when the component is added (World.Add), so that a send does not
// look it up through an interface each time: it must be configured by then and not
// change.
type APILatency interface {
	SendLatency() sim.Dist
}

// SendLatency draws the send latency of target to with stream r (0 if it has none).
func (w *World) SendLatency(to ComponentID, r *rand.Rand) time.Duration {
	if d := w.sendLat[to]; d != nil {
		return sim.SampleDuration(d, r)
	}
	return 0
}
