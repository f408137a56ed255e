package store

// Checkpoints off the commit path. SQLite's default copies the WAL into the
// database file inside the commit that takes the WAL past 1,000 pages: that
// commit then also writes every page it changed a second time, at its place
// in the file, and syncs the file before returning. On the large demo an
// 837P of 2,400 claims waited a second for that after its own commit of
// 0.15 s. The live connection turns it off (wal_autocheckpoint = 0), and a
// commit wakes a goroutine that runs a PASSIVE checkpoint on a connection of
// its own, which waits for no reader and no writer and holds up neither.

import (
	"database/sql"
	"sync"
	"sync/atomic"
)

type checkpointer struct {
	// mu is held while a checkpoint runs, and by whatever closes or swaps
	// the file (which must not meet a second connection to it).
	mu   sync.Mutex
	live bool // a live database is open at the data folder's path; under mu
	// running: a goroutine is checkpointing or about to; again: a commit
	// came after it started, so it runs once more.
	running, again atomic.Bool
}

// liveOpened makes s, just opened on the practice file, the live database's
// connection: it no longer checkpoints in its commits, and commits wake the
// checkpointer.
func (db *DB) liveOpened(s *sql.DB) error {
	if _, err := s.Exec("PRAGMA wal_autocheckpoint = 0"); err != nil {
		return err
	}
	db.ckpt.mu.Lock()
	db.ckpt.live = true
	db.ckpt.mu.Unlock()
	return nil
}

// pauseCheckpoints waits for a running checkpoint and holds off the next
// until resume (resume(false): the live database was closed, so none comes
// until one is opened).
func (db *DB) pauseCheckpoints() (resume func(live bool)) {
	db.ckpt.mu.Lock()
	return func(live bool) {
		db.ckpt.live = db.ckpt.live && live
		db.ckpt.mu.Unlock()
	}
}

// checkpointSoon runs a checkpoint in the background after a commit; commits
// that come while one runs are covered by one more.
func (db *DB) checkpointSoon() {
	db.ckpt.again.Store(true)
	if !db.ckpt.running.CompareAndSwap(false, true) {
		return
	}
	go func() {
		for {
			db.ckpt.again.Store(false)
			db.checkpointNow()
			db.ckpt.running.Store(false)
			if !db.ckpt.again.Load() || !db.ckpt.running.CompareAndSwap(false, true) {
				return
			}
		}
	}()
}

// checkpointNow copies into the file what of the WAL no reader still needs.
// A failure is logged and left to the next commit's checkpoint: the WAL
// keeps every committed page until one succeeds.
func (db *DB) checkpointNow() {
	db.ckpt.mu.Lock()
	defer db.ckpt.mu.Unlock()
	if !db.ckpt.live {
		return
	}
	s, err := sql.Open(driverName, dsn(db.path(), "rw", ""))
	if err == nil {
		var busy, logFrames, done int
		err = s.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logFrames, &done)
		if cerr := s.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		db.log.Warn("checkpoint failed; the next commit tries again", "err", err)
	}
}
