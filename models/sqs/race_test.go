//go:build race

package sqs

// raceEnabled is true when the tests run under the race detector, which makes them several
// times slower: the statistical tests then use their -short sample sizes.
const raceEnabled = true
