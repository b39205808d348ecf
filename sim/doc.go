// Package sim is msgsim's discrete-event engine: an integer-nanosecond clock, an event
// queue ordered by (time, sequence), named random streams, distributions and streaming
// statistics.
//
// It knows nothing about AWS. Models register handlers; the engine orders events and fires
// them. Nothing in this package reads the wall clock, starts goroutines or does I/O, so a
// test can drive it step by step and two runs with the same seed are identical.
package sim
