//go:build !race

package service

// raceDetector is true when the tests run under -race (see race_test.go).
const raceDetector = false
