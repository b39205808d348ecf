package filter_test

import (
	"fmt"

	"msgsim/models/sns/filter"
)

func Example() {
	p, err := filter.Compile([]byte(`{
	  "event": ["order_placed"],
	  "price_usd": [{"numeric": [">=", 100]}],
	  "store": [{"anything-but": ["test-store"]}]
	}`), filter.MessageAttributes)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.MatchAttributes(map[string]filter.Attribute{
		"event":     {Type: "String", Value: "order_placed"},
		"price_usd": {Type: "Number", Value: "210.75"},
		"store":     {Type: "String", Value: "example_corp"},
	}))
	fmt.Println(p.MatchAttributes(map[string]filter.Attribute{
		"event":     {Type: "String", Value: "order_placed"},
		"price_usd": {Type: "Number", Value: "50"},
		"store":     {Type: "String", Value: "example_corp"},
	}))
	// Output:
	// true
	// false
}

func ExamplePolicy_MatchBody() {
	p := filter.MustCompile(`{"order": {"status": ["paid"], "items": {"sku": [{"prefix": "BOOK-"}]}}}`, filter.MessageBody)
	ok, err := p.MatchBody([]byte(`{"order": {"status": "paid", "items": [{"sku": "TOY-1"}, {"sku": "BOOK-42"}]}}`))
	fmt.Println(ok, err)
	// Output:
	// true <nil>
}

func ExampleCompile_tooManyKeys() {
	_, err := filter.Compile([]byte(`{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}`), filter.MessageAttributes)
	fmt.Println(err)
	// Output:
	// filter policy is not valid: Filter policy can not have more than 5 keys (found 6)
}

func ExamplePolicy_MatchAttributes_stringArray() {
	p := filter.MustCompile(`{"interests": [{"anything-but": ["rugby"]}]}`, filter.MessageAttributes)
	// anything-but on a String.Array matches only if no element is excluded.
	fmt.Println(p.MatchAttributes(map[string]filter.Attribute{"interests": {Type: "String.Array", Value: `["rugby","tennis"]`}}))
	fmt.Println(p.MatchAttributes(map[string]filter.Attribute{"interests": {Type: "String.Array", Value: `["golf","tennis"]`}}))
	// Output:
	// false
	// true
}
