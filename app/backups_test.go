package app_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"quietdesk/app"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/testutil"
)

func newPatient(t *testing.T, e *env, first string) practice.Patient {
	t.Helper()
	rec, err := e.Patients.Create(practice.Patient{Identity: practice.PatientIdentity{FirstName: first, LastName: "Backup", DOB: "1980-01-02"}})
	if err != nil {
		t.Fatal(err)
	}
	return rec.Patient
}

// The owner backs up from the window, keeps working, and restores: the
// practice is as the backup had it plus what was written here since (kept,
// as sync would merge it), everyone is signed out, and both are audited.
func TestOwnerBacksUpAndRestoresFromTheWindow(t *testing.T) {
	e := newEnv(t)
	before := newPatient(t, e, "Before")
	path, err := e.Backups.Backup()
	if err != nil {
		t.Fatal(err)
	}
	if name := filepath.Base(path); !strings.HasSuffix(name, "quietdesk-backup-2026-03-09.qdbackup") {
		t.Fatalf("backup saved as %q: the suggested name is the date only", name)
	}
	after := newPatient(t, e, "After")

	e.Dialogs.open = path
	res, err := e.Backups.Restore()
	if err != nil || !res.Restored || !strings.Contains(res.Message, "Sign in again") {
		t.Fatalf("restore: %+v, %v", res, err)
	}
	if st, _ := e.Session.Status(); st.LoggedIn {
		t.Fatal("still signed in after a restore replaced the accounts")
	}
	e.login(t, ownerUser, ownerPassword)
	for _, p := range []practice.Patient{before, after} {
		if _, err := e.Patients.Get(p.ID); err != nil {
			t.Errorf("%s: %v after the restore", p.Identity.FirstName, err)
		}
	}
	expectAudited(t, e, app.AuditFilter{}, "backup.create", "backup.restore")
}

// A file that is not a backup of this practice is refused with the reason
// (the same message the command line gives) and changes nothing.
func TestRestoreRefusesWhatIsNotABackupOfThisPractice(t *testing.T) {
	e := newEnv(t)
	newPatient(t, e, "Kept")
	other := newEnv(t)
	otherBackup, err := other.Backups.Backup()
	if err != nil {
		t.Fatal(err)
	}
	junk := filepath.Join(t.TempDir(), "notes.qdbackup")
	if err := os.WriteFile(junk, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	digest := func() string {
		d, err := e.DB.Digest(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	was := digest()
	for _, c := range []struct{ file, want string }{
		{junk, "notes.qdbackup is not a Quietdesk backup. Nothing was changed."},
		{otherBackup, "That backup belongs to another practice. Nothing was changed."},
	} {
		e.Dialogs.open = c.file
		_, err := e.Backups.Restore()
		if got := uiError(t, err); got == nil || got.Message != c.want {
			t.Errorf("restore of %s: %v, want %q", filepath.Base(c.file), err, c.want)
		}
		if digest() != was {
			t.Fatalf("a refused restore of %s changed the practice", filepath.Base(c.file))
		}
		if st, _ := e.Session.Status(); !st.LoggedIn {
			t.Fatal("a refused restore signed the owner out")
		}
	}
	e.Dialogs.open = ""
	if res, err := e.Backups.Restore(); err != nil || res.Restored {
		t.Fatalf("cancelled restore: %+v, %v", res, err)
	}
}

// A database that cannot be read leads to "restore a backup", which the
// window now offers before anyone can log in: a junk file is refused with
// the usual message, a backup is put in place with the damaged file kept
// aside, and the folder then opens on the restored practice.
func TestADamagedDatabaseIsRestoredFromTheWindow(t *testing.T) {
	e := newEnv(t)
	kept := newPatient(t, e, "Restored")
	backup, err := e.Backups.Backup()
	if err != nil {
		t.Fatal(err)
	}
	e.close(t)
	live := filepath.Join(e.Dir, store.FileName)
	if err := os.WriteFile(live, append([]byte("SQLite format 3\x00"), make([]byte, 8192)...), 0o600); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, problem := store.Open(e.Dir, store.Options{AppVersion: "test", Logger: log})
	if practice.ErrorCode(problem) != practice.EDamaged || db != nil {
		t.Fatalf("open of a damaged database: %v", problem)
	}
	dialogs := &fakeDialogs{dir: t.TempDir()}
	core := app.NewCore(app.Config{Problem: problem, Dialogs: dialogs, Logger: log,
		OpenForRestore: func() (*store.DB, error) {
			return store.OpenForRestore(e.Dir, store.Options{AppVersion: "test", Logger: log})
		}})
	session := app.NewSession(core)
	if st, _ := session.Status(); st.ProblemCode != practice.EDamaged || !strings.Contains(st.Problem, "backup") {
		t.Fatalf("status over a damaged database: %+v", st)
	}

	junk := filepath.Join(t.TempDir(), "photo.qdbackup")
	if err := os.WriteFile(junk, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	dialogs.open = junk
	if _, err := session.RestoreDamaged(); uiError(t, err) == nil || uiError(t, err).Message != "photo.qdbackup is not a Quietdesk backup. Nothing was changed." {
		t.Fatalf("restore of a junk file: %v", err)
	}
	dialogs.open = backup
	res, err := session.RestoreDamaged()
	if err != nil || !res.Restored || !strings.Contains(res.Message, "open it again") {
		t.Fatalf("restore over the damaged database: %+v, %v", res, err)
	}
	var aside bool
	for _, name := range testutil.FileNames(t, e.Dir) {
		aside = aside || strings.HasPrefix(name, "practice.db.before-restore-")
	}
	if !aside {
		t.Fatalf("the damaged database was not kept aside: %v", testutil.FileNames(t, e.Dir))
	}

	reopened := openEnv(t, envOptions{dir: e.Dir})
	reopened.login(t, ownerUser, ownerPassword)
	if _, err := reopened.Patients.Get(kept.ID); err != nil {
		t.Fatalf("the restored practice lacks the backed-up patient: %v", err)
	}
}

// Over a database that can be read, the restore-without-login is refused:
// there, only the signed-in owner may restore.
func TestRestoreWithoutLoginOnlyOverADamagedDatabase(t *testing.T) {
	e := newEnv(t)
	_, err := e.Session.RestoreDamaged()
	if got := uiError(t, err); got == nil || got.Code != practice.EConflict {
		t.Fatalf("restore without login over a sound database: %v", err)
	}
}

// The owner chooses a folder for the nightly backups (a bad one is refused
// on its field and changes nothing) and backs up now: the file is in the
// folder, the result shows, and both steps are audited.
func TestOwnerChoosesTheNightlyFolderAndBacksUpNow(t *testing.T) {
	e := newEnv(t)
	before := changeCount(t, e.Dir)
	for _, bad := range []struct{ folder, says string }{
		{filepath.Join(t.TempDir(), "gone"), "does not exist"},
		{"relative/folder", "is relative"},
	} {
		_, err := e.Backups.ChooseFolder(bad.folder)
		if ue := uiError(t, err); ue.Code != practice.EInvalid || !strings.Contains(ue.Fields["folder"], bad.says) {
			t.Errorf("%s: %+v", bad.folder, ue)
		}
	}
	if n := changeCount(t, e.Dir); n != before {
		t.Fatalf("a refused folder wrote %d changes", n-before)
	}
	folder := t.TempDir()
	st, err := e.Backups.ChooseFolder(folder)
	if err != nil || !st.ThisIsIt || st.Folder != folder || st.Daily != 7 || st.Weekly != 4 || st.Monthly != 12 {
		t.Fatalf("chose: %+v, %v", st, err)
	}
	st, err = e.Backups.BackUpNow()
	if err != nil || !st.LastOK || len(st.Kept) != 1 || st.Kept[0] != "quietdesk-backup-2026-03-09.qdbackup" {
		t.Fatalf("backed up: %+v, %v", st, err)
	}
	expectAudited(t, e, app.AuditFilter{}, "backup.folder", "backup.create")
}
