package store_test

// The keyed audit trail's cost, in the same run:
//
//	go test -run='^$' -bench='^BenchmarkAudit' -benchtime=300x ./internal/store
//
//   - Write/bare: one transaction creating a patient (tx.CreatePatient).
//   - Write/audited: the same with its audit entry, as the app writes it:
//     the entry, the device's checkpoint, their change records and the HMAC.
//   - Verify: VerifyAudit over 20,000 entries with the key (every MAC
//     recomputed), reported per entry.

import (
	"context"
	"testing"

	"quietdesk/internal/store"
)

func BenchmarkAudit(b *testing.B) {
	ctx := context.Background()
	db, _, owner := newPractice(b)
	create := func(tx *store.Tx) (string, error) {
		p := samplePatient()
		err := tx.CreatePatient(&p)
		return p.ID, err
	}
	b.Run("Write/bare", func(b *testing.B) {
		for b.Loop() {
			if err := db.Update(ctx, func(tx *store.Tx) error { _, err := create(tx); return err }); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Write/audited", func(b *testing.B) {
		for b.Loop() {
			if err := db.Update(ctx, func(tx *store.Tx) error {
				id, err := create(tx)
				if err != nil {
					return err
				}
				return tx.Audit(owner.ID, "patient.create", "patients", id)
			}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Verify", func(b *testing.B) {
		const entries = 20_000
		if err := db.Update(ctx, func(tx *store.Tx) error {
			for range entries {
				if err := tx.Audit(owner.ID, "patient.read", "patients", owner.ID); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			rep, err := db.VerifyAudit(ctx)
			if err != nil || rep.Entries < entries || !rep.Keyed {
				b.Fatalf("%+v, %v", rep, err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/entries, "ns/entry")
	})
}
