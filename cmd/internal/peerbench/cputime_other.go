//go:build !unix

package peerbench

import "time"

// CPUTime is unknown on this system: CPU-second figures are left at 0.
func CPUTime() time.Duration { return 0 }
