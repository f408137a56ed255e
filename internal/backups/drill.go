package backups

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// DrillReport is what a restore drill proved.
type DrillReport struct {
	File   string             `json:"file"`
	Counts []store.TableCount `json:"counts"`
	Took   time.Duration      `json:"took"`
}

// Drill restores the newest backup in folder into a temporary data folder
// the way a real restore would (the same checks; the practice must be
// practiceID), opens it, checks every page of the restored copy and
// counts what it holds, then removes the temporary copy. It proves the backup can be restored
// without touching the live practice.
//
// Errors: ENotFound (no backup in the folder), EInvalid (the backup fails
// a check, or belongs to another practice).
func Drill(ctx context.Context, folder, practiceID string) (DrillReport, error) {
	began := time.Now()
	dates, err := list(folder)
	if err != nil {
		return DrillReport{}, err
	}
	if len(dates) == 0 {
		return DrillReport{}, practice.Errorf(practice.ENotFound, "There is no backup in %s to restore.", folder)
	}
	rep := DrillReport{File: FileName(dates[0])}
	path := filepath.Join(folder, rep.File)
	tmp, err := os.MkdirTemp("", "quietdesk-drill-")
	if err != nil {
		return rep, err
	}
	defer os.RemoveAll(tmp)
	db, err := store.Open(tmp, store.Options{})
	if err != nil {
		return rep, err
	}
	defer db.Close()
	// Restore checks the backup completely first (integrity, application
	// id, schema version); into an empty folder it takes any practice, so
	// the practice is compared after.
	if err := db.Restore(ctx, path, nil); err != nil {
		return rep, err
	}
	if db.PracticeID() != practiceID {
		return rep, practice.Errorf(practice.EInvalid, "%s belongs to another practice.", rep.File)
	}
	res, err := db.IntegrityCheck(ctx)
	if err != nil {
		return rep, err
	}
	if res != "ok" {
		return rep, practice.Errorf(practice.EDamaged, "The restored copy of %s fails its integrity check: %s.", rep.File, res)
	}
	if rep.Counts, err = db.Counts(ctx); err != nil {
		return rep, err
	}
	rep.Took = time.Since(began)
	return rep, nil
}
