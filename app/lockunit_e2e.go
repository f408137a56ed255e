//go:build e2e

package app

import (
	"os"
	"time"
)

// lockUnit is what the practice's lock time (Settings.LockMinutes) counts.
// Only the browser tests build with -tags e2e: there QUIETDESK_E2E_LOCK_UNIT
// (a Go duration such as "1s") lets one suite watch the idle lock fire in
// seconds. Shipped builds never contain this file.
var lockUnit = e2eLockUnit()

func e2eLockUnit() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("QUIETDESK_E2E_LOCK_UNIT")); err == nil && d > 0 {
		return d
	}
	return time.Minute
}
