package credentialing

import (
	"cmp"
	"io"
	"slices"
	"time"

	"quietdesk/internal/attachments"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// rulesOf is what every rule needs from the practice: today's date in its
// zone, the CAQH cycle and the guard's mode.
type rulesOf struct {
	zone     *time.Location
	today    time.Time
	caqhDays int
	settings practice.CredentialingSettings
}

func loadRules(tx Store) (rulesOf, error) {
	ps, err := tx.Settings()
	if err != nil {
		return rulesOf{}, err
	}
	cs, err := tx.CredentialingSettings()
	if err != nil {
		return rulesOf{}, err
	}
	zone := ps.Zone()
	return rulesOf{zone: zone, today: Today(tx.Now(), zone), caqhDays: cs.CAQHCycle(ps.Address.State), settings: cs}, nil
}

// --- the question billing asks

// InNetwork answers "is clinician X in network with payer P on date D,
// and if not, why": the clinician's licence and malpractice policy (when
// any is on record) are valid on D, and unless payerID is "" (self-pay)
// their enrollment with P is approved and effective by D. D's calendar
// date is taken as it is written, in its own location. The billing export
// asks it for each session's date of service; the booking guard, the
// waitlist and "match a new patient" apply the same rule.
// Errors: ENotFound (no such clinician).
func InNetwork(tx Store, clinicianID, payerID string, d time.Time) (Standing, error) {
	n, err := loadNetwork(tx, clinicianID)
	if err != nil {
		return Standing{}, err
	}
	y, m, dd := d.Date()
	return n.standing(tx, payerID, time.Date(y, m, dd, 0, 0, 0, 0, time.UTC))
}

// Network is one clinician's credentials and enrollments read once, to ask
// InNetwork's question of many payers and dates in one transaction (the
// billing scrubber over a batch of claims).
type Network struct{ n *network }

// LoadNetwork reads a clinician's credentials and enrollments.
func LoadNetwork(tx Store, clinicianID string) (*Network, error) {
	n, err := loadNetwork(tx, clinicianID)
	if err != nil {
		return nil, err
	}
	return &Network{n}, nil
}

// On is InNetwork for this clinician.
func (n *Network) On(tx Store, payerID string, d time.Time) (Standing, error) {
	y, m, dd := d.Date()
	return n.n.standing(tx, payerID, time.Date(y, m, dd, 0, 0, 0, 0, time.UTC))
}

// network is one clinician's credentials and enrollments, loaded once for
// several questions (every session of a series).
type network struct {
	clinician   practice.Clinician
	creds       []practice.Credential
	enrollments map[string]*practice.Enrollment // by payer id
	payerNames  map[string]string
}

// tracked reports whether the practice tracks the clinician's enrollments
// at all: with none on record, the booking guard does not warn about
// payers (a practice that has not entered its credentialing yet would
// otherwise see every insured booking warned).
func (n *network) tracked() bool { return len(n.enrollments) > 0 }

func loadNetwork(tx Store, clinicianID string) (*network, error) {
	c, err := tx.Clinician(clinicianID)
	if err != nil {
		return nil, err
	}
	creds, err := tx.Credentials(clinicianID)
	if err != nil {
		return nil, err
	}
	list, err := tx.Enrollments(clinicianID)
	if err != nil {
		return nil, err
	}
	n := &network{clinician: c, creds: creds, enrollments: map[string]*practice.Enrollment{}}
	for i := range list {
		n.enrollments[list[i].PayerID] = &list[i]
	}
	return n, nil
}

// standing applies StandingOn, naming the payer (read once) when the rule
// needs it.
func (n *network) standing(tx Store, payerID string, on time.Time) (Standing, error) {
	names := Names{Clinician: n.clinician.FirstName + " " + n.clinician.LastName}
	if payerID != "" {
		if n.payerNames == nil {
			payers, err := tx.Payers()
			if err != nil {
				return Standing{}, err
			}
			n.payerNames = map[string]string{}
			for _, y := range payers {
				n.payerNames[y.ID] = y.Name
			}
		}
		names.Payer = cmp.Or(n.payerNames[payerID], "this payer")
	}
	return StandingOn(names, n.creds, payerID, n.enrollments[payerID], on), nil
}

// --- the dashboard

// Lapse is what one clinician's not being in network with one payer
// would cost: the sessions already booked within LapseWindow on days the
// network rule fails, times the payer's expected payment.
type Lapse struct {
	ClinicianID   string `json:"clinicianId"`
	PayerID       string `json:"payerId"`
	FirstDay      string `json:"firstDay"` // YYYY-MM-DD: the first such session's date
	Sessions      int    `json:"sessions"`
	ExpectedCents int    `json:"expectedCents"` // per session, from the settings
	CostCents     int    `json:"costCents"`
}

// LapseWindow is how far ahead booked sessions count toward a lapse: the
// dashboard's 120 days. (A year, as far as series are booked, read four
// times the rows: ~170 ms of CPU on the large demo, over the target.)
const LapseWindow = 120 * 24 * time.Hour

// Overview is the credentialing dashboard: everything on record, the
// deadlines and the lapse estimate.
type Overview struct {
	Today       string                         `json:"today"` // YYYY-MM-DD in the practice's zone
	CAQHDays    int                            `json:"caqhDays"`
	Settings    practice.CredentialingSettings `json:"settings"`
	Clinicians  []practice.Clinician           `json:"clinicians"`
	Payers      []practice.Payer               `json:"payers"`
	Credentials []practice.Credential          `json:"credentials"`
	Enrollments []practice.Enrollment          `json:"enrollments"`
	Deadlines   []Deadline                     `json:"deadlines"`
	Lapses      []Lapse                        `json:"lapses"`
}

// Dashboard loads the overview for by: a clinician (OwnCaseload) sees
// their own credentials, enrollments, deadlines and lapses only.
func Dashboard(tx Store, by practice.Actor) (Overview, error) {
	r, err := loadRules(tx)
	if err != nil {
		return Overview{}, err
	}
	o := Overview{Today: r.today.Format(time.DateOnly), CAQHDays: r.caqhDays, Settings: r.settings}
	if o.Clinicians, err = tx.Clinicians(); err != nil {
		return o, err
	}
	if o.Payers, err = tx.Payers(); err != nil {
		return o, err
	}
	if o.Credentials, err = tx.Credentials(""); err != nil {
		return o, err
	}
	if o.Enrollments, err = tx.Enrollments(""); err != nil {
		return o, err
	}
	if by.OwnCaseload {
		mine := func(id string) bool { return id != by.ClinicianID }
		o.Clinicians = slices.DeleteFunc(o.Clinicians, func(c practice.Clinician) bool { return mine(c.ID) })
		o.Credentials = slices.DeleteFunc(o.Credentials, func(c practice.Credential) bool { return mine(c.ClinicianID) })
		o.Enrollments = slices.DeleteFunc(o.Enrollments, func(e practice.Enrollment) bool { return mine(e.ClinicianID) })
		o.Settings.ExpectedCents = nil
	}
	o.Deadlines = Deadlines(o.Credentials, o.Enrollments, r.caqhDays, r.today)
	o.Lapses, err = lapses(tx, r, o)
	if by.OwnCaseload {
		for i := range o.Lapses {
			o.Lapses[i].ExpectedCents, o.Lapses[i].CostCents = 0, 0
		}
	}
	return o, err
}

// lapses applies the network rule to every session booked ahead with a
// payer, for the clinicians whose enrollments the practice tracks.
func lapses(tx Store, r rulesOf, o Overview) ([]Lapse, error) {
	from := tx.Now().Add(-24 * time.Hour) // sessions before today are filtered below
	booked, err := tx.BookedSessions(from, from.Add(LapseWindow))
	if err != nil {
		return nil, err
	}
	byClinician := map[string]*network{}
	for _, c := range o.Clinicians {
		byClinician[c.ID] = &network{clinician: c, enrollments: map[string]*practice.Enrollment{}}
	}
	for _, c := range o.Credentials {
		if n := byClinician[c.ClinicianID]; n != nil {
			n.creds = append(n.creds, c)
		}
	}
	for i, e := range o.Enrollments {
		if n := byClinician[e.ClinicianID]; n != nil {
			n.enrollments[e.PayerID] = &o.Enrollments[i]
		}
	}
	type pair struct{ clinician, payer string }
	found := map[pair]*Lapse{}
	ok := map[pair]map[time.Time]bool{} // the rule's answer by day, computed once
	for _, b := range booked {
		n := byClinician[b.ClinicianID]
		on := Today(b.Start, r.zone)
		if n == nil || !n.tracked() || on.Before(r.today) {
			continue
		}
		k := pair{b.ClinicianID, b.PayerID}
		if ok[k] == nil {
			ok[k] = map[time.Time]bool{}
		}
		in, seen := ok[k][on]
		if !seen {
			in = StandingOn(Names{}, n.creds, b.PayerID, n.enrollments[b.PayerID], on).InNetwork
			ok[k][on] = in
		}
		if in {
			continue
		}
		l := found[k]
		if l == nil {
			l = &Lapse{ClinicianID: k.clinician, PayerID: k.payer, ExpectedCents: r.settings.ExpectedCents[k.payer]}
			found[k] = l
		}
		if d := on.Format(time.DateOnly); l.FirstDay == "" || d < l.FirstDay {
			l.FirstDay = d
		}
		l.Sessions++
		l.CostCents += l.ExpectedCents
	}
	out := make([]Lapse, 0, len(found))
	for _, l := range found {
		out = append(out, *l)
	}
	slices.SortFunc(out, func(a, b Lapse) int {
		return cmp.Or(cmp.Compare(b.CostCents, a.CostCents), cmp.Compare(a.ClinicianID, b.ClinicianID), cmp.Compare(a.PayerID, b.PayerID))
	})
	return out, nil
}

// --- writes

// SaveCredential validates and saves a credential, audited.
// Errors: EInvalid, ENotFound.
func SaveCredential(tx Store, by practice.Actor, c *practice.Credential) error {
	if err := tx.SaveCredential(c); err != nil {
		return err
	}
	return tx.Audit(by.AccountID, "credentials.save", "credentials", c.ID)
}

// DeleteCredential removes a credential, audited. Errors: ENotFound.
func DeleteCredential(tx Store, by practice.Actor, id string) error {
	if err := tx.DeleteCredential(id); err != nil {
		return err
	}
	return tx.Audit(by.AccountID, "credentials.delete", "credentials", id)
}

// EnrollmentChange is an enrollment as edited, with a note for its
// history (a follow-up call, what the payer said).
type EnrollmentChange struct {
	Enrollment practice.Enrollment `json:"enrollment"`
	Note       string              `json:"note"`
}

// RecordEnrollment saves an enrollment and, when it is new, its status
// changed or a note was given, appends an entry to its history; audited.
// Errors: EInvalid (nothing is written).
func RecordEnrollment(tx Store, by practice.Actor, ch EnrollmentChange) (practice.Enrollment, error) {
	e := ch.Enrollment
	if err := practice.CheckNote("note", ch.Note); err != nil {
		return e, err
	}
	before, err := tx.Enrollment(store.EnrollmentID(e.ClinicianID, e.PayerID))
	isNew := practice.ErrorCode(err) == practice.ENotFound
	if err != nil && !isNew {
		return e, err
	}
	if err := tx.SaveEnrollment(&e); err != nil {
		return e, err
	}
	if isNew || before.Status != e.Status || ch.Note != "" {
		if err := tx.AddEnrollmentEvent(&practice.EnrollmentEvent{EnrollmentID: e.ID, AccountID: by.AccountID, Status: e.Status, Note: ch.Note}); err != nil {
			return e, err
		}
	}
	return e, tx.Audit(by.AccountID, "enrollments.save", "enrollments", e.ID)
}

// History is an enrollment's history, oldest first; a clinician
// (OwnCaseload) reads only their own. Errors: ENotFound.
func History(tx Store, by practice.Actor, enrollmentID string) ([]practice.EnrollmentEvent, error) {
	e, err := tx.Enrollment(enrollmentID)
	if err != nil {
		return nil, err
	}
	if !by.Sees(e.ClinicianID) {
		return nil, practice.Errorf(practice.EForbidden, "You may open only your own enrollments.")
	}
	events, err := tx.EnrollmentEvents(enrollmentID)
	if err != nil {
		return nil, err
	}
	names, err := tx.AccountNames()
	if err != nil {
		return nil, err
	}
	for i := range events {
		events[i].By = cmp.Or(names[events[i].AccountID], "a former staff member")
	}
	return events, nil
}

// SaveSettings saves the practice's credentialing rules, audited.
// Errors: EInvalid.
func SaveSettings(tx Store, by practice.Actor, s *practice.CredentialingSettings) error {
	if err := tx.SaveCredentialingSettings(s); err != nil {
		return err
	}
	return tx.Audit(by.AccountID, "credentialing_settings.save", "credentialing_settings", "practice")
}

// --- scans: a copy of the licence, certificate or policy, kept sealed

// scans is where a credential's scans are kept.
func scans(id string) attachments.Owner { return attachments.Owner{Table: "credentials", ID: id} }

// ownCredential checks that by may reach credential id: a clinician
// (OwnCaseload) reaches their own only. Errors: ENotFound, EForbidden.
func ownCredential(tx Store, by practice.Actor, id string) error {
	c, err := tx.Credential(id)
	if err != nil {
		return err
	}
	if !by.Sees(c.ClinicianID) {
		return practice.Errorf(practice.EForbidden, "You may open only your own credentials.")
	}
	return nil
}

// AttachScan keeps a scan of a credential (PDF, PNG or JPEG), sealed and
// audited. Errors: EInvalid, EForbidden, ENotFound.
func AttachScan(tx Store, by practice.Actor, credentialID, name string, content io.Reader) (store.Document, error) {
	if err := ownCredential(tx, by, credentialID); err != nil {
		return store.Document{}, err
	}
	return attachments.Attach(tx, by, scans(credentialID), name, content)
}

// Scans lists a credential's scans. Errors: EForbidden, ENotFound.
func Scans(tx Store, by practice.Actor, credentialID string) ([]store.Document, error) {
	if err := ownCredential(tx, by, credentialID); err != nil {
		return nil, err
	}
	return attachments.List(tx, scans(credentialID))
}

// CopyScan writes one of a credential's scans to w, audited.
// Errors: EForbidden, ENotFound, EDamaged.
func CopyScan(tx Store, by practice.Actor, credentialID, documentID string, w io.Writer) (store.Document, error) {
	if err := ownCredential(tx, by, credentialID); err != nil {
		return store.Document{}, err
	}
	return attachments.Copy(tx, by, scans(credentialID), documentID, w)
}
