package eventbridge

import (
	"strings"
	"testing"
	"time"

	"msgsim/models/core"
)

func TestInvalidBusConfigurationsAreErrors(t *testing.T) {
	w := newWorld(time.Minute)
	q := newFake(w, "q")
	producer := newEmitter(w, "not-a-target")
	// producer is not a Target: emitters have no Deliver
	six := make([]Target, 6)
	for i := range six {
		six[i] = NewTarget(q.id)
		six[i].ID = string(rune('a' + i))
	}
	pat := `{"source":["p"]}`
	withTarget := func(tg Target) []Rule { return []Rule{{Name: "r", Pattern: pat, Targets: []Target{tg}}} }
	retry := func(n int, age time.Duration) Target {
		tg := NewTarget(q.id)
		tg.Retry = &RetryPolicy{MaximumRetryAttempts: n, MaximumEventAge: age}
		return tg
	}
	dlqTo := func(id core.ComponentID) Target {
		tg := NewTarget(q.id)
		tg.DLQ = id
		return tg
	}
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"more than five targets", Config{Name: "b", Rules: []Rule{{Name: "r", Pattern: pat, Targets: six}}}, "6 targets, at most 5"},
		{"no name", Config{Rules: withTarget(NewTarget(q.id))}, "name must not be empty"},
		{"bad region", Config{Name: "b", Region: "mars", Rules: withTarget(NewTarget(q.id))}, "Region name"},
		{"pattern and schedule", Config{Name: "b", Rules: []Rule{{Name: "r", Pattern: pat, Schedule: "rate(1 minute)"}}}, "both"},
		{"neither pattern nor schedule", Config{Name: "b", Rules: []Rule{{Name: "r"}}}, "needs an event pattern or a schedule"},
		{"invalid pattern", Config{Name: "b", Rules: []Rule{{Name: "r", Pattern: `{"source":"p"}`}}}, "rules.0"},
		{"invalid schedule", Config{Name: "b", Rules: []Rule{{Name: "r", Schedule: "rate(0 minutes)"}}}, "positive"},
		{"duplicate rule names", Config{Name: "b", Rules: []Rule{{Name: "r", Pattern: pat}, {Name: "r", Pattern: pat}}}, "duplicate rule name"},
		{"too many retries", Config{Name: "b", Rules: withTarget(retry(186, time.Hour))}, "out of range 0..185"},
		{"negative retries", Config{Name: "b", Rules: withTarget(retry(-1, time.Hour))}, "out of range 0..185"},
		{"event age too short", Config{Name: "b", Rules: withTarget(retry(3, 59*time.Second))}, "out of range 60s..24h"},
		{"event age too long", Config{Name: "b", Rules: withTarget(retry(3, 25*time.Hour))}, "out of range 60s..24h"},
		{"target that takes no sends", Config{Name: "b", Rules: withTarget(NewTarget(producer.id))}, "does not accept sends"},
		{"target that is no component", Config{Name: "b", Rules: withTarget(NewTarget(99))}, "is not a component"},
		{"DLQ that takes no sends", Config{Name: "b", Rules: withTarget(dlqTo(producer.id))}, "standard SQS queue"},
		{"bad input", Config{Name: "b", Rules: withTarget(Target{To: q.id, DLQ: core.None, Input: Input{Kind: InputPath, Path: "x"}})}, "must start with $"},
		{"entry size beyond 1 MB", Config{Name: "b", MaxEntrySize: 2 << 20}, "max entry size"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(w, tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	conserve(t, w)
}

// All problems are reported at once.
func TestConfigErrorsAreCollected(t *testing.T) {
	w := newWorld(time.Minute)
	_, err := New(w, Config{Name: "b", Region: "x", Rules: []Rule{{Name: "r"}, {Name: "s", Schedule: "rate(2 minute)"}}})
	if err == nil {
		t.Fatal("want errors")
	}
	for _, want := range []string{"Region name", "needs an event pattern", "plural"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	conserve(t, w)
}

func TestDefaultsFollowTheReference(t *testing.T) {
	w := newWorld(time.Minute)
	q := newFake(w, "q")
	b := mustBus(t, w, Config{Name: "b", Region: "eu-central-1",
		Rules: []Rule{{Name: "r", Pattern: `{"source":["p"]}`, Targets: []Target{NewTarget(q.id)}}}})
	c := b.Config()
	if c.PutEventsRate != 2400 || c.InvocationRate != 4500 || c.RetryBase != time.Second || c.RetryCap != 980*time.Second ||
		c.MaxEntrySize != 256*1024 || !c.Start.Equal(DefaultStart) {
		t.Errorf("defaults %+v", c)
	}
	ti := b.rules[0].targets[0]
	if ti.maxRetries != 185 || ti.maxAge != 24*time.Hour {
		t.Errorf("retry policy %d, %v; want 185, 24h", ti.maxRetries, ti.maxAge)
	}
	if b.Kind() != "eventbridge" {
		t.Errorf("kind %q", b.Kind())
	}
	for region, want := range map[string][2]float64{"us-east-1": {10000, 18750}, "ap-south-1": {600, 1100}, "af-south-1": {400, 750}} {
		if PutEventsQuota(region) != want[0] || InvocationsQuota(region) != want[1] {
			t.Errorf("%s: quotas %v, %v; want %v", region, PutEventsQuota(region), InvocationsQuota(region), want)
		}
	}
	conserve(t, w)
}
