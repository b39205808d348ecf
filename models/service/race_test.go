//go:build race

package service

// raceDetector is true when the tests run under -race, which slows the CPU-bound
// validations about ten-fold; they then use a smaller fast variant (make test also runs
// them at full size without the detector).
const raceDetector = true
