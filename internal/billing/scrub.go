package billing

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"quietdesk/internal/authorizations"
	"quietdesk/internal/credentialing"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Severity: an error blocks export, a warning does not.
type Severity string

const (
	SevError   Severity = "error"
	SevWarning Severity = "warning"
)

// Finding is one thing the scrubber found on a claim: the field, what is
// wrong with its value, and how to fix it. Fix names where the fix is made
// (practice, clinician, payer, patient, policy, diagnoses, authorization,
// claim), so the screen can open it.
type Finding struct {
	ClaimID  string   `json:"claimId"`
	Line     int      `json:"line"` // 1-based; 0 for the whole claim
	Field    string   `json:"field"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix"`
	FixIn    string   `json:"fixIn"`
	// FixID is the record the fix is made on (the patient, payer, clinician
	// or authorization), "" for the practice.
	FixID string `json:"fixId"`
}

var (
	payerIDRE  = regexp.MustCompile(`^[0-9A-Za-z]{2,80}$`)
	memberIDRE = regexp.MustCompile(`^[0-9A-Za-z-]{2,80}$`)
	taxIDRE    = regexp.MustCompile(`^[0-9]{2}-?[0-9]{7}$`)
	zip9RE     = regexp.MustCompile(`^[0-9]{5}-?[0-9]{4}$`)
	zipRE      = regexp.MustCompile(`^[0-9]{5}(-?[0-9]{4})?$`)
)

// scrubFacts are the records a scrub reads once for many claims.
type scrubFacts struct {
	settings   practice.Settings
	billing    practice.BillingSettings
	payers     map[string]practice.Payer
	rules      map[string]practice.PayerBilling
	auth       map[string]practice.PayerAuthRules
	clinicians map[string]practice.Clinician
	today      string
	// services maps patient|date|code to the claims billing it (duplicates).
	services map[string][]string
	replaced map[string]bool
	// given are the claims the scrub was asked about, already read (nil:
	// unknown): duplicates then reads only their patients' other claims,
	// since a duplicate is the same patient's.
	given map[string]practice.Claim
	// network holds each clinician's credentials and enrollments, read
	// once per scrub of a batch (thousands of claims ask of the same 25).
	network map[string]*credentialing.Network
	// cover answers which authorization covers each session, reading each
	// patient's authorizations and usage once per scrub.
	cover *authorizations.Coverer
	zone  *time.Location
	// Each patient's record and policies, read once for all their claims.
	patients map[string]practice.Patient
	policies map[string][]practice.InsurancePolicy
}

// patient is a patient's record, read once per scrub.
func (f *scrubFacts) patient(tx Store, id string) (practice.Patient, error) {
	if p, ok := f.patients[id]; ok {
		return p, nil
	}
	p, err := tx.Patient(id)
	if err == nil {
		f.patients[id] = p
	}
	return p, err
}

// policy is the patient's policy policyID, the patient's policies read
// once per scrub; false when the patient has no such policy.
func (f *scrubFacts) policy(tx Store, patientID, policyID string) (practice.InsurancePolicy, bool, error) {
	list, ok := f.policies[patientID]
	if !ok {
		var err error
		if list, err = tx.Policies(patientID); err != nil {
			return practice.InsurancePolicy{}, false, err
		}
		f.policies[patientID] = list
	}
	for _, p := range list {
		if p.ID == policyID {
			return p, true, nil
		}
	}
	return practice.InsurancePolicy{}, false, nil
}

func (s *Service) loadScrubFacts(tx Store) (*scrubFacts, error) {
	f := &scrubFacts{payers: map[string]practice.Payer{}, clinicians: map[string]practice.Clinician{}, network: map[string]*credentialing.Network{},
		cover: s.auth.Coverer(tx), patients: map[string]practice.Patient{}, policies: map[string][]practice.InsurancePolicy{}}
	var err error
	if f.settings, err = tx.Settings(); err != nil {
		return nil, err
	}
	if f.billing, err = tx.BillingSettings(); err != nil {
		return nil, err
	}
	payers, err := tx.Payers()
	if err != nil {
		return nil, err
	}
	for _, p := range payers {
		f.payers[p.ID] = p
	}
	if f.rules, err = tx.AllPayerBilling(); err != nil {
		return nil, err
	}
	if f.auth, err = tx.AllPayerAuthRules(); err != nil {
		return nil, err
	}
	cl, err := tx.Clinicians()
	if err != nil {
		return nil, err
	}
	for _, c := range cl {
		f.clinicians[c.ID] = c
	}
	f.zone = f.settings.Zone()
	f.today = localDay(f.zone, tx.Now())
	return f, nil
}

// scrubbing records the claims a scrub is given, already read, and reads
// their sessions for the authorization check in one query.
func (f *scrubFacts) scrubbing(tx Store, claims []practice.Claim) error {
	f.given = make(map[string]practice.Claim, len(claims))
	var appts []string
	for _, c := range claims {
		f.given[c.ID] = c
		for _, l := range c.Content.Lines {
			if l.AppointmentID != "" {
				appts = append(appts, l.AppointmentID)
			}
		}
	}
	slots, err := tx.AppointmentSlots(dedupe(appts))
	if err != nil {
		return err
	}
	f.cover.Know(slots)
	return f.readPatients(tx, claims)
}

// readPatients reads the records and policies of the claims' patients not
// read yet, in a few queries.
func (f *scrubFacts) readPatients(tx Store, claims []practice.Claim) error {
	var ids []string
	for _, c := range claims {
		if _, ok := f.patients[c.PatientID]; !ok {
			ids = append(ids, c.PatientID)
		}
	}
	ids = dedupe(ids)
	records, err := tx.PatientsByID(ids)
	if err != nil {
		return err
	}
	for id, p := range records {
		f.patients[id] = p
	}
	policies, err := tx.PoliciesOf(ids)
	if err != nil {
		return err
	}
	for id, list := range policies {
		f.policies[id] = list
	}
	return nil
}

// duplicates indexes the services of every claim but voids and the claims
// a replacement replaced, read once when a scrub first needs it: of every
// claim, or of the given claims' patients (a replacement or void is its
// original's patient's), opening only those not given.
func (f *scrubFacts) duplicates(tx Store) error {
	if f.services != nil {
		return nil
	}
	f.services, f.replaced = map[string][]string{}, map[string]bool{}
	var all []practice.Claim
	if f.given == nil {
		var err error
		if all, err = tx.Claims(storeAll); err != nil {
			return err
		}
	} else {
		// The dates each patient's given claims bill: another claim sent
		// for dates outside them cannot hold the same service, and is
		// not opened (what a sent claim says never changes its dates).
		type span struct{ lo, hi string }
		dates := map[string]*span{}
		var patients []string
		for _, c := range f.given {
			d := dates[c.PatientID]
			if d == nil {
				d = &span{lo: "9999", hi: ""}
				dates[c.PatientID] = d
				patients = append(patients, c.PatientID)
			}
			for _, l := range c.Content.Lines {
				d.lo, d.hi = min(d.lo, l.ServiceOn), max(d.hi, l.ServiceOn)
			}
		}
		slices.Sort(patients)
		spans, err := tx.ClaimSpans(patients)
		if err != nil {
			return err
		}
		for _, c := range spans {
			if c.ReplacesID != "" {
				f.replaced[c.ReplacesID] = true
			}
		}
		// Voids and replaced claims hold no service (below): not opened.
		var open []string
		for _, c := range spans {
			d := dates[c.PatientID]
			_, given := f.given[c.ID]
			if !given && c.Frequency != practice.FreqVoid && !f.replaced[c.ID] &&
				(!c.Status.Sent() || c.From == "" || (c.To >= d.lo && c.From <= d.hi)) {
				open = append(open, c.ID)
			}
		}
		opened := map[string]practice.Claim{}
		if len(open) > 0 {
			more, err := tx.Claims(store.ClaimFilter{IDs: open})
			if err != nil {
				return err
			}
			for _, c := range more {
				opened[c.ID] = c
			}
		}
		// In the order of every claim, newest first, as when all are read.
		for _, c := range spans {
			if x, ok := f.given[c.ID]; ok {
				all = append(all, x)
			} else if x, ok := opened[c.ID]; ok {
				all = append(all, x)
			}
		}
	}
	for _, c := range all {
		if c.ReplacesID != "" {
			f.replaced[c.ReplacesID] = true
		}
	}
	for _, c := range all {
		if c.Frequency == practice.FreqVoid || f.replaced[c.ID] {
			continue
		}
		for _, l := range c.Content.Lines {
			k := c.PatientID + "|" + l.ServiceOn + "|" + l.Code
			f.services[k] = append(f.services[k], c.ID)
		}
	}
	return nil
}

// Scrub checks a claim's values before export (see scrub). Errors: ENotFound.
func (s *Service) Scrub(tx Store, c practice.Claim) ([]Finding, error) {
	f, err := s.loadScrubFacts(tx)
	if err != nil {
		return nil, err
	}
	if err := f.scrubbing(tx, []practice.Claim{c}); err != nil {
		return nil, err
	}
	return s.scrub(tx, f, c)
}

// scrub checks VALUES, not presence: check digits of the billing and
// rendering NPIs, the taxonomies' form, the payer ID, the member ID, the
// subscriber's relationship and date of birth, the patient's address, the
// diagnoses (present, well-formed, pointed at), minutes against each code,
// add-ons after an allowed parent, the place of service against telehealth
// and location, modifiers against the payer's rules, the authorization
// number (present when the payer requires one, and covering each date of
// service with sessions left), the rendering clinician in network with the
// payer on each date, timely filing and duplicate services.
func (s *Service) scrub(tx Store, f *scrubFacts, c practice.Claim) ([]Finding, error) {
	out := []Finding{}
	add := func(line int, field string, sev Severity, msg, fix, in, id string) {
		out = append(out, Finding{ClaimID: c.ID, Line: line, Field: field, Severity: sev, Message: msg, Fix: fix, FixIn: in, FixID: id})
	}
	content := c.Content
	// The practice as billing provider.
	switch {
	case f.settings.NPI == "":
		add(0, "practice.npi", SevError, "The practice's group NPI is missing.", "Enter the group (type 2) NPI in Settings → Practice.", "practice", "")
	case !s.rules.ValidNPI(f.settings.NPI):
		add(0, "practice.npi", SevError, "The practice's group NPI "+f.settings.NPI+" fails its check digit.", "Correct the group NPI in Settings → Practice (a digit is mistyped).", "practice", "")
	}
	if !taxIDRE.MatchString(f.settings.TaxID) {
		add(0, "practice.taxId", SevError, "The practice's tax ID is not nine digits (12-3456789).", "Enter the EIN in Settings → Practice.", "practice", "")
	}
	if !practice.ValidTaxonomy(f.billing.Taxonomy) {
		add(0, "billing.taxonomy", SevError, "The billing provider's taxonomy code is missing or malformed (10 characters ending in X).", "Enter the practice's taxonomy in Billing → Setup, e.g. 261QM0801X.", "practice", "")
	}
	phone := f.billing.ContactPhone
	if phone == "" {
		phone = f.settings.Phone
	}
	if n := len(strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, phone)); n < 10 {
		add(0, "billing.contactPhone", SevError, "The claim file needs a contact phone for the submitter (ten digits).", "Enter the billing contact's phone in Billing → Setup, or the practice's phone in Settings → Practice.", "practice", "")
	}
	a := f.settings.Address
	if a.Line1 == "" || a.City == "" || len(a.State) != 2 || !zip9RE.MatchString(a.Zip) {
		add(0, "practice.address", SevError, "The billing provider's address needs a street, city, state and a nine-digit ZIP (ZIP+4).", "Complete the address in Settings → Practice.", "practice", "")
	}
	// The rendering clinician.
	cl, ok := f.clinicians[c.ClinicianID]
	name := cl.FirstName + " " + cl.LastName
	switch {
	case !ok:
		add(0, "clinician", SevError, "The rendering clinician no longer exists.", "Void this claim and bill the sessions again.", "claim", c.ID)
	case cl.NPI == "":
		add(0, "clinician.npi", SevError, name+"'s NPI is missing.", "Enter "+name+"'s individual (type 1) NPI in Settings → Clinicians.", "clinician", cl.ID)
	case !s.rules.ValidNPI(cl.NPI):
		add(0, "clinician.npi", SevError, name+"'s NPI "+cl.NPI+" fails its check digit.", "Correct "+name+"'s NPI in Settings → Clinicians.", "clinician", cl.ID)
	}
	if ok && !practice.ValidTaxonomy(cl.Taxonomy) {
		add(0, "clinician.taxonomy", SevError, name+"'s taxonomy code is missing or malformed.", "Enter "+name+"'s taxonomy in Settings → Clinicians, e.g. 1041C0700X.", "clinician", cl.ID)
	}
	// The payer.
	payer, ok := f.payers[c.PayerID]
	rules := f.rules[c.PayerID]
	if !ok {
		add(0, "payer", SevError, "The payer no longer exists.", "Void this claim.", "claim", c.ID)
	} else if !payerIDRE.MatchString(payer.PayerID) {
		add(0, "payer.payerId", SevError, payer.Name+"'s electronic payer ID is missing or malformed.", "Enter the payer ID from your clearinghouse's payer list in Settings → Payers.", "payer", payer.ID)
	}
	// The subscriber and the patient.
	if !memberIDRE.MatchString(content.MemberID) {
		add(0, "policy.memberId", SevError, "The member ID is missing or holds characters a payer does not use.", "Copy the member ID from the insurance card into the patient's policy.", "policy", c.PatientID)
	}
	pol, found, err := f.policy(tx, c.PatientID, content.PolicyID)
	if err != nil {
		return nil, err
	}
	switch content.Relationship {
	case "self":
	case "spouse", "child", "other":
		if !found || pol.Subscriber.Name == "" {
			add(0, "policy.subscriber.name", SevError, "The subscriber is not the patient, and their name is missing.", "Enter the subscriber's name on the patient's policy.", "policy", c.PatientID)
		}
		if !found || !validPastDate(pol.Subscriber.DOB, f.today) {
			add(0, "policy.subscriber.dob", SevError, "The subscriber's date of birth is missing or not a real past date.", "Enter the subscriber's date of birth on the patient's policy.", "policy", c.PatientID)
		}
	default:
		add(0, "policy.subscriber.relationship", SevError, "The patient's relationship to the subscriber is not self, spouse, child or other.", "Choose the relationship on the patient's policy.", "policy", c.PatientID)
	}
	p, err := f.patient(tx, c.PatientID)
	if err != nil {
		return nil, err
	}
	pa := p.Contact.Address
	if pa.Line1 == "" || pa.City == "" || len(pa.State) != 2 || !zipRE.MatchString(pa.Zip) {
		add(0, "patient.address", SevError, "The patient's address needs a street, city, two-letter state and ZIP.", "Complete the address in the patient's record.", "patient", c.PatientID)
	}
	// Names and addresses the 837P cannot carry (it is ASCII; accents and
	// letters such as Ł are spelled out, other scripts cannot be).
	for _, v := range []struct{ field, words, value, fixIn string }{
		{"patient.firstName", "The patient's first name", p.Identity.FirstName, "patient"},
		{"patient.lastName", "The patient's last name", p.Identity.LastName, "patient"},
		{"patient.address", "The patient's address", pa.Line1 + " " + pa.Line2 + " " + pa.City, "patient"},
		{"policy.subscriber.name", "The subscriber's name", pol.Subscriber.Name, "policy"},
	} {
		if r := s.rules.Unwritable(v.value); r != 0 {
			add(0, v.field, SevError, v.words+" has “"+string(r)+"”, which an 837P cannot carry (X12 files are in Latin letters).",
				"Enter it in Latin letters, as the payer has it on the member card.", v.fixIn, c.PatientID)
		}
	}
	if !validPastDate(p.Identity.DOB, f.today) {
		add(0, "patient.dob", SevError, "The patient's date of birth is missing or not a real past date.", "Enter it in the patient's record.", "patient", c.PatientID)
	}
	if !slices.Contains([]string{"F", "M", "U"}, p.Identity.Sex) {
		add(0, "patient.sex", SevWarning, "The patient's sex for claims is not recorded; U (unknown) will be sent.", "Choose F, M or U in the patient's record.", "patient", c.PatientID)
	}
	if (c.Frequency == practice.FreqReplacement || c.Frequency == practice.FreqVoid) && content.OriginalRef == "" {
		add(0, "originalRef", SevError, "A replacement or void must name the payer's claim number of the claim it corrects.",
			"Enter the payer's claim control number (from the remittance) on the claim.", "claim", c.ID)
	}
	// Diagnoses.
	if len(content.Diagnoses) == 0 {
		add(0, "diagnoses", SevError, "The claim has no diagnosis.", "Enter the patient's diagnoses (the clinician or biller), then refresh them on the claim.", "diagnoses", c.PatientID)
	}
	for i, d := range content.Diagnoses {
		r, err := s.rules.ICD10Check(d.Code)
		switch {
		case err != nil:
			add(0, "diagnoses."+strconv.Itoa(i), SevError, "“"+d.Code+"” is not an ICD-10-CM code: "+practice.ErrorMessage(err), "Correct the patient's diagnoses, then refresh them on the claim.", "diagnoses", c.PatientID)
		case r.Warning != "":
			add(0, "diagnoses."+strconv.Itoa(i), SevWarning, r.Warning, "Check it against the ICD-10-CM code set.", "diagnoses", c.PatientID)
		}
	}
	// Authorization and network, per date of service.
	requires := f.auth[c.PayerID].RequiresAuth
	if requires && content.AuthNumber == "" {
		add(0, "authNumber", SevError, payerName(payer)+" requires an authorization number on the claim, and it is missing.",
			"Enter the authorization number on the claim (or record the authorization in Authorizations and refresh).", "claim", c.ID)
	}
	zone := f.zone
	checkedNetwork := map[string]bool{}
	if err := f.duplicates(tx); err != nil {
		return nil, err
	}
	for i, l := range content.Lines {
		n := i + 1
		field := "lines." + strconv.Itoa(i)
		if !practice.ValidServiceCode(l.Code) {
			add(n, field+".code", SevError, "“"+l.Code+"” is not a CPT or HCPCS code.", "Correct the line's code.", "claim", c.ID)
		}
		// Codes against minutes, add-ons against their parents: once per
		// session, at its first line.
		if i == 0 || content.Lines[i-1].AppointmentID != l.AppointmentID {
			var session []practice.ClaimLine
			for _, x := range content.Lines[i:] {
				if x.AppointmentID == l.AppointmentID {
					session = append(session, x)
				}
			}
			for _, msg := range s.rules.CheckSession(session, l.Minutes, rules) {
				add(n, field+".code", SevError, msg, "Correct the code (with a reason), or the session's recorded times in the calendar and make the claim again.", "claim", c.ID)
			}
		}
		if l.ChargeCents <= 0 {
			add(n, field+".chargeCents", SevError, "No charge for "+l.Code+": the fee schedule has no amount for it.", "Add "+l.Code+" to the fee schedule in Billing → Setup, then make the claim again.", "practice", "")
		}
		for _, ptr := range l.Pointers {
			if ptr < 1 || ptr > len(content.Diagnoses) {
				add(n, field+".pointers", SevError, "Diagnosis pointer "+strconv.Itoa(ptr)+" points at no diagnosis on the claim.", "Point the line at the claim's diagnoses, 1 to "+strconv.Itoa(len(content.Diagnoses))+".", "claim", c.ID)
			}
		}
		if len(l.Pointers) == 0 && len(content.Diagnoses) > 0 {
			add(n, field+".pointers", SevError, "The line points at no diagnosis.", "Point the line at the primary diagnosis (1).", "claim", c.ID)
		}
		// Place of service and modifiers, from the payer's rules.
		wantPOS := "11"
		if f.billing.CMHC {
			wantPOS = "53"
		}
		if l.Telehealth {
			wantPOS = "02"
			if l.AtHome {
				wantPOS = "10"
			}
			if rules.TelehealthPOS != "" {
				wantPOS = rules.TelehealthPOS
			}
		}
		if l.POS != wantPOS {
			where := "in the office"
			if l.Telehealth {
				where = "by telehealth"
			}
			add(n, field+".pos", SevError, "Place of service "+l.POS+" does not match a session "+where+" ("+payerName(payer)+" expects "+wantPOS+").",
				"Make the claim again from the session (its telehealth flag sets the place), or correct "+payerName(payer)+"'s telehealth place in Billing → Setup.", "claim", c.ID)
		}
		teleMods := []string{"95", "GT", "93", "FQ"}
		if l.Telehealth && rules.VideoModifier != "" && !slices.Contains(l.Modifiers, rules.VideoModifier) && !slices.Contains(l.Modifiers, rules.AudioModifier) {
			add(n, field+".modifiers", SevError, payerName(payer)+" wants modifier "+rules.VideoModifier+" on telehealth sessions; the line has none.", "Add "+rules.VideoModifier+" to the line's modifiers.", "claim", c.ID)
		}
		for _, m := range l.Modifiers {
			switch {
			case !l.Telehealth && slices.Contains(teleMods, m):
				add(n, field+".modifiers", SevError, "Modifier "+m+" marks telehealth, but the session was in the office.", "Remove "+m+" from the line.", "claim", c.ID)
			case l.Telehealth && slices.Contains(teleMods, m) && m != rules.VideoModifier && m != rules.AudioModifier:
				add(n, field+".modifiers", SevError, payerName(payer)+" does not take modifier "+m+" for telehealth (it uses "+orNone(rules.VideoModifier)+").", "Replace "+m+" on the line.", "claim", c.ID)
			}
		}
		for _, m := range rules.AlwaysModifiers {
			if !slices.Contains(l.Modifiers, m) {
				add(n, field+".modifiers", SevError, payerName(payer)+" wants modifier "+m+" on every line.", "Add "+m+" to the line's modifiers.", "claim", c.ID)
			}
		}
		// Timely filing.
		if dos, err := time.Parse(time.DateOnly, l.ServiceOn); err == nil && rules.TimelyDays > 0 {
			due := dos.AddDate(0, 0, rules.TimelyDays).Format(time.DateOnly)
			soon := dos.AddDate(0, 0, rules.TimelyDays-14).Format(time.DateOnly)
			switch {
			case f.today > due:
				add(n, field+".serviceOn", SevError, "Past "+payerName(payer)+"'s timely filing limit: "+strconv.Itoa(rules.TimelyDays)+" days from "+l.ServiceOn+" ended on "+due+".",
					"Send it with proof of timely filing if you have it, or write the charge off.", "claim", c.ID)
			case f.today >= soon:
				add(n, field+".serviceOn", SevWarning, "The timely filing limit for "+l.ServiceOn+" ends on "+due+".", "Export this claim now.", "claim", c.ID)
			}
		}
		// Duplicates: the same service on another live claim.
		for _, other := range f.services[c.PatientID+"|"+l.ServiceOn+"|"+l.Code] {
			if other != c.ID && other != c.ReplacesID && !f.replaced[c.ID] {
				add(n, field, SevError, l.Code+" on "+l.ServiceOn+" is already billed on another claim.", "Void one of the two claims.", "claim", other)
				break
			}
		}
		if l.AppointmentID == "" {
			continue
		}
		// The authorization covering the session's date.
		if requires || content.AuthNumber != "" {
			cov, err := f.cover.Covering(l.AppointmentID)
			if err != nil && practice.ErrorCode(err) != practice.ENotFound {
				return nil, err
			}
			switch {
			case err != nil:
			case !cov.Covered && requires:
				add(n, field+".authorization", SevError, "No authorization from "+payerName(payer)+" covers "+l.ServiceOn+".",
					"Record the authorization in Authorizations (dates and codes covering this session), then enter its number here.", "authorization", c.PatientID)
			case cov.Outside:
				add(n, field+".authorization", SevError, "Authorization "+cov.Authorization.Number+" was used up before "+l.ServiceOn+" (session "+strconv.Itoa(cov.Number)+" of "+strconv.Itoa(cov.Authorization.Authorized)+").",
					"Ask "+payerName(payer)+" for more sessions and record them in Authorizations.", "authorization", c.PatientID)
			case cov.Covered && content.AuthNumber != "" && cov.Authorization.Number != "" && !strings.EqualFold(cov.Authorization.Number, content.AuthNumber):
				add(n, "authNumber", SevError, "The authorization number on the claim does not match the one covering "+l.ServiceOn+" ("+cov.Authorization.Number+").",
					"Enter "+cov.Authorization.Number+" on the claim.", "claim", c.ID)
			}
		}
		// The rendering clinician in network on that date.
		if ok && !checkedNetwork[l.ServiceOn] {
			checkedNetwork[l.ServiceOn] = true
			nw := f.network[c.ClinicianID]
			if nw == nil {
				if nw, err = credentialing.LoadNetwork(tx, c.ClinicianID); err != nil {
					return nil, err
				}
				f.network[c.ClinicianID] = nw
			}
			dos, _ := time.ParseInLocation(time.DateOnly, l.ServiceOn, zone)
			st, err := nw.On(tx, c.PayerID, dos)
			if err != nil {
				return nil, err
			}
			for _, r := range st.Reasons {
				add(n, "clinician.network", SevError, r.Message, "Record the enrollment or credential in Credentialing, or bill under a clinician in network.", "clinician", c.ClinicianID)
			}
		}
	}
	return out, nil
}

func payerName(p practice.Payer) string {
	if p.Name == "" {
		return "The payer"
	}
	return p.Name
}

func orNone(m string) string {
	if m == "" {
		return "none"
	}
	return m
}

func validPastDate(d, today string) bool {
	t, err := time.Parse(time.DateOnly, d)
	return err == nil && d <= today && t.Year() >= 1900
}

// ScrubMany scrubs the claims with ids (every draft and ready claim when
// none), reading the practice's records once, audited as one read of those
// claims. Errors: ENotFound.
func (s *Service) ScrubMany(tx Store, by practice.Actor, ids []string) ([]Finding, error) {
	f, err := s.loadScrubFacts(tx)
	if err != nil {
		return nil, err
	}
	filter := storeAll
	if len(ids) > 0 {
		filter.IDs = ids
	} else {
		filter.Status = []practice.ClaimStatus{practice.ClaimDraft, practice.ClaimReady}
	}
	claims, err := tx.Claims(filter)
	if err != nil {
		return nil, err
	}
	if err := f.scrubbing(tx, claims); err != nil {
		return nil, err
	}
	out := []Finding{}
	var scrubbed []string
	for _, c := range claims {
		if c.Status.Sent() {
			continue
		}
		found, err := s.scrub(tx, f, c)
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
		scrubbed = append(scrubbed, c.ID)
	}
	return out, tx.Audit(by.AccountID, "claim.scrub", "claims", strings.Join(scrubbed, " "))
}
