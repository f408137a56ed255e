package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"quietdesk/internal/store"
)

// patientsInFile counts the patients the database file itself holds,
// reading it as immutable: SQLite then ignores the WAL (and takes no lock,
// so the caller holds the checkpointer off while it reads).
func patientsInFile(t *testing.T, dir string) int {
	t.Helper()
	s, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, store.FileName)+"?mode=ro&immutable=1")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n int
	if err := s.QueryRow("SELECT COUNT(*) FROM patients").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A commit does not copy the WAL into the file (SQLite's default does, in
// the commit that takes the WAL past 1,000 pages): the checkpointer does
// it after, on a connection of its own.
func TestCheckpointsRunAfterTheCommitNotInIt(t *testing.T) {
	ctx := context.Background()
	db, dir, _ := newPractice(t)
	resume := db.PauseCheckpoints()
	before := patientsInFile(t, dir)
	const patients = 3000
	err := db.Update(ctx, func(tx *store.Tx) error {
		for range patients {
			p := samplePatient()
			if err := tx.CreatePatient(&p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		resume(true)
		t.Fatal(err)
	}
	// The fault this guards against: a WAL past SQLite's automatic
	// checkpoint, which the commit would have copied into the file.
	st, err := os.Stat(filepath.Join(dir, store.FileName) + "-wal")
	if err != nil || st.Size() < 1000*4096 {
		resume(true)
		t.Fatalf("the write should have taken the WAL past 1,000 pages: %v, %v", st, err)
	}
	inFile := patientsInFile(t, dir)
	resume(true)
	if inFile != before {
		t.Fatalf("the commit checkpointed: the file holds %d patients, had %d", inFile, before)
	}
	// The commit woke the checkpointer, which was held until now; the file
	// is read between its runs.
	settled := func() int {
		resume := db.PauseCheckpoints()
		defer resume(true)
		return patientsInFile(t, dir)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		n := settled()
		if n == before+patients {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the checkpointer did not copy the write into the file: it holds %d patients", n)
		}
	}
}
