package filter

import (
	"encoding/json"
	"testing"
)

// benchPolicy is a typical 3-key policy: an event type, a store prefix, a price range.
const benchPolicy = `{"type":["order","refund"],"store":[{"prefix":"eu-"}],"price":[{"numeric":[">",0,"<=",500]}]}`

// BenchmarkMatch measures a 3-key policy on message attributes (the simulator's path for
// attribute filtering) and on a decoded and a JSON body.
func BenchmarkMatch(b *testing.B) {
	b.Run("attributes", func(b *testing.B) {
		p := MustCompile(benchPolicy, MessageAttributes)
		attrs := map[string]Attribute{"type": str("order"), "store": str("eu-west"), "price": num("80.5"), "other": str("x")}
		b.ReportAllocs()
		for b.Loop() {
			if !p.MatchAttributes(attrs) {
				b.Fatal("no match")
			}
		}
	})
	body := []byte(`{"type":"order","store":"eu-west","price":80.5,"items":[{"sku":"A","qty":2}]}`)
	p := MustCompile(benchPolicy, MessageBody)
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		b.Fatal(err)
	}
	b.Run("body-decoded", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !p.MatchBodyValue(v) {
				b.Fatal("no match")
			}
		}
	})
	b.Run("body-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if ok, _ := p.MatchBody(body); !ok {
				b.Fatal("no match")
			}
		}
	})
}
