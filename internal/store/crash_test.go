package store_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/testutil"
	"quietdesk/internal/vault"
)

const (
	crashDirEnv   = "QUIETDESK_CRASH_DIR"
	crashRoundEnv = "QUIETDESK_CRASH_ROUND"
)

// crashPatient is patient i of a round; its content is a pure function of
// (round, i, id-free seed) so the parent can check what it reads back.
func crashPatient(round, i int, tag string) practice.Patient {
	long := strings.Repeat("Ø", 150) // long sealed values span more pages per transaction
	return practice.Patient{
		Identity: practice.PatientIdentity{FirstName: fmt.Sprintf("Crash%d", round), LastName: fmt.Sprintf("Nº%d-%s", i, tag),
			DOB: fmt.Sprintf("19%02d-%02d-%02d", 10+i%89, 1+i%12, 1+i%28), Sex: "U"},
		Contact: practice.PatientContact{Phone: fmt.Sprintf("503555%04d", i%10000),
			Address: practice.Address{Line1: long, City: tag}},
		Active: true,
	}
}

// TestCrashHelper is the child process of TestCrashKill9: it writes
// patients until it is killed, printing one line per committed patient.
func TestCrashHelper(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("helper process for TestCrashKill9")
	}
	round, _ := strconv.Atoi(os.Getenv(crashRoundEnv))
	die := func(err error) {
		fmt.Printf("ERR %v\n", err)
		os.Exit(3)
	}
	ctx := context.Background()
	db, err := store.Open(dir, store.Options{AppVersion: "crash"})
	if err != nil {
		die(err)
	}
	if !db.Exists() {
		owner := practice.Account{Username: "Owner", DisplayName: "Olivia Owner", Role: practice.RoleOwner}
		err = db.Create(ctx, func(tx *store.Tx) error {
			if err := tx.SaveSettings(&practice.Settings{Name: "Crash Practice", LockMinutes: 10}); err != nil {
				return err
			}
			return tx.CreateAccount(&owner, ownerPassword)
		})
	} else {
		_, err = db.Unlock(ctx, "owner", ownerPassword)
	}
	if err != nil {
		die(err)
	}
	var ownerID string
	if err := db.View(ctx, func(tx *store.Tx) error {
		a, err := tx.AccountByUsername("owner")
		ownerID = a.ID
		return err
	}); err != nil {
		die(err)
	}
	fmt.Println("READY")
	for i := 0; ; i++ {
		// 1 to 4 patients and their audit entries per transaction.
		batch := make([]practice.Patient, 1+i%4)
		err := db.Update(ctx, func(tx *store.Tx) error {
			for j := range batch {
				batch[j] = crashPatient(round, i*4+j, hex.EncodeToString([]byte{byte(i), byte(j)}))
				if err := tx.CreatePatient(&batch[j]); err != nil {
					return err
				}
				if err := tx.Audit(ownerID, "patient.create", "patients", batch[j].ID); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			die(err)
		}
		// Update has returned: the commit is on disk (synchronous=FULL).
		for j, p := range batch {
			fmt.Printf("ACK %s %d %d %s\n", p.ID, round, i*4+j, p.Contact.Address.City)
		}
	}
}

type acked struct {
	id, tag  string
	round, i int
}

// TestCrashKill9 kills a writing process with SIGKILL at a random moment,
// several times over one data directory, and checks that every commit it
// acknowledged survived, decrypts, and that the file is sound.
func TestCrashKill9(t *testing.T) {
	if os.Getenv(crashDirEnv) != "" {
		t.Skip("in the helper process")
	}
	ctx := context.Background()
	dir := t.TempDir()
	var all []acked
	for round := 1; round <= 5; round++ {
		want := 20 + mrand.IntN(181)
		got := runAndKill(t, dir, round, want)
		if len(got) < want {
			t.Fatalf("round %d: child acknowledged %d patients before dying, want at least %d", round, len(got), want)
		}
		all = append(all, got...)

		db, err := store.Open(dir, store.Options{})
		if err != nil {
			t.Fatalf("round %d: reopening after kill -9: %v", round, err)
		}
		if res, err := db.IntegrityCheck(ctx); err != nil || res != "ok" {
			db.Close()
			t.Fatalf("round %d: integrity_check = %q, %v", round, res, err)
		}
		if _, err := db.Unlock(ctx, "owner", ownerPassword); err != nil {
			db.Close()
			t.Fatalf("round %d: unlock: %v", round, err)
		}
		if rep, err := db.VerifyAudit(ctx); err != nil || rep.Entries < len(all) {
			t.Errorf("round %d: audit chain %d entries, %v; want >= %d intact", round, rep.Entries, err, len(all))
		}
		var stored map[string]practice.Patient
		err = db.View(ctx, func(tx *store.Tx) error {
			list, err := tx.Patients()
			stored = map[string]practice.Patient{}
			for _, p := range list {
				stored[p.ID] = p
			}
			return err
		})
		db.Close()
		if err != nil {
			t.Fatalf("round %d: reading patients: %v", round, err)
		}
		lost := 0
		for _, a := range all {
			p, ok := stored[a.id]
			if !ok {
				lost++
				continue
			}
			w := crashPatient(a.round, a.i, a.tag)
			w.ID = a.id
			w.Normalize()
			if p.Identity != w.Identity || p.Contact != w.Contact || !p.Active {
				t.Errorf("round %d: patient %s read back as %+v, want %+v", round, a.id, p, w)
			}
		}
		if lost > 0 {
			t.Fatalf("round %d: %d of %d acknowledged patients lost after kill -9", round, lost, len(all))
		}
		// At most the one transaction in flight may have committed unacknowledged.
		if extra := len(stored) - len(all); extra < 0 || extra > 4*round {
			t.Errorf("round %d: %d patients stored, %d acknowledged", round, len(stored), len(all))
		}
		t.Logf("round %d: killed after %d acknowledgements; %d patients acknowledged in all, %d stored", round, len(got), len(all), len(stored))
	}
}

// runAndKill starts the helper on dir, waits for n acknowledgements,
// SIGKILLs it and returns every acknowledgement it printed.
func runAndKill(t *testing.T, dir string, round, n int) []acked {
	t.Helper()
	cmd := testutil.Rerun("TestCrashHelper", crashDirEnv+"="+dir, crashRoundEnv+"="+strconv.Itoa(round))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	timer := time.AfterFunc(2*time.Minute, func() { cmd.Process.Kill() })
	defer timer.Stop()
	var got []acked
	var other []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 5 || f[0] != "ACK" {
			other = append(other, sc.Text())
			continue
		}
		r, _ := strconv.Atoi(f[2])
		i, _ := strconv.Atoi(f[3])
		got = append(got, acked{id: f[1], round: r, i: i, tag: f[4]})
		if !killed && len(got) >= n {
			// Let the next transaction get under way, then kill.
			if d := mrand.IntN(3); d > 0 {
				time.Sleep(time.Duration(d) * time.Millisecond)
			}
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
	}
	err = cmd.Wait()
	if !killed {
		t.Fatalf("round %d: helper ended by itself (%v) after %d acks:\n%s\n%s", round, err, len(got), strings.Join(other, "\n"), stderr.String())
	}
	if !testutil.DiedOfSIGKILL(err) {
		t.Fatalf("round %d: helper exited (%v) instead of being killed:\n%s\n%s", round, err, strings.Join(other, "\n"), stderr.String())
	}
	return got
}

// fileHashes hashes every file in dir except the lock file.
func fileHashes(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		if e.Name() == "quietdesk.lock" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		out[e.Name()] = hex.EncodeToString(sum[:])
	}
	return out
}

func sameHashes(t *testing.T, what string, before, after map[string]string) {
	t.Helper()
	for name, h := range before {
		if after[name] != h {
			t.Errorf("%s: %s changed", what, name)
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("%s: %s was created", what, name)
		}
	}
}

// closedPractice returns a directory holding a closed practice with a
// recovery key, and that key.
func closedPractice(t *testing.T) (string, vault.RecoveryKey) {
	t.Helper()
	ctx := context.Background()
	db, dir, _ := newPractice(t)
	key, err := vault.NewRecoveryKey()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, func(tx *store.Tx) error {
		for i := range 30 {
			p := samplePatient()
			p.Identity.LastName = fmt.Sprintf("Filler%d", i)
			if err := tx.CreatePatient(&p); err != nil {
				return err
			}
		}
		return tx.SetRecoveryKey(key)
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, key
}

// TestWrongPasswordLeavesDataUnchanged: wrong passwords never unlock and
// never change the practice's data; they are only recorded, to be audited.
func TestWrongPasswordLeavesDataUnchanged(t *testing.T) {
	ctx := context.Background()
	dir, _ := closedPractice(t)
	closed := fileHashes(t, dir)
	if _, ok := closed["practice.db-wal"]; ok {
		t.Fatal("a closed practice left a WAL file")
	}
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	before, err := db.Digest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := vault.NewRecoveryKey()
	for _, try := range []func() error{
		func() error { _, err := db.Unlock(ctx, "owner", "not the password at all"); return err },
		func() error { _, err := db.Unlock(ctx, "owner", ""); return err },
		func() error { _, err := db.Unlock(ctx, "nobody", ownerPassword); return err },
		func() error { return db.UnlockWithRecovery(ctx, string(other)) },
	} {
		if c := code(try()); c != practice.EWrongPassword {
			t.Fatalf("code %q, want wrong_password", c)
		}
	}
	if db.Unlocked() {
		t.Fatal("a wrong password unlocked the practice")
	}
	// Writes without the key are refused, not attempted.
	if err := db.Update(ctx, func(tx *store.Tx) error { return nil }); code(err) != practice.EUnauthorized {
		t.Fatalf("Update while locked: code %q, want unauthorized", code(err))
	}
	// The one write: the three failed logins, kept to be audited at the
	// next unlock (the recovery key's failure is the window's to count).
	if after, err := db.Digest(ctx); err != nil || after != before {
		t.Fatalf("wrong passwords changed the practice's data (%v)", err)
	}
	var failures int
	if err := rawDB(t, dir).QueryRow("SELECT count(*) FROM login_failures").Scan(&failures); err != nil || failures != 3 {
		t.Fatalf("%d failed logins recorded (%v), want 3", failures, err)
	}
}

// refusesUntouched opens dir, whose practice.db is not a readable
// Quietdesk database, and checks the refusal leaves every byte as it was.
func refusesUntouched(t *testing.T, dir string) {
	t.Helper()
	before := fileHashes(t, dir)
	db, err := store.Open(dir, store.Options{})
	if err == nil {
		db.Close()
	}
	if code(err) != practice.EDamaged {
		t.Errorf("Open: code %q (%v), want damaged", code(err), err)
	}
	sameHashes(t, "refused open", before, fileHashes(t, dir))
}

func realDatabaseBytes(t *testing.T) []byte {
	t.Helper()
	dir, _ := closedPractice(t)
	b, err := os.ReadFile(filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 3*4096 || !bytes.HasPrefix(b, []byte("SQLite format 3\x00")) {
		t.Fatalf("unexpected practice file: %d bytes", len(b))
	}
	return b
}

func writeDB(t *testing.T, b []byte) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, store.FileName), b, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func randomBytes(t *testing.T, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTruncatedDatabaseIsRefusedUntouched(t *testing.T) {
	real := realDatabaseBytes(t)
	refusesUntouched(t, writeDB(t, real[:4096]))
}

func TestRandomBytesAfterHeaderAreRefusedUntouched(t *testing.T) {
	real := realDatabaseBytes(t)
	t.Run("HeaderThenRandom", func(t *testing.T) {
		refusesUntouched(t, writeDB(t, append([]byte("SQLite format 3\x00"), randomBytes(t, 64*1024)...)))
	})
	t.Run("FirstPageThenRandom", func(t *testing.T) {
		b := slices.Clone(real[:4096])
		refusesUntouched(t, writeDB(t, append(b, randomBytes(t, len(real)-4096)...)))
	})
	t.Run("RealHeaderThenRandom", func(t *testing.T) {
		b := slices.Clone(real[:100]) // the full 100-byte header: page size, counts, WAL mode
		refusesUntouched(t, writeDB(t, append(b, randomBytes(t, len(real)-100)...)))
	})
}

// TestForeignSQLiteFileIsRefusedUntouched: a sound SQLite file that is not
// a Quietdesk practice (another program's database copied into the data
// folder) must be refused like a damaged one, not migrated into.
func TestForeignSQLiteFileIsRefusedUntouched(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, store.FileName)
	raw, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('someone else''s data')"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	refusesUntouched(t, dir)
}

func TestEmptyDirectoryGetsNoDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Unlock(ctx, "owner", ownerPassword); code(err) != practice.ENotFound {
		t.Fatalf("Unlock in an empty folder: code %q, want not_found", code(err))
	}
	if err := db.UnlockWithRecovery(ctx, "ABCD-EFGH"); code(err) != practice.ENotFound {
		t.Fatalf("UnlockWithRecovery in an empty folder: code %q, want not_found", code(err))
	}
	if len(fileHashes(t, dir)) != 0 {
		t.Fatalf("files appeared in an empty data folder: %v", fileHashes(t, dir))
	}
}
