package backups_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/alerts"
	"quietdesk/internal/backups"
	"quietdesk/internal/jobs"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/testutil"
)

func TestMain(m *testing.M) {
	store.KDFTarget = 0
	os.Exit(m.Run())
}

var ctx = context.Background()

// newPractice makes a practice with its owner logged in, in a real SQLite
// file in a temporary folder.
func newPractice(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(t.TempDir(), store.Options{AppVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	owner := practice.Account{Username: "owner", DisplayName: "Owner", Role: practice.RoleOwner}
	err = db.Create(ctx, func(tx *store.Tx) error {
		settings := practice.Settings{Name: "Lakeside Counseling", Timezone: "America/Chicago", LockMinutes: 10}
		if err := tx.SaveSettings(&settings); err != nil {
			return err
		}
		return tx.CreateAccount(&owner, "correct horse battery staple")
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// addDocument makes the database larger by n sealed bytes (a PDF).
func addDocument(t *testing.T, db *store.DB, n int) {
	t.Helper()
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(uint64(n), 7))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	copy(b, "%PDF-")
	d := store.Document{OwnerTable: "patients", OwnerID: "p-1", Name: "scan.pdf"}
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SaveDocument(&d, bytes.NewReader(b)) }); err != nil {
		t.Fatal(err)
	}
}

func settings(t *testing.T, db *store.DB) store.BackupSettings {
	t.Helper()
	s, err := backups.Settings(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func ownerAlerts(t *testing.T, db *store.DB, now time.Time) []alerts.Alert {
	t.Helper()
	var list []alerts.Alert
	err := db.View(ctx, func(tx *store.Tx) (err error) {
		list, err = backups.Alerts(ctx, tx, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(list, func(a alerts.Alert) bool { return !a.Reaches(alerts.Who{Role: practice.RoleOwner}) })
}

// at is a time of day on a date, in UTC (the dates of names follow it).
func at(date string, hour int) time.Time { return day(date).Add(time.Duration(hour) * time.Hour) }

func TestBackupNow(t *testing.T) {
	db := newPractice(t)
	folder := t.TempDir()
	if err := backups.Choose(ctx, db, folder); err != nil {
		t.Fatal(err)
	}
	now := at("2026-12-02", 2)
	s, err := backups.Now(ctx, db, now)
	if err != nil {
		t.Fatal(err)
	}
	name := "quietdesk-backup-2026-12-02.qdbackup"
	if !s.LastOK || s.LastFile != name || !s.LastGoodAt.Equal(now) || !strings.Contains(s.LastMessage, "checked") {
		t.Fatalf("result %+v", s)
	}
	if got := testutil.FileNames(t, folder); !slices.Equal(got, []string{name}) {
		t.Fatalf("folder holds %v", got)
	}
	// The result is recorded in the replicated row, as every machine reads it.
	if got := settings(t, db); !got.LastOK || got.LastFile != name || got.LastMessage != s.LastMessage {
		t.Fatalf("recorded %+v", got)
	}
	// It is the file a restore takes: the restore's own checks pass.
	if err := store.CheckBackup(ctx, filepath.Join(folder, name), db.PracticeID()); err != nil {
		t.Fatal(err)
	}
	if a := ownerAlerts(t, db, now); len(a) != 0 {
		t.Fatalf("alerts after a good backup: %+v", a)
	}
}

// Forty-five nights of real backups into a real folder: the folder holds
// what Keep says, and the drill restores the newest.
func TestNightlyKeepsTheRetentionSetAndTheDrillRestoresTheNewest(t *testing.T) {
	db := newPractice(t)
	folder := t.TempDir()
	if err := backups.Choose(ctx, db, folder); err != nil {
		t.Fatal(err)
	}
	var made []time.Time
	for d := day("2026-11-01"); !d.After(day("2026-12-15")); d = d.AddDate(0, 0, 1) {
		// Before the night begins nothing is due; at 02:00 the backup is;
		// once made, not again that day.
		if err := backups.Nightly(ctx, db, d); !errors.Is(err, jobs.ErrSkipped) {
			t.Fatalf("%s 00:00: %v", d.Format(time.DateOnly), err)
		}
		if err := backups.Nightly(ctx, db, d.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := backups.Nightly(ctx, db, d.Add(3*time.Hour)); !errors.Is(err, jobs.ErrSkipped) {
			t.Fatalf("a second backup on %s: %v", d.Format(time.DateOnly), err)
		}
		made = append(made, d)
	}
	var want []string
	for _, d := range backups.Keep(made) {
		want = append(want, backups.FileName(d))
	}
	slices.Sort(want)
	// 7 daily (9–15 Dec, a Tuesday); the weeks of 14 Dec (15th) and 7 Dec
	// (13th) are daily already, then 30 Nov (6 Dec) and 23 Nov (29 Nov);
	// the months: 15 Dec and 30 Nov.
	if len(want) != 10 {
		t.Fatalf("Keep chose %v", want)
	}
	if got := testutil.FileNames(t, folder); !slices.Equal(got, want) {
		t.Fatalf("folder holds\n%v\nwant\n%v", got, want)
	}
	rep, err := backups.Drill(ctx, folder, db.PracticeID())
	if err != nil {
		t.Fatal(err)
	}
	if rep.File != "quietdesk-backup-2026-12-15.qdbackup" {
		t.Fatalf("drill restored %s", rep.File)
	}
	if i := slices.IndexFunc(rep.Counts, func(c store.TableCount) bool { return c.Table == "accounts" }); i < 0 || rep.Counts[i].Rows != 1 {
		t.Fatalf("counts %+v", rep.Counts)
	}
	// A drill for another practice is refused by the restore's check.
	if _, err := backups.Drill(ctx, folder, "another-practice"); practice.ErrorCode(err) != practice.EInvalid ||
		!strings.Contains(practice.ErrorMessage(err), "another practice") {
		t.Fatalf("another practice: %v", err)
	}
	if _, err := backups.Drill(ctx, t.TempDir(), db.PracticeID()); practice.ErrorCode(err) != practice.ENotFound {
		t.Fatalf("empty folder: %v", err)
	}
}

func TestBadFolderIsRefusedAndNothingWritten(t *testing.T) {
	db := newPractice(t)
	file := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "nas")
	for _, tc := range []struct {
		name, folder, want string
	}{
		{"ErrFolderMissing", missing, "does not exist on this computer"},
		{"ErrFileNotFolder", file, "is a file, not a folder"},
		{"ErrRelative", "backups/quietdesk", "is relative"},
		{"ErrEmpty", "", "Choose the folder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, err := db.Digest(ctx)
			if err != nil {
				t.Fatal(err)
			}
			err = backups.Choose(ctx, db, tc.folder)
			if practice.ErrorCode(err) != practice.EInvalid || !strings.Contains(practice.ErrorMessage(err), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			var perr *practice.Error
			if !errors.As(err, &perr) || !strings.Contains(perr.Fields["folder"], tc.want) {
				t.Fatalf("field problem %+v", perr)
			}
			after, err := db.Digest(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if before != after || settings(t, db).Folder != "" {
				t.Fatal("a refused folder changed the practice")
			}
		})
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Fatal("the missing folder was created")
	}
	if _, err := backups.Now(ctx, db, at("2026-12-02", 2)); practice.ErrorCode(err) != practice.ENotFound {
		t.Fatalf("backup with no folder: %v", err)
	}
}

// The folder chosen is gone by night (a disk unplugged): the failure is
// recorded in words, the owner is alerted, and nothing is written.
func TestFolderGoneIsRecordedAndAlerted(t *testing.T) {
	db := newPractice(t)
	parent := t.TempDir()
	folder := filepath.Join(parent, "usb")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := backups.Choose(ctx, db, folder); err != nil {
		t.Fatal(err)
	}
	if _, err := backups.Now(ctx, db, at("2026-12-01", 2)); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(folder); err != nil {
		t.Fatal(err)
	}
	now := at("2026-12-02", 2)
	err := backups.Nightly(ctx, db, now)
	if !strings.Contains(practice.ErrorMessage(err), "does not exist") {
		t.Fatalf("got %v", err)
	}
	s := settings(t, db)
	if s.LastOK || !s.LastAt.Equal(now) || !s.LastGoodAt.Equal(at("2026-12-01", 2)) ||
		!strings.HasPrefix(s.LastMessage, "The backup failed: The folder "+folder+" does not exist") {
		t.Fatalf("recorded %+v", s)
	}
	list := ownerAlerts(t, db, now)
	if len(list) != 1 || list[0].Severity != alerts.Urgent || list[0].Title != s.LastMessage || list[0].Kind != "The nightly backup failed" {
		t.Fatalf("alerts %+v", list)
	}
	// Not tried again within the hour, then tried again.
	if err := backups.Nightly(ctx, db, now.Add(30*time.Minute)); !errors.Is(err, jobs.ErrSkipped) {
		t.Fatalf("retried at once: %v", err)
	}
	if got := testutil.FileNames(t, parent); len(got) != 0 {
		t.Fatalf("written: %v", got)
	}
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := backups.Nightly(ctx, db, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if list := ownerAlerts(t, db, now.Add(time.Hour)); len(list) != 0 {
		t.Fatalf("the alert stayed after a good backup: %+v", list)
	}
}

// The folder is removed while SQLite is writing the copy into it. The
// test watches the partial file grow and removes the folder only once it
// holds some but not all of a backup, so the fault is proven mid-write.
func TestFolderRemovedMidWriteLeavesNothingCountedAsGood(t *testing.T) {
	db := newPractice(t)
	addDocument(t, db, 24<<20)
	// A whole backup's size, to tell a partial file from a finished one.
	whole := filepath.Join(t.TempDir(), "whole.qdbackup")
	if err := db.Backup(ctx, whole); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(whole)
	if err != nil {
		t.Fatal(err)
	}
	full := st.Size()

	for attempt := range 5 {
		parent := t.TempDir()
		folder := filepath.Join(parent, "nas")
		if err := os.Mkdir(folder, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := backups.Choose(ctx, db, folder); err != nil {
			t.Fatal(err)
		}
		partial := filepath.Join(folder, "quietdesk-backup-2026-12-02.qdbackup.unchecked.partial")
		seen := make(chan int64, 1)
		go func() {
			deadline := time.Now().Add(30 * time.Second)
			for time.Now().Before(deadline) {
				if st, err := os.Stat(partial); err == nil && st.Size() > 0 && st.Size() < full/2 {
					os.RemoveAll(folder)
					seen <- st.Size()
					return
				}
			}
			seen <- -1
		}()
		_, err := backups.Now(ctx, db, at("2026-12-02", 2))
		size := <-seen
		if size < 0 || err == nil {
			t.Logf("attempt %d: the write finished before the folder could be removed (seen %d, err %v)", attempt, size, err)
			continue
		}
		t.Logf("folder removed with %d of %d bytes written: %v", size, full, err)
		s := settings(t, db)
		if s.LastOK || s.LastMessage != "The backup failed: "+practice.ErrorMessage(err) || !strings.Contains(s.LastMessage, "does not exist") {
			t.Fatalf("recorded %+v", s)
		}
		if len(ownerAlerts(t, db, at("2026-12-02", 2))) != 1 {
			t.Fatal("no alert for the failed backup")
		}
		// Whatever the disk shows when it comes back, no backup is there,
		// and a drill finds none to count as good.
		os.MkdirAll(folder, 0o700)
		if got := testutil.FileNames(t, folder); len(got) != 0 {
			t.Fatalf("left %v", got)
		}
		if _, err := backups.Drill(ctx, folder, db.PracticeID()); practice.ErrorCode(err) != practice.ENotFound {
			t.Fatalf("drill: %v", err)
		}
		return
	}
	t.Fatal("never caught the backup mid-write")
}

// A copy that fails its check is removed; the older backups stay.
func TestACopyThatFailsItsCheckIsRemoved(t *testing.T) {
	db := newPractice(t)
	folder := t.TempDir()
	if err := backups.Choose(ctx, db, folder); err != nil {
		t.Fatal(err)
	}
	if _, err := backups.Now(ctx, db, at("2026-12-01", 2)); err != nil {
		t.Fatal(err)
	}
	prev := *backups.AfterWrite
	t.Cleanup(func() { *backups.AfterWrite = prev })
	*backups.AfterWrite = func(path string) {
		// Damage a page past the header, as a failing disk would.
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			t.Error(err)
			return
		}
		defer f.Close()
		f.WriteAt(bytes.Repeat([]byte{0xAB}, 4096), 4096)
	}
	_, err := backups.Now(ctx, db, at("2026-12-02", 2))
	if practice.ErrorCode(err) != practice.EInvalid || !strings.Contains(practice.ErrorMessage(err), "did not pass its check") {
		t.Fatalf("got %v", err)
	}
	if got := testutil.FileNames(t, folder); !slices.Equal(got, []string{"quietdesk-backup-2026-12-01.qdbackup"}) {
		t.Fatalf("folder holds %v", got)
	}
	if list := ownerAlerts(t, db, at("2026-12-02", 2)); len(list) != 1 || list[0].Severity != alerts.Urgent {
		t.Fatalf("alerts %+v", list)
	}
}

func TestOnlyTheChosenMachineBacksUp(t *testing.T) {
	db := newPractice(t)
	folder := t.TempDir()
	if err := db.UpdateWithoutKey(ctx, func(tx *store.Tx) error { return tx.SetBackupTarget(folder, "another-device") }); err != nil {
		t.Fatal(err)
	}
	if err := backups.Nightly(ctx, db, at("2026-12-02", 2)); !errors.Is(err, jobs.ErrSkipped) {
		t.Fatalf("nightly elsewhere: %v", err)
	}
	if _, err := backups.Now(ctx, db, at("2026-12-02", 2)); practice.ErrorCode(err) != practice.EConflict {
		t.Fatalf("now elsewhere: %v", err)
	}
	if got := testutil.FileNames(t, folder); len(got) != 0 {
		t.Fatalf("written: %v", got)
	}
}

func TestDue(t *testing.T) {
	good := at("2026-12-01", 2)
	chosen := store.BackupSettings{Folder: "/backups", Device: "me"}
	for _, tc := range []struct {
		name string
		s    store.BackupSettings
		now  time.Time
		want bool
	}{
		{"FirstNight", chosen, at("2026-12-02", 1), true},
		{"BeforeTheNight", chosen, at("2026-12-02", 0), false},
		{"NoFolder", store.BackupSettings{Device: "me"}, at("2026-12-02", 2), false},
		{"AnotherMachine", store.BackupSettings{Folder: "/backups", Device: "hub"}, at("2026-12-02", 2), false},
		{"DoneToday", with(chosen, good, true, good), at("2026-12-01", 23), false},
		{"DoneYesterday", with(chosen, good, true, good), at("2026-12-02", 2), true},
		{"FailedWithinTheHour", with(chosen, at("2026-12-02", 2), false, good), at("2026-12-02", 2).Add(59 * time.Minute), false},
		{"FailedAnHourAgo", with(chosen, at("2026-12-02", 2), false, good), at("2026-12-02", 3), true},
		{"OffAllNight", with(chosen, good, true, good), at("2026-12-02", 9), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := backups.Due(tc.s, "me", tc.now); got != tc.want {
				t.Fatalf("Due = %v", got)
			}
		})
	}
}

func with(s store.BackupSettings, last time.Time, ok bool, good time.Time) store.BackupSettings {
	s.LastAt, s.LastOK, s.LastGoodAt = last, ok, good
	return s
}

func TestNoBackupForTwoDaysIsAWarning(t *testing.T) {
	db := newPractice(t)
	if err := backups.Choose(ctx, db, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if _, err := backups.Now(ctx, db, at("2026-12-01", 2)); err != nil {
		t.Fatal(err)
	}
	if list := ownerAlerts(t, db, at("2026-12-03", 1)); len(list) != 0 {
		t.Fatalf("alerts within two days: %+v", list)
	}
	list := ownerAlerts(t, db, at("2026-12-03", 3))
	if len(list) != 1 || list[0].Severity != alerts.Warning || !strings.HasPrefix(list[0].Title, "No backup has been made since") {
		t.Fatalf("alerts %+v", list)
	}
	// Only the owner is told.
	var all []alerts.Alert
	db.View(ctx, func(tx *store.Tx) (err error) { all, err = backups.Alerts(ctx, tx, at("2026-12-03", 3)); return err })
	for _, role := range []practice.Role{practice.RoleFrontDesk, practice.RoleClinician, practice.RoleBiller} {
		if all[0].Reaches(alerts.Who{Role: role}) {
			t.Fatalf("%s is told", role)
		}
	}
}

// The nightly job and "Back up now" never run at once: the second is told
// a backup is being made, and the first finishes as if alone.
func TestOneBackupAtATime(t *testing.T) {
	db := newPractice(t)
	folder := t.TempDir()
	if err := backups.Choose(ctx, db, folder); err != nil {
		t.Fatal(err)
	}
	prev := *backups.AfterWrite
	t.Cleanup(func() { *backups.AfterWrite = prev })
	inside, release := make(chan struct{}), make(chan struct{})
	*backups.AfterWrite = func(string) { close(inside); <-release }
	first := make(chan error, 1)
	go func() {
		_, err := backups.Now(ctx, db, at("2026-12-02", 2))
		first <- err
	}()
	<-inside
	if _, err := backups.Now(ctx, db, at("2026-12-02", 2)); practice.ErrorCode(err) != practice.EBusy {
		t.Fatalf("a second backup meanwhile: %v", err)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if got := testutil.FileNames(t, folder); !slices.Equal(got, []string{"quietdesk-backup-2026-12-02.qdbackup"}) {
		t.Fatalf("folder holds %v", got)
	}
}

// A backup disk that fills up mid-write (a real tmpfs, a real ENOSPC):
// the failure says the disk is full, is alerted, and leaves no file.
func TestDiskFullIsRecordedAndLeavesNothing(t *testing.T) {
	disk := testutil.SmallDisk(t, 4<<20)
	db := newPractice(t)
	addDocument(t, db, 6<<20)
	if err := backups.Choose(ctx, db, disk); err != nil {
		t.Fatal(err)
	}
	_, err := backups.Now(ctx, db, at("2026-12-02", 2))
	if !strings.Contains(practice.ErrorMessage(err), "the disk is full") {
		t.Fatalf("got %v", err)
	}
	if s := settings(t, db); s.LastOK || !strings.Contains(s.LastMessage, "the disk is full") {
		t.Fatalf("recorded %+v", s)
	}
	if got := testutil.FileNames(t, disk); len(got) != 0 {
		t.Fatalf("left %v on the full disk", got)
	}
	if len(ownerAlerts(t, db, at("2026-12-02", 2))) != 1 {
		t.Fatal("no alert")
	}
}

// A practice with no backup folder is told so, the owner only, until one
// is chosen.
func TestNoFolderIsAWarningUntilChosen(t *testing.T) {
	db := newPractice(t)
	now := at("2026-12-02", 9)
	list := ownerAlerts(t, db, now)
	if len(list) != 1 || list[0].Key != "backup/no-folder" || list[0].Severity != alerts.Warning || list[0].Kind != "No backup folder is chosen" ||
		list[0].Reaches(alerts.Who{Role: practice.RoleFrontDesk}) {
		t.Fatalf("alerts with no folder: %+v", list)
	}
	if err := backups.Choose(ctx, db, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if list := ownerAlerts(t, db, now); len(list) != 0 {
		t.Fatalf("alerts once a folder is chosen: %+v", list)
	}
}
