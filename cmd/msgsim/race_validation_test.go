//go:build race

package main

// raceDetector is true under -race, which slows the CPU-bound validation runs about
// ten-fold; TestValidationScenarios then runs a smaller smoke size (make test also runs it
// without the detector at its -short size).
const raceDetector = true
