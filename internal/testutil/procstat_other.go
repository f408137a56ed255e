//go:build !linux

package testutil

import "time"

// ProcessCPU and ResidentBytes are measured on Linux only (/proc and
// getrusage's Utime/Stime); elsewhere the flood tests still check their
// limits and the heap, and log that CPU and RSS were not measured.
func ProcessCPU() (time.Duration, bool) { return 0, false }

func ResidentBytes() (int64, bool) { return 0, false }

// Measured shows a measurement, or says it was not taken on this platform.
func Measured(ok bool, show func() string) string {
	if !ok {
		return "not measured on this platform"
	}
	return show()
}
