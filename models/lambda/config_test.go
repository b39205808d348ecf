package lambda

import (
	"strings"
	"testing"
	"time"

	"msgsim/models/sqs"
)

func TestConfigErrors(t *testing.T) {
	w := newWorld(time.Minute)
	fifo := mustQueue(t, w, sqs.DefaultConfig("f.fifo", true))
	std := mustQueue(t, w, sqs.DefaultConfig("std", false))
	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"memory too small", func(c *Config) { c.Memory = 64 }, "memory: 64 MB is out of range"},
		{"memory too large", func(c *Config) { c.Memory = 10241 }, "memory: 10241 MB"},
		{"timeout too long", func(c *Config) { c.Timeout = 901 * time.Second }, "timeout"},
		{"bad architecture", func(c *Config) { c.Architecture = "sparc" }, "architecture"},
		{"retries out of range", func(c *Config) { c.Async.MaxRetries = 3 }, "maximum_retry_attempts: 3"},
		{"event age too short", func(c *Config) { c.Async.MaxEventAge = time.Second }, "maximum_event_age"},
		{"FIFO batch too large", func(c *Config) { c.Triggers = []ESMConfig{{Queue: fifo, BatchSize: 11}} }, "batch_size: 11 is out of range 1..10"},
		{"standard batch too large", func(c *Config) {
			c.Triggers = []ESMConfig{{Queue: std, BatchSize: 10001, BatchingWindow: time.Second}}
		}, "1..10000"},
		{"large batch needs a window", func(c *Config) { c.Triggers = []ESMConfig{{Queue: std, BatchSize: 100}} }, "must be ≥ 1s"},
		{"no window on FIFO", func(c *Config) { c.Triggers = []ESMConfig{{Queue: fifo, BatchingWindow: time.Second}} }, "not allowed for a FIFO"},
		{"max concurrency 1", func(c *Config) { c.Triggers = []ESMConfig{{Queue: std, MaxConcurrency: 1}} }, "maximum_concurrency: 1"},
		{"send to a non-target", func(c *Config) { c.Steps = []Step{{Kind: Send, Target: 99}} }, "steps.0.send"},
		{"compute without duration", func(c *Config) { c.Steps = []Step{{Kind: Compute}} }, "steps.0.compute"},
		{"bad fail probability", func(c *Config) { c.Steps = []Step{{Kind: Fail, Probability: 2}} }, "steps.0.fail"},
		{"reserved below -1", func(c *Config) { c.ReservedConcurrency = -2 }, "reserved_concurrency"},
		{"reserved beyond the account", func(c *Config) { c.ReservedConcurrency = 901 }, "reserved_concurrency: 901"},
		{"provisioned negative", func(c *Config) { c.ProvisionedConcurrency = -1 }, "provisioned_concurrency: -1 must be ≥ 0"},
		{"provisioned above reserved", func(c *Config) { c.ReservedConcurrency, c.ProvisionedConcurrency = 3, 5 },
			"provisioned_concurrency: 5 is more than reserved_concurrency 3"},
		{"provisioned on a disabled function", func(c *Config) { c.ReservedConcurrency, c.ProvisionedConcurrency = 0, 1 },
			"provisioned_concurrency: 1 is more than reserved_concurrency 0"},
		{"provisioned beyond the account", func(c *Config) { c.ProvisionedConcurrency = 901 },
			"provisioned_concurrency: 901 is more than the 900 the account can reserve"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig("bad")
			tt.edit(&cfg)
			_, err := New(w, NewAccount(0), cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	// every problem at once
	cfg := DefaultConfig("")
	cfg.Memory, cfg.Timeout = 1, time.Hour
	_, err := New(w, nil, cfg)
	if err == nil || strings.Count(err.Error(), "\n") < 2 {
		t.Errorf("error %v, want three problems reported together", err)
	}
	if _, err := New(w, nil, DefaultConfig("good")); err != nil {
		t.Errorf("default config: %v", err)
	}
	ok := DefaultConfig("provisioned-within-reserved")
	ok.ReservedConcurrency, ok.ProvisionedConcurrency = 900, 900
	if _, err := New(w, nil, ok); err != nil {
		t.Errorf("provisioned = reserved = 900 on a fresh account: %v", err)
	}
	checkConservation(t, w)
}
