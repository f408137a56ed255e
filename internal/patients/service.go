package patients

import (
	"context"
	"math"
	"sync"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Store is every store method the patients area uses; *store.Tx
// satisfies it.
type Store interface {
	Now() time.Time
	Audit(accountID, action, table, recordID string) error
	Settings() (practice.Settings, error)
	ClinicianPatients(clinicianID string) (map[string]bool, error)
	NextAppointments(from time.Time, patientIDs []string) (map[string]time.Time, error)
	Patients() ([]practice.Patient, error)
	Patient(id string) (practice.Patient, error)
	CreatePatient(p *practice.Patient) error
	UpdatePatient(p *practice.Patient) error
	Policies(patientID string) ([]practice.InsurancePolicy, error)
	SavePolicy(p *practice.InsurancePolicy) error
	DeletePolicy(patientID, policyID string) error
}

var _ Store = (*store.Tx)(nil)

// DB runs the service's transactions; *store.DB satisfies it.
type DB interface {
	Update(ctx context.Context, fn func(tx *store.Tx) error) error
	View(ctx context.Context, fn func(tx *store.Tx) error) error
}

// Record is a patient's record: the patient and their insurance policies.
type Record struct {
	Patient  practice.Patient
	Policies []practice.InsurancePolicy
}

// Service is the patients area: records and their audit entries, and the
// search index, which it builds when the practice key is loaded and keeps
// current on its own writes and on changes merged from other machines.
type Service struct {
	db DB

	mu    sync.Mutex
	index *Index // nil while nobody is logged in
}

// NewService returns the patients service of db.
func NewService(db DB) *Service { return &Service{db: db} }

// errLoggedOut: the index went with a logout between the caller's gate
// and the search.
var errLoggedOut = practice.Errorf(practice.EUnauthorized, "Please log in.")

// Open builds the search index from the decrypted records, unless it is
// built already (a second login while the key stays loaded).
func (s *Service) Open(ctx context.Context) error {
	if s.current() != nil {
		return nil
	}
	var list []practice.Patient
	if err := s.db.View(ctx, func(tx *store.Tx) error {
		var err error
		list, err = tx.Patients()
		return err
	}); err != nil {
		return err
	}
	s.mu.Lock()
	if s.index == nil {
		s.index = NewIndex(list)
	}
	s.mu.Unlock()
	return nil
}

// Close forgets the index (logout: the key is dropped with it).
func (s *Service) Close() {
	s.mu.Lock()
	s.index = nil
	s.mu.Unlock()
}

func (s *Service) current() *Index {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.index
}

// Name is a patient's first and last name from the index; "" when
// nobody is logged in or the patient is unknown.
func (s *Service) Name(id string) string {
	ix := s.current()
	if ix == nil {
		return ""
	}
	e, ok := ix.Get(id)
	if !ok {
		return ""
	}
	return e.FirstName + " " + e.LastName
}

// Found is one search result: the index entry and the start of the
// patient's next scheduled or confirmed appointment (zero when none).
type Found struct {
	Entry
	Next time.Time
}

// Search finds up to limit patients for by (Index.Search has the query
// rules) among the records by may open, and how many match in all. The
// query itself is not audited (it may be a name); the fact of searching
// is. Errors: EUnauthorized.
func (s *Service) Search(ctx context.Context, by practice.Actor, query string, limit int) ([]Found, int, error) {
	ix := s.current()
	if ix == nil {
		return nil, 0, errLoggedOut
	}
	var out []Found
	total := 0
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		access, err := AccessFor(tx, by)
		if err != nil {
			return err
		}
		// Every match, then those by may open: the count must not
		// include records it may not see.
		all, _ := ix.Search(query, math.MaxInt)
		out = []Found{}
		var ids []string
		for _, e := range all {
			if !access.MayOpen(e.ID) {
				continue
			}
			if total++; total <= limit {
				out = append(out, Found{Entry: e})
				ids = append(ids, e.ID)
			}
		}
		next, err := tx.NextAppointments(tx.Now(), ids)
		if err != nil {
			return err
		}
		for i := range out {
			out[i].Next = next[out[i].ID]
		}
		return tx.Audit(by.AccountID, "patient.search", "patients", "")
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// Get opens a patient's record for by (audited). Errors: ENotFound,
// EForbidden (a record by may not open: nothing of it is returned).
func (s *Service) Get(ctx context.Context, by practice.Actor, id string) (Record, error) {
	var rec Record
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if rec, err = record(tx, id); err != nil {
			return err
		}
		access, err := AccessFor(tx, by)
		if err != nil {
			return err
		}
		if err := access.Check(id); err != nil {
			rec = Record{} // nothing of a record refused leaves here
			return err
		}
		return tx.Audit(by.AccountID, "patient.read", "patients", id)
	})
	return rec, err
}

func record(tx Store, id string) (Record, error) {
	p, err := tx.Patient(id)
	if err != nil {
		return Record{}, err
	}
	pols, err := tx.Policies(id)
	if pols == nil {
		pols = []practice.InsurancePolicy{}
	}
	return Record{Patient: p, Policies: pols}, err
}

// Create adds an active patient for by. Errors: EInvalid.
func (s *Service) Create(ctx context.Context, by practice.Actor, p practice.Patient) (Record, error) {
	p.ID, p.Active = "", true
	return s.write(ctx, by, "patient.create", func(tx *store.Tx) (string, error) { return p.ID, tx.CreatePatient(&p) })
}

// Update saves the changed field groups of a patient's record.
// Errors: EInvalid, ENotFound.
func (s *Service) Update(ctx context.Context, by practice.Actor, p practice.Patient) (Record, error) {
	return s.write(ctx, by, "patient.update", func(tx *store.Tx) (string, error) { return p.ID, tx.UpdatePatient(&p) })
}

// SavePolicy adds or changes one of a patient's insurance policies.
// Errors: EInvalid, ENotFound.
func (s *Service) SavePolicy(ctx context.Context, by practice.Actor, ip practice.InsurancePolicy) (Record, error) {
	return s.write(ctx, by, "policy.save", func(tx *store.Tx) (string, error) { return ip.PatientID, tx.SavePolicy(&ip) })
}

// DeletePolicy removes one of a patient's insurance policies.
// Errors: ENotFound.
func (s *Service) DeletePolicy(ctx context.Context, by practice.Actor, patientID, policyID string) (Record, error) {
	return s.write(ctx, by, "policy.delete", func(tx *store.Tx) (string, error) { return patientID, tx.DeletePolicy(patientID, policyID) })
}

// Amend changes a patient's record together with another area's write, in
// one transaction: amend edits p (the record as stored) and writes its own
// rows; the record is then saved (only the groups that changed), audited
// as action and, once committed, put into the search index. Intake's
// review accepts a patient's new phone number this way. Errors: ENotFound,
// EInvalid, and amend's own.
func (s *Service) Amend(ctx context.Context, by practice.Actor, patientID, action string, amend func(tx *store.Tx, p *practice.Patient) error) (Record, error) {
	return s.write(ctx, by, action, func(tx *store.Tx) (string, error) {
		p, err := tx.Patient(patientID)
		if err != nil {
			return "", err
		}
		if err := amend(tx, &p); err != nil {
			return "", err
		}
		return p.ID, tx.UpdatePatient(&p)
	})
}

// write runs one audited change to a patient's record and, once it is
// committed, puts the record as saved into the search index.
func (s *Service) write(ctx context.Context, by practice.Actor, action string, change func(tx *store.Tx) (string, error)) (Record, error) {
	var rec Record
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		id, err := change(tx)
		if err != nil {
			return err
		}
		if rec, err = record(tx, id); err != nil {
			return err
		}
		return tx.Audit(by.AccountID, action, "patients", id)
	})
	if err != nil {
		return Record{}, err
	}
	if ix := s.current(); ix != nil { // nil if logged out meanwhile; the next login rebuilds it
		ix.Put(&rec.Patient)
	}
	return rec, nil
}

// Merged puts the patients another machine changed into the index (a
// listener of internal/wiring, after the merge committed). A patient whose
// other field groups are still on the way is skipped until they arrive.
func (s *Service) Merged(ctx context.Context, changed []store.RowRef) error {
	ix := s.current()
	if ix == nil {
		return nil
	}
	var ids []string
	for _, r := range changed {
		if r.Table == "patients" {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return s.db.View(ctx, func(tx *store.Tx) error {
		for _, id := range ids {
			p, err := tx.Patient(id)
			if practice.ErrorCode(err) == practice.ENotFound {
				continue
			}
			if err != nil {
				return err
			}
			ix.Put(&p)
		}
		return nil
	})
}
