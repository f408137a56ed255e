package sync

import "time"

// SetSkipAgain shortens how long a held-back stream is left out of batches.
func SetSkipAgain(d time.Duration) (restore func()) {
	old := skipAgain
	skipAgain = d
	return func() { skipAgain = old }
}
