package lambda

import "testing"

func TestRingKeepsOrderAcrossGrowth(t *testing.T) {
	var r ring[int]
	for i := 0; i < 40; i++ {
		r.pushBack(i)
	}
	for i := 0; i < 5; i++ {
		if v := r.popFront(); v != i {
			t.Fatalf("popFront = %d, want %d", v, i)
		}
	}
	r.pushFront(4)
	for i := 40; i < 60; i++ {
		r.pushBack(i)
	}
	if r.len() != 56 {
		t.Fatalf("len = %d, want 56", r.len())
	}
	for i := 59; i >= 4; i-- {
		if v := r.popBack(); v != i {
			t.Fatalf("popBack = %d, want %d", v, i)
		}
	}
}
