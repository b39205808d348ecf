package lambda

import (
	"testing"
	"unsafe"
)

// TestInvocationFillsOneCacheLine guards the layout the invocation's doc comment relies
// on: every step of an invocation touches one 64-byte line of the slab.
func TestInvocationFillsOneCacheLine(t *testing.T) {
	if n := unsafe.Sizeof(invocation{}); n != 64 {
		t.Fatalf("invocation is %d bytes, want 64 (one cache line)", n)
	}
}
