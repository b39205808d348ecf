package sns

import (
	"math"
	"testing"

	"msgsim/models/core"
	"msgsim/models/sns/filter"
)

func TestFanOutDeliversOneCopyPerSubscription(t *testing.T) {
	for _, n := range []int{1, 3, 10} {
		w := newWorld()
		src := newSource(w)
		var subs []Subscription
		var targets []*target
		for i := 0; i < n; i++ {
			tg := newTarget(w, "t"+string(rune('a'+i)))
			targets = append(targets, tg)
			subs = append(subs, Subscription{Protocol: ProtocolLambda, Target: tg.id, DLQ: core.None, DeliveryLatency: zero})
		}
		tp := mustNew(t, w, Config{Name: "orders", Subscriptions: subs})
		const msgs = 20
		for i := 0; i < msgs; i++ {
			src.publish(tp.ID())
		}
		if err := w.Eng.Run(); err != nil {
			t.Fatal(err)
		}
		for _, tg := range targets {
			if tg.ok != msgs {
				t.Errorf("n=%d: %s got %d copies, want %d", n, tg.name, tg.ok, msgs)
			}
		}
		if got, want := w.Ledger.Derived, uint64(n*msgs); got != want {
			t.Errorf("n=%d: derived %d copies, want %d", n, got, want)
		}
		if got := counter(t, w, "orders", "NumberOfMessagesPublished"); got != msgs {
			t.Errorf("published %d, want %d", got, msgs)
		}
		if got := counter(t, w, "orders", "NumberOfNotificationsDelivered"); got != uint64(n*msgs) {
			t.Errorf("delivered %d, want %d", got, n*msgs)
		}
		// the originals are consumed by the topic, the copies by the targets
		if got, want := w.Ledger.Consumed, uint64(msgs+n*msgs); got != want {
			t.Errorf("consumed %d, want %d (originals + copies)", got, want)
		}
		conserve(t, w)
	}
}

func TestCopiesCarryTheEnvelopeUnlessRaw(t *testing.T) {
	w := newWorld()
	src := newSource(w)
	raw, env := newQueue(w, "raw", false), newQueue(w, "env", false)
	tp := mustNew(t, w, Config{Name: "t", Subscriptions: []Subscription{
		{Protocol: ProtocolSQS, Target: raw.id, DLQ: core.None, RawMessageDelivery: true},
		{Protocol: ProtocolSQS, Target: env.id, DLQ: core.None},
	}})
	src.publish(tp.ID())
	if err := w.Eng.Run(); err != nil {
		t.Fatal(err)
	}
	if len(raw.sizes) != 1 || len(env.sizes) != 1 || raw.sizes[0] != 100 || env.sizes[0] != 100+EnvelopeBytes {
		t.Errorf("copy sizes raw %v, enveloped %v; want [100] and [%d]", raw.sizes, env.sizes, 100+EnvelopeBytes)
	}
	conserve(t, w)
}

func TestFilterPoliciesRouteMessages(t *testing.T) {
	type msg []any // attributes: type, amount, store
	cases := []struct {
		name   string
		policy string
		scope  filter.Scope
		msgs   []msg
		want   int // copies delivered
		// filtered-out counters: total, no attributes, invalid attributes
		filtered, noAttrs, invalid uint64
	}{
		{"attribute exact string", `{"type":["order"]}`, filter.MessageAttributes,
			[]msg{{"order"}, {"refund"}, {"order", 5.0}}, 2, 1, 0, 0},
		{"attribute numeric range", `{"amount":[{"numeric":[">",100]}]}`, filter.MessageAttributes,
			[]msg{{"order", 50.0}, {"order", 150.0}, {"order", 100.0}, {"order", 100.5}}, 2, 2, 0, 0},
		{"attribute prefix and AND of keys", `{"type":["order"],"store":[{"prefix":"eu-"}]}`, filter.MessageAttributes,
			[]msg{{"order", nil, "eu-west"}, {"order", nil, "us-east"}, {"refund", nil, "eu-west"}}, 1, 2, 0, 0},
		{"message without attributes", `{"type":["order"]}`, filter.MessageAttributes,
			[]msg{{}, {"order"}}, 1, 1, 1, 0},
		{"exists false matches a message without the key", `{"store":[{"exists":false}]}`, filter.MessageAttributes,
			[]msg{{"order"}, {"order", nil, "eu"}}, 1, 1, 0, 0},
		{"invalid number attribute", `{"type":["order"]}`, filter.MessageAttributes,
			[]msg{{"order", math.NaN()}, {"order", 1.0}}, 1, 1, 0, 1},
		{"body exact and numeric", `{"type":["order"],"amount":[{"numeric":[">=",10]}]}`, filter.MessageBody,
			[]msg{{"order", 10.0}, {"order", 9.5}, {"refund", 20.0}, {"order", 1e6}}, 2, 2, 0, 0},
		{"body anything-but", `{"type":[{"anything-but":["refund"]}]}`, filter.MessageBody,
			[]msg{{"order"}, {"refund"}, {"cancel"}}, 2, 1, 0, 0},
		{"body without fields is an empty object", `{"type":["order"]}`, filter.MessageBody,
			[]msg{{}}, 0, 1, 0, 0},
		{"$or across keys", `{"$or":[{"type":["refund"]},{"amount":[{"numeric":["<",0]}]}]}`, filter.MessageAttributes,
			[]msg{{"refund", 5.0}, {"order", -1.0}, {"order", 1.0}}, 2, 1, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld()
			src := newSource(w, "type", "amount", "store")
			all, filtered := newTarget(w, "all"), newTarget(w, "filtered")
			tp := mustNew(t, w, Config{Name: "t", Subscriptions: []Subscription{
				{Protocol: ProtocolLambda, Target: all.id, DLQ: core.None, DeliveryLatency: zero},
				{Protocol: ProtocolLambda, Target: filtered.id, DLQ: core.None, DeliveryLatency: zero,
					FilterPolicy: []byte(c.policy), FilterScope: c.scope},
			}})
			for _, m := range c.msgs {
				src.publish(tp.ID(), m...)
			}
			if err := w.Eng.Run(); err != nil {
				t.Fatal(err)
			}
			if all.ok != len(c.msgs) {
				t.Errorf("unfiltered subscription got %d, want %d", all.ok, len(c.msgs))
			}
			if filtered.ok != c.want {
				t.Errorf("filtered subscription got %d, want %d", filtered.ok, c.want)
			}
			for name, want := range map[string]uint64{
				"NumberOfNotificationsFilteredOut":                     c.filtered,
				"NumberOfNotificationsFilteredOut-NoMessageAttributes": c.noAttrs,
				"NumberOfNotificationsFilteredOut-InvalidAttributes":   c.invalid,
			} {
				if got := counter(t, w, "t", name); got != want {
					t.Errorf("%s = %d, want %d", name, got, want)
				}
			}
			conserve(t, w)
		})
	}
}

func TestMessageMatchingNoSubscriptionIsConsumedAndCounted(t *testing.T) {
	w := newWorld()
	src := newSource(w, "type")
	tg := newTarget(w, "refunds")
	tp := mustNew(t, w, Config{Name: "t", Subscriptions: []Subscription{
		{Protocol: ProtocolLambda, Target: tg.id, DLQ: core.None, FilterPolicy: []byte(`{"type":["refund"]}`)},
	}})
	src.publish(tp.ID(), "order")
	src.publish(tp.ID(), "refund")
	if err := w.Eng.Run(); err != nil {
		t.Fatal(err)
	}
	if got := counter(t, w, "t", "NoMatchingSubscription"); got != 1 {
		t.Errorf("NoMatchingSubscription = %d, want 1", got)
	}
	if tg.ok != 1 || w.Ledger.Derived != 1 || w.Ledger.Consumed != 3 {
		t.Errorf("delivered %d, derived %d, consumed %d; want 1, 1, 3", tg.ok, w.Ledger.Derived, w.Ledger.Consumed)
	}
	conserve(t, w)
}
