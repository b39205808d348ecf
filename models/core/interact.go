package core

import "time"

// transit is a message on its way from a sender to a target (the API latency of a send).
type transit struct {
	msg   MsgID
	to    ComponentID
	from  ComponentID // requester told the outcome, or None
	token int64
}

// Send puts message m on its way to target to; it arrives after latency. The message is in
// transit (owned by nobody) until then. If from is not None, from's Done(token, status) is
// called when it arrives: on a refusal the message is back in from's hands. With from ==
// None a refused message is dropped with the counted reason "refused by <target>".
func (w *World) Send(m MsgID, to ComponentID, latency time.Duration, from ComponentID, token int64) {
	var slot int32
	if n := len(w.freeTrans); n > 0 {
		slot = w.freeTrans[n-1]
		w.freeTrans = w.freeTrans[:n-1]
	} else {
		w.transits = append(w.transits, transit{})
		slot = int32(len(w.transits) - 1)
	}
	w.transits[slot] = transit{msg: m, to: to, from: from, token: token}
	w.inTransit++
	w.Eng.After(latency, w.handler, evTransit, int64(slot), 0)
}

func (w *World) arriveTransit(slot int32) {
	t := w.transits[slot]
	w.freeTrans = append(w.freeTrans, slot)
	w.inTransit--
	st := w.targets[t.to].Deliver(t.msg)
	if t.from != None {
		w.requesters[t.from].Done(t.token, st)
		return
	}
	if st != OK {
		k := w.refused[t.to]
		if k < 0 {
			k = w.DropReason(w.components[t.to].Name(), "refused ("+st.String()+")")
			w.refused[t.to] = k
		}
		w.Drop(t.msg, k)
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
// requester owns.
type call struct {
	from   ComponentID
	to     ComponentID
	token  int64
	msg    MsgID
	start  time.Duration
	status Status
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
	w.calls[slot] = call{from: from, to: to, token: token, msg: m, start: w.Now()}
	w.callees[to].Call(CallID(slot))
	return CallID(slot)
}

// CallMsg is the message a call is about.
func (w *World) CallMsg(c CallID) MsgID { return w.calls[c].msg }

// CallStart is when a call started.
func (w *World) CallStart(c CallID) time.Duration { return w.calls[c].start }

// CallFrom is the requester of a call.
func (w *World) CallFrom(c CallID) ComponentID { return w.calls[c].from }

// Reply ends a call with status st: the requester hears of it at the current time.
func (w *World) Reply(c CallID, st Status) {
	w.calls[c].status = st
	w.Eng.After(0, w.handler, evReply, int64(c), 0)
}

func (w *World) fireReply(slot int32) {
	c := w.calls[slot]
	w.freeCalls = append(w.freeCalls, slot)
	if c.from != None && w.requesters[c.from] != nil {
		w.requesters[c.from].Done(c.token, c.status)
	}
}
