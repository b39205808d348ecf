package eventbridge

import (
	"encoding/json"
	"time"

	"msgsim/models/core"
)

// The event a message stands for. A message carries up to core.MaxAttrs attributes,
// named by its producer's schema (World.AttrNames). The bus builds the event
//
//	{"version": "0", "id": ..., "detail-type": ..., "source": ..., "account": Account,
//	 "time": ..., "region": ..., "resources": [], "detail": {<attributes by name>}}
//
// as follows:
//   - source and detail-type are Config.Source and Config.DetailType, or the producer's
//     name when those are empty; an attribute named "source" or "detail-type" overrides
//     them for its message (they are the fields a PutEvents caller chooses);
//   - an attribute named "resources" becomes the one element of the resources array;
//   - every other attribute goes under detail by its name, strings as strings and numbers
//     as numbers; absent attributes are left out;
//   - time is the ingestion time (Config.Start + simulated time) at second resolution,
//     "2026-01-01T00:00:05Z"; id is a UUID-shaped string made from a per-bus sequence
//     number, filled only when a pattern or an input can read it (otherwise a constant);
//   - account is Account and region Config.Region.
//
// Scheduled events have source "aws.events", detail-type "Scheduled Event", the rule's
// ARN as their one resource and an empty detail.
//
// The message's Size is the size of the detail as put (the body the attributes stand
// for); the whole event delivered to a target is Size plus the envelope's bytes.
//
// The value is built in a scratch map per producer that is reused for every event, so
// routing an event allocates nothing for string attributes (their boxed values are cached
// by interned id); a numeric attribute costs one small allocation.
type eventShape struct {
	root, detail map[string]any
	names        []string
	roles        []uint8
	source       any // envelope defaults, boxed once
	detailType   any
	noResources  any   // the empty array, boxed once
	resources    []any // one-element array for a "resources" attribute ...
	resourcesV   any   // ... boxed once (the box shares its backing array)
	overhead     int32 // envelope bytes besides the detail
	overridden   bool  // an attribute replaced an envelope default in the last event
	sec          int64 // the second root["time"] holds
}

// Roles of attributes in the event.
const (
	roleDetail uint8 = iota
	roleSource
	roleDetailType
	roleResources
)

// placeholderID is the id of events when nothing reads ids.
const placeholderID = "00000000-0000-0000-0000-000000000000"

// newShape builds the scratch event of one producer.
func (b *Bus) newShape(names []string, source, detailType string, resources []any) *eventShape {
	s := &eventShape{
		root:       make(map[string]any, 9),
		detail:     make(map[string]any, len(names)),
		names:      names,
		roles:      make([]uint8, len(names)),
		source:     source,
		detailType: detailType,
		resources:  make([]any, 1),
	}
	if resources == nil {
		resources = []any{}
	}
	s.noResources = resources
	s.resourcesV = s.resources
	for i, n := range names {
		switch n {
		case "source":
			s.roles[i] = roleSource
		case "detail-type":
			s.roles[i] = roleDetailType
		case "resources":
			s.roles[i] = roleResources
		}
	}
	r := s.root
	r["version"] = "0"
	r["id"] = placeholderID
	r["account"] = Account
	r["region"] = b.cfg.Region
	r["time"] = b.timeValue()
	s.sec = b.timeSec
	r["source"] = s.source
	r["detail-type"] = s.detailType
	r["resources"] = s.noResources
	r["detail"] = s.detail
	// the envelope's size: the whole event rendered, minus its (empty) detail
	b.r.reset(s.detail)
	b.r.appendJSON(r)
	s.overhead = int32(len(b.r.buf) - b.r.detailBytes)
	return s
}

// shapeOf returns the scratch event of producer p, building it on first use.
func (b *Bus) shapeOf(p int32) *eventShape {
	for int(p) >= len(b.shapes) {
		b.shapes = append(b.shapes, nil)
	}
	if s := b.shapes[p]; s != nil {
		return s
	}
	name := ""
	if prods := b.w.Paths().Producers(); int(p) < len(prods) {
		name = prods[p]
	}
	src, dt := b.cfg.Source, b.cfg.DetailType
	if src == "" {
		src = name
	}
	if dt == "" {
		dt = name
	}
	names := b.w.AttrNames(p)
	if len(names) > core.MaxAttrs {
		names = names[:core.MaxAttrs]
	}
	s := b.newShape(names, src, dt, nil)
	b.shapes[p] = s
	return s
}

// fill writes message m into its producer's scratch event and returns it.
func (b *Bus) fill(m core.MsgID) *eventShape {
	msg := b.w.Msg(m)
	s := b.shapeOf(msg.Producer)
	root := s.root
	if s.overridden {
		root["source"] = s.source
		root["detail-type"] = s.detailType
		root["resources"] = s.noResources
		s.overridden = false
	}
	for i, name := range s.names {
		v, ok := b.box(b.w.Attrs(m)[i])
		switch s.roles[i] {
		case roleDetail:
			if ok {
				s.detail[name] = v
			} else {
				delete(s.detail, name)
			}
		case roleSource:
			if ok {
				root["source"] = v
				s.overridden = true
			}
		case roleDetailType:
			if ok {
				root["detail-type"] = v
				s.overridden = true
			}
		case roleResources:
			if ok {
				s.resources[0] = v
				root["resources"] = s.resourcesV
				s.overridden = true
			}
		}
	}
	if tv := b.timeValue(); s.sec != b.timeSec {
		root["time"] = tv
		s.sec = b.timeSec
	}
	if b.needID {
		b.idSeq++
		root["id"] = eventID(b.idSeq)
	}
	return s
}

// box returns an attribute as an event value: an interned string (boxed once per string
// id) or a number. ok is false for an absent or invalid attribute.
func (b *Bus) box(v core.AttrValue) (any, bool) {
	switch {
	case v.Str >= 0 && int(v.Str) < b.w.Strings.Len():
		for int(v.Str) >= len(b.strBox) {
			b.strBox = append(b.strBox, nil)
		}
		if b.strBox[v.Str] == nil {
			b.strBox[v.Str] = b.w.Strings.Name(v.Str)
		}
		return b.strBox[v.Str], true
	case v.Str == core.AttrNumber && core.ValidNumber(v.Num):
		return v.Num, true
	}
	return nil, false
}

// timeValue is the event time of now, cached per second.
func (b *Bus) timeValue() any {
	t := b.cfg.Start.Add(b.w.Now())
	sec := t.Unix()
	if b.timeV == nil || sec != b.timeSec {
		b.timeSec = sec
		b.timeV = t.Truncate(time.Second).Format("2006-01-02T15:04:05Z")
	}
	return b.timeV
}

// eventID renders a sequence number as a UUID-shaped id.
func eventID(seq uint64) string {
	var buf [36]byte
	copy(buf[:], placeholderID)
	pos := 35
	for i := 0; i < 16 && pos >= 0; i++ {
		if buf[pos] == '-' {
			pos--
		}
		buf[pos] = hexDigits[seq&0xf]
		seq >>= 4
		pos--
	}
	return string(buf[:])
}

// patternNamesID reports whether an event pattern can look at the event's id: it names
// "id" at its top level or in a top-level "$or" alternative.
func patternNamesID(p string) bool {
	var v map[string]any
	if json.Unmarshal([]byte(p), &v) != nil {
		return false
	}
	return objectNamesID(v)
}

func objectNamesID(v map[string]any) bool {
	if _, ok := v["id"]; ok {
		return true
	}
	alts, _ := v["$or"].([]any)
	for _, a := range alts {
		if m, ok := a.(map[string]any); ok && objectNamesID(m) {
			return true
		}
	}
	return false
}
