//go:build !race

package sqs

// raceEnabled is true when the tests run under the race detector.
const raceEnabled = false
