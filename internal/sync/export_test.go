package sync

import "time"

// OnSnapshotSent calls fn after each chunk of a database copy this process
// sends, for a host process that kills itself mid-transfer.
func OnSnapshotSent(fn func(sent, size int64)) { snapshotSent = fn }

// SetSkipAgain shortens how long a held-back stream is left out of batches.
func SetSkipAgain(d time.Duration) (restore func()) {
	old := skipAgain
	skipAgain = d
	return func() { skipAgain = old }
}
