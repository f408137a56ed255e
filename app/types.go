package app

import (
	"time"

	"quietdesk/internal/practice"
)

// SessionStatus tells the frontend which screen to show.
type SessionStatus struct {
	// Problem is set when the data folder could not be opened (another
	// Quietdesk holds it, or the database is damaged): the window shows
	// only this message.
	Problem string `json:"problem"`
	// ProblemCode is the problem's error code: "damaged" offers to
	// restore a backup.
	ProblemCode    string            `json:"problemCode"`
	PracticeExists bool              `json:"practiceExists"` // false: show the welcome screen
	LoggedIn       bool              `json:"loggedIn"`
	Locked         bool              `json:"locked"` // logged in, but idle too long: show the lock screen
	Account        *practice.Account `json:"account"`
	PracticeName   string            `json:"practiceName"` // empty until someone logs in
	LockMinutes    int               `json:"lockMinutes"`
	Permissions    []string          `json:"permissions"` // "Facade.Method" names this account may call
	// OwnCaseload: this account sees and exports its own clinician's
	// schedule only (the services enforce it; the window hides what it
	// could not do, e.g. printing the whole practice's day).
	OwnCaseload bool `json:"ownCaseload"`
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
	// Next is the start of the patient's next scheduled or confirmed
	// appointment; zero when none.
	Next time.Time `json:"next" ts_type:"string"`
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
	Computer  string `json:"computer"` // the device's name, when it has reported one
	AccountID string `json:"accountId"`
	Who       string `json:"who"`
	Action    string `json:"action"`
	What      string `json:"what"` // the action in words (auditwords)
	Table     string `json:"table"`
	RecordID  string `json:"recordId"`
}

// AuditCheck is the result of verifying the hash chain.
type AuditCheck struct {
	OK      bool   `json:"ok"`
	Entries int    `json:"entries"`
	Problem string `json:"problem"`
}

// SyncStatus is the sync indicator's and Settings → Devices' data.
type SyncStatus struct {
	DeviceID      string       `json:"deviceId"` // this machine
	Name          string       `json:"name"`
	Listen        string       `json:"listen"` // address peers connect to
	Running       bool         `json:"running"`
	Problem       string       `json:"problem"` // why sync is not running, for the person to act on
	Peers         []PeerDevice `json:"peers"`
	Connected     int          `json:"connected"`     // peers connected now
	Pending       int64        `json:"pending"`       // the most changes any paired machine lacks
	OpenConflicts int          `json:"openConflicts"` // for the indicator and the Conflicts screen
	PairingOpen   bool         `json:"pairingOpen"`
	PairingUntil  string       `json:"pairingUntil"` // RFC 3339, "" when closed
	RemovedBy     string       `json:"removedBy"`    // the machine that said this one was removed; "" while a member
}

// PeerDevice is one paired machine as the Devices screen shows it.
type PeerDevice struct {
	DeviceID     string `json:"deviceId"`
	Name         string `json:"name"`
	Address      string `json:"address"`
	LastSeen     string `json:"lastSeen"`    // RFC 3339; "" when never seen
	OffsetMS     int64  `json:"offsetMs"`    // its clock minus this one's
	ClockSkewed  bool   `json:"clockSkewed"` // off by minutes: name it in the UI
	Connected    bool   `json:"connected"`
	Removed      bool   `json:"removed"`
	Pending      int64  `json:"pending"`      // changes it lacks, as far as this machine knows
	DigestStatus string `json:"digestStatus"` // "match", "mismatch" or "" (not checked yet)
	Stuck        string `json:"stuck"`        // why some changes cannot pass between the two; "" when none
	Hub          bool   `json:"hub"`          // a hub, which an owner may unlock from here
	KeyLoaded    bool   `json:"keyLoaded"`    // it holds the practice key (a hub without it sends no e-mail)
}

// PairingCode is an open pairing window's code, to type on the new machine.
type PairingCode struct {
	Code    string `json:"code"`    // e.g. "7QX2M-K9D4B-1TZ8C"
	Expires string `json:"expires"` // RFC 3339
}

// ConflictItem is one row of the Conflicts screen. It names records and
// versions; the screen loads the records themselves through their facades.
type ConflictItem struct {
	ID    string   `json:"id"`
	Kind  string   `json:"kind"`  // "concurrent-edit", or "double-booking" (calendar)
	Table string   `json:"table"` // e.g. "patients"
	Rows  []string `json:"rows"`  // record ids
	Group string   `json:"group"` // concurrent edit: the field group ("contact")
	// Versions are the concurrent edit's two versions; pass one to
	// ResolveConflict to keep it.
	Versions   []string `json:"versions"`
	Detail     string   `json:"detail"`
	State      string   `json:"state"` // "open" or "resolved"
	ResolvedBy string   `json:"resolvedBy"`
	Choice     string   `json:"choice"`
	ResolvedAt string   `json:"resolvedAt"`
}

// DiscoveredDevice is a Quietdesk machine heard on the network.
type DiscoveredDevice struct {
	DeviceID string `json:"deviceId"`
	Address  string `json:"address"`
	Seen     string `json:"seen"`
}

// JoinProgress is EventJoinProgress's payload. Phase "copy" counts bytes
// of the database copy; then "catchup" counts the changes made since (or,
// when no copy could be made, all of them).
type JoinProgress struct {
	Phase string `json:"phase"`
	Done  int64  `json:"done"`
	Total int64  `json:"total"`
}

// DataChanged is EventDataChanged's payload: the tables another machine's
// changes touched ("patients", "accounts", "conflicts", …).
type DataChanged struct {
	Tables []string `json:"tables"`
}
