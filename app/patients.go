package app

import (
	"quietdesk/internal/patients"
	"quietdesk/internal/practice"
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
// name); the fact of searching is.
func (p *Patients) Search(query string) (PatientSearch, error) {
	const m = "Patients.Search"
	sess, err := p.c.begin(m)
	if err != nil {
		return PatientSearch{}, p.c.fail(m, err)
	}
	found, total, err := p.c.patients.Search(p.c.ctx(), sess.actor(), query, searchLimit)
	if err != nil {
		return PatientSearch{}, p.c.fail(m, err)
	}
	out := make([]PatientSummary, len(found))
	for i, e := range found {
		out[i] = PatientSummary{ID: e.ID, FirstName: e.FirstName, LastName: e.LastName, PreferredName: e.PreferredName,
			DOB: e.DOB, Phone: e.Phone, Active: e.Active, Next: e.Next}
	}
	return PatientSearch{Patients: out, Total: total}, nil
}

// Get opens a patient's record (audited).
func (p *Patients) Get(id string) (PatientRecord, error) {
	return p.call("Patients.Get", func(by practice.Actor) (patients.Record, error) { return p.c.patients.Get(p.c.ctx(), by, id) })
}

// Create adds a patient.
func (p *Patients) Create(pt practice.Patient) (PatientRecord, error) {
	return p.call("Patients.Create", func(by practice.Actor) (patients.Record, error) { return p.c.patients.Create(p.c.ctx(), by, pt) })
}

// Update saves the changed parts of a patient's record.
func (p *Patients) Update(pt practice.Patient) (PatientRecord, error) {
	return p.call("Patients.Update", func(by practice.Actor) (patients.Record, error) { return p.c.patients.Update(p.c.ctx(), by, pt) })
}

// SavePolicy adds or changes one of a patient's insurance policies.
func (p *Patients) SavePolicy(ip practice.InsurancePolicy) (PatientRecord, error) {
	return p.call("Patients.SavePolicy", func(by practice.Actor) (patients.Record, error) {
		return p.c.patients.SavePolicy(p.c.ctx(), by, ip)
	})
}

// DeletePolicy removes one of a patient's insurance policies.
func (p *Patients) DeletePolicy(patientID, policyID string) (PatientRecord, error) {
	return p.call("Patients.DeletePolicy", func(by practice.Actor) (patients.Record, error) {
		return p.c.patients.DeletePolicy(p.c.ctx(), by, patientID, policyID)
	})
}

// call gates m and runs one patients service call for the session's actor.
func (p *Patients) call(m string, run func(by practice.Actor) (patients.Record, error)) (PatientRecord, error) {
	sess, err := p.c.begin(m)
	if err != nil {
		return PatientRecord{}, p.c.fail(m, err)
	}
	rec, err := run(sess.actor())
	if err != nil {
		return PatientRecord{}, p.c.fail(m, err)
	}
	return PatientRecord{Patient: rec.Patient, Policies: rec.Policies}, nil
}
