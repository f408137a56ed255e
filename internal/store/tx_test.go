package store_test

import (
	"context"
	"testing"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// A panic inside a write transaction must roll it back: nothing it wrote
// stays, and the one pooled connection is free for the next transaction.
func TestPanicInUpdateRollsBackAndLeavesTheDatabaseUsable(t *testing.T) {
	ctx := context.Background()
	db, dir, _ := newPractice(t)
	before := countChanges(t, dir)
	p := samplePatient()
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Fatalf("recovered %v, want the panic from inside the transaction", r)
			}
		}()
		db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreatePatient(&p); err != nil {
				t.Fatal(err)
			}
			panic("boom")
		})
	}()
	if n := countChanges(t, dir) - before; n != 0 {
		t.Fatalf("the panicked transaction left %d change records", n)
	}
	if _, err := getPatientByID(db, p.ID); code(err) != practice.ENotFound {
		t.Fatalf("the patient created before the panic: err %v, want ENotFound", err)
	}
	// The database takes the next write (it would block forever on an open transaction).
	q := samplePatient()
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreatePatient(&q) }); err != nil {
		t.Fatal(err)
	}
	if got, err := getPatientByID(db, q.ID); err != nil || got.Identity != q.Identity {
		t.Fatalf("after the panic, a new patient reads back %+v, %v", got, err)
	}
}

func getPatientByID(db *store.DB, id string) (p practice.Patient, err error) {
	err = db.View(context.Background(), func(tx *store.Tx) error { p, err = tx.Patient(id); return err })
	return p, err
}

// A save reads the stored record to find what changed and then reads the
// saved record back; each sealed group must be decrypted once, not twice.
// The patient has four sealed groups (identity, contact, emergency,
// guardian), so a save and its read-back open exactly four.
func TestASaveDecryptsEachSealedGroupOnce(t *testing.T) {
	ctx := context.Background()
	db, _, _ := newPractice(t)
	p := samplePatient()
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreatePatient(&p) }); err != nil {
		t.Fatal(err)
	}
	before := db.Decryptions()
	p.Contact.Phone = "(503) 555-0100"
	var back practice.Patient
	err := db.Update(ctx, func(tx *store.Tx) (err error) {
		if err := tx.UpdatePatient(&p); err != nil {
			return err
		}
		back, err = tx.Patient(p.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := db.Decryptions() - before; n != 4 {
		t.Fatalf("a save and its read-back decrypted %d sealed groups, want 4", n)
	}
	if back.Contact.Phone != "(503) 555-0100" || back.Identity != p.Identity {
		t.Fatalf("read back %+v", back)
	}
	// The next transaction opens from the database again: nothing is
	// remembered across transactions.
	before = db.Decryptions()
	if _, err := getPatientByID(db, p.ID); err != nil {
		t.Fatal(err)
	}
	if n := db.Decryptions() - before; n != 4 {
		t.Fatalf("a later read decrypted %d groups, want all 4 from the database", n)
	}
}
