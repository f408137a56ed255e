package billing

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// MaxLines is how many sessions one claim carries (the CMS-1500's six
// service lines, so a printed copy matches the file).
const MaxLines = 6

// Unbilled is one completed session that is on no claim yet.
type Unbilled struct {
	AppointmentID string    `json:"appointmentId"`
	PatientID     string    `json:"patientId"`
	PatientName   string    `json:"patientName"`
	ClinicianID   string    `json:"clinicianId"`
	PayerID       string    `json:"payerId"` // the primary policy's; "" for self-pay
	TypeName      string    `json:"typeName"`
	Start         time.Time `json:"start" ts_type:"string"`
	Minutes       int       `json:"minutes"`
	Telehealth    bool      `json:"telehealth"`
	ServiceOn     string    `json:"serviceOn"`
}

// minutes is a session's face-to-face time: its recorded start to end,
// else its booked length.
func minutes(a practice.Appointment) int {
	if !a.ActualStart.IsZero() && a.ActualEnd.After(a.ActualStart) {
		return int(a.ActualEnd.Sub(a.ActualStart).Round(time.Minute) / time.Minute)
	}
	return int(a.End.Sub(a.Start) / time.Minute)
}

// Unbilled lists the completed sessions from from to to (local dates,
// inclusive) that are on no claim, oldest first, audited as one view
// naming every patient shown. Errors: EInvalid.
func (s *Service) Unbilled(tx Store, by practice.Actor, from, to string) ([]Unbilled, error) {
	list, err := s.unbilled(tx, from, to)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var ids []string
	for _, u := range list {
		if !seen[u.PatientID] {
			seen[u.PatientID] = true
			ids = append(ids, u.PatientID)
		}
	}
	if err := tx.Audit(by.AccountID, "billing.unbilled", "patients", strings.Join(ids, " ")); err != nil {
		return nil, err
	}
	return list, nil
}

func dayRange(zone *time.Location, from, to string) (time.Time, time.Time, error) {
	f, err1 := time.ParseInLocation(time.DateOnly, from, zone)
	t, err2 := time.ParseInLocation(time.DateOnly, to, zone)
	switch {
	case err1 != nil:
		return f, t, practice.FieldProblem("from", practice.DateProblem(from, "2027-03-01"))
	case err2 != nil:
		return f, t, practice.FieldProblem("to", practice.DateProblem(to, "2027-03-07"))
	case t.Before(f):
		return f, t, practice.FieldProblem("to", "The end comes before the start.")
	}
	return f, t.AddDate(0, 0, 1), nil
}

func (s *Service) unbilled(tx Store, from, to string) ([]Unbilled, error) {
	settings, err := tx.Settings()
	if err != nil {
		return nil, err
	}
	zone := settings.Zone()
	start, end, err := dayRange(zone, from, to)
	if err != nil {
		return nil, err
	}
	appts, err := tx.AppointmentsBetween(start, end, store.AppointmentFilter{})
	if err != nil {
		return nil, err
	}
	billed, err := tx.BilledAppointments()
	if err != nil {
		return nil, err
	}
	types, err := tx.AppointmentTypes()
	if err != nil {
		return nil, err
	}
	typeName := map[string]string{}
	for _, t := range types {
		typeName[t.ID] = t.Name
	}
	names := map[string]string{}
	payers := map[string]string{}
	out := []Unbilled{}
	for _, a := range appts {
		if a.Status != practice.Completed || billed[a.ID] != "" {
			continue
		}
		if _, ok := names[a.PatientID]; !ok {
			p, err := tx.Patient(a.PatientID)
			if err != nil {
				return nil, err
			}
			names[a.PatientID] = p.Identity.LastName + ", " + p.Identity.FirstName
			if payers[a.PatientID], err = tx.PrimaryPayer(a.PatientID); err != nil {
				return nil, err
			}
		}
		out = append(out, Unbilled{AppointmentID: a.ID, PatientID: a.PatientID, PatientName: names[a.PatientID], ClinicianID: a.ClinicianID,
			PayerID: payers[a.PatientID], TypeName: typeName[a.TypeID], Start: a.Start, Minutes: minutes(a), Telehealth: a.Telehealth,
			ServiceOn: localDay(zone, a.Start)})
	}
	return out, nil
}

// BatchResult is what a batch made: the claims, and the sessions left out
// with why (self-pay, not completed, already on a claim).
type BatchResult struct {
	Claims  []ClaimView `json:"claims"`
	Skipped []Skipped   `json:"skipped"`
}

// Skipped is a session a batch did not bill, and why.
type Skipped struct {
	AppointmentID string `json:"appointmentId"`
	Reason        string `json:"reason"`
}

// CreateBatch makes draft claims from completed sessions: one claim per
// patient, payer (the primary policy's), rendering clinician and
// authorization, at most six sessions each. Each session is coded from
// its type and actual minutes under the payer's rules; charges come from
// the fee schedule, diagnoses from the patient's list, the authorization
// number from the authorization covering the date of service. Each claim is
// audited and scrubbed. Errors: EInvalid, ENotFound.
func (s *Service) CreateBatch(tx Store, by practice.Actor, appointmentIDs []string) (BatchResult, error) {
	res := BatchResult{Claims: []ClaimView{}, Skipped: []Skipped{}}
	if len(appointmentIDs) == 0 {
		return res, practice.FieldProblem("appointmentIds", "Choose the sessions to bill.")
	}
	if len(appointmentIDs) > 5000 {
		return res, practice.FieldProblem("appointmentIds", "At most 5,000 sessions in one batch.")
	}
	settings, err := tx.Settings()
	if err != nil {
		return res, err
	}
	zone := settings.Zone()
	billing, err := tx.BillingSettings()
	if err != nil {
		return res, err
	}
	rules, err := tx.AllPayerBilling()
	if err != nil {
		return res, err
	}
	billed, err := tx.BilledAppointments()
	if err != nil {
		return res, err
	}
	types, err := tx.AppointmentTypes()
	if err != nil {
		return res, err
	}
	typeCode := map[string]string{}
	for _, t := range types {
		typeCode[t.ID] = t.ServiceCode
	}
	clinicians, err := tx.Clinicians()
	if err != nil {
		return res, err
	}
	prescriber := map[string]bool{}
	for _, c := range clinicians {
		prescriber[c.ID] = c.Prescriber
	}
	type key struct{ patient, payer, clinician, auth string }
	groups := map[key][]practice.Appointment{}
	var order []key
	policies := map[string]practice.InsurancePolicy{}
	cover := s.auth.Coverer(tx)
	for _, id := range dedupe(appointmentIDs) {
		a, err := tx.Appointment(id)
		if err != nil {
			return res, err
		}
		switch {
		case a.Status != practice.Completed:
			res.Skipped = append(res.Skipped, Skipped{id, "The session is not completed."})
			continue
		case billed[id] != "":
			res.Skipped = append(res.Skipped, Skipped{id, "The session is already on a claim."})
			continue
		}
		pol, ok, err := primaryPolicy(tx, a.PatientID)
		if err != nil {
			return res, err
		}
		if !ok {
			res.Skipped = append(res.Skipped, Skipped{id, "Self-pay: the patient has no insurance policy (a superbill serves them)."})
			continue
		}
		policies[a.PatientID] = pol
		cov, err := cover.Covering(a.ID)
		if err != nil {
			return res, err
		}
		k := key{a.PatientID, pol.PayerID, a.ClinicianID, cov.Authorization.ID}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], a)
	}
	facts, err := s.loadScrubFacts(tx)
	if err != nil {
		return res, err
	}
	if err := facts.duplicates(tx); err != nil {
		return res, err
	}
	for _, k := range order {
		appts := groups[k]
		sort.Slice(appts, func(i, j int) bool { return appts[i].Start.Before(appts[j].Start) })
		diag, err := tx.Diagnoses(k.patient)
		if err != nil {
			return res, err
		}
		for len(appts) > 0 {
			n := min(len(appts), MaxLines)
			chunk := appts[:n]
			appts = appts[n:]
			pol := policies[k.patient]
			c := practice.Claim{PatientID: k.patient, PayerID: k.payer, ClinicianID: k.clinician, Frequency: practice.FreqOriginal}
			c.Content = practice.ClaimContent{PolicyID: pol.ID, MemberID: pol.MemberID, GroupNumber: pol.GroupNumber,
				Relationship: relationship(pol), Diagnoses: firstDiagnoses(diag.List), Lines: []practice.ClaimLine{}}
			if k.auth != "" {
				a, err := tx.Authorization(k.auth)
				if err != nil {
					return res, err
				}
				c.Content.AuthNumber = a.Number
			}
			for _, a := range chunk {
				lines, err := s.rules.Code(CodingInput{TypeCode: typeCode[a.TypeID], Minutes: minutes(a), Prescriber: prescriber[a.ClinicianID],
					Telehealth: a.Telehealth, AtHome: a.Telehealth, CMHC: billing.CMHC, Payer: rules[k.payer]})
				if err != nil {
					res.Skipped = append(res.Skipped, Skipped{a.ID, practice.ErrorMessage(err)})
					continue
				}
				for _, l := range lines {
					l.AppointmentID, l.ServiceOn, l.Minutes, l.Telehealth, l.AtHome = a.ID, localDay(zone, a.Start), minutes(a), a.Telehealth, a.Telehealth
					l.ChargeCents = billing.Fees[l.Code] * max(l.Units, 1)
					if len(c.Content.Diagnoses) > 0 {
						l.Pointers = []int{1}
					} else {
						l.Pointers = []int{}
					}
					if l.Modifiers == nil {
						l.Modifiers = []string{}
					}
					c.Content.Lines = append(c.Content.Lines, l)
				}
				c.AppointmentIDs = append(c.AppointmentIDs, a.ID)
			}
			if len(c.Content.Lines) == 0 {
				continue
			}
			if err := tx.CreateClaim(&c, billing.ClaimPrefix); err != nil {
				return res, err
			}
			if err := tx.Audit(by.AccountID, "claim.create", "claims", c.ID); err != nil {
				return res, err
			}
			for _, l := range c.Content.Lines {
				key := c.PatientID + "|" + l.ServiceOn + "|" + l.Code
				facts.services[key] = append(facts.services[key], c.ID)
			}
			v, err := s.viewWith(tx, facts, c)
			if err != nil {
				return res, err
			}
			res.Claims = append(res.Claims, v)
		}
	}
	return res, nil
}

func dedupe(ids []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func primaryPolicy(tx Store, patientID string) (practice.InsurancePolicy, bool, error) {
	list, err := tx.Policies(patientID)
	if err != nil {
		return practice.InsurancePolicy{}, false, err
	}
	for _, p := range list {
		if p.Rank == practice.RankPrimary {
			return p, true, nil
		}
	}
	return practice.InsurancePolicy{}, false, nil
}

func relationship(p practice.InsurancePolicy) string {
	if p.Subscriber.Relationship == "" {
		return "self"
	}
	return p.Subscriber.Relationship
}

func firstDiagnoses(list []practice.Diagnosis) []practice.Diagnosis {
	out := make([]practice.Diagnosis, 0, min(len(list), practice.MaxDiagnoses))
	for i, d := range list {
		if i == practice.MaxDiagnoses {
			break
		}
		out = append(out, practice.Diagnosis{Code: d.Code, Description: d.Description})
	}
	return out
}

// ClaimView is a claim as the billing screens show it: what it says (as
// exported, once it was), its findings, its balance and its ledger.
type ClaimView struct {
	Claim       practice.Claim   `json:"claim"`
	PatientName string           `json:"patientName"`
	PayerName   string           `json:"payerName"`
	Clinician   string           `json:"clinician"`
	TotalCents  int              `json:"totalCents"`
	ServiceFrom string           `json:"serviceFrom"`
	ServiceTo   string           `json:"serviceTo"`
	Findings    []Finding        `json:"findings"`
	Errors      int              `json:"errors"`
	Balance     Balance          `json:"balance"`
	Entries     []practice.Entry `json:"entries"`
	ExportedAt  string           `json:"exportedAt"` // RFC 3339 of the first export, or ""
}

// sent returns what a claim said: the content of its latest export once it
// was exported (a draft edited concurrently on another machine changes
// nothing that was sent), else its current content.
func sentContent(tx Store, c practice.Claim) (practice.ClaimContent, string, error) {
	if !c.Status.Sent() {
		return c.Content, "", nil
	}
	subs, err := tx.ClaimSubmissions(c.ID)
	if err != nil || len(subs) == 0 {
		return c.Content, "", err
	}
	return subs[len(subs)-1].Content, subs[0].At.Format(time.RFC3339), nil
}

func (s *Service) view(tx Store, c practice.Claim) (ClaimView, error) {
	return s.viewWith(tx, nil, c)
}

// viewWith is view with the scrub's facts read once for many claims (nil:
// read them here).
func (s *Service) viewWith(tx Store, f *scrubFacts, c practice.Claim) (ClaimView, error) {
	content, exportedAt, err := sentContent(tx, c)
	if err != nil {
		return ClaimView{}, err
	}
	c.Content = content
	v := ClaimView{Claim: c, TotalCents: content.TotalCents(), ExportedAt: exportedAt, Findings: []Finding{}}
	v.ServiceFrom, v.ServiceTo = serviceSpan(content)
	p, err := tx.Patient(c.PatientID)
	if err != nil {
		return v, err
	}
	v.PatientName = p.Identity.LastName + ", " + p.Identity.FirstName
	payers, err := tx.Payers()
	if err != nil {
		return v, err
	}
	for _, y := range payers {
		if y.ID == c.PayerID {
			v.PayerName = y.Name
		}
	}
	cl, err := tx.Clinician(c.ClinicianID)
	if err != nil {
		return v, err
	}
	v.Clinician = cl.FirstName + " " + cl.LastName
	if !c.Status.Sent() {
		if f == nil {
			if f, err = s.loadScrubFacts(tx); err != nil {
				return v, err
			}
		}
		if v.Findings, err = s.scrub(tx, f, c); err != nil {
			return v, err
		}
	}
	for _, f := range v.Findings {
		if f.Severity == SevError {
			v.Errors++
		}
	}
	if v.Entries, err = tx.Entries(store.EntryFilter{ClaimIDs: []string{c.ID}, Notes: true}); err != nil {
		return v, err
	}
	if v.Entries == nil {
		v.Entries = []practice.Entry{}
	}
	v.Balance = BalanceOf(v.Entries)
	return v, nil
}

func serviceSpan(c practice.ClaimContent) (string, string) {
	var from, to string
	for _, l := range c.Lines {
		if from == "" || l.ServiceOn < from {
			from = l.ServiceOn
		}
		if l.ServiceOn > to {
			to = l.ServiceOn
		}
	}
	return from, to
}

// Claim returns one claim's view, audited as a view of the claim.
// Errors: ENotFound.
func (s *Service) Claim(tx Store, by practice.Actor, id string) (ClaimView, error) {
	c, err := tx.Claim(id)
	if err != nil {
		return ClaimView{}, err
	}
	v, err := s.view(tx, c)
	if err != nil {
		return v, err
	}
	return v, tx.Audit(by.AccountID, "claim.view", "claims", id)
}

// ClaimFilter selects the claims list.
type ClaimFilter struct {
	Status  []practice.ClaimStatus `json:"status"`
	PayerID string                 `json:"payerId"`
	// Newest bounds the list: every draft and ready claim (what a batch or
	// an export works on) and the newest Newest others; 0 lists them all.
	// Years of claims are more than a screen shows or should decrypt.
	Newest int `json:"newest"`
}

// ClaimRow is one line of the claims list (no findings, no ledger).
type ClaimRow struct {
	ID          string               `json:"id"`
	Number      string               `json:"number"`
	PatientID   string               `json:"patientId"`
	PatientName string               `json:"patientName"`
	PayerName   string               `json:"payerName"`
	Status      practice.ClaimStatus `json:"status"`
	Frequency   string               `json:"frequency"`
	Created     time.Time            `json:"created" ts_type:"string"`
	Sessions    int                  `json:"sessions"`
	OwedCents   int                  `json:"owedCents"`
}

// Claims lists claims, newest first, audited as one view naming every
// patient shown.
func (s *Service) Claims(tx Store, by practice.Actor, f ClaimFilter) ([]ClaimRow, error) {
	heads, err := tx.ClaimHeads(store.ClaimFilter{Status: f.Status, PayerID: f.PayerID, Newest: f.Newest})
	if err != nil {
		return nil, err
	}
	payers, err := tx.Payers()
	if err != nil {
		return nil, err
	}
	payerName := map[string]string{}
	for _, y := range payers {
		payerName[y.ID] = y.Name
	}
	claimIDs := make([]string, len(heads))
	for i, c := range heads {
		claimIDs[i] = c.ID
	}
	owed, err := tx.ClaimsOwed(claimIDs)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	out := []ClaimRow{}
	var ids []string
	for _, c := range heads {
		if _, ok := names[c.PatientID]; !ok {
			p, err := tx.Patient(c.PatientID)
			if err != nil {
				return nil, err
			}
			names[c.PatientID] = p.Identity.LastName + ", " + p.Identity.FirstName
			ids = append(ids, c.PatientID)
		}
		out = append(out, ClaimRow{ID: c.ID, Number: c.Number, PatientID: c.PatientID, PatientName: names[c.PatientID], PayerName: payerName[c.PayerID],
			Status: c.Status, Frequency: c.Frequency, Created: c.Created, Sessions: len(c.AppointmentIDs), OwedCents: owed[c.ID]})
	}
	return out, tx.Audit(by.AccountID, "claim.list", "patients", strings.Join(ids, " "))
}

// errSent is the refusal of any change to a claim that left the practice.
func errSent(c practice.Claim) error {
	return practice.Errorf(practice.EInvalid, "Claim %s was exported and is never changed. To correct it, make a replacement claim (frequency 7); to cancel it, void it (frequency 8).", c.Number)
}

// Edit changes a draft or ready claim: the authorization number, the
// payer's original claim number (for a 7 or 8), the note, and each line's
// code (a changed code needs a reason, audited), modifiers and diagnosis
// pointers. A claim that was exported (on this machine or any other) is
// never edited. Errors: EInvalid, ENotFound.
func (s *Service) Edit(tx Store, by practice.Actor, e practice.ClaimEdit) (ClaimView, error) {
	if err := e.Validate(); err != nil {
		return ClaimView{}, err
	}
	c, err := tx.Claim(e.ClaimID)
	if err != nil {
		return ClaimView{}, err
	}
	if c.Status.Sent() {
		return ClaimView{}, errSent(c)
	}
	next := c.Content
	next.Lines = append([]practice.ClaimLine(nil), c.Content.Lines...)
	next.AuthNumber, next.OriginalRef, next.Note = e.AuthNumber, e.OriginalRef, e.Note
	overridden := false
	if e.Lines != nil {
		if len(e.Lines) != len(next.Lines) {
			return ClaimView{}, practice.FieldProblem("lines", "The claim has "+strconv.Itoa(len(next.Lines))+" lines; reload it and try again.")
		}
		billing, err := tx.BillingSettings()
		if err != nil {
			return ClaimView{}, err
		}
		p := practice.Problems{}
		for i, le := range e.Lines {
			l := &next.Lines[i]
			field := "lines." + strconv.Itoa(i)
			if le.Code != l.Code {
				if le.OverrideReason == "" {
					p.Add(field+".overrideReason", "Say why the code the rules gave ("+l.Code+") is changed to "+le.Code+".")
				}
				l.Code, l.OverrideReason, overridden = le.Code, le.OverrideReason, true
				l.ChargeCents = billing.Fees[l.Code] * max(l.Units, 1)
			}
			for _, ptr := range le.Pointers {
				if ptr < 1 || ptr > len(next.Diagnoses) {
					p.Add(field+".pointers", "Point at the claim's diagnoses, 1 to "+strconv.Itoa(len(next.Diagnoses))+".")
				}
			}
			l.Modifiers, l.Pointers = le.Modifiers, le.Pointers
			if l.Modifiers == nil {
				l.Modifiers = []string{}
			}
		}
		if err := p.Err(); err != nil {
			return ClaimView{}, err
		}
	}
	if err := tx.SaveClaimContent(c.ID, next); err != nil {
		return ClaimView{}, err
	}
	if err := tx.Audit(by.AccountID, "claim.edit", "claims", c.ID); err != nil {
		return ClaimView{}, err
	}
	if overridden {
		if err := tx.Audit(by.AccountID, "claim.code-override", "claims", c.ID); err != nil {
			return ClaimView{}, err
		}
	}
	c.Content = next
	return s.view(tx, c)
}

// RefreshDiagnoses copies the patient's current diagnoses onto a draft
// claim (after a clinician added them), pointing every line at the first.
// Errors: EInvalid, ENotFound.
func (s *Service) RefreshDiagnoses(tx Store, by practice.Actor, claimID string) (ClaimView, error) {
	c, err := tx.Claim(claimID)
	if err != nil {
		return ClaimView{}, err
	}
	if c.Status.Sent() {
		return ClaimView{}, errSent(c)
	}
	d, err := tx.Diagnoses(c.PatientID)
	if err != nil {
		return ClaimView{}, err
	}
	c.Content.Diagnoses = firstDiagnoses(d.List)
	for i := range c.Content.Lines {
		c.Content.Lines[i].Pointers = []int{}
		if len(c.Content.Diagnoses) > 0 {
			c.Content.Lines[i].Pointers = []int{1}
		}
	}
	if err := tx.SaveClaimContent(c.ID, c.Content); err != nil {
		return ClaimView{}, err
	}
	if err := tx.Audit(by.AccountID, "claim.edit", "claims", c.ID); err != nil {
		return ClaimView{}, err
	}
	return s.view(tx, c)
}

// SetStatus records what the clearinghouse or payer said: accepted,
// rejected or appealed. Statuses only move forward; paid, partially paid
// and denied follow from the ledger. Errors: EInvalid, ENotFound.
func (s *Service) SetStatus(tx Store, by practice.Actor, claimID string, status practice.ClaimStatus) (ClaimView, error) {
	c, err := tx.Claim(claimID)
	if err != nil {
		return ClaimView{}, err
	}
	switch status {
	case practice.ClaimAccepted, practice.ClaimRejected, practice.ClaimAppealed:
	default:
		return ClaimView{}, practice.FieldProblem("status", "Choose accepted, rejected or appealed; exporting and payments set the others.")
	}
	if !c.Status.Sent() {
		return ClaimView{}, practice.FieldProblem("status", "Claim "+c.Number+" has not been exported yet.")
	}
	if status == practice.ClaimAppealed && c.Status != practice.ClaimDenied && c.Status != practice.ClaimPartiallyPaid {
		return ClaimView{}, practice.FieldProblem("status", "Only a denied or partly paid claim is appealed.")
	}
	if status.Rank() < c.Status.Rank() {
		return ClaimView{}, practice.FieldProblem("status", "Claim "+c.Number+" is already "+strings.ReplaceAll(string(c.Status), "_", " ")+"; a status only moves forward.")
	}
	if err := tx.SetClaimStatus(c.ID, status); err != nil {
		return ClaimView{}, err
	}
	if err := tx.Audit(by.AccountID, "claim.status."+string(status), "claims", c.ID); err != nil {
		return ClaimView{}, err
	}
	c.Status = status
	return s.view(tx, c)
}

// Correct makes a replacement (frequency 7) or void (frequency 8) of an
// exported claim: a new draft claim carrying what the original said and
// referencing it; the original stays as it was sent. Errors: EInvalid,
// ENotFound.
func (s *Service) Correct(tx Store, by practice.Actor, claimID, frequency string) (ClaimView, error) {
	if frequency != practice.FreqReplacement && frequency != practice.FreqVoid {
		return ClaimView{}, practice.FieldProblem("frequency", "Choose a replacement (7) or a void (8).")
	}
	c, err := tx.Claim(claimID)
	if err != nil {
		return ClaimView{}, err
	}
	if !c.Status.Sent() {
		return ClaimView{}, practice.FieldProblem("claimId", "Claim "+c.Number+" has not been sent; edit it instead.")
	}
	if c.Frequency == practice.FreqVoid {
		return ClaimView{}, practice.FieldProblem("claimId", "Claim "+c.Number+" is a void; nothing corrects it.")
	}
	content, _, err := sentContent(tx, c)
	if err != nil {
		return ClaimView{}, err
	}
	billing, err := tx.BillingSettings()
	if err != nil {
		return ClaimView{}, err
	}
	n := practice.Claim{PatientID: c.PatientID, PayerID: c.PayerID, ClinicianID: c.ClinicianID, Frequency: frequency, ReplacesID: c.ID,
		Content: content}
	if frequency == practice.FreqReplacement {
		n.AppointmentIDs = c.AppointmentIDs // the replacement bills them now
	}
	if err := tx.CreateClaim(&n, billing.ClaimPrefix); err != nil {
		return ClaimView{}, err
	}
	action := "claim.replace"
	if frequency == practice.FreqVoid {
		action = "claim.void"
	}
	if err := tx.Audit(by.AccountID, action, "claims", n.ID); err != nil {
		return ClaimView{}, err
	}
	return s.view(tx, n)
}
