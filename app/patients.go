package app

import (
	"math"
	"time"

	"quietdesk/internal/patients"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Patients is the facade for the patient list, search and records.
type Patients struct{ c *Core }

// NewPatients binds the patients facade to core.
func NewPatients(c *Core) *Patients { return &Patients{c: c} }

// searchLimit caps a result list: a person refines the query rather than
// scrolling through thousands of rows.
const searchLimit = 200

// Search finds patients by name, phone or date of birth; an empty query
// lists them alphabetically. The query itself is not audited (it may be a
// name); the fact of searching and the number of results are.
func (p *Patients) Search(query string) (PatientSearch, error) {
	const m = "Patients.Search"
	c := p.c
	sess, err := c.begin(m)
	if err != nil {
		return PatientSearch{}, c.fail(m, err)
	}
	c.mu.Lock()
	ix := c.index
	c.mu.Unlock()
	if ix == nil { // logged out between begin and here
		return PatientSearch{}, c.fail(m, practice.Errorf(practice.EUnauthorized, "Please log in."))
	}
	var access patients.Access
	var next map[string]time.Time
	if err := c.update(func(tx *store.Tx) error {
		var err error
		if access, err = patients.AccessFor(tx, sess.account); err != nil {
			return err
		}
		if next, err = tx.NextAppointments(tx.Now()); err != nil {
			return err
		}
		return tx.Audit(sess.account.ID, "patient.search", "patients", "")
	}); err != nil {
		return PatientSearch{}, c.fail(m, err)
	}
	// Every match, then those the account may open: the count must not
	// include records it may not see.
	found, _ := ix.Search(query, math.MaxInt)
	out := []PatientSummary{}
	total := 0
	for _, e := range found {
		if !access.MayOpen(e.ID) {
			continue
		}
		if total++; total > searchLimit {
			continue
		}
		out = append(out, PatientSummary{ID: e.ID, FirstName: e.FirstName, LastName: e.LastName, PreferredName: e.PreferredName,
			DOB: e.DOB, Phone: e.Phone, Active: e.Active, Next: next[e.ID]})
	}
	return PatientSearch{Patients: out, Total: total}, nil
}

// Get opens a patient's record (audited).
func (p *Patients) Get(id string) (PatientRecord, error) {
	const m = "Patients.Get"
	sess, err := p.c.begin(m)
	if err != nil {
		return PatientRecord{}, p.c.fail(m, err)
	}
	var rec PatientRecord
	err = p.c.update(func(tx *store.Tx) error {
		var err error
		if rec, err = record(tx, id); err != nil {
			return err
		}
		access, err := patients.AccessFor(tx, sess.account)
		if err != nil {
			return err
		}
		if err := access.Check(id); err != nil {
			rec = PatientRecord{} // nothing of a record refused leaves here
			return err
		}
		return tx.Audit(sess.account.ID, "patient.read", "patients", id)
	})
	return rec, p.c.fail(m, err)
}

func record(tx *store.Tx, id string) (PatientRecord, error) {
	pt, err := tx.Patient(id)
	if err != nil {
		return PatientRecord{}, err
	}
	pols, err := nonNil(tx.Policies(id))
	return PatientRecord{Patient: pt, Policies: pols}, err
}

// Create adds a patient.
func (p *Patients) Create(pt practice.Patient) (PatientRecord, error) {
	pt.ID = ""
	pt.Active = true
	return p.write("Patients.Create", "patient.create", func(tx *store.Tx) (string, error) {
		return pt.ID, tx.CreatePatient(&pt)
	})
}

// Update saves the changed parts of a patient's record.
func (p *Patients) Update(pt practice.Patient) (PatientRecord, error) {
	return p.write("Patients.Update", "patient.update", func(tx *store.Tx) (string, error) {
		err := tx.UpdatePatient(&pt)
		return pt.ID, err
	})
}

// SavePolicy adds or changes one of a patient's insurance policies.
func (p *Patients) SavePolicy(ip practice.InsurancePolicy) (PatientRecord, error) {
	return p.write("Patients.SavePolicy", "policy.save", func(tx *store.Tx) (string, error) {
		return ip.PatientID, tx.SavePolicy(&ip)
	})
}

// DeletePolicy removes one of a patient's insurance policies.
func (p *Patients) DeletePolicy(patientID, policyID string) (PatientRecord, error) {
	return p.write("Patients.DeletePolicy", "policy.delete", func(tx *store.Tx) (string, error) {
		return patientID, tx.DeletePolicy(patientID, policyID)
	})
}

// write runs one audited change to a patient's record and refreshes the
// search index from what was committed.
func (p *Patients) write(m, action string, change func(tx *store.Tx) (string, error)) (PatientRecord, error) {
	c := p.c
	sess, err := c.begin(m)
	if err != nil {
		return PatientRecord{}, c.fail(m, err)
	}
	var rec PatientRecord
	err = c.update(func(tx *store.Tx) error {
		id, err := change(tx)
		if err != nil {
			return err
		}
		if rec, err = record(tx, id); err != nil {
			return err
		}
		return tx.Audit(sess.account.ID, action, "patients", id)
	})
	if err != nil {
		return PatientRecord{}, c.fail(m, err)
	}
	c.mu.Lock()
	if c.index != nil { // nil if logged out meanwhile; the next login rebuilds it
		c.index.Put(&rec.Patient)
	}
	c.mu.Unlock()
	return rec, nil
}
