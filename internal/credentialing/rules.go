// Package credentialing is the rules and workflows of clinicians'
// credentials and payer enrollments: the deadlines each dated item makes
// and who must act on them, whether a clinician is in network with a payer
// on a day (for the booking guard, the waitlist, matching and billing),
// the manager's dashboard with its lapse-cost estimate, and the writes
// with their audit entries and history.
package credentialing

import (
	"cmp"
	"slices"
	"time"

	"quietdesk/internal/practice"
)

// Band is how close a deadline is: the band of days it has entered (90,
// 60 or 30 days before an expiry; 15, 10 or 5 before a CAQH
// re-attestation), or past it.
type Band string

const (
	BandNone    Band = ""        // further away than the widest band
	Band90      Band = "90"      // within 90 days
	Band60      Band = "60"      // within 60 days
	Band30      Band = "30"      // within 30 days
	Band15      Band = "15"      // CAQH: within 15 days
	Band10      Band = "10"      // CAQH: within 10 days
	Band5       Band = "5"       // CAQH: within 5 days
	BandExpired Band = "expired" // the expiry or attestation date has passed
	BandDue     Band = "due"     // a follow-up due today
	BandOverdue Band = "overdue" // a follow-up date that slipped
)

// KindFollowUp is the deadline kind of an enrollment's next follow-up.
const KindFollowUp = "follow_up"

// expiryBands and caqhBands are the bands' widths in days, widest first.
var (
	expiryBands = []struct {
		days int
		band Band
	}{{90, Band90}, {60, Band60}, {30, Band30}}
	caqhBands = []struct {
		days int
		band Band
	}{{15, Band15}, {10, Band10}, {5, Band5}}
)

// Deadline is one dated item coming due.
type Deadline struct {
	// Key names the item and its band ("credentials/<id>/30"): stable, so
	// an alert of it is sent once per band.
	Key         string `json:"key"`
	ClinicianID string `json:"clinicianId"`
	Kind        string `json:"kind"` // a practice.CredentialKind, or KindFollowUp
	Table       string `json:"table"`
	ID          string `json:"id"`
	PayerID     string `json:"payerId"`    // a follow-up's payer
	AssigneeID  string `json:"assigneeId"` // a follow-up's assignee
	Due         string `json:"due"`        // YYYY-MM-DD
	DaysLeft    int    `json:"daysLeft"`   // negative once past
	Band        Band   `json:"band"`
}

// Urgent reports whether the deadline has passed.
func (d Deadline) Urgent() bool { return d.Band == BandExpired || d.Band == BandOverdue }

// day parses a YYYY-MM-DD date as midnight UTC; ok is false for "" or a
// bad date.
func day(s string) (time.Time, bool) {
	d, err := time.Parse(time.DateOnly, s)
	return d, err == nil
}

// Today is t's calendar date in zone, as midnight UTC: the form every
// date of this package takes, so days between dates are exact.
func Today(t time.Time, zone *time.Location) time.Time {
	y, m, d := t.In(zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// daysBetween counts calendar days from a to b (both midnight UTC).
func daysBetween(a, b time.Time) int { return int(b.Sub(a).Hours() / 24) }

// CAQHDue is the date the next CAQH attestation is due: the last one plus
// the cycle's days.
func CAQHDue(attested time.Time, cycleDays int) time.Time { return attested.AddDate(0, 0, cycleDays) }

// dueDate is when a credential comes due: its expiry, or for CAQH the last
// attestation plus the cycle. ok is false for an item with no date to meet.
func dueDate(c practice.Credential, caqhDays int) (time.Time, bool) {
	if c.Kind == practice.CredCAQH {
		attested, ok := day(c.Issued)
		if !ok {
			return time.Time{}, false
		}
		return CAQHDue(attested, caqhDays), true
	}
	return day(c.Expires)
}

// bandOf is the band of a credential due in daysLeft days.
func bandOf(kind practice.CredentialKind, daysLeft int) Band {
	if daysLeft < 0 {
		return BandExpired
	}
	bands := expiryBands
	if kind == practice.CredCAQH {
		bands = caqhBands
	}
	b := BandNone
	for _, x := range bands {
		if daysLeft <= x.days {
			b = x.band
		}
	}
	return b
}

// followUpBand is the band of a follow-up date daysLeft days away: due on
// the day, overdue after; none before.
func followUpBand(daysLeft int) Band {
	switch {
	case daysLeft < 0:
		return BandOverdue
	case daysLeft == 0:
		return BandDue
	}
	return BandNone
}

// current drops credentials a newer one replaces: of a clinician's items
// of one kind, state and type, only the one expiring last counts (a
// renewed licence ends the old one's notices).
func current(creds []practice.Credential) []practice.Credential {
	type group struct{ clinician, kind, state, typ string }
	latest := map[group]practice.Credential{}
	var order []group
	for _, c := range creds {
		g := group{c.ClinicianID, string(c.Kind), c.State, c.Type}
		if c.Kind == practice.CredCAQH || c.Kind == practice.CredMalpractice {
			g.state, g.typ = "", "" // one CAQH profile, one malpractice policy in force
		}
		old, seen := latest[g]
		if !seen {
			order = append(order, g)
		}
		if !seen || cmp.Or(cmp.Compare(c.Expires, old.Expires), cmp.Compare(c.Issued, old.Issued)) > 0 {
			latest[g] = c
		}
	}
	out := make([]practice.Credential, 0, len(order))
	for _, g := range order {
		out = append(out, latest[g])
	}
	return out
}

// Deadlines lists the deadlines of credentials (all, or the current ones
// among renewals) and of enrollments' follow-up dates as of today (a date
// at midnight UTC), soonest first. caqhDays is the CAQH cycle. Items
// without a date, and follow-ups of terminated enrollments, make none.
func Deadlines(creds []practice.Credential, enrollments []practice.Enrollment, caqhDays int, today time.Time) []Deadline {
	var out []Deadline
	for _, c := range current(creds) {
		due, ok := dueDate(c, caqhDays)
		if !ok {
			continue
		}
		left := daysBetween(today, due)
		out = append(out, deadline("credentials", c.ID, c.ClinicianID, string(c.Kind), due, left, bandOf(c.Kind, left)))
	}
	for _, e := range enrollments {
		due, ok := day(e.FollowUpOn)
		if !ok || e.Status == practice.EnrollTerminated {
			continue
		}
		left := daysBetween(today, due)
		d := deadline("enrollments", e.ID, e.ClinicianID, KindFollowUp, due, left, followUpBand(left))
		d.PayerID, d.AssigneeID = e.PayerID, e.AssigneeID
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b Deadline) int { return cmp.Or(cmp.Compare(a.Due, b.Due), cmp.Compare(a.Key, b.Key)) })
	return out
}

func deadline(table, id, clinicianID, kind string, due time.Time, left int, band Band) Deadline {
	key := table + "/" + id + "/" + string(band)
	if band == BandNone {
		key = table + "/" + id + "/due-" + due.Format(time.DateOnly)
	}
	return Deadline{Key: key, ClinicianID: clinicianID, Kind: kind, Table: table, ID: id,
		Due: due.Format(time.DateOnly), DaysLeft: left, Band: band}
}

// Reason is one thing that keeps a clinician out of network on a day.
type Reason struct {
	Kind    string `json:"kind"` // "licence", "malpractice" or "enrollment"
	Message string `json:"message"`
}

// Standing is whether a clinician is in network with a payer on a day,
// and if not, why.
type Standing struct {
	InNetwork bool     `json:"inNetwork"`
	Reasons   []Reason `json:"reasons"`
}

// Names are the words the network rule's messages use.
type Names struct {
	Clinician string // "Ana Ruiz"
	Payer     string // "Aetna"; unused for self-pay
}

// StandingOn applies the network rule on a day (midnight UTC) to one
// clinician's credentials and, unless payerID is "" (self-pay), their
// enrollment with the payer (nil: none on record):
//   - a licence must be valid that day, when any licence is on record;
//   - a malpractice policy must be in force that day, when any is on record;
//   - the enrollment must be approved (or due for recredentialing) and
//     effective by that day.
func StandingOn(names Names, creds []practice.Credential, payerID string, enrollment *practice.Enrollment, on time.Time) Standing {
	var s Standing
	for _, kind := range []practice.CredentialKind{practice.CredLicence, practice.CredMalpractice} {
		if msg := lapsed(names.Clinician, kind, creds, on); msg != "" {
			s.Reasons = append(s.Reasons, Reason{Kind: string(kind), Message: msg})
		}
	}
	if payerID != "" {
		if msg := notInNetwork(names, enrollment, on); msg != "" {
			s.Reasons = append(s.Reasons, Reason{Kind: "enrollment", Message: msg})
		}
	}
	s.InNetwork = len(s.Reasons) == 0
	return s
}

// lapsed says why no credential of kind is valid on a day, or "" when one
// is (or none is on record).
func lapsed(name string, kind practice.CredentialKind, creds []practice.Credential, on time.Time) string {
	var lastExpiry, firstIssue time.Time
	found := false
	for _, c := range creds {
		if c.Kind != kind {
			continue
		}
		found = true
		issued, hasIssue := day(c.Issued)
		expires, hasExpiry := day(c.Expires)
		if (!hasIssue || !issued.After(on)) && (!hasExpiry || !expires.Before(on)) {
			return ""
		}
		if hasExpiry && expires.Before(on) && expires.After(lastExpiry) {
			lastExpiry = expires
		}
		if hasIssue && issued.After(on) && (firstIssue.IsZero() || issued.Before(firstIssue)) {
			firstIssue = issued
		}
	}
	what := "licence"
	if kind == practice.CredMalpractice {
		what = "malpractice policy"
	}
	switch {
	case !found:
		return ""
	case !firstIssue.IsZero():
		return name + "'s " + what + " is not valid until " + FormatDay(firstIssue) + "."
	}
	return name + "'s " + what + " expired on " + FormatDay(lastExpiry) + "."
}

// notInNetwork says why an enrollment does not make the clinician in
// network on a day, or "" when it does.
func notInNetwork(n Names, e *practice.Enrollment, on time.Time) string {
	if e == nil {
		return n.Clinician + " is not enrolled with " + n.Payer + "."
	}
	effective, hasDate := day(e.EffectiveOn)
	approved := e.Status == practice.EnrollApproved || e.Status == practice.EnrollRecredentialing
	if approved && !effective.After(on) {
		return ""
	}
	msg := n.Clinician + " is not in network with " + n.Payer
	if hasDate && effective.After(on) && e.Status != practice.EnrollDenied && e.Status != practice.EnrollTerminated {
		msg += " until " + FormatDay(effective)
	}
	return msg + "; " + e.Status.Words() + "."
}

// FormatDay writes a date as messages show it: "1 Mar 2027".
func FormatDay(d time.Time) string { return d.Format("2 Jan 2006") }
