package core

import (
	"time"

	"msgsim/sim"
)

// Send puts message m on its way to target to; it arrives after latency. The message is in
// transit (owned by nobody) until then. If from is not None, from's Done(token, status) is
// called when it arrives: on a refusal the message is back in from's hands. With from ==
// None a refused message is dropped with the counted reason "refused by <target>".
//
// The transit is the engine event itself: its kind names the target (evTransit + to), A
// the message and the sender, B the token. A slab of transit records would be written
// here and read again a latency later, long after it left the caches: a cache miss or two
// per send for what the event carries anyway.
func (w *World) Send(m MsgID, to ComponentID, latency time.Duration, from ComponentID, token int64) {
	_ = w.targets[to] // a bad target fails here, as its delivery would, not as another kind
	w.inTransit++
	w.Eng.After(latency, w.handler, evTransit+int32(to), int64(uint32(m))|int64(from)<<32, token)
}

// arriveTransit delivers the message of a transit event (see Send).
func (w *World) arriveTransit(ev sim.Event) {
	m, to, from := MsgID(int32(ev.A)), ComponentID(ev.Kind-evTransit), ComponentID(ev.A>>32)
	w.inTransit--
	st := w.targets[to].Deliver(m)
	if from != None {
		w.requesters[from].Done(ev.B, st)
		return
	}
	if st != OK {
		k := w.refused[to]
		if k < 0 {
			k = w.DropReason(w.components[to].Name(), "refused ("+st.String()+")")
			w.refused[to] = k
		}
		w.Drop(m, k)
	}
}

// DeliverNow hands m to target to at once, without transit (a zero-latency send, for
// producers whose target's own latency is modelled by the target). The caller keeps the
// message on a refusal.
func (w *World) DeliverNow(m MsgID, to ComponentID) Status {
	return w.targets[to].Deliver(m)
}

// IsTarget reports whether component id accepts sends.
func (w *World) IsTarget(id ComponentID) bool { return w.targets[id] != nil }

// IsCallee reports whether component id serves calls.
func (w *World) IsCallee(id ComponentID) bool { return w.callees[id] != nil }

// CallID names a synchronous call in progress.
type CallID int32

// call is a synchronous request from a requester to a callee about a message the
// requester owns. It is 32 bytes, two to a cache line, so that none straddles two: the
// callee is not kept (Call hands it the call at once), nor the status (the reply event
// carries it).
type call struct {
	token int64
	start time.Duration
	from  ComponentID
	msg   MsgID
	_     [8]byte
}

// Call starts a synchronous call from requester from to callee to about message m (which
// stays owned by from). The callee replies with World.Reply; the reply reaches
// from.Done(token, status) as a separate event at the reply time, never from inside Call.
func (w *World) Call(from ComponentID, token int64, to ComponentID, m MsgID) CallID {
	var slot int32
	if n := len(w.freeCalls); n > 0 {
		slot = w.freeCalls[n-1]
		w.freeCalls = w.freeCalls[:n-1]
	} else {
		w.calls = append(w.calls, call{})
		slot = int32(len(w.calls) - 1)
	}
	w.calls[slot] = call{token: token, start: w.Now(), from: from, msg: m}
	w.callees[to].Call(CallID(slot))
	return CallID(slot)
}

// CallMsg is the message a call is about.
func (w *World) CallMsg(c CallID) MsgID { return w.calls[c].msg }

// CallStart is when a call started.
func (w *World) CallStart(c CallID) time.Duration { return w.calls[c].start }

// CallFrom is the requester of a call.
func (w *World) CallFrom(c CallID) ComponentID { return w.calls[c].from }

// Reply ends a call with status st: the requester hears of it at the current time, in an
// immediate event (sim.Engine.Immediately) that fires as soon as the callee's handler
// returns, before any other event of this time: a reply travels no distance, and the
// requester should not wait behind unrelated events scheduled earlier for the same instant.
//
// The reply event carries what its delivery needs (kind evReply + status, A the token, B
// the requester and the call's slot), read here while the call is in the caches, so that
// delivering it reads no call record.
func (w *World) Reply(c CallID, st Status) {
	r := &w.calls[c]
	w.Eng.Immediately(w.handler, evReply+int32(st), r.token, int64(uint32(c))|int64(r.from)<<32)
}

// fireReply delivers a reply event (see Reply) and frees its call's slot.
func (w *World) fireReply(ev sim.Event) {
	slot, from := int32(ev.B), ComponentID(ev.B>>32)
	w.freeCalls = append(w.freeCalls, slot)
	if from == None {
		return
	}
	if r := w.requesters[from]; r != nil {
		r.Done(ev.A, Status(ev.Kind-evReply))
	}
}
