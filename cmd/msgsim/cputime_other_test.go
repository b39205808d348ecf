//go:build !unix

package main

import "time"

// cpuTime is unknown on this system (see cputime_unix_test.go).
func cpuTime() time.Duration { return 0 }
