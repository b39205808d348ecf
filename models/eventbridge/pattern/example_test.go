package pattern_test

import (
	"fmt"

	"msgsim/models/eventbridge/pattern"
)

func Example() {
	p, err := pattern.Compile([]byte(`{
	  "source": ["shop.orders"],
	  "detail": {
	    "type":   ["order", {"prefix": "refund-"}],
	    "amount": [{"numeric": [">", 0, "<=", 500]}]
	  }
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ev := range []string{
		`{"source":"shop.orders","detail":{"type":"order","amount":80}}`,
		`{"source":"shop.orders","detail":{"type":"refund-partial","amount":20.5}}`,
		`{"source":"shop.orders","detail":{"type":"order","amount":900}}`,
	} {
		ok, _ := p.Match([]byte(ev))
		fmt.Println(ok)
	}
	// Output:
	// true
	// true
	// false
}

func ExampleCompile_invalid() {
	_, err := pattern.Compile([]byte(`{"source": "aws.ec2"}`))
	fmt.Println(err)
	// Output:
	// event pattern is not valid: source: "source" must be an object or an array
}

func ExamplePattern_MatchValue() {
	p := pattern.MustCompile(`{"detail":{"$or":[{"state":["stopped"]},{"code":[{"numeric":[">=",500]}]}]}}`)
	event := map[string]any{"detail": map[string]any{"state": "running", "code": 503.0}}
	fmt.Println(p.MatchValue(event))
	// Output:
	// true
}
