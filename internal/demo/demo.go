// Package demo creates a synthetic demo practice: offices and rooms,
// clinicians, payers, staff accounts and patients with insurance, all
// invented, all valid, and the same for the same seed. It backs
// `quietdesk demo --size small|large` and the benchmarks' large practice.
package demo

import (
	"context"
	"fmt"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/vault"
)

// Size is how big a demo practice is.
type Size string

const (
	Small Size = "small" // 8 clinicians, 2 offices, 600 patients
	Large Size = "large" // 25 clinicians, 3 offices, 10,000 patients
)

// Password is the password of every demo staff account. It is public, so a
// demo practice must never hold real data.
const Password = "quietdesk-demo-2026"

// Login is a username and password that unlock the demo practice.
type Login struct {
	Username string
	Password string
}

type sizeSpec struct {
	clinicians, locations, patients int
	history                         int // years of past appointments; one more year is booked ahead
}

var sizes = map[Size]sizeSpec{
	Small: {clinicians: 8, locations: 2, patients: 600, history: 1},
	Large: {clinicians: 25, locations: 3, patients: 10000, history: 4},
}

// batchSize is how many patients are written per transaction, so memory
// and the WAL stay bounded however large the demo is.
const batchSize = 500

// Random streams: each part of the demo draws from its own, so a change to
// how staff are generated leaves the patients as they were.
const (
	streamPractice uint64 = 0x51d3_0001
	streamPatients uint64 = 0x51d3_0002
	streamSchedule uint64 = 0x51d3_0003
)

// Create makes a synthetic demo practice in db, which must hold no practice
// yet, and returns the owner's login. The content (names, dates, relations)
// is the same for the same seed and size; record IDs differ between runs.
//
// The practice, its settings, offices, rooms, clinicians, payers, staff
// accounts and recovery key are made in the first transaction; patients
// and the schedule follow in batches, all before the practice takes its
// real name: a demo that fails or is killed anywhere leaves no practice,
// and can simply be run again.
//
// Errors: EConflict when db already holds a practice; EInvalid for an
// unknown size.
func Create(ctx context.Context, db *store.DB, size Size, seed int64) (Login, error) {
	if err := ctx.Err(); err != nil {
		return Login{}, err
	}
	sz, ok := sizes[size]
	if !ok {
		return Login{}, practice.Errorf(practice.EInvalid, "Unknown demo size %q; use small or large.", size)
	}
	if db.Exists() {
		return Login{}, practice.Errorf(practice.EConflict, "This data folder already holds a practice; choose an empty folder for the demo.")
	}
	p := makePlan(newGen(seed, streamPractice), sz)
	owner := p.Staff[0].Account
	if s := practice.CheckPassword(Password, owner.Username, owner.DisplayName, p.Settings.Name); !s.Acceptable {
		return Login{}, fmt.Errorf("demo: the demo password is refused: %s", s.Hint)
	}
	recovery, err := vault.NewRecoveryKey()
	if err != nil {
		return Login{}, err
	}

	// Every demo account signs in with the published password: its key is
	// derived once for all of them.
	shared, err := store.SharePassword(Password)
	if err != nil {
		return Login{}, err
	}
	defer shared.Wipe()
	var ownerID string
	payerIDs := make([]string, len(p.Payers))
	err = db.CreateFilled(ctx, func(tx *store.Tx) error {
		// The owner first, so every later audit entry can name them.
		for i := range p.Staff {
			st := &p.Staff[i]
			if st.Clinician >= 0 {
				continue
			}
			if err := tx.CreateAccountSharing(&st.Account, shared); err != nil {
				return fmt.Errorf("account %s: %w", st.Account.Username, err)
			}
		}
		ownerID = p.Staff[0].Account.ID
		if err := tx.Audit(ownerID, "practice.create", "settings", ""); err != nil {
			return err
		}
		if err := tx.SaveSettings(&p.Settings); err != nil {
			return fmt.Errorf("settings: %w", err)
		}
		if err := tx.SetRecoveryKey(recovery); err != nil {
			return fmt.Errorf("recovery key: %w", err)
		}
		for i := range p.Locations {
			lp := &p.Locations[i]
			if err := tx.SaveLocation(&lp.Location); err != nil {
				return fmt.Errorf("location %d: %w", i, err)
			}
			for _, name := range lp.Rooms {
				r := practice.Room{LocationID: lp.Location.ID, Name: name, Active: true}
				if err := tx.SaveRoom(&r); err != nil {
					return fmt.Errorf("room %s: %w", name, err)
				}
			}
		}
		for i := range p.Payers {
			if err := tx.SavePayer(&p.Payers[i].Payer); err != nil {
				return fmt.Errorf("payer %s: %w", p.Payers[i].Payer.Name, err)
			}
			payerIDs[i] = p.Payers[i].Payer.ID
		}
		for i := range p.Clinicians {
			if err := tx.SaveClinician(&p.Clinicians[i]); err != nil {
				return fmt.Errorf("clinician %d: %w", i, err)
			}
		}
		for i := range p.Staff {
			st := &p.Staff[i]
			if st.Clinician < 0 {
				continue
			}
			st.Account.ClinicianID = p.Clinicians[st.Clinician].ID
			if err := tx.CreateAccountSharing(&st.Account, shared); err != nil {
				return fmt.Errorf("account %s: %w", st.Account.Username, err)
			}
		}
		return nil
	}, func() error { return fill(ctx, db, seed, &p, sz, ownerID, payerIDs) })
	if err != nil {
		return Login{}, err
	}
	return Login{Username: owner.Username, Password: Password}, nil
}

// fill writes the demo's patients in batches, then its schedule.
func fill(ctx context.Context, db *store.DB, seed int64, p *plan, sz sizeSpec, ownerID string, payerIDs []string) error {
	patientIDs := make([]string, 0, sz.patients)
	g := newGen(seed, streamPatients)
	for done := 0; done < sz.patients; {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := min(batchSize, sz.patients-done)
		// Generate outside the transaction; the batch is the only memory held.
		batch := make([]patientPlan, n)
		for i := range batch {
			batch[i] = g.patient(p.Payers)
		}
		err := db.Update(ctx, func(tx *store.Tx) error {
			for i := range batch {
				pp := &batch[i]
				if err := tx.CreatePatient(&pp.Patient); err != nil {
					return fmt.Errorf("patient %d: %w", done+i, err)
				}
				patientIDs = append(patientIDs, pp.Patient.ID)
				if err := tx.Audit(ownerID, "patient.create", "patients", pp.Patient.ID); err != nil {
					return err
				}
				for j := range pp.Policies {
					ip := &pp.Policies[j].Policy
					ip.PatientID, ip.PayerID = pp.Patient.ID, payerIDs[pp.Policies[j].Payer]
					if err := tx.SavePolicy(ip); err != nil {
						return fmt.Errorf("patient %d policy %d: %w", done+i, j, err)
					}
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("demo: patients %d to %d: %w", done, done+n, err)
		}
		done += n
	}
	if err := makeSchedule(ctx, db, newGen(seed, streamSchedule), p, sz, patientIDs); err != nil {
		return fmt.Errorf("demo: schedule: %w", err)
	}
	if err := makeCredentialing(ctx, db, newGen(seed, streamCredentialing), p, payerIDs); err != nil {
		return fmt.Errorf("demo: credentialing: %w", err)
	}
	if err := makeAuthorizations(ctx, db, newGen(seed, streamAuthorizations), ownerID, patientIDs); err != nil {
		return fmt.Errorf("demo: authorizations: %w", err)
	}
	if err := makeBilling(ctx, db, newGen(seed, streamBilling), ownerID, sz.history); err != nil {
		return fmt.Errorf("demo: billing: %w", err)
	}
	if err := makeIntake(ctx, db, newGen(seed, streamIntake), ownerID, patientIDs); err != nil {
		return fmt.Errorf("demo: intake: %w", err)
	}
	return makeMail(ctx, db)
}
