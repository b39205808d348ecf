package pattern

import (
	"encoding/json"
	"testing"
)

// benchPattern is a typical rule: a source, a state in a list, a numeric range.
const benchPattern = `{"source":["aws.ec2"],"detail":{"state":["pending","running"],"c-count":[{"numeric":[">",0,"<=",5]}]}}`

// BenchmarkMatch measures matching a 3-field pattern against the sample EC2 event, on a
// decoded event (the simulator's hot path) and on JSON bytes (decoding included).
func BenchmarkMatch(b *testing.B) {
	p := MustCompile(benchPattern)
	raw := []byte(ec2Event)
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		b.Fatal(err)
	}
	b.Run("decoded", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !p.MatchValue(v) {
				b.Fatal("no match")
			}
		}
	})
	b.Run("json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if ok, _ := p.Match(raw); !ok {
				b.Fatal("no match")
			}
		}
	})
}

func BenchmarkCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile([]byte(benchPattern)); err != nil {
			b.Fatal(err)
		}
	}
}
