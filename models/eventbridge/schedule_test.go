package eventbridge

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// runSchedule runs a bus with one scheduled rule for d and returns the firing times seen
// by its target (deliveries take no time).
func runSchedule(t *testing.T, expr string, start time.Time, d time.Duration) []time.Duration {
	t.Helper()
	w := newWorld(d)
	sink := newFake(w, "sink")
	mustBus(t, w, Config{Name: "default", Start: start, DeliveryLatency: fixed(0),
		Rules: []Rule{{Name: "tick", Schedule: expr, Targets: []Target{NewTarget(sink.id)}}}})
	run(t, w)
	if got := counter(t, w, "default/tick", "TriggeredRules"); got != uint64(len(sink.log)) {
		t.Errorf("TriggeredRules = %d, deliveries %d", got, len(sink.log))
	}
	conserve(t, w)
	return sink.times()
}

func minutes(ms ...float64) []time.Duration {
	out := make([]time.Duration, len(ms))
	for i, m := range ms {
		out[i] = time.Duration(m * float64(time.Minute))
	}
	return out
}

func TestScheduledRuleFiringTimes(t *testing.T) {
	thursday := DefaultStart // 2026-01-01 is a Thursday
	tests := []struct {
		name  string
		expr  string
		start time.Time
		run   time.Duration
		want  []time.Duration
	}{
		{"cron every 15 minutes over 1 h fires on the quarter hours", "cron(0/15 * * * ? *)", thursday, time.Hour,
			minutes(0, 15, 30, 45, 60)},
		{"cron minutes list", "cron(5,35 * * * ? *)", thursday, time.Hour, minutes(5, 35)},
		{"cron from a start between firings", "cron(*/15 * * * ? *)", thursday.Add(7*time.Minute + 30*time.Second), time.Hour,
			minutes(7.5, 22.5, 37.5, 52.5)},
		{"cron weekdays at noon by name", "cron(0 12 ? * MON-FRI *)", thursday, 7 * 24 * time.Hour,
			minutes(12*60, 36*60, 108*60, 132*60, 156*60)},
		{"cron weekdays at noon by number (2 = MON)", "cron(0 12 ? * 2-6 *)", thursday, 7 * 24 * time.Hour,
			minutes(12*60, 36*60, 108*60, 132*60, 156*60)},
		{"cron sundays (1 = SUN)", "cron(0 0 ? * 1 *)", thursday, 14 * 24 * time.Hour,
			minutes(3*24*60, 10*24*60)},
		{"cron day of month", "cron(30 6 2 * ? *)", thursday, 40 * 24 * time.Hour,
			minutes(24*60+6*60+30, 32*24*60+6*60+30)},
		{"cron year filter skips other years", "cron(0 0 1 * ? 2027)", time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), 62 * 24 * time.Hour,
			minutes(24*60, 32*24*60, 60*24*60)},
		{"rate fires one period after the start", "rate(5 minutes)", thursday, 20 * time.Minute, minutes(5, 10, 15, 20)},
		{"rate of one hour", "rate(1 hour)", thursday, 3 * time.Hour, minutes(60, 120, 180)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := runSchedule(t, tc.expr, tc.start, tc.run); !slices.Equal(got, tc.want) {
				t.Errorf("fired at %v, want %v", got, tc.want)
			}
		})
	}
}

func TestInvalidSchedulesAreRejectedWithReason(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"every 5 minutes", "must be rate"},
		{"rate(5 minute)", "plural"},
		{"rate(1 minutes)", "singular"},
		{"rate(0 minutes)", "positive"},
		{"rate(5 weeks)", "minute(s), hour(s) or day(s)"},
		{"rate(5minutes)", "rate(value unit)"},
		{"cron(0 12 * * ?)", "6 fields"},
		{"cron(0 12 * * * *)", "exactly one"},
		{"cron(0 12 ? * ? *)", "exactly one"},
		{"cron(0 12 L * ? *)", "not supported"},
		{"cron(0 12 ? * 6L *)", "not supported"},
		{"cron(0 12 ? * 6#3 *)", "not supported"},
		{"cron(0 12 ? * 8 *)", "out of range 1..7"},
		{"cron(61 12 * * ? *)", "cron(61"},
		{"cron(0 12 * * ? 1969)", "1970..2199"},
		{"cron(0 12 * * ? 2026/2)", "steps are not supported"},
		{"cron(0 ? * * ? *)", "? is allowed only"},
		{"cron(0 12 * * ? *", "closing parenthesis"},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			_, err := parseSchedule(tc.expr)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// Scheduled events are produced under the synthetic producer "schedule:<rule>", with the
// scheduled-event envelope, and their copies reach every target of the rule.
func TestScheduledEventsUseSyntheticProducer(t *testing.T) {
	w := newWorld(10 * time.Minute)
	a, c := newFake(w, "a"), newFake(w, "c")
	tr := NewTarget(c.id)
	tr.Input = Input{Kind: InputTransformer, PathsMap: map[string]string{"s": "$.source", "r": "$.resources[0]"},
		Template: `{"s": <s>, "r": <r>}`}
	b := mustBus(t, w, Config{Name: "default", DeliveryLatency: fixed(0),
		Rules: []Rule{{Name: "tick", Schedule: "rate(5 minutes)", Targets: []Target{NewTarget(a.id), tr}}}})
	run(t, w)
	if prods := w.Paths().Producers(); !slices.Contains(prods, "schedule:tick") {
		t.Errorf("producers %v, want schedule:tick", prods)
	}
	if len(a.log) != 2 || len(c.log) != 2 {
		t.Fatalf("deliveries %d and %d, want 2 each (5 and 10 min)", len(a.log), len(c.log))
	}
	want := int32(len(`{"s": "aws.events", "r": "arn:aws:events:us-east-1:123456789012:rule/tick"}`))
	if c.log[0].size != want {
		t.Errorf("transformed size %d, want %d", c.log[0].size, want)
	}
	if a.log[0].size != 2+b.shapes[b.rules[0].producer].overhead {
		t.Errorf("whole scheduled event size %d", a.log[0].size)
	}
	if w.Ledger.Produced != 2 || w.Ledger.Derived != 4 {
		t.Errorf("ledger %+v", w.Ledger)
	}
	conserve(t, w)
}
