package app

import (
	"quietdesk/internal/practice"
)

// SessionStatus tells the frontend which screen to show.
type SessionStatus struct {
	// Problem is set when the data folder could not be opened (another
	// Quietdesk holds it, or the database is damaged): the window shows
	// only this message.
	Problem        string            `json:"problem"`
	PracticeExists bool              `json:"practiceExists"` // false: show the welcome screen
	LoggedIn       bool              `json:"loggedIn"`
	Locked         bool              `json:"locked"` // logged in, but idle too long: show the lock screen
	Account        *practice.Account `json:"account"`
	PracticeName   string            `json:"practiceName"` // empty until someone logs in
	LockMinutes    int               `json:"lockMinutes"`
	Permissions    []string          `json:"permissions"` // "Facade.Method" names this account may call
}

// PracticeSetup is the first-run form that creates a practice.
type PracticeSetup struct {
	PracticeName string `json:"practiceName"`
	OwnerName    string `json:"ownerName"`
	Username     string `json:"username"`
	Password     string `json:"password"`
}

// CreatedPractice carries the recovery key, shown once, for the Recovery Kit.
type CreatedPractice struct {
	RecoveryKey string        `json:"recoveryKey"`
	Status      SessionStatus `json:"status"`
}

// DemoLogin is the login of the synthetic demo practice.
type DemoLogin struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// PatientSummary is one row of the patient list and search results.
type PatientSummary struct {
	ID            string `json:"id"`
	FirstName     string `json:"firstName"`
	LastName      string `json:"lastName"`
	PreferredName string `json:"preferredName"`
	DOB           string `json:"dob"`
	Phone         string `json:"phone"`
	Active        bool   `json:"active"`
}

// PatientSearch is one page of search results: the first matches by name
// and how many patients match in all.
type PatientSearch struct {
	Patients []PatientSummary `json:"patients"`
	Total    int              `json:"total"`
}

// PatientRecord is a patient's detail page.
type PatientRecord struct {
	Patient  practice.Patient           `json:"patient"`
	Policies []practice.InsurancePolicy `json:"policies"`
}

// NewAccount is the form that adds a staff account.
type NewAccount struct {
	Account  practice.Account `json:"account"`
	Password string           `json:"password"`
}

// AuditFilter narrows the audit screen. Dates are YYYY-MM-DD in local time;
// empty means unbounded.
type AuditFilter struct {
	From      string `json:"from"`
	To        string `json:"to"`
	AccountID string `json:"accountId"`
	Action    string `json:"action"`
	RecordID  string `json:"recordId"`
	Limit     int    `json:"limit"`
}

// AuditRow is an audit entry as the manager sees it.
type AuditRow struct {
	Seq       int64  `json:"seq"`
	At        string `json:"at"` // RFC 3339, UTC
	Device    string `json:"device"`
	AccountID string `json:"accountId"`
	Who       string `json:"who"`
	Action    string `json:"action"`
	Table     string `json:"table"`
	RecordID  string `json:"recordId"`
}

// AuditCheck is the result of verifying the hash chain.
type AuditCheck struct {
	OK      bool   `json:"ok"`
	Entries int    `json:"entries"`
	Problem string `json:"problem"`
}
