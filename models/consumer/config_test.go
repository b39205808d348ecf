package consumer

import (
	"strings"
	"testing"
	"time"

	"msgsim/models/sqs"
)

func TestConfigReportsEveryProblemAtOnce(t *testing.T) {
	w := newWorld(0, time.Minute)
	q := mustQueue(t, w, sqs.DefaultConfig("q", false))
	tests := []struct {
		name   string
		change func(*Config)
		want   []string
	}{
		{"the defaults are valid", func(*Config) {}, nil},
		{"no queue", func(c *Config) { c.Queue = nil }, []string{"no queue to poll"}},
		{"workers out of range", func(c *Config) { c.Workers = 0 }, []string{"workers 0 is out of range"}},
		{"too many messages per receive", func(c *Config) { c.MaxMessages = 11 }, []string{"max number of messages 11 is out of range 1..10"}},
		{"a wait over 20 s", func(c *Config) { c.Wait = 21 * time.Second }, []string{"wait time 21s is out of range 0s..20s"}},
		{"several problems together", func(c *Config) {
			c.ErrorProbability = 1.5
			c.PollInterval = -time.Second
			c.Visibility = 13 * time.Hour
		}, []string{"error probability 1.5", "poll interval -1s", "visibility timeout 13h0m0s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig("workers", q)
			tt.change(&cfg)
			_, err := cfg.withDefaults()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			for _, s := range tt.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
		})
	}
	checkConservation(t, w)
}

func TestNarrationFollowsEachMessage(t *testing.T) {
	w := newWorld(0, 30*time.Second)
	n := &narration{}
	w.SetTracer(n)
	q := mustQueue(t, w, sqs.DefaultConfig("q", false))
	produce(w, "orders", q, producerConstant(1), 0, 2)
	cfg := DefaultConfig("workers", q)
	cfg.Wait = 20 * time.Second
	mustConsumer(t, w, cfg)
	run(t, w)
	starts := 0
	for _, e := range n.events {
		if e.Component == "workers" && strings.HasPrefix(e.Text, "processing starts at worker 0 (receive 1,") {
			starts++
		}
	}
	if starts != 2 {
		t.Errorf("%d narrated starts, want 2", starts)
	}
	checkConservation(t, w)
}
