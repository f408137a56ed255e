package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/vault"
)

const ownerPassword = "correct horse battery staple"

func TestMain(m *testing.M) {
	store.KDFTarget = 0 // Argon2id at the floor: fast enough for tests, still real
	os.Exit(m.Run())
}

// newPractice creates a practice with an owner in a temp dir.
func newPractice(t testing.TB) (*store.DB, string, practice.Account) {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(dir, store.Options{AppVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	owner := practice.Account{Username: "Owner", DisplayName: "Olivia Owner", Role: practice.RoleOwner}
	err = db.Create(context.Background(), func(tx *store.Tx) error {
		if err := tx.SaveSettings(&practice.Settings{Name: "Test Practice", LockMinutes: 10}); err != nil {
			return err
		}
		return tx.CreateAccount(&owner, ownerPassword)
	})
	if err != nil {
		t.Fatal(err)
	}
	return db, dir, owner
}

func reopen(t *testing.T, db *store.DB, dir string) *store.DB {
	t.Helper()
	db.Close()
	db2, err := store.Open(dir, store.Options{AppVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db2.Close() })
	return db2
}

func code(err error) string { return practice.ErrorCode(err) }

func samplePatient() practice.Patient {
	return practice.Patient{
		Identity: practice.PatientIdentity{FirstName: "Zoë", LastName: "Nguyễn", DOB: "1988-02-29", Sex: "F"},
		Contact:  practice.PatientContact{Phone: "(503) 555-0142", Email: "zoe@example.com"},
		Active:   true,
	}
}

func TestUnlock(t *testing.T) {
	ctx := context.Background()
	db, dir, owner := newPractice(t)
	db = reopen(t, db, dir)
	if db.Unlocked() {
		t.Fatal("a reopened database must start locked")
	}
	t.Run("ErrWrongPassword", func(t *testing.T) {
		_, err := db.Unlock(ctx, "owner", "not the password at all")
		if code(err) != practice.EWrongPassword {
			t.Fatalf("code = %q (%v), want wrong_password", code(err), err)
		}
		if db.Unlocked() {
			t.Fatal("wrong password unlocked the database")
		}
	})
	t.Run("ErrUnknownUser", func(t *testing.T) {
		_, err := db.Unlock(ctx, "nobody", ownerPassword)
		if code(err) != practice.EWrongPassword {
			t.Fatalf("code = %q, want wrong_password (no username enumeration)", code(err))
		}
	})
	t.Run("OK", func(t *testing.T) {
		a, err := db.Unlock(ctx, "OWNER", ownerPassword)
		if err != nil {
			t.Fatal(err)
		}
		if a.ID != owner.ID || a.DisplayName != "Olivia Owner" || a.Role != practice.RoleOwner {
			t.Fatalf("unlocked as %+v", a)
		}
	})
}

func TestPatientRoundTripAndGroups(t *testing.T) {
	ctx := context.Background()
	db, dir, _ := newPractice(t)
	p := samplePatient()
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreatePatient(&p) }); err != nil {
		t.Fatal(err)
	}
	// Change only the contact group: exactly one change record must appear.
	before := countChanges(t, dir)
	p.Contact.Phone = "(503) 555-0199"
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.UpdatePatient(&p) }); err != nil {
		t.Fatal(err)
	}
	if n := countChanges(t, dir) - before; n != 1 {
		t.Fatalf("editing one group wrote %d change records, want 1", n)
	}
	db = reopen(t, db, dir)
	if _, err := db.Unlock(ctx, "owner", ownerPassword); err != nil {
		t.Fatal(err)
	}
	var got practice.Patient
	if err := db.View(ctx, func(tx *store.Tx) (err error) { got, err = tx.Patient(p.ID); return }); err != nil {
		t.Fatal(err)
	}
	if got.Identity != p.Identity || got.Contact.Phone != "(503) 555-0199" {
		t.Fatalf("read back %+v", got)
	}
}

func TestBadInputWritesNothing(t *testing.T) {
	ctx := context.Background()
	db, dir, _ := newPractice(t)
	before := countChanges(t, dir)
	long := string(bytes.Repeat([]byte("x"), 10000))
	cases := map[string]func(*practice.Patient){
		"ErrEmptyName":     func(p *practice.Patient) { p.Identity.FirstName = "  " },
		"ErrImpossibleDOB": func(p *practice.Patient) { p.Identity.DOB = "1990-02-30" },
		"ErrFutureDOB":     func(p *practice.Patient) { p.Identity.DOB = "2999-01-01" },
		"ErrLongField":     func(p *practice.Patient) { p.Identity.LastName = long },
		"ErrControlChar":   func(p *practice.Patient) { p.Identity.LastName = "Ro\x00e" },
		"ErrBadEmail":      func(p *practice.Patient) { p.Contact.Email = "zoe at example" },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			p := samplePatient()
			mutate(&p)
			err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreatePatient(&p) })
			var pe *practice.Error
			if !errors.As(err, &pe) || pe.Code != practice.EInvalid || len(pe.Fields) != 1 {
				t.Fatalf("err = %#v, want one invalid field", err)
			}
		})
	}
	t.Run("ErrInvalidNPI", func(t *testing.T) {
		c := practice.Clinician{FirstName: "Ana", LastName: "Ruiz", NPI: "1234567890"}
		err := db.Update(ctx, func(tx *store.Tx) error { return tx.SaveClinician(&c) })
		var pe *practice.Error
		if !errors.As(err, &pe) || pe.Fields["npi"] == "" {
			t.Fatalf("err = %v, want an npi field problem", err)
		}
	})
	if n := countChanges(t, dir) - before; n != 0 {
		t.Fatalf("bad input wrote %d change records", n)
	}
}

// rawDB opens the practice file directly, bypassing the store, as an
// attacker or a damaged disk would.
func rawDB(t *testing.T, dir string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

func countChanges(t *testing.T, dir string) int {
	t.Helper()
	var n int
	if err := rawDB(t, dir).QueryRow("SELECT COUNT(*) FROM changes").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCiphertextMovedToAnotherRowFailsToOpen(t *testing.T) {
	ctx := context.Background()
	db, dir, _ := newPractice(t)
	a, b := samplePatient(), samplePatient()
	b.Identity.FirstName = "Bea"
	if err := db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreatePatient(&a); err != nil {
			return err
		}
		return tx.CreatePatient(&b)
	}); err != nil {
		t.Fatal(err)
	}
	raw := rawDB(t, dir)
	if _, err := raw.Exec("UPDATE patients SET identity = (SELECT identity FROM patients WHERE id = ?) WHERE id = ?", a.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	err := db.View(ctx, func(tx *store.Tx) error { _, err := tx.Patient(b.ID); return err })
	if code(err) != practice.EDamaged {
		t.Fatalf("moved ciphertext: code %q (%v), want damaged", code(err), err)
	}
	// Moving it to another column of the same row fails too.
	if _, err := raw.Exec("UPDATE patients SET contact = identity WHERE id = ?", a.ID); err != nil {
		t.Fatal(err)
	}
	err = db.View(ctx, func(tx *store.Tx) error { _, err := tx.Patient(a.ID); return err })
	if code(err) != practice.EDamaged {
		t.Fatalf("ciphertext moved between columns: code %q, want damaged", code(err))
	}
}

func TestSlotWithLoweredParamsIsRefused(t *testing.T) {
	ctx := context.Background()
	db, dir, owner := newPractice(t)
	db.Close()
	raw := rawDB(t, dir)
	var slotJSON []byte
	if err := raw.QueryRow("SELECT slot FROM accounts WHERE id = ?", owner.ID).Scan(&slotJSON); err != nil {
		t.Fatal(err)
	}
	weakened := bytes.Replace(slotJSON, []byte(`"m":65536`), []byte(`"m":8192`), 1)
	if bytes.Equal(weakened, slotJSON) {
		t.Fatalf("slot JSON has no memory parameter: %s", slotJSON)
	}
	if _, err := raw.Exec("UPDATE accounts SET slot = ? WHERE id = ?", weakened, owner.ID); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	db2, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if _, err := db2.Unlock(ctx, "owner", ownerPassword); code(err) != practice.EDamaged {
		t.Fatalf("lowered params: code %q, want damaged", code(err))
	}
}

func TestDamagedFileIsNeverTouched(t *testing.T) {
	dir := t.TempDir()
	garbage := bytes.Repeat([]byte("not a database "), 1000)
	path := filepath.Join(dir, store.FileName)
	if err := os.WriteFile(path, garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := store.Open(dir, store.Options{})
	if code(err) != practice.EDamaged {
		t.Fatalf("code %q, want damaged", code(err))
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(after, garbage) {
		t.Fatal("a damaged file was modified")
	}
}

func TestSecondProcessIsRefused(t *testing.T) {
	_, dir, _ := newPractice(t)
	_, err := store.Open(dir, store.Options{})
	if code(err) != practice.EBusy {
		t.Fatalf("code %q, want busy", code(err))
	}
}

func TestCreateRefusesExistingPractice(t *testing.T) {
	db, _, _ := newPractice(t)
	err := db.Create(context.Background(), func(tx *store.Tx) error { return nil })
	if code(err) != practice.EConflict {
		t.Fatalf("code %q, want conflict", code(err))
	}
}

func TestRecoveryKey(t *testing.T) {
	ctx := context.Background()
	db, dir, _ := newPractice(t)
	key, err := vault.NewRecoveryKey()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SetRecoveryKey(key) }); err != nil {
		t.Fatal(err)
	}
	db = reopen(t, db, dir)
	other, _ := vault.NewRecoveryKey()
	if err := db.UnlockWithRecovery(ctx, string(other)); code(err) != practice.EWrongPassword {
		t.Fatalf("wrong key: code %q", code(err))
	}
	if err := db.UnlockWithRecovery(ctx, "too short"); code(err) != practice.EInvalid {
		t.Fatalf("malformed key: code %q", code(err))
	}
	typed := string(key)
	if err := db.UnlockWithRecovery(ctx, " "+typed+" "); err != nil {
		t.Fatalf("right key: %v", err)
	}
	if !db.Unlocked() {
		t.Fatal("recovery key did not unlock")
	}
}

func TestChangeLogAndClock(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 8, 9, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	db, err := store.Open(dir, store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Create(ctx, func(tx *store.Tx) error { return tx.SaveSettings(&practice.Settings{Name: "Clock", LockMinutes: 5}) }); err != nil {
		t.Fatal(err)
	}
	now = now.Add(-time.Hour) // the wall clock goes back: the HLC must still increase
	for range 3 {
		p := samplePatient()
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreatePatient(&p) }); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := rawDB(t, dir).Query("SELECT seq, hlc, origin, epoch FROM changes ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lastSeq, lastHLC int64
	origins := map[string]bool{}
	for rows.Next() {
		var seq, hlc int64
		var origin, epoch string
		if err := rows.Scan(&seq, &hlc, &origin, &epoch); err != nil {
			t.Fatal(err)
		}
		if seq != lastSeq+1 {
			t.Fatalf("sequence %d follows %d: not dense", seq, lastSeq)
		}
		if hlc <= lastHLC {
			t.Fatalf("clock %d does not follow %d", hlc, lastHLC)
		}
		lastSeq, lastHLC = seq, hlc
		origins[origin+"/"+epoch] = true
	}
	if lastSeq != 1+3*5 || len(origins) != 1 {
		t.Fatalf("got %d changes from %d origins, want 16 from 1", lastSeq, len(origins))
	}
}

// corruptTable overwrites the header of a table's root page with garbage,
// as a failing disk would, in a closed database.
func corruptTable(t *testing.T, dir, table string) {
	t.Helper()
	raw := rawDB(t, dir)
	var root, pageSize int64
	if err := raw.QueryRow("SELECT rootpage FROM sqlite_schema WHERE name = ?", table).Scan(&root); err != nil {
		t.Fatal(err)
	}
	if err := raw.QueryRow("PRAGMA page_size").Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	f, err := os.OpenFile(filepath.Join(dir, store.FileName), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xA5}, 16), (root-1)*pageSize); err != nil {
		t.Fatal(err)
	}
}

func TestDamageIsFoundWithoutReadingTheWholeFileAtOpen(t *testing.T) {
	ctx := context.Background()
	t.Run("LoginTablesAtOpen", func(t *testing.T) {
		db, dir, _ := newPractice(t)
		db.Close()
		corruptTable(t, dir, "accounts")
		before, _ := os.ReadFile(filepath.Join(dir, store.FileName))
		if _, err := store.Open(dir, store.Options{}); code(err) != practice.EDamaged {
			t.Fatalf("open with damaged accounts: %v, want damaged", err)
		}
		if after, _ := os.ReadFile(filepath.Join(dir, store.FileName)); !bytes.Equal(before, after) {
			t.Fatal("the damaged file was modified")
		}
	})
	t.Run("ElsewhereByTheFullCheck", func(t *testing.T) {
		db, dir, _ := newPractice(t)
		if err := db.Update(ctx, func(tx *store.Tx) error {
			for range 50 {
				p := samplePatient()
				if err := tx.CreatePatient(&p); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		db.Close()
		corruptTable(t, dir, "patients")
		db2, err := store.Open(dir, store.Options{})
		if err != nil {
			t.Fatalf("open reads only the login tables, yet failed: %v", err)
		}
		defer db2.Close()
		if res, err := db2.IntegrityCheck(ctx); err == nil && res == "ok" {
			t.Fatal("the full check missed a damaged page")
		}
	})
}

// TestPatientIdentities reads the names of more patients than one query
// takes (the ids go in chunks of 500), opening each identity and nothing
// else; an unknown id is left out rather than failing the batch.
func TestPatientIdentities(t *testing.T) {
	ctx := context.Background()
	db, _, _ := newPractice(t)
	const n = 1201
	ids := make([]string, n)
	if err := db.Update(ctx, func(tx *store.Tx) error {
		for i := range n {
			p := samplePatient()
			p.Identity.FirstName = fmt.Sprintf("P%04d", i)
			if err := tx.CreatePatient(&p); err != nil {
				return err
			}
			ids[i] = p.ID
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	before := db.Decryptions()
	var got map[string]practice.PatientIdentity
	if err := db.View(ctx, func(tx *store.Tx) (err error) {
		got, err = tx.PatientIdentities(append(slices.Clone(ids), "no-such-patient"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("read %d identities, want %d", len(got), n)
	}
	for i, id := range ids {
		if want := fmt.Sprintf("P%04d", i); got[id].FirstName != want || got[id].LastName != "Nguyễn" {
			t.Fatalf("patient %d reads %+v, want %s Nguyễn", i, got[id], want)
		}
	}
	if opened := db.Decryptions() - before; opened != n {
		t.Fatalf("decrypted %d groups for %d names, want one each", opened, n)
	}
}
