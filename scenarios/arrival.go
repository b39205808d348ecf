package scenarios

import (
	"gopkg.in/yaml.v3"
)

// Arrival is a producer's arrival process, chosen by its `process` key; Spec holds the
// process's settings (one of the *Arrival types below).
type Arrival struct {
	Process string
	Spec    any
	Loc     Loc
}

// ArrivalProcesses lists the arrival processes and their settings structs.
func ArrivalProcesses() Kinds {
	return Kinds{
		"constant": func() any { return &ConstantArrival{} },
		"poisson":  func() any { return &PoissonArrival{} },
		"ramp":     func() any { return &RampArrival{} },
		"spike":    func() any { return &SpikeArrival{} },
		"diurnal":  func() any { return &DiurnalArrival{} },
		"bursty":   func() any { return &BurstyArrival{} },
		"trace":    func() any { return &TraceArrival{} },
	}
}

// DecodeYAML decodes {process: NAME, ...settings}.
func (a *Arrival) DecodeYAML(d *Decoder, n *yaml.Node, path string) {
	kind, v, _ := d.DecodeUnion(n, path, "process", ArrivalProcesses(), "arrival process")
	*a = Arrival{Process: kind, Spec: v, Loc: d.Loc(n, path)}
}

// ConstantArrival sends at exactly evenly spaced times.
type ConstantArrival struct {
	Rate Rate `yaml:"rate" required:"true" doc:"Messages per unit of time, evenly spaced (200/s)."`
}

// PoissonArrival sends with exponentially distributed gaps (a Poisson process).
type PoissonArrival struct {
	Rate Rate `yaml:"rate" required:"true" doc:"Mean messages per unit of time (200/s)."`
}

// RampArrival is a Poisson process whose rate changes linearly from From to To over Over,
// starting at At, and stays at To afterwards.
type RampArrival struct {
	From Rate     `yaml:"from" required:"true" doc:"Rate before the ramp."`
	To   Rate     `yaml:"to" required:"true" doc:"Rate after the ramp."`
	At   Duration `yaml:"at" default:"0" doc:"When the ramp starts (simulated time from the start of the run)."`
	Over Duration `yaml:"over" required:"true" doc:"How long the ramp lasts."`
}

// SpikeArrival is a Poisson process at Base with a step to Peak from At for For.
type SpikeArrival struct {
	Base Rate     `yaml:"base" required:"true" doc:"Rate outside the spike."`
	Peak Rate     `yaml:"peak" required:"true" doc:"Rate during the spike."`
	At   Duration `yaml:"at" required:"true" doc:"When the spike starts."`
	For  Duration `yaml:"for" required:"true" doc:"How long the spike lasts."`
}

// DiurnalArrival is a Poisson process with a sinusoidal rate:
// rate(t) = mean·(1 + amplitude·sin(2π(t+phase)/period)).
type DiurnalArrival struct {
	Mean      Rate     `yaml:"mean" required:"true" doc:"Mean rate over a period."`
	Amplitude float64  `yaml:"amplitude" default:"0.5" range:"0..1" doc:"Relative swing around the mean (0..1)."`
	Period    Duration `yaml:"period" default:"24h" range:"1ns.." doc:"Length of one cycle."`
	Phase     Duration `yaml:"phase" default:"0" doc:"Shift of the cycle: the rate at time t is the rate of t+phase."`
}

// BurstyArrival is an on/off Markov-modulated Poisson process: exponentially
// distributed bursts at Rate alternate with quiet periods at IdleRate.
type BurstyArrival struct {
	Rate     Rate     `yaml:"rate" required:"true" doc:"Rate during a burst."`
	IdleRate Rate     `yaml:"idle_rate" default:"0/s" doc:"Rate between bursts."`
	On       Duration `yaml:"on" required:"true" range:"1ns.." doc:"Mean length of a burst."`
	Off      Duration `yaml:"off" required:"true" range:"1ns.." doc:"Mean length of a quiet period."`
}

// TraceArrival replays the timestamps of a CSV file.
type TraceArrival struct {
	File string `yaml:"file" required:"true" doc:"CSV file of arrival times (first column, a duration from the start or seconds), relative to the scenario file."`
	Loop bool   `yaml:"loop" default:"false" doc:"Start the trace again when it ends."`
}
