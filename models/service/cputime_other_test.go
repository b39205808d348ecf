//go:build !unix

package service

import "time"

// cpuTime is unknown on this platform (see cputime_unix_test.go).
func cpuTime() time.Duration { return 0 }
