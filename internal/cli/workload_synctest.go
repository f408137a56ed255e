//go:build synctest

package cli

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strconv"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Test builds only (go build -tags synctest): with QUIETDESK_TEST_WRITES=N
// and the owner's password in $QUIETDESK_PASSWORD, the hub logs in and
// makes N writes, a few milliseconds apart, beside its sync: new patients
// and edits of patients other machines made, so the process-level sync
// test has concurrent writes on every hub. It is not in shipped binaries.
func init() {
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
			err := db.Update(ctx, func(tx *store.Tx) error {
				if i%2 == 0 {
					p := practice.Patient{Identity: practice.PatientIdentity{FirstName: fmt.Sprint("Hub", i), LastName: "Load", DOB: "1990-01-01", Sex: "U"}, Active: true}
					return tx.CreatePatient(&p)
				}
				list, err := tx.Patients()
				if err != nil || len(list) == 0 {
					return err
				}
				p := list[rng.IntN(len(list))]
				p.Contact.Phone = fmt.Sprintf("(503) 555-%04d", rng.IntN(10000))
				p.Active = !p.Active
				return tx.UpdatePatient(&p)
			})
			if err != nil {
				log.Error("test workload: write failed", "err", err)
			}
			time.Sleep(time.Duration(5+rng.IntN(20)) * time.Millisecond)
		}
		log.Info("test workload done", "writes", n)
	}
}
