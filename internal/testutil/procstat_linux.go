package testutil

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ProcessCPU is the user plus system CPU time this process has used.
// getrusage's Utime/Stime exist on every Unix, but not on Windows, so the
// measurement lives behind a build tag (procstat_other.go).
func ProcessCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}

// ResidentBytes is this process's resident set size now (VmRSS): what the
// operating system gives a flooded hub, which the Go heap figures leave
// out (goroutine stacks, buffers outside the heap, freed memory not yet
// returned).
func ResidentBytes() (int64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}

// Measured shows a measurement, or says it was not taken on this platform.
func Measured(ok bool, show func() string) string {
	if !ok {
		return "not measured on this platform"
	}
	return show()
}
