package store

import (
	"database/sql"

	"quietdesk/internal/practice"
)

func patientWrites(p *practice.Patient) []write {
	return []write{
		{grp: "identity", sealed: p.Identity},
		{grp: "contact", sealed: p.Contact},
		{grp: "emergency", sealed: p.Emergency},
		{grp: "guardian", sealed: p.Guardian},
		{grp: "status", plain: []any{boolInt(p.Active)}},
	}
}

// CreatePatient validates and adds a patient, giving it an ID.
// Errors: EInvalid.
func (tx *Tx) CreatePatient(p *practice.Patient) error {
	p.Normalize()
	if err := p.Validate(tx.now); err != nil {
		return err
	}
	p.ID = newID()
	return tx.create("patients", p.ID, patientWrites(p))
}

// UpdatePatient writes the groups of p that changed. Errors: EInvalid, ENotFound.
func (tx *Tx) UpdatePatient(p *practice.Patient) error {
	p.Normalize()
	if err := p.Validate(tx.now); err != nil {
		return err
	}
	old, err := tx.Patient(p.ID)
	if err != nil {
		return err
	}
	return tx.save("patients", p.ID, patientWrites(p), patientWrites(&old))
}

// Patient returns one patient. Errors: ENotFound, EDamaged.
func (tx *Tx) Patient(id string) (practice.Patient, error) {
	return one(tx.patients("AND id = ?", id))
}

// Patients returns every patient, decrypted, in no particular order: the
// search index is built from it at unlock.
func (tx *Tx) Patients() ([]practice.Patient, error) { return tx.patients("") }

// PatientIdentities returns the identity group (names, date of birth) of
// each of ids that exists, and decrypts nothing else: for the lists and
// alerts that name many patients, where a whole record per name costs
// four decryptions and a query each.
func (tx *Tx) PatientIdentities(ids []string) (map[string]practice.PatientIdentity, error) {
	out := make(map[string]practice.PatientIdentity, len(ids))
	err := inChunks(ids, func(in string, args []any) error {
		return tx.rowsOf("SELECT id, identity FROM patients WHERE deleted = 0 AND id IN "+in, args, func(rows *sql.Rows) error {
			var id string
			var blob []byte
			if err := rows.Scan(&id, &blob); err != nil {
				return err
			}
			var who practice.PatientIdentity
			if err := tx.open("patients", "identity", id, blob, &who); err != nil {
				return err
			}
			out[id] = who
			return nil
		})
	})
	return out, err
}

// inChunks calls fn with the ids in slices of at most 500 and an IN list
// of as many parameters (well under SQLite's bound on parameters).
func inChunks(ids []string, fn func(in string, args []any) error) error {
	const chunk = 500
	for len(ids) > 0 {
		n := min(chunk, len(ids))
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		if err := fn(inList(n), args); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// PatientsByID returns the patients with ids that exist, decrypted, in one
// query per 500 (a scrub or an export of thousands of claims).
func (tx *Tx) PatientsByID(ids []string) (map[string]practice.Patient, error) {
	out := make(map[string]practice.Patient, len(ids))
	err := inChunks(ids, func(in string, args []any) error {
		list, err := tx.patients("AND id IN "+in, args...)
		for _, p := range list {
			out[p.ID] = p
		}
		return err
	})
	return out, err
}

func (tx *Tx) patients(where string, args ...any) ([]practice.Patient, error) {
	var out []practice.Patient
	err := tx.rowsOf("SELECT id, active, identity, contact, emergency, guardian FROM patients WHERE deleted = 0 "+where, args,
		func(rows *sql.Rows) error {
			var p practice.Patient
			var identity, contact, emergency, guardian []byte
			if err := rows.Scan(&p.ID, &p.Active, &identity, &contact, &emergency, &guardian); err != nil {
				return err
			}
			for _, g := range []struct {
				name string
				blob []byte
				dst  any
			}{{"identity", identity, &p.Identity}, {"contact", contact, &p.Contact}, {"emergency", emergency, &p.Emergency}, {"guardian", guardian, &p.Guardian}} {
				if err := tx.open("patients", g.name, p.ID, g.blob, g.dst); err != nil {
					return err
				}
			}
			out = append(out, p)
			return nil
		})
	return out, err
}

// --- insurance policies

type policyInfo struct {
	MemberID    string              `json:"memberId"`
	GroupNumber string              `json:"groupNumber"`
	Subscriber  practice.Subscriber `json:"subscriber"`
}

func policyWrites(ip *practice.InsurancePolicy) []write {
	return []write{
		{grp: "link", plain: []any{ip.PatientID, ip.PayerID, string(ip.Rank)}},
		{grp: "info", sealed: policyInfo{MemberID: ip.MemberID, GroupNumber: ip.GroupNumber, Subscriber: ip.Subscriber}},
	}
}

// Policies lists a patient's insurance policies, primary first.
func (tx *Tx) Policies(patientID string) ([]practice.InsurancePolicy, error) {
	return tx.policies("AND patient_id = ?", patientID)
}

// PoliciesOf lists the policies of each of the patients, primary first,
// in one query per 500; a patient without any maps to an empty list.
func (tx *Tx) PoliciesOf(patientIDs []string) (map[string][]practice.InsurancePolicy, error) {
	out := make(map[string][]practice.InsurancePolicy, len(patientIDs))
	for _, id := range patientIDs {
		out[id] = []practice.InsurancePolicy{}
	}
	err := inChunks(patientIDs, func(in string, args []any) error {
		list, err := tx.policies("AND patient_id IN "+in, args...)
		for _, p := range list {
			out[p.PatientID] = append(out[p.PatientID], p)
		}
		return err
	})
	return out, err
}

func (tx *Tx) policies(where string, args ...any) ([]practice.InsurancePolicy, error) {
	var out []practice.InsurancePolicy
	err := tx.rowsOf("SELECT id, patient_id, payer_id, rank, info FROM policies WHERE deleted = 0 "+where+" ORDER BY rank, id", args,
		func(rows *sql.Rows) error {
			var ip practice.InsurancePolicy
			var blob []byte
			if err := rows.Scan(&ip.ID, &ip.PatientID, &ip.PayerID, &ip.Rank, &blob); err != nil {
				return err
			}
			var info policyInfo
			if err := tx.open("policies", "info", ip.ID, blob, &info); err != nil {
				return err
			}
			ip.MemberID, ip.GroupNumber, ip.Subscriber = info.MemberID, info.GroupNumber, info.Subscriber
			out = append(out, ip)
			return nil
		})
	return out, err
}

// SavePolicy creates or updates an insurance policy of an existing patient
// with an existing payer. Errors: EInvalid, ENotFound.
func (tx *Tx) SavePolicy(ip *practice.InsurancePolicy) error {
	ip.Normalize()
	if err := ip.Validate(tx.now); err != nil {
		return err
	}
	if _, err := tx.Patient(ip.PatientID); err != nil {
		return err
	}
	if _, err := one(tx.payers("AND id = ?", ip.PayerID)); err != nil {
		return practice.FieldProblem("payerId", "Choose an existing payer.")
	}
	return upsert(tx, "policies", &ip.ID, ip, policyWrites, func() (practice.InsurancePolicy, error) {
		return one(tx.policies("AND id = ? AND patient_id = ?", ip.ID, ip.PatientID))
	})
}

// DeletePolicy removes a patient's policy. Errors: ENotFound.
func (tx *Tx) DeletePolicy(patientID, policyID string) error {
	if _, err := one(tx.policies("AND id = ? AND patient_id = ?", policyID, patientID)); err != nil {
		return err
	}
	return tx.tombstone("policies", policyID)
}
