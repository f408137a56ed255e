package store_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/testutil"
)

// restoreCase is a closed practice whose backup lacks its last ten
// patients, as when a machine is restored from last night's backup.
type restoreCase struct {
	dir, backup string
	digest      string // of the practice before the restore: a good restore keeps it
	device      string // the practice's device id before the restore
	fileSum     string // sha256 of practice.db, closed, before the restore
}

// newRestoreCase builds the practice in dir (made if missing) with n
// patients in the backup and ten after it.
func newRestoreCase(t *testing.T, dir string, n int) restoreCase {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(dir, store.Options{AppVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	owner := practice.Account{Username: "Owner", DisplayName: "Olivia Owner", Role: practice.RoleOwner}
	if err := db.Create(ctx, func(tx *store.Tx) error {
		if err := tx.SaveSettings(&practice.Settings{Name: "Restore Practice", LockMinutes: 10}); err != nil {
			return err
		}
		return tx.CreateAccount(&owner, ownerPassword)
	}); err != nil {
		t.Fatal(err)
	}
	add := func(from, to int) {
		for i := from; i < to; i++ {
			if err := db.Update(ctx, func(tx *store.Tx) error {
				p := samplePatient()
				p.Identity.LastName = fmt.Sprintf("Restore%d", i)
				if err := tx.CreatePatient(&p); err != nil {
					return err
				}
				return tx.Audit(owner.ID, "patient.create", "patients", p.ID)
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	add(0, n)
	rc := restoreCase{dir: dir, backup: filepath.Join(t.TempDir(), "last night.backup")}
	if err := db.Backup(ctx, rc.backup); err != nil {
		t.Fatal(err)
	}
	add(n, n+10)
	if rc.digest, err = db.Digest(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	rc.device = metaValue(t, filepath.Join(dir, store.FileName), "device_id")
	rc.fileSum = fileSum(t, filepath.Join(dir, store.FileName))
	return rc
}

// metaValue reads a meta row with plain SQLite, not through the store.
func metaValue(t *testing.T, path, key string) string {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var v string
	if err := raw.QueryRow("SELECT value FROM meta WHERE key = ?", key).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func fileSum(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o700); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// leftovers lists the restore's own files still in dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, name := range testutil.FileNames(t, dir) {
		if strings.HasSuffix(name, ".restoring") || strings.HasSuffix(name, ".restore-journal") {
			out = append(out, name)
		}
	}
	return out
}

// A restore that is refused leaves the live database byte for byte as it
// was, and says why in words that name the problem.
func TestRestoreRefusesBadBackupsLeavingTheLiveFileUntouched(t *testing.T) {
	rc := newRestoreCase(t, t.TempDir(), 150)
	backupBytes, err := os.ReadFile(rc.backup)
	if err != nil {
		t.Fatal(err)
	}
	variant := func(name string, edit func(b []byte) []byte) string {
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, edit(append([]byte(nil), backupBytes...)), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	if len(backupBytes) < 4*65536 {
		t.Fatalf("the backup is %d bytes: too small to damage its middle", len(backupBytes))
	}
	damaged := variant("damaged.backup", func(b []byte) []byte {
		mid := len(b)/2 - 32768
		if _, err := io.ReadFull(rand.Reader, b[mid:mid+65536]); err != nil {
			t.Fatal(err)
		}
		return b
	})
	newer := variant("newer.backup", func(b []byte) []byte { return b })
	raw, err := sql.Open("sqlite3", "file:"+newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("INSERT INTO schema_migrations (version, name, app_version, applied_at) VALUES (999, 'future', '9.4.0', '2031-01-01T00:00:00Z')"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	other := newRestoreCase(t, t.TempDir(), 1).backup
	junk := variant("notes.txt", func([]byte) []byte { return []byte("not a database") })

	for _, tc := range []struct {
		name, path, want string
	}{
		{"ErrDamaged", damaged, "is damaged (it fails SQLite's integrity check). Nothing was changed; choose another backup."},
		{"ErrNewerVersion", newer, "made by a newer Quietdesk (9.4.0, database version 999"},
		{"ErrOtherPractice", other, "That backup belongs to another practice. Nothing was changed."},
		{"ErrNotABackup", junk, "notes.txt is not a Quietdesk backup. Nothing was changed."},
		{"ErrMissing", filepath.Join(t.TempDir(), "gone.backup"), "Cannot read the backup gone.backup"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, err := store.Open(rc.dir, store.Options{AppVersion: "test"})
			if err != nil {
				t.Fatal(err)
			}
			err = db.Restore(context.Background(), tc.path, nil)
			if practice.ErrorCode(err) != practice.EInvalid || !strings.Contains(practice.ErrorMessage(err), tc.want) {
				t.Errorf("restore: %v, want EInvalid %q", err, tc.want)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			if got := fileSum(t, filepath.Join(rc.dir, store.FileName)); got != rc.fileSum {
				t.Error("the live database changed")
			}
			if got := testutil.FileNames(t, rc.dir); strings.Join(got, ",") != "practice.db,quietdesk.lock" {
				t.Errorf("the folder holds %v after a refused restore", got)
			}
		})
	}
}

// A database that cannot be read today is what a backup is for: restore
// puts the backup in place and keeps the damaged file aside.
func TestRestoreOverADamagedDatabase(t *testing.T) {
	ctx := context.Background()
	rc := newRestoreCase(t, t.TempDir(), 20)
	live := filepath.Join(rc.dir, store.FileName)
	if err := os.WriteFile(live, append([]byte("SQLite format 3\x00"), make([]byte, 8192)...), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(rc.dir, store.Options{}); practice.ErrorCode(err) != practice.EDamaged {
		t.Fatalf("open of a damaged file: %v", err)
	}
	db, err := store.OpenForRestore(rc.dir, store.Options{})
	if err != nil || !db.Damaged() {
		t.Fatalf("OpenForRestore: %v, damaged %v", err, db != nil && db.Damaged())
	}
	defer db.Close()
	if err := db.Restore(ctx, rc.backup, nil); err != nil {
		t.Fatal(err)
	}
	if res, err := db.IntegrityCheck(ctx); err != nil || res != "ok" {
		t.Fatalf("after restore: %q %v", res, err)
	}
	var kept bool
	for _, name := range testutil.FileNames(t, rc.dir) {
		kept = kept || strings.HasPrefix(name, "practice.db.before-restore-")
	}
	if !kept || len(leftovers(t, rc.dir)) > 0 {
		t.Fatalf("folder after restore: %v", testutil.FileNames(t, rc.dir))
	}
}

const restoreKillEnv = "QUIETDESK_RESTORE_KILL" // "dir|backup|n": die at the n-th step

// TestRestoreKillHelper is the child process of TestRestoreKilledAtEveryStep:
// it restores and kills itself with SIGKILL at the n-th step, after
// writing that step's name to dir/../killed-at.
func TestRestoreKillHelper(t *testing.T) {
	spec := os.Getenv(restoreKillEnv)
	if spec == "" {
		t.Skip("helper process for TestRestoreKilledAtEveryStep")
	}
	parts := strings.Split(spec, "|")
	dir, backup := parts[0], parts[1]
	n, _ := strconv.Atoi(parts[2])
	count := 0
	store.OnRestoreStep(3, func(step string) {
		count++
		if count == n {
			testutil.KillSelf(filepath.Join(filepath.Dir(dir), "killed-at"), step)
		}
	})
	db, err := store.Open(dir, store.Options{AppVersion: "test"})
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(3)
	}
	if err := db.Restore(context.Background(), backup, nil); err != nil {
		fmt.Println("ERR", err)
		os.Exit(3)
	}
	db.Close()
	fmt.Println("DONE")
}

// A restore killed (SIGKILL) at each of its steps leaves the old practice
// or the restored one, whole, never neither; opening the folder finishes
// or rolls back the restore and says which. Every run must also keep the
// ten patients the backup lacks.
func TestRestoreKilledAtEveryStep(t *testing.T) {
	template := newRestoreCase(t, t.TempDir(), 30)
	steps := map[string]int{}
	for n := 1; ; n++ {
		base := t.TempDir()
		dir := filepath.Join(base, "data")
		copyTree(t, template.dir, dir)
		cmd := testutil.Rerun("TestRestoreKillHelper", restoreKillEnv+"="+dir+"|"+template.backup+"|"+strconv.Itoa(n))
		out, err := cmd.CombinedOutput()
		killedAt, _ := os.ReadFile(filepath.Join(base, "killed-at"))
		if strings.Contains(string(out), "DONE") {
			if len(killedAt) > 0 {
				t.Fatal("the helper finished after writing a kill point")
			}
			t.Logf("killed at %d points: %v", n-1, steps)
			if n < 8 {
				t.Fatalf("only %d kill points; the restore's steps are not all reached", n-1)
			}
			return
		}
		if len(killedAt) == 0 || !testutil.DiedOfSIGKILL(err) {
			t.Fatalf("point %d: the helper was not killed where it says (%v): %s", n, err, out)
		}
		step := string(killedAt)
		steps[step]++

		db, err := store.Open(dir, store.Options{AppVersion: "test"})
		if err != nil {
			t.Fatalf("killed at %q (point %d): the folder does not open: %v", step, n, err)
		}
		msg := db.Recovered()
		d, err := db.Digest(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		res, err := db.IntegrityCheck(context.Background())
		if err != nil || res != "ok" {
			t.Fatalf("killed at %q: integrity %q %v", step, res, err)
		}
		db.Close()
		if d != template.digest {
			t.Errorf("killed at %q: the practice lost or gained data (digest differs)", step)
		}
		if l := leftovers(t, dir); len(l) > 0 {
			t.Errorf("killed at %q: left %v", step, l)
		}
		device := metaValue(t, filepath.Join(dir, store.FileName), "device_id")
		swapped := step == "swapped" || step == "merged a batch" || step == "merged"
		switch {
		case swapped:
			if device == template.device || !strings.HasPrefix(msg, "An interrupted restore was finished") {
				t.Errorf("killed at %q: device changed %v, message %q; want the restored practice, finished", step, device != template.device, msg)
			}
		case step == "copied" || step == "prepared":
			if msg != "" || device != template.device || fileSum(t, filepath.Join(dir, store.FileName)) != template.fileSum {
				t.Errorf("killed at %q: message %q, want the untouched practice and nothing to say", step, msg)
			}
		default:
			if !strings.HasPrefix(msg, "An interrupted restore was rolled back") || device != template.device ||
				fileSum(t, filepath.Join(dir, store.FileName)) != template.fileSum {
				t.Errorf("killed at %q: message %q, want the original practice byte for byte, rolled back", step, msg)
			}
		}
	}
}
