// Package backups makes the practice's nightly backups: a sealed copy of
// the database (store.DB.Backup) written into a folder the owner chose, on
// the one machine that holds that folder, opened and checked as a restore
// would check it, then pruned to 7 daily, 4 weekly and 12 monthly copies.
// How the last attempt went is recorded in a replicated row, so every
// office computer shows it, and a failure is an alert for the owner.
//
// Nothing here needs the practice key: a hub nobody unlocked backs up.
package backups

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"quietdesk/internal/jobs"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// File names carry the date only, never the practice's or anyone's name:
// a folder on a NAS is often seen by more people than the practice.
const (
	prefix   = "quietdesk-backup-"
	suffix   = ".qdbackup"
	dateForm = "2006-01-02"
	// unchecked is a backup written whole but not yet opened and checked;
	// only a checked one takes the name retention counts.
	unchecked = ".unchecked"
)

// FileName is the name of the backup made on day (in day's location).
func FileName(day time.Time) string { return prefix + day.Format(dateForm) + suffix }

// dateOf reads the date from a backup's name; false for any other file
// (a partial or unchecked one, a file a person put there).
func dateOf(name string) (time.Time, bool) {
	d, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return time.Time{}, false
	}
	if d, ok = strings.CutSuffix(d, suffix); !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(dateForm, d)
	return t, err == nil
}

// CheckFolder says what is wrong with a folder chosen for backups on this
// machine. Errors: EInvalid with the field "folder".
func CheckFolder(folder string) error {
	switch st, err := os.Stat(folder); {
	case strings.TrimSpace(folder) == "":
		return folderProblem("Choose the folder backups go to.")
	case !filepath.IsAbs(folder):
		// A relative path would depend on where Quietdesk happened to start.
		return folderProblem(fmt.Sprintf("Give the whole path of the folder, from the top of the disk: %q is relative.", folder))
	case errors.Is(err, os.ErrNotExist):
		return folderProblem(fmt.Sprintf("The folder %s does not exist on this computer. Create it, or connect the disk it is on.", folder))
	case err != nil:
		return folderProblem(fmt.Sprintf("The folder %s cannot be used: %v.", folder, errors.Unwrap(err)))
	case !st.IsDir():
		return folderProblem(fmt.Sprintf("%s is a file, not a folder. Choose the folder that should hold the backups.", folder))
	}
	return nil
}

// folderProblem says the message itself (the command line shows it) and
// against the form's folder field.
func folderProblem(msg string) error {
	return &practice.Error{Code: practice.EInvalid, Message: msg, Fields: map[string]string{"folder": msg}}
}

// Choose makes folder, on this machine, where nightly backups go; this
// machine then makes them (the folder is a path on it). Nothing is written
// when the folder cannot be used. Errors: EInvalid (field "folder").
func Choose(ctx context.Context, db *store.DB, folder string) error {
	if err := CheckFolder(folder); err != nil {
		return err
	}
	return db.UpdateWithoutKey(ctx, func(tx *store.Tx) error {
		return tx.SetBackupTarget(filepath.Clean(folder), db.DeviceID())
	})
}

// Settings reads the backup settings and the last result (no key needed).
func Settings(ctx context.Context, db *store.DB) (store.BackupSettings, error) {
	var s store.BackupSettings
	err := db.ViewWithoutKey(ctx, func(tx *store.Tx) (err error) {
		s, err = tx.BackupSettings()
		return err
	})
	return s, err
}

// NightFrom is the hour (machine time) from which the night's backup is
// due: after midnight, before anyone comes in. A machine that was off then
// makes it when it next runs.
const NightFrom = 1

// RetryAfter is how long a failed backup waits before it is tried again,
// so a disconnected disk is not hammered every few minutes.
const RetryAfter = time.Hour

// Due reports whether this machine (device) should back up at now: it is
// the one chosen, a folder is set, today has no good backup yet, the night
// has begun, and a failure is not too recent. Dates are in now's location.
func Due(s store.BackupSettings, device string, now time.Time) bool {
	if s.Folder == "" || s.Device != device || now.Hour() < NightFrom {
		return false
	}
	if !s.LastGoodAt.IsZero() && sameDay(s.LastGoodAt.In(now.Location()), now) {
		return false
	}
	return s.LastOK || s.LastAt.IsZero() || now.Sub(s.LastAt) >= RetryAfter
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// Nightly is the scheduled job: a backup when one is due here (see Due),
// else jobs.ErrSkipped. now's location decides the dates.
func Nightly(ctx context.Context, db *store.DB, now time.Time) error {
	s, err := Settings(ctx, db)
	if err != nil {
		return err
	}
	if !Due(s, db.DeviceID(), now) {
		return jobs.ErrSkipped
	}
	_, err = Now(ctx, db, now)
	return err
}

// writing lets one backup run at a time in this process.
var writing sync.Mutex

// afterWrite runs between writing a backup and checking it, for the tests
// that damage it there; it does nothing otherwise.
var afterWrite = func(path string) {}

// Now backs up at once into the chosen folder (the nightly job, and "Back
// up now"), checks the copy, prunes old ones and records the result, which
// it returns. A failure is recorded too (it raises the alert) and returned
// with its message.
//
// Errors: ENotFound (no folder chosen), EConflict (another computer makes
// the backups), EBusy (a backup is being made), EInvalid (the folder
// cannot be used, the copy fails its check), EInternal (a full disk, an
// I/O error: the message says which).
func Now(ctx context.Context, db *store.DB, now time.Time) (store.BackupSettings, error) {
	s, err := Settings(ctx, db)
	if err != nil {
		return s, err
	}
	if s.Folder == "" {
		return s, practice.Errorf(practice.ENotFound, "No backup folder is chosen yet. Choose one in Settings → Backups.")
	}
	if s.Device != db.DeviceID() {
		return s, practice.Errorf(practice.EConflict,
			"Backups are made by %s, where the folder is. Back up there, or choose a folder on this computer.", machineName(ctx, db, s.Device))
	}
	// The nightly job and "Back up now" would remove each other's
	// unchecked copy (a leftover to the other) and record a false failure.
	if !writing.TryLock() {
		return s, practice.Errorf(practice.EBusy, "A backup is being made right now; its result shows when it is done.")
	}
	defer writing.Unlock()
	name := FileName(now)
	kept, err := write(ctx, db, s.Folder, name)
	s.LastAt, s.LastOK, s.LastFile = now, err == nil, ""
	if err == nil {
		s.LastGoodAt, s.LastFile = now, name
		s.LastMessage = fmt.Sprintf("Backed up and checked: %s. %s kept in the folder.", name, backupsWord(kept))
	} else {
		s.LastMessage = "The backup failed: " + practice.ErrorMessage(err)
	}
	rerr := db.UpdateWithoutKey(ctx, func(tx *store.Tx) error {
		return tx.SaveBackupResult(s.LastAt, s.LastOK, s.LastMessage, s.LastFile, s.LastGoodAt)
	})
	return s, errors.Join(err, rerr)
}

func backupsWord(n int) string {
	if n == 1 {
		return "1 backup"
	}
	return fmt.Sprintf("%d backups", n)
}

// write makes, checks and names one backup, then prunes the folder; it
// returns how many backups the folder keeps.
func write(ctx context.Context, db *store.DB, folder, name string) (int, error) {
	if err := CheckFolder(folder); err != nil {
		return 0, err
	}
	final := filepath.Join(folder, name)
	tmp := final + unchecked
	// What a crash or a vanished disk left: never counted (the names
	// differ), removed so it cannot be mistaken by a person either.
	removeLeftovers(folder)
	// DB.Backup writes tmp+".partial", syncs it and renames it to tmp.
	if err := db.Backup(ctx, tmp); err != nil {
		// A folder gone mid-write (a disk unplugged, a share dropped) is
		// said as such rather than as the I/O error it caused.
		if ferr := CheckFolder(folder); ferr != nil {
			return 0, ferr
		}
		return 0, err
	}
	afterWrite(tmp)
	if err := store.CheckBackup(ctx, tmp, db.PracticeID()); err != nil {
		os.Remove(tmp)
		return 0, practice.Errorf(practice.EInvalid, "The new backup did not pass its check (%s), so it was removed; the older backups are untouched.", practice.ErrorMessage(err))
	}
	// A second backup on one day replaces the first only now, checked.
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		return 0, practice.Errorf(practice.EInternal, "The checked backup could not be named %s: %v.", name, errors.Unwrap(err))
	}
	syncDir(folder)
	return prune(folder)
}

// removeLeftovers removes unfinished backups in folder.
func removeLeftovers(folder string) {
	entries, _ := os.ReadDir(folder)
	for _, e := range entries {
		n := e.Name()
		// The copy, its .partial and a journal SQLite left beside it.
		if strings.HasPrefix(n, prefix) && strings.Contains(n, suffix+unchecked) {
			os.Remove(filepath.Join(folder, n))
		}
	}
}

// list returns the dated backups in folder, newest first.
func list(folder string) ([]time.Time, error) {
	entries, err := os.ReadDir(folder)
	if err != nil {
		return nil, practice.Errorf(practice.EInvalid, "The backup folder %s cannot be read: %v.", folder, errors.Unwrap(err))
	}
	var out []time.Time
	for _, e := range entries {
		if d, ok := dateOf(e.Name()); ok && e.Type().IsRegular() {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return b.Compare(a) })
	return out, nil
}

// prune removes the backups retention does not keep.
func prune(folder string) (int, error) {
	dates, err := list(folder)
	if err != nil {
		return 0, err
	}
	keep := Keep(dates)
	for _, d := range dates {
		if !slices.ContainsFunc(keep, d.Equal) {
			if err := os.Remove(filepath.Join(folder, FileName(d))); err != nil {
				return 0, practice.Errorf(practice.EInternal, "An old backup could not be removed: %v.", errors.Unwrap(err))
			}
		}
	}
	syncDir(folder)
	return len(keep), nil
}

// syncDir makes a rename or removal in dir durable.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// machineName names a device by the label it reports (as the e-mail
// settings list it), or says "another computer".
func machineName(ctx context.Context, db *store.DB, device string) string {
	name := "another computer"
	db.ViewWithoutKey(ctx, func(tx *store.Tx) error {
		names, err := tx.MachineNames()
		if n, ok := names[device]; ok {
			name = "the computer " + n
		}
		return err
	})
	return name
}

// Status is what Settings → Backups shows of the nightly backups.
type Status struct {
	store.BackupSettings
	// ThisIsIt: this computer makes the backups (its folder is here).
	ThisIsIt bool `json:"thisIsIt"`
	// Machine names the computer that makes them ("" when none does).
	Machine string `json:"machine"`
	// Daily, Weekly and Monthly are the retention, as Keep applies it.
	Daily   int `json:"daily"`
	Weekly  int `json:"weekly"`
	Monthly int `json:"monthly"`
	// Kept lists the backups in the folder, newest first, when this
	// computer holds it; Problem says why the folder cannot be read.
	Kept    []string `json:"kept"`
	Problem string   `json:"problem"`
}

// StatusOf reads the status of the nightly backups as this machine sees it.
func StatusOf(ctx context.Context, db *store.DB) (Status, error) {
	s, err := Settings(ctx, db)
	if err != nil {
		return Status{}, err
	}
	st := Status{BackupSettings: s, ThisIsIt: s.Device != "" && s.Device == db.DeviceID(),
		Daily: Daily, Weekly: Weekly, Monthly: Monthly, Kept: []string{}}
	switch {
	case s.Device == "":
	case st.ThisIsIt:
		st.Machine = "this computer"
		dates, err := list(s.Folder)
		if err != nil {
			st.Problem = practice.ErrorMessage(err)
		}
		for _, d := range dates {
			st.Kept = append(st.Kept, FileName(d))
		}
	default:
		st.Machine = machineName(ctx, db, s.Device)
	}
	return st, nil
}
