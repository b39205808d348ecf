package results_test

import (
	"fmt"

	"msgsim/results"
)

// The knee of an M/M/1 queue's latency 1/(μ − λ) against its load λ, for μ = 100/s: the
// latency doubles from its value at λ = 10/s (1/90 s) once λ passes 55/s.
func ExampleKnee() {
	loads := []float64{10, 20, 30, 40, 50, 60, 70, 80, 90}
	var latency []float64
	for _, l := range loads {
		latency = append(latency, 1/(100-l))
	}
	if i, ok := results.Knee(latency); ok {
		fmt.Printf("knee at λ = %g/s\n", loads[i])
	}
	// Output: knee at λ = 60/s
}

func ExampleParseQuantity() {
	v, unit, _ := results.ParseQuantity("250/s")
	fmt.Println(v, unit)
	// Output: 250 /s
}
