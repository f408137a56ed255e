package practice

import (
	"strings"
	"time"
)

// Role is what a staff account may do. Permissions per role live in one
// table at the app/ boundary (app/permissions.go).
type Role string

const (
	RoleOwner     Role = "owner"     // owner or practice manager: everything
	RoleFrontDesk Role = "frontdesk" // scheduling, patients, intake
	RoleClinician Role = "clinician" // own schedule, patients' clinical data
	RoleBiller    Role = "biller"    // coding, claims, payers
)

// Roles lists every staff role, for matrix tests and the accounts screen.
var Roles = []Role{RoleOwner, RoleFrontDesk, RoleClinician, RoleBiller}

// Valid reports whether r is a known staff role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Address is a postal address; every part is sealed with the record it
// belongs to.
type Address struct {
	Line1 string `json:"line1"`
	Line2 string `json:"line2"`
	City  string `json:"city"`
	State string `json:"state"`
	Zip   string `json:"zip"`
}

func (a *Address) trim() {
	Trim(&a.Line1, &a.Line2, &a.City, &a.State, &a.Zip)
	a.State = strings.ToUpper(a.State)
}

// Settings are the practice-wide settings (one record per practice).
type Settings struct {
	Name        string         `json:"name"`
	TaxID       string         `json:"taxId"`
	NPI         string         `json:"npi"` // group (type 2) NPI
	Phone       string         `json:"phone"`
	Address     Address        `json:"address"`
	Timezone    string         `json:"timezone"`    // IANA zone, e.g. America/Chicago
	LockMinutes int            `json:"lockMinutes"` // lock the screen after this much inactivity
	Policy      CalendarPolicy `json:"policy"`
	// CliniciansSeeAllPatients lets clinicians open every patient's record.
	// Off (the default, minimum necessary): only patients with an
	// appointment on their own schedule.
	CliniciansSeeAllPatients bool `json:"cliniciansSeeAllPatients"`
	// DefaultTypeID is the appointment type a new booking starts with, the
	// practice's choice; "" leaves the first active type.
	DefaultTypeID string `json:"defaultTypeId"`
	// Clock is how times of day are written everywhere ("" reads as 12-hour).
	Clock Clock `json:"clock"`
	// CheckInOnIntake marks today's appointment checked in when the
	// patient's intake packet for it arrives (from a tablet, or handed to
	// the patient on an office computer). Off: the front desk checks in.
	CheckInOnIntake bool `json:"checkInOnIntake"`
}

// Normalize trims input in place.
func (s *Settings) Normalize() {
	Trim(&s.Name, &s.TaxID, &s.NPI, &s.Phone, &s.Timezone)
	s.Address.trim()
}

// Validate returns an EInvalid error naming every bad field.
func (s *Settings) Validate() error {
	p := Problems{}
	checkText(p, "name", s.Name, MaxName, true)
	if s.TaxID != "" && !isDigits(strings.ReplaceAll(s.TaxID, "-", ""), 9) {
		p.Add("taxId", "A tax ID (EIN) is 9 digits, e.g. 12-3456789.")
	}
	checkNPI(p, "npi", s.NPI, false)
	checkPhone(p, "phone", s.Phone, false)
	checkAddress(p, "address.", s.Address)
	if s.Timezone != "" {
		if _, err := time.LoadLocation(s.Timezone); err != nil {
			p.Add("timezone", "Unknown time zone; use a name like America/Chicago.")
		}
	}
	if s.LockMinutes < 1 || s.LockMinutes > 240 {
		p.Add("lockMinutes", "Choose between 1 and 240 minutes.")
	}
	if !s.Clock.valid() {
		p.Add("clock", "Choose 12-hour (9:00 AM) or 24-hour (09:00) times.")
	}
	s.Policy.Validate(p)
	return p.Err()
}

// Zone is the practice's time zone: the calendar's wall clock. A practice
// that has not chosen one uses this machine's.
func (s *Settings) Zone() *time.Location {
	if loc, err := time.LoadLocation(s.Timezone); err == nil && s.Timezone != "" {
		return loc
	}
	return time.Local
}

// Location is an office.
type Location struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	Phone   string  `json:"phone"`
	Address Address `json:"address"`
	Active  bool    `json:"active"`
}

func (l *Location) Normalize() { Trim(&l.Name, &l.Phone); l.Address.trim() }

func (l *Location) Validate() error {
	p := Problems{}
	checkText(p, "name", l.Name, MaxName, true)
	checkPhone(p, "phone", l.Phone, false)
	checkAddress(p, "address.", l.Address)
	return p.Err()
}

// Room is a bookable room at a location.
type Room struct {
	ID         string `json:"id"`
	LocationID string `json:"locationId"`
	Name       string `json:"name"`
	Active     bool   `json:"active"`
}

func (r *Room) Normalize() { Trim(&r.Name) }

func (r *Room) Validate() error {
	p := Problems{}
	if r.LocationID == "" {
		p.Add("locationId", "Choose the location this room is in.")
	}
	checkText(p, "name", r.Name, MaxName, true)
	return p.Err()
}

// Clinician is a person who sees patients.
type Clinician struct {
	ID           string   `json:"id"`
	FirstName    string   `json:"firstName"`
	LastName     string   `json:"lastName"`
	Credentials  string   `json:"credentials"` // e.g. LCSW, PsyD
	NPI          string   `json:"npi"`         // individual (type 1) NPI
	Taxonomy     string   `json:"taxonomy"`    // NUCC code, e.g. 1041C0700X
	Specialties  []string `json:"specialties"`
	Languages    []string `json:"languages"`
	Email        string   `json:"email"`
	Phone        string   `json:"phone"`
	VideoLink    string   `json:"videoLink"` // the clinician's standing telehealth room
	Prescriber   bool     `json:"prescriber"`
	AcceptingNew bool     `json:"acceptingNew"`
	Active       bool     `json:"active"`
}

func (c *Clinician) Normalize() {
	Trim(&c.FirstName, &c.LastName, &c.Credentials, &c.NPI, &c.Taxonomy, &c.Email, &c.Phone, &c.VideoLink)
	c.Taxonomy = strings.ToUpper(c.Taxonomy)
	c.Specialties = trimList(c.Specialties)
	c.Languages = trimList(c.Languages)
}

func (c *Clinician) Validate() error {
	p := Problems{}
	checkText(p, "firstName", c.FirstName, MaxName, true)
	checkText(p, "lastName", c.LastName, MaxName, true)
	checkText(p, "credentials", c.Credentials, 40, false)
	checkNPI(p, "npi", c.NPI, false)
	if c.Taxonomy != "" && !isTaxonomy(c.Taxonomy) {
		p.Add("taxonomy", "A taxonomy code is 10 characters ending in X, e.g. 1041C0700X.")
	}
	checkList(p, "specialties", c.Specialties)
	checkList(p, "languages", c.Languages)
	checkEmail(p, "email", c.Email, false)
	checkPhone(p, "phone", c.Phone, false)
	if c.VideoLink != "" && !isHTTPSURL(c.VideoLink) {
		p.Add("videoLink", "A video link starts with https://")
	}
	return p.Err()
}

// DisplayName is how staff see a clinician: "Ana Ruiz, LCSW".
func (c *Clinician) DisplayName() string {
	n := c.FirstName + " " + c.LastName
	if c.Credentials != "" {
		n += ", " + c.Credentials
	}
	return n
}

// PayerKind tells an insurance plan from an employee assistance program.
type PayerKind string

const (
	PayerInsurance PayerKind = "insurance"
	PayerEAP       PayerKind = "eap"
)

// Payer is an insurer or EAP that pays for sessions.
type Payer struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	PayerID string    `json:"payerId"` // electronic payer ID used on 837P claims
	Kind    PayerKind `json:"kind"`
	Active  bool      `json:"active"`
}

func (y *Payer) Normalize() { Trim(&y.Name, &y.PayerID) }

func (y *Payer) Validate() error {
	p := Problems{}
	checkText(p, "name", y.Name, MaxName, true)
	checkText(p, "payerId", y.PayerID, 80, false)
	if y.Kind != PayerInsurance && y.Kind != PayerEAP {
		p.Add("kind", "Choose insurance or EAP.")
	}
	return p.Err()
}

// PatientIdentity is who the patient is.
type PatientIdentity struct {
	FirstName     string `json:"firstName"`
	LastName      string `json:"lastName"`
	PreferredName string `json:"preferredName"`
	DOB           string `json:"dob"` // YYYY-MM-DD
	Sex           string `json:"sex"` // administrative sex for claims: F, M, U
	Gender        string `json:"gender"`
	Pronouns      string `json:"pronouns"`
}

// PatientContact is how to reach the patient.
type PatientContact struct {
	Phone   string  `json:"phone"`
	Email   string  `json:"email"`
	Address Address `json:"address"`
	// NoReminders: the patient asked for no e-mail reminders.
	NoReminders bool `json:"noReminders"`
	// Language of the patient's messages: "en" (also when empty) or "es".
	Language string `json:"language"`
}

// RelatedPerson is an emergency contact or a guardian.
type RelatedPerson struct {
	Name         string `json:"name"`
	Relationship string `json:"relationship"`
	Phone        string `json:"phone"`
	Email        string `json:"email"`
}

// Patient is a person the practice sees. Each part is a separate field
// group, so two machines editing the contact and the guardian offline both
// keep their edit.
type Patient struct {
	ID        string          `json:"id"`
	Identity  PatientIdentity `json:"identity"`
	Contact   PatientContact  `json:"contact"`
	Emergency RelatedPerson   `json:"emergency"`
	Guardian  RelatedPerson   `json:"guardian"`
	Active    bool            `json:"active"`
}

func (pt *Patient) Normalize() {
	i := &pt.Identity
	Trim(&i.FirstName, &i.LastName, &i.PreferredName, &i.DOB, &i.Sex, &i.Gender, &i.Pronouns)
	i.Sex = strings.ToUpper(i.Sex)
	Trim(&pt.Contact.Phone, &pt.Contact.Email)
	pt.Contact.Address.trim()
	for _, r := range []*RelatedPerson{&pt.Emergency, &pt.Guardian} {
		Trim(&r.Name, &r.Relationship, &r.Phone, &r.Email)
	}
}

// Validate checks every group; today bounds the date of birth.
func (pt *Patient) Validate(today time.Time) error {
	p := Problems{}
	i := pt.Identity
	checkText(p, "identity.firstName", i.FirstName, MaxName, true)
	checkText(p, "identity.lastName", i.LastName, MaxName, true)
	checkText(p, "identity.preferredName", i.PreferredName, MaxName, false)
	checkPastDate(p, "identity.dob", i.DOB, true, today)
	switch i.Sex {
	case "", "F", "M", "U":
	default:
		p.Add("identity.sex", "Use F, M or U (unknown).")
	}
	checkText(p, "identity.gender", i.Gender, MaxName, false)
	checkText(p, "identity.pronouns", i.Pronouns, 40, false)
	checkPhone(p, "contact.phone", pt.Contact.Phone, false)
	checkEmail(p, "contact.email", pt.Contact.Email, false)
	if l := pt.Contact.Language; l != "" && l != "en" && l != "es" {
		p.Add("contact.language", "Choose English or Spanish.")
	}
	checkAddress(p, "contact.address.", pt.Contact.Address)
	for prefix, r := range map[string]RelatedPerson{"emergency.": pt.Emergency, "guardian.": pt.Guardian} {
		checkText(p, prefix+"name", r.Name, MaxName, false)
		checkText(p, prefix+"relationship", r.Relationship, MaxName, false)
		checkPhone(p, prefix+"phone", r.Phone, false)
		checkEmail(p, prefix+"email", r.Email, false)
		if r.Name == "" && (r.Phone != "" || r.Email != "") {
			p.Add(prefix+"name", "Add the person's name.")
		}
	}
	return p.Err()
}

// FullName is "First Last".
func (i PatientIdentity) FullName() string { return i.FirstName + " " + i.LastName }

// PolicyRank orders a patient's insurance policies.
type PolicyRank string

const (
	RankPrimary   PolicyRank = "primary"
	RankSecondary PolicyRank = "secondary"
	RankTertiary  PolicyRank = "tertiary"
)

// Subscriber is the policy holder when it is not the patient.
type Subscriber struct {
	Name         string `json:"name"`
	DOB          string `json:"dob"`
	Relationship string `json:"relationship"` // self, spouse, child, other
}

// InsurancePolicy links a patient to a payer.
type InsurancePolicy struct {
	ID          string     `json:"id"`
	PatientID   string     `json:"patientId"`
	PayerID     string     `json:"payerId"`
	Rank        PolicyRank `json:"rank"`
	MemberID    string     `json:"memberId"`
	GroupNumber string     `json:"groupNumber"`
	Subscriber  Subscriber `json:"subscriber"`
}

func (ip *InsurancePolicy) Normalize() {
	Trim(&ip.MemberID, &ip.GroupNumber, &ip.Subscriber.Name, &ip.Subscriber.DOB, &ip.Subscriber.Relationship)
}

func (ip *InsurancePolicy) Validate(today time.Time) error {
	p := Problems{}
	if ip.PayerID == "" {
		p.Add("payerId", "Choose the payer.")
	}
	switch ip.Rank {
	case RankPrimary, RankSecondary, RankTertiary:
	default:
		p.Add("rank", "Choose primary, secondary or tertiary.")
	}
	checkText(p, "memberId", ip.MemberID, 80, true)
	checkText(p, "groupNumber", ip.GroupNumber, 80, false)
	checkText(p, "subscriber.name", ip.Subscriber.Name, MaxName, false)
	checkPastDate(p, "subscriber.dob", ip.Subscriber.DOB, false, today)
	switch ip.Subscriber.Relationship {
	case "", "self", "spouse", "child", "other":
	default:
		p.Add("subscriber.relationship", "Choose self, spouse, child or other.")
	}
	return p.Err()
}

// Account is a staff login. The password never appears here; it lives only
// as the key slot that wraps the practice key.
type Account struct {
	ID          string `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"displayName"`
	Role        Role   `json:"role"`
	ClinicianID string `json:"clinicianId"`
	Disabled    bool   `json:"disabled"`
}

// StaffMail is the staff e-mail one person wants, and where it goes. It
// is theirs to set; the owner may set it for them.
type StaffMail struct {
	Email string `json:"email"`
	// Alerts: each alert addressed to them, as it arises (the message
	// says only what kind of thing needs review, never who).
	Alerts bool `json:"alerts"`
	// Digest: the weekly summary, offered to owners and managers.
	Digest bool `json:"digest"`
}

func (m *StaffMail) Normalize() { Trim(&m.Email) }

// Validate returns an EInvalid error naming every bad field.
func (m *StaffMail) Validate() error {
	p := Problems{}
	checkEmail(p, "email", m.Email, m.Alerts || m.Digest)
	return p.Err()
}

func (a *Account) Normalize() {
	Trim(&a.Username, &a.DisplayName)
	a.Username = strings.ToLower(a.Username)
}

func (a *Account) Validate() error {
	p := Problems{}
	checkUsername(p, "username", a.Username)
	checkText(p, "displayName", a.DisplayName, MaxName, true)
	if !a.Role.Valid() {
		p.Add("role", "Choose a role.")
	}
	return p.Err()
}

func checkUsername(p Problems, field, u string) {
	if len(u) < 2 || len(u) > 40 {
		p.Add(field, "A username is 2 to 40 characters.")
		return
	}
	for _, r := range u {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			p.Add(field, "Use only letters, digits, dots, dashes and underscores.")
			return
		}
	}
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func isTaxonomy(s string) bool {
	if len(s) != 10 || s[9] != 'X' {
		return false
	}
	for _, r := range s[:9] {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}
