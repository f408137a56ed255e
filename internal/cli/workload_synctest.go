//go:build synctest

package cli

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/testutil"
)

// Test builds only (go build -tags synctest): with QUIETDESK_TEST_WRITES=N
// and the owner's password in $QUIETDESK_PASSWORD, the hub logs in and
// makes N writes, a few milliseconds apart, beside its sync: new patients
// and edits of patients other machines made, so the process-level sync
// test has concurrent writes on every hub. Each committed write is logged
// as "test write acknowledged" with the patient's id and the change-log
// stream and sequence of the change it wrote to that patient's row: what
// the workload was told is saved, for the test to look for on every hub
// afterwards.
//
// With QUIETDESK_TEST_KILL_IN_MERGE=K as well, the hub kills itself
// (SIGKILL) inside the first merge transaction that changes rows after at
// least K of its own writes were acknowledged: a batch from a peer is
// received and half merged, neither committed nor acknowledged. It writes
// what it was doing to $QUIETDESK_TEST_KILLED_AT first, so the test can
// prove the kill was mid-transfer.
//
// None of this is in shipped binaries.
func init() {
	var acked atomic.Int64
	hubAfterApply = func(next store.AfterApply) store.AfterApply {
		after, _ := strconv.Atoi(os.Getenv("QUIETDESK_TEST_KILL_IN_MERGE"))
		record := os.Getenv("QUIETDESK_TEST_KILLED_AT")
		return func(tx *store.Tx, changed []store.RowRef) error {
			if after > 0 && len(changed) > 0 && acked.Load() >= int64(after) {
				testutil.KillSelf(record, fmt.Sprintf("merging a received batch that changed %d rows, uncommitted; %d own writes acknowledged", len(changed), acked.Load()))
			}
			return next(tx, changed)
		}
	}
	hubWorkload = func(ctx context.Context, db *store.DB, log *slog.Logger) {
		n, _ := strconv.Atoi(os.Getenv("QUIETDESK_TEST_WRITES"))
		if n == 0 {
			return
		}
		if _, err := db.Unlock(ctx, os.Getenv("QUIETDESK_USER"), os.Getenv(PasswordEnv)); err != nil {
			log.Error("test workload: login failed", "err", err)
			return
		}
		rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
		for i := 0; i < n && ctx.Err() == nil; i++ {
			var id string
			before, err := db.Vector(ctx)
			if err != nil {
				log.Error("test workload: vector", "err", err)
				continue
			}
			err = db.Update(ctx, func(tx *store.Tx) error {
				if i%2 == 0 {
					p := practice.Patient{Identity: practice.PatientIdentity{FirstName: fmt.Sprint("Hub", i), LastName: "Load", DOB: "1990-01-01", Sex: "U"}, Active: true}
					err := tx.CreatePatient(&p)
					id = p.ID
					return err
				}
				list, err := tx.Patients()
				if err != nil || len(list) == 0 {
					return err
				}
				p := list[rng.IntN(len(list))]
				p.Contact.Phone = fmt.Sprintf("(503) 555-%04d", rng.IntN(10000))
				p.Active = !p.Active
				id = p.ID
				return tx.UpdatePatient(&p)
			})
			if err != nil {
				log.Error("test workload: write failed", "err", err)
				continue
			}
			if id == "" {
				continue // no patient to edit yet
			}
			// The change this write logged: this machine's, on the patient's
			// row, after what the log held before.
			changes, err := db.ChangesAfter(ctx, before, 100_000)
			if err != nil {
				log.Error("test workload: changes", "err", err)
				continue
			}
			var mine *store.Change
			for i, c := range changes {
				if c.Origin == db.Origin() && c.RowID == id {
					mine = &changes[i]
				}
			}
			if mine == nil {
				log.Error("test workload: the write left no change", "patient", id)
				continue
			}
			log.Info("test write acknowledged", "created", i%2 == 0, "patient", id, "stream", mine.Stream(), "seq", mine.Seq)
			acked.Add(1)
			time.Sleep(time.Duration(5+rng.IntN(20)) * time.Millisecond)
		}
		log.Info("test workload done", "writes", n)
	}
}
