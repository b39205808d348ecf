package core

import "time"

// Paths records end-to-end latency from each producer to each sink it reaches ("shoppers
// -> warehouse"), measured from the message's Origin. Only messages produced after the
// warm-up are recorded.
type Paths struct {
	w         *World
	warmup    time.Duration // the World's, here beside byPair: read at every arrival
	byPair    [][]*Latency  // [producer][component], created on first arrival
	producers []string
	order     []PathKey
}

// PathKey names one path.
type PathKey struct {
	Producer int32
	Sink     ComponentID
}

func newPaths(w *World) *Paths { return &Paths{w: w, warmup: w.cfg.Warmup} }

// AddProducer registers a producer name and returns its index for Message.Producer.
func (p *Paths) AddProducer(name string) int32 {
	p.producers = append(p.producers, name)
	return int32(len(p.producers) - 1)
}

// Producers returns the producer names by index.
func (p *Paths) Producers() []string { return p.producers }

func (p *Paths) arrive(id MsgID, sink ComponentID) {
	m := p.w.Msg(id)
	if m.Origin < p.warmup {
		return
	}
	l := p.latency(m.Producer, sink)
	l.Record(p.w.Now() - m.Origin)
}

func (p *Paths) latency(producer int32, sink ComponentID) *Latency {
	if int(producer) < len(p.byPair) { // the path seen before: no growing
		if row := p.byPair[producer]; int(sink) < len(row) && row[sink] != nil {
			return row[sink]
		}
	}
	for int(producer) >= len(p.byPair) {
		p.byPair = append(p.byPair, nil)
	}
	row := p.byPair[producer]
	for int(sink) >= len(row) {
		row = append(row, nil)
	}
	p.byPair[producer] = row
	if row[sink] == nil {
		name := p.producers[producer] + " -> " + p.w.components[sink].Name()
		row[sink] = p.w.Metrics.Latency(name, "EndToEndLatency")
		p.order = append(p.order, PathKey{Producer: producer, Sink: sink})
	}
	return row[sink]
}

// Keys returns the paths seen so far, in order of first arrival.
func (p *Paths) Keys() []PathKey { return p.order }

// Name renders a path as "producer -> sink".
func (p *Paths) Name(k PathKey) string {
	return p.producers[k.Producer] + " -> " + p.w.components[k.Sink].Name()
}

// Latency returns the recorder of a path (nil if no message arrived on it).
func (p *Paths) Latency(k PathKey) *Latency {
	if int(k.Producer) >= len(p.byPair) || int(k.Sink) >= len(p.byPair[k.Producer]) {
		return nil
	}
	return p.byPair[k.Producer][k.Sink]
}

// Since is a helper for per-hop latencies: the time since t, never negative.
func Since(now, t time.Duration) time.Duration {
	if now < t {
		return 0
	}
	return now - t
}
