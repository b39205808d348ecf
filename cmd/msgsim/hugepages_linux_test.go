package main

import (
	"testing"
	"unsafe"
)

// anonymousMappings finds the heap: a large allocation lies in one of the 2 MB-aligned
// ranges it returns, and every range is aligned and at least a huge page long.
func TestAnonymousMappingsCoverTheHeap(t *testing.T) {
	big := make([]byte, 16<<20)
	big[len(big)/2] = 1
	mid := uintptr(unsafe.Pointer(&big[len(big)/2]))
	found := false
	for _, r := range anonymousMappings() {
		if r[0]%hugePage != 0 || r[1]%hugePage != 0 || r[1] <= r[0] {
			t.Errorf("range %#x-%#x is not whole huge pages", r[0], r[1])
		}
		if r[0] <= mid && mid < r[1] {
			found = true
		}
	}
	if !found {
		t.Errorf("no range holds the middle of a 16 MB allocation (%#x)", mid)
	}
}
