//go:build !e2e

package app

import "time"

// lockUnit is what the practice's lock time (Settings.LockMinutes) counts.
const lockUnit = time.Minute
