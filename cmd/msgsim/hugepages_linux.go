package main

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Transparent huge pages for the simulator's heap.
//
// A large run touches its tens of megabytes of state (messages, queue records, invocations,
// histograms, the event slab) at random, and with 4 KB pages nearly every such access also
// misses the processor's TLB. Backed by 2 MB pages the same heap needs a few dozen TLB
// entries. On the e-commerce scenario at 1,000 orders/s for one simulated hour (60 MB heap),
// setting the system's THP mode to "always" made the run 5-20% faster in three alternating
// pairs (23.6-26.4 s against 26.7-30.3 s) for the same peak memory (2026-11).
//
// Most Linux systems ship THP in "madvise" mode: only memory marked MADV_HUGEPAGE gets huge
// pages, and the Go runtime does not mark its heap. So the CLI marks it: a goroutine reads
// /proc/self/maps a few times early in the process (the heap grows to its working size in
// the first seconds of a run; the runtime maps new heap memory with mmap, which replaces
// earlier advice on those addresses, so a single early call would miss most of it) and
// advises every private anonymous read-write mapping of at least 2 MB with MADV_HUGEPAGE,
// then MADV_COLLAPSE (Linux 6.1 and later) so that pages already touched are merged at once
// instead of waiting for the kernel's background khugepaged. Errors are ignored: on older
// kernels, where THP is "never", or in a sandbox that forbids madvise, the run simply goes
// at the speed of small pages. Results cannot change: only how memory is backed does.
// MSGSIM_HUGEPAGES=0 turns it off.

const (
	hugePage      = 2 << 20
	madvHugePage  = 14 // MADV_HUGEPAGE
	madvCollapse  = 25 // MADV_COLLAPSE, Linux 6.1+
	hugePagesMode = "/sys/kernel/mm/transparent_hugepage/enabled"
)

// hugePageRounds are the times after start at which the heap is advised again.
var hugePageRounds = []time.Duration{0, 300 * time.Millisecond, time.Second, 3 * time.Second, 10 * time.Second}

// adviseHugePages starts the goroutine described above when the system's THP mode is
// "madvise" and the environment does not turn it off.
func adviseHugePages() {
	if os.Getenv("MSGSIM_HUGEPAGES") == "0" {
		return
	}
	mode, err := os.ReadFile(hugePagesMode)
	if err != nil || !bytes.Contains(mode, []byte("[madvise]")) {
		return // "always" needs no advice, "never" ignores it
	}
	go func() {
		start := time.Now()
		done := map[[2]uintptr]bool{}
		for _, at := range hugePageRounds {
			time.Sleep(time.Until(start.Add(at)))
			for _, r := range anonymousMappings() {
				if !done[r] {
					done[r] = true
					madvise(r[0], r[1]-r[0], madvHugePage)
					madvise(r[0], r[1]-r[0], madvCollapse)
				}
			}
		}
	}()
}

// anonymousMappings returns the 2 MB-aligned parts, at least one huge page long, of the
// process's private anonymous read-write mappings.
func anonymousMappings() [][2]uintptr {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return nil
	}
	defer f.Close()
	var out [][2]uintptr
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// address perms offset dev inode [path]
		fields := strings.Fields(sc.Text())
		if len(fields) != 5 || fields[1] != "rw-p" || fields[4] != "0" {
			continue
		}
		lo, hi, ok := strings.Cut(fields[0], "-")
		if !ok {
			continue
		}
		a, err1 := strconv.ParseUint(lo, 16, 64)
		b, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		a = (a + hugePage - 1) &^ (hugePage - 1)
		b &^= hugePage - 1
		if b > a {
			out = append(out, [2]uintptr{uintptr(a), uintptr(b)})
		}
	}
	return out
}

// madvise gives advice on [addr, addr+n); errors are ignored (see above).
func madvise(addr, n uintptr, advice int) {
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, addr, n, uintptr(advice))
}
