package results_test

import (
	"fmt"

	"msgsim/results"
)

func ExampleParseThreshold() {
	t, err := results.ParseThreshold("p99(latency: shoppers -> warehouse) < 250ms")
	fmt.Println(t.Func, t.Selector, t.Ref, t.Op, t.Value, err)
	_, err = results.ParseThreshold("p99(latency shoppers) < 2s")
	fmt.Println(err)
	// Output:
	// p99 latency shoppers -> warehouse < 0.25 <nil>
	// threshold "p99(latency shoppers) < 2s": column 13: expected ':' after the selector, found 's'
}

func ExampleTiers_Cost() {
	sqs := results.DefaultPrices().SQSStandardRequests
	fmt.Printf("1 M requests: $%.2f\n", sqs.Cost(1e6))
	fmt.Printf("150 B requests in a month: $%.0f\n", sqs.Cost(150e9))
	// Output:
	// 1 M requests: $0.40
	// 150 B requests in a month: $55000
}
