package jsonmatch

import "testing"

func TestCompileBoundsOrExpansion(t *testing.T) {
	// Eleven sibling objects each holding a 2-way $or expand to 2^11 = 2048 branches,
	// over the default bound of 1024.
	src := "{"
	for i := range 11 {
		if i > 0 {
			src += ","
		}
		src += `"k` + string(rune('a'+i)) + `":{"$or":[{"p":["1"]},{"q":["1"]}]}`
	}
	src += "}"
	_, err := Compile([]byte(src), &Dialect{What: "event pattern", Nesting: true})
	if err == nil {
		t.Fatal("Compile accepted 2048 $or branches")
	}
	p, err := Compile([]byte(`{"a":{"$or":[{"p":["1"]},{"q":["1"]}]},"b":{"$or":[{"p":["1"]},{"q":["1"]}]}}`), &Dialect{What: "event pattern", Nesting: true})
	if err != nil || len(p.Branches) != 4 {
		t.Fatalf("two 2-way $or: %v branches, error %v; want 4 branches", p, err)
	}
}
