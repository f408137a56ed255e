package authorizations

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"quietdesk/internal/attachments"
	"quietdesk/internal/patients"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Service is the authorizations area's workflows. It holds no state: each
// call does its whole job in the caller's transaction, so the booking
// check reads exactly what the booking writes beside.
type Service struct{}

// NewService returns the authorizations service.
func NewService() *Service { return &Service{} }

// View is an authorization with its derived usage, as screens show it.
type View struct {
	Authorization practice.Authorization `json:"authorization"`
	Usage         Usage                  `json:"usage"`
	PayerName     string                 `json:"payerName"`
	PayerKind     practice.PayerKind     `json:"payerKind"`
	// State sums it up: requested, denied, active, exhausted (nothing
	// left), expired (past its end) or upcoming (not started).
	State State `json:"state"`
	// RenewedBy is the authorization that renews this one, if any.
	RenewedBy string `json:"renewedBy"`
}

// State is an authorization's standing today.
type State string

const (
	StateRequested State = "requested"
	StateDenied    State = "denied"
	StateUpcoming  State = "upcoming"
	StateActive    State = "active"
	StateExhausted State = "exhausted"
	StateExpired   State = "expired"
)

// far is the end of every "all of a patient's appointments" range.
var far = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// load reads the facts of one patient's usage.
func load(tx Store, patientID string) (*Facts, error) {
	sh, err := loadShared(tx)
	if err != nil {
		return nil, err
	}
	auths, err := tx.Authorizations(patientID)
	if err != nil {
		return nil, err
	}
	return sh.facts(tx, patientID, auths, tx.Now())
}

// shared is what every patient's facts share: read once when many
// patients' usage is derived together (alerts, the overview, reports).
type shared struct {
	zone  *time.Location
	rules map[string]practice.PayerAuthRules
	codes map[string]string
}

func loadShared(tx Store) (shared, error) {
	settings, err := tx.Settings()
	if err != nil {
		return shared{}, err
	}
	rules, err := tx.AllPayerAuthRules()
	if err != nil {
		return shared{}, err
	}
	codes, err := serviceCodes(tx)
	return shared{zone: settings.Zone(), rules: rules, codes: codes}, err
}

// facts reads one patient's sessions and choices beside their authorizations.
func (sh shared) facts(tx Store, patientID string, auths []practice.Authorization, now time.Time) (*Facts, error) {
	sessions, err := tx.AppointmentsBetween(sh.mattersFrom(auths, now), far, store.AppointmentFilter{PatientID: patientID})
	if err != nil {
		return nil, err
	}
	choices, err := tx.AuthorizationChoices(patientID)
	if err != nil {
		return nil, err
	}
	return &Facts{Zone: sh.zone, Auths: auths, Rules: sh.rules, Codes: sh.codes, Sessions: sessions, Choices: choices}, nil
}

// mattersFrom is the earliest instant at which a session can bear on auths
// as seen at now: a session uses an authorization only inside its window,
// counts as booked after one only once it has ended, and reaches a
// clinician only inside a window or from today on. Reading from there,
// not from the start of history, keeps a patient in care for years as
// cheap as a new one: the patient index reads only the sessions since.
// A day's margin covers the zone's offset from UTC.
func (sh shared) mattersFrom(auths []practice.Authorization, now time.Time) time.Time {
	earliest := now.In(sh.zone).Format(time.DateOnly)
	for _, a := range auths {
		earliest = min(earliest, a.Start)
	}
	day := midnight(earliest, sh.zone)
	if day.IsZero() {
		return day // an authorization without a start: all of history
	}
	return day.AddDate(0, 0, -1)
}

// everyone reads the facts of every patient with an authorization in all
// (ordered by patient, as AllAuthorizations lists them) in three queries,
// not two per patient, for alerts and the practice-wide list: windows,
// then later for all of them.
func (sh shared) everyone(tx Store, all []practice.Authorization, now time.Time) ([]*Facts, error) {
	out, err := sh.windows(tx, all, now)
	if err != nil {
		return nil, err
	}
	return out, sh.later(tx, out, now)
}

// windows reads each patient's facts but Later: their sessions from
// mattersFrom to the end of every window (endsBy) in one query, and the
// manual choices once. Each patient's Sessions is their part of the one
// list read, capped so that an append copies it.
func (sh shared) windows(tx Store, all []practice.Authorization, now time.Time) ([]*Facts, error) {
	patients := byPatient(all)
	within := make([]store.PatientRange, len(patients))
	for i, auths := range patients {
		within[i] = store.PatientRange{PatientID: auths[0].PatientID, From: sh.mattersFrom(auths, now), To: sh.endsBy(auths)}
	}
	sessions, err := tx.PatientsAppointmentsIn(within)
	if err != nil {
		return nil, err
	}
	choices, err := tx.AuthorizationChoices("")
	if err != nil {
		return nil, err
	}
	out := make([]*Facts, len(patients))
	for i, auths := range patients {
		id := auths[0].PatientID
		f := &Facts{Zone: sh.zone, Auths: auths, Rules: sh.rules, Codes: sh.codes, Choices: choices}
		n := 0
		for n < len(sessions) && sessions[n].PatientID == id {
			n++
		}
		if n > 0 {
			f.Sessions, sessions = sessions[:n:n], sessions[n:]
		}
		out[i] = f
	}
	if len(sessions) > 0 {
		return nil, fmt.Errorf("authorizations: %d sessions of patients not asked for", len(sessions))
	}
	return out, nil
}

// later reads, in one query, the Later of each of facts (as windows read
// them, in its order): the sessions after every window has ended, as
// counts. A patient's year of booked series matters to usage only as how
// many and with whom.
func (sh shared) later(tx Store, facts []*Facts, now time.Time) error {
	today := midnight(now.In(sh.zone).Format(time.DateOnly), sh.zone)
	after := make([]store.PatientRange, 0, len(facts))
	for _, f := range facts {
		if until := sh.endsBy(f.Auths); !until.Equal(far) {
			after = append(after, store.PatientRange{PatientID: f.Auths[0].PatientID, From: until, To: today})
		}
	}
	counts, err := tx.PatientsAppointmentCounts(after)
	if err != nil {
		return err
	}
	for _, f := range facts {
		id := f.Auths[0].PatientID
		for len(counts) > 0 && counts[0].PatientID == id {
			c := counts[0]
			f.Later, counts = append(f.Later, Later{TypeID: c.TypeID, ClinicianID: c.ClinicianID, Status: c.Status, Ahead: c.Ahead, Count: c.Count}), counts[1:]
		}
	}
	if len(counts) > 0 {
		return fmt.Errorf("authorizations: %d counts of patients not asked for", len(counts))
	}
	return nil
}

// byPatient splits all, ordered by patient as AllAuthorizations lists
// them, into each patient's authorizations.
func byPatient(all []practice.Authorization) [][]practice.Authorization {
	var out [][]practice.Authorization
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].PatientID == all[i].PatientID {
			j++
		}
		out, i = append(out, all[i:j]), j
	}
	return out
}

// endsBy is the first instant after every one of auths has ended: the
// local midnight after the latest end; far when one has no end.
func (sh shared) endsBy(auths []practice.Authorization) time.Time {
	latest := ""
	for _, a := range auths {
		if a.End == "" {
			return far
		}
		latest = max(latest, a.End)
	}
	day := midnight(latest, sh.zone)
	if day.IsZero() {
		return far
	}
	return day.AddDate(0, 0, 1)
}

// midnight is the start of a local date in zone; zero for a malformed date.
func midnight(day string, zone *time.Location) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, day, zone)
	if err != nil {
		return time.Time{}
	}
	return t
}

func serviceCodes(tx Store) (map[string]string, error) {
	types, err := tx.AppointmentTypes()
	codes := make(map[string]string, len(types))
	for _, t := range types {
		codes[t.ID] = t.ServiceCode
	}
	return codes, err
}

// views turns a patient's facts into views, in the order of f.Auths.
func views(f *Facts, payers map[string]practice.Payer, today string) []View {
	usage := Derive(f)
	renewedBy := map[string]string{}
	for _, a := range f.Auths {
		if a.RenewsID != "" {
			renewedBy[a.RenewsID] = a.ID
		}
	}
	out := make([]View, 0, len(f.Auths))
	for _, a := range f.Auths {
		u := *usage[a.ID]
		out = append(out, View{Authorization: a, Usage: u, PayerName: payers[a.PayerID].Name, PayerKind: payers[a.PayerID].Kind,
			State: stateOf(a, u, today), RenewedBy: renewedBy[a.ID]})
	}
	return out
}

func stateOf(a practice.Authorization, u Usage, today string) State {
	switch {
	case a.Status == practice.AuthRequested:
		return StateRequested
	case a.Status == practice.AuthDenied:
		return StateDenied
	case a.End < today:
		return StateExpired
	case a.Start > today:
		return StateUpcoming
	case u.Authorized-u.Used <= 0:
		return StateExhausted
	}
	return StateActive
}

func payerMap(tx Store) (map[string]practice.Payer, error) {
	list, err := tx.Payers()
	m := make(map[string]practice.Payer, len(list))
	for _, p := range list {
		m[p.ID] = p
	}
	return m, err
}

// checkAccess refuses a patient whose record by may not open (a clinician
// reaches their own patients' authorizations only). Errors: ENotFound,
// EForbidden.
func checkAccess(tx Store, by practice.Actor, patientID string) error {
	if _, err := tx.Patient(patientID); err != nil {
		return err
	}
	access, err := patients.AccessFor(tx, by)
	if err != nil {
		return err
	}
	return access.Check(patientID)
}

// List returns a patient's authorizations with their usage, audited as a
// view of the patient's record. Errors: EForbidden.
func (s *Service) List(tx Store, by practice.Actor, patientID string) ([]View, error) {
	if err := checkAccess(tx, by, patientID); err != nil {
		return nil, err
	}
	f, err := load(tx, patientID)
	if err != nil {
		return nil, err
	}
	payers, err := payerMap(tx)
	if err != nil {
		return nil, err
	}
	return views(f, payers, f.Day(tx.Now())), tx.Audit(by.AccountID, "authorization.view", "patients", patientID)
}

// Save creates (empty ID) or updates an authorization, audited. The payer
// must be one the patient has a policy with (an EAP is entered as a policy
// too); a renewal must renew one of the same patient. Nothing is written
// when anything is wrong. Errors: EInvalid, EForbidden, ENotFound.
func (s *Service) Save(tx Store, by practice.Actor, a practice.Authorization) (View, error) {
	a.Normalize()
	if err := a.Validate(); err != nil {
		return View{}, err
	}
	if err := checkAccess(tx, by, a.PatientID); err != nil {
		return View{}, err
	}
	if err := checkPayer(tx, a); err != nil {
		return View{}, err
	}
	if a.RenewsID != "" {
		prev, err := tx.Authorization(a.RenewsID)
		if err != nil || prev.PatientID != a.PatientID || prev.ID == a.ID {
			return View{}, practice.FieldProblem("renewsId", "A renewal continues one of this patient's own authorizations.")
		}
	}
	if err := tx.SaveAuthorization(&a); err != nil {
		return View{}, err
	}
	if err := tx.Audit(by.AccountID, "authorization.save", "authorizations", a.ID); err != nil {
		return View{}, err
	}
	return s.view(tx, a.PatientID, a.ID)
}

// checkPayer refuses a payer the patient has no policy with, naming the
// payer (never the patient).
func checkPayer(tx Store, a practice.Authorization) error {
	policies, err := tx.Policies(a.PatientID)
	if err != nil {
		return err
	}
	for _, p := range policies {
		if p.PayerID == a.PayerID {
			return nil
		}
	}
	payers, err := payerMap(tx)
	if err != nil {
		return err
	}
	name, ok := payers[a.PayerID]
	if !ok {
		return practice.FieldProblem("payerId", "Choose an existing payer.")
	}
	return practice.FieldProblem("payerId", "This patient has no policy with "+name.Name+
		". Add the policy (or EAP benefit) to the patient's record first, then the authorization.")
}

// view is one authorization's view, read back after a write.
func (s *Service) view(tx Store, patientID, id string) (View, error) {
	f, err := load(tx, patientID)
	if err != nil {
		return View{}, err
	}
	payers, err := payerMap(tx)
	if err != nil {
		return View{}, err
	}
	for _, v := range views(f, payers, f.Day(tx.Now())) {
		if v.Authorization.ID == id {
			return v, nil
		}
	}
	return View{}, practice.Errorf(practice.ENotFound, "That authorization does not exist (it may have been removed on another machine).")
}

// Renew returns the next period of an authorization, filled in but not
// saved: the same payer, kind, unit, codes, thresholds and EAP case,
// starting the day after it ends and lasting as long, requested for as
// many as were authorized, and linked to it (the chain of renewals).
// Errors: EForbidden, ENotFound.
func (s *Service) Renew(tx Store, by practice.Actor, id string) (practice.Authorization, error) {
	prev, err := tx.Authorization(id)
	if err != nil {
		return practice.Authorization{}, err
	}
	if err := checkAccess(tx, by, prev.PatientID); err != nil {
		return practice.Authorization{}, err
	}
	start, err1 := time.Parse(time.DateOnly, prev.Start)
	end, err2 := time.Parse(time.DateOnly, prev.End)
	if err1 != nil || err2 != nil {
		return practice.Authorization{}, practice.Errorf(practice.EDamaged, "This authorization's dates cannot be read.")
	}
	days := int(end.Sub(start)/(24*time.Hour)) + 1
	next := prev
	next.ID, next.RenewsID = "", prev.ID
	next.Status, next.Authorized = practice.AuthRequested, 0
	next.Requested = max(prev.Authorized, prev.Requested)
	next.Start = end.AddDate(0, 0, 1).Format(time.DateOnly)
	next.End = end.AddDate(0, 0, days).Format(time.DateOnly)
	next.RequestedOn = tx.Now().Format(time.DateOnly)
	next.Number, next.QuotedNumber, next.CallReference, next.Notes = "", "", "", ""
	return next, nil
}

// Choose records which authorization an appointment uses when two apply
// ("" hands the choice back to the rules), audited. Errors: EInvalid,
// EForbidden, ENotFound.
func (s *Service) Choose(tx Store, by practice.Actor, appointmentID, authorizationID string) error {
	a, err := tx.Appointment(appointmentID)
	if err != nil {
		return err
	}
	if err := checkAccess(tx, by, a.PatientID); err != nil {
		return err
	}
	if authorizationID != "" {
		f, err := load(tx, a.PatientID)
		if err != nil {
			return err
		}
		if _, candidates, _ := f.Applying(a); !slices.Contains(candidates, authorizationID) {
			return practice.FieldProblem("authorizationId", "That authorization does not cover this session's date and service.")
		}
	}
	if err := tx.ChooseAuthorization(appointmentID, authorizationID); err != nil {
		return err
	}
	return tx.Audit(by.AccountID, "authorization.choose", "appointments", appointmentID)
}

// Coverage is which authorization covers one appointment.
type Coverage struct {
	// Authorization is the one the appointment uses (its Number goes on
	// the claim, REF*G1); the zero value when none covers it.
	Authorization practice.Authorization `json:"authorization"`
	Covered       bool                   `json:"covered"`
	// Candidates are every authorization that applies, the chosen first.
	Candidates []string `json:"candidates"`
	// Ambiguous: two or more apply and no one chose (Choose settles it).
	Ambiguous bool `json:"ambiguous"`
	// Outside: the authorization applies, but its count had run out
	// before this session.
	Outside bool `json:"outside"`
	// Number is the session's place in the authorization's count.
	Number int `json:"number"`
}

// Covering answers, for billing, which authorization covers an appointment:
// among the patient's authorized ones whose dates include the session's
// local date and whose service codes include its type's code, a person's
// choice, else the one ending first. It reads through tx and writes
// nothing; it does not audit (the caller's own read of the appointment
// is the access). Errors: ENotFound.
func (s *Service) Covering(tx Store, appointmentID string) (Coverage, error) {
	return s.Coverer(tx).Covering(appointmentID)
}

// Coverer answers Covering for many appointments in one transaction (a
// billing batch, a scrub of thousands of claims): each patient's
// authorizations, sessions and usage are read once, the practice's
// settings once, and a patient without authorizations costs one query.
type Coverer struct {
	tx     Store
	shared *shared
	slots  map[string]practice.Appointment // read ahead (Know)
	facts  map[string]*Facts               // by patient; nil: the patient has no authorization
	usage  map[string]map[string]*Usage
}

// Coverer is a Covering for many appointments of tx; use it only inside tx.
func (s *Service) Coverer(tx Store) *Coverer {
	return &Coverer{tx: tx, facts: map[string]*Facts{}, usage: map[string]map[string]*Usage{}}
}

// patient returns the facts of a patient and their usage, read once.
func (c *Coverer) patient(patientID string) (*Facts, map[string]*Usage, error) {
	if f, ok := c.facts[patientID]; ok {
		return f, c.usage[patientID], nil
	}
	auths, err := c.tx.Authorizations(patientID)
	if err != nil || len(auths) == 0 {
		c.facts[patientID] = nil
		return nil, nil, err
	}
	if c.shared == nil {
		sh, err := loadShared(c.tx)
		if err != nil {
			return nil, nil, err
		}
		c.shared = &sh
	}
	f, err := c.shared.facts(c.tx, patientID, auths, c.tx.Now())
	if err != nil {
		return nil, nil, err
	}
	c.facts[patientID], c.usage[patientID] = f, Derive(f)
	return f, c.usage[patientID], nil
}

// Know gives c appointments read ahead, in one query for many (their
// plain parts suffice), so Covering does not read them one by one.
func (c *Coverer) Know(appts []practice.Appointment) {
	if c.slots == nil {
		c.slots = make(map[string]practice.Appointment, len(appts))
	}
	for _, a := range appts {
		c.slots[a.ID] = a
	}
}

// Covering is Service.Covering, from what c has read.
func (c *Coverer) Covering(appointmentID string) (Coverage, error) {
	// The plain parts suffice (patient, type, start): no details opened.
	a, ok := c.slots[appointmentID]
	if !ok {
		var err error
		if a, err = c.tx.AppointmentSlot(appointmentID); err != nil {
			return Coverage{}, err
		}
	}
	f, usage, err := c.patient(a.PatientID)
	if err != nil || f == nil {
		return Coverage{}, err
	}
	id, candidates, ambiguous := f.Applying(a)
	cov := Coverage{Candidates: candidates, Ambiguous: ambiguous, Covered: id != ""}
	if id == "" {
		return cov, nil
	}
	for _, x := range f.Auths {
		if x.ID == id {
			cov.Authorization = x
		}
	}
	// The chosen one first.
	for i, cand := range cov.Candidates {
		if cand == id {
			cov.Candidates[0], cov.Candidates[i] = cov.Candidates[i], cov.Candidates[0]
		}
	}
	for _, su := range usage[id].Sessions {
		if su.AppointmentID == a.ID {
			cov.Outside, cov.Number = su.Outside, su.Number
		}
	}
	return cov, nil
}

// BookingLine is what the booking dialog shows about the authorization a
// new session would use: "Acme EAP: session 7 of 8, expires 14 Mar 2027".
type BookingLine struct {
	AuthorizationID string `json:"authorizationId"`
	// Number is the session's place (for units: the units used through it).
	Number    int    `json:"number"`
	Of        int    `json:"of"`
	End       string `json:"end"`
	Remaining int    `json:"remaining"` // before this session
	Ambiguous bool   `json:"ambiguous"`
	// Line is the sentence to show; "" when nothing applies and nothing is
	// required.
	Line string `json:"line"`
	// Warning: the session would be outside an authorization, or the
	// payer requires one and none applies.
	Warning bool `json:"warning"`
}

// Preview says which authorization a session of typeID for the patient
// from start to end would use and its place in the count. Errors: EForbidden.
func (s *Service) Preview(tx Store, by practice.Actor, patientID, typeID string, start, end time.Time) (BookingLine, error) {
	if err := checkAccess(tx, by, patientID); err != nil {
		return BookingLine{}, err
	}
	f, err := load(tx, patientID)
	if err != nil {
		return BookingLine{}, err
	}
	payers, err := payerMap(tx)
	if err != nil {
		return BookingLine{}, err
	}
	a := practice.Appointment{PatientID: patientID, TypeID: typeID, Start: start, End: end, Status: practice.Scheduled}
	id, _, ambiguous := f.Applying(a)
	if id == "" {
		missing, err := requiringPayers(tx, f, patientID)
		if err != nil || len(missing) == 0 {
			return BookingLine{}, err
		}
		return BookingLine{Warning: true, Line: payers[missing[0]].Name + " requires an authorization, and none covers " + longDate(f.Day(start)) + "."}, nil
	}
	var auth practice.Authorization
	for _, x := range f.Auths {
		if x.ID == id {
			auth = x
		}
	}
	u := Derive(f)[id]
	number := u.Used + u.Scheduled + Units(a, auth.Unit)
	line := BookingLine{AuthorizationID: id, Number: number, Of: auth.Authorized, End: auth.End, Remaining: auth.Authorized - u.Used - u.Scheduled,
		Ambiguous: ambiguous, Warning: number > auth.Authorized}
	noun := "session"
	if auth.Unit == practice.Unit15Min {
		noun = "unit"
	}
	line.Line = payers[auth.PayerID].Name + ": " + noun + " " + strconv.Itoa(number) + " of " + strconv.Itoa(auth.Authorized) +
		", expires " + longDate(auth.End)
	if line.Warning {
		line.Line += " — past the authorized " + practice.Plural(auth.Authorized, noun)
	}
	if ambiguous {
		line.Line += " (another authorization applies too)"
	}
	return line, nil
}

// requiringPayers are the payers of the patient's policies whose rules
// require an authorization.
func requiringPayers(tx Store, f *Facts, patientID string) ([]string, error) {
	policies, err := tx.Policies(patientID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range policies {
		if r, ok := f.Rules[p.PayerID]; ok && r.RequiresAuth {
			out = append(out, p.PayerID)
		}
	}
	return out, nil
}

// PayerRules returns a payer's authorization rules (defaults when unsaved).
func (s *Service) PayerRules(tx Store, payerID string) (practice.PayerAuthRules, error) {
	return tx.PayerAuthRules(payerID)
}

// SavePayerRules stores a payer's authorization rules, audited. Errors: EInvalid.
func (s *Service) SavePayerRules(tx Store, by practice.Actor, r practice.PayerAuthRules) (practice.PayerAuthRules, error) {
	if err := tx.SavePayerAuthRules(&r); err != nil {
		return r, err
	}
	return r, tx.Audit(by.AccountID, "payer.authrules", "payers", r.PayerID)
}

// longDate is a local date as staff read it: "14 Mar 2027".
func longDate(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.Format("2 Jan 2006")
}

// letters is where an authorization's letters are kept.
func letters(id string) attachments.Owner { return attachments.Owner{Table: "authorizations", ID: id} }

// ownAuthorization returns authorization id when by may reach its patient.
// Errors: ENotFound, EForbidden.
func ownAuthorization(tx Store, by practice.Actor, id string) (practice.Authorization, error) {
	a, err := tx.Authorization(id)
	if err != nil {
		return a, err
	}
	return a, checkAccess(tx, by, a.PatientID)
}

// AttachLetter keeps the payer's letter (PDF or a photo of it) with an
// authorization, sealed and audited. Errors: EInvalid, EForbidden, ENotFound.
func (s *Service) AttachLetter(tx Store, by practice.Actor, authorizationID, name string, content io.Reader) (store.Document, error) {
	if _, err := ownAuthorization(tx, by, authorizationID); err != nil {
		return store.Document{}, err
	}
	return attachments.Attach(tx, by, letters(authorizationID), name, content)
}

// Letters lists an authorization's letters. Errors: EForbidden, ENotFound.
func (s *Service) Letters(tx Store, by practice.Actor, authorizationID string) ([]store.Document, error) {
	if _, err := ownAuthorization(tx, by, authorizationID); err != nil {
		return nil, err
	}
	return attachments.List(tx, letters(authorizationID))
}

// CopyLetter writes one of an authorization's letters to w, audited.
// Errors: EForbidden, ENotFound, EDamaged.
func (s *Service) CopyLetter(tx Store, by practice.Actor, authorizationID, documentID string, w io.Writer) (store.Document, error) {
	if _, err := ownAuthorization(tx, by, authorizationID); err != nil {
		return store.Document{}, err
	}
	return attachments.Copy(tx, by, letters(authorizationID), documentID, w)
}
