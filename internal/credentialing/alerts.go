package credentialing

import (
	"context"
	"fmt"
	"time"

	"quietdesk/internal/alerts"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Alerts is credentialing's alerts.Source (registered in internal/wiring):
// every deadline that has entered a band, addressed to the owner/manager
// always, to the clinician for their own credentials, and to the assignee
// for an enrollment's follow-up.
func Alerts(_ context.Context, tx *store.Tx, now time.Time) ([]alerts.Alert, error) {
	r, err := loadRules(tx)
	if err != nil {
		return nil, err
	}
	r.today = Today(now, r.zone)
	creds, err := tx.Credentials("")
	if err != nil {
		return nil, err
	}
	enrollments, err := tx.Enrollments("")
	if err != nil {
		return nil, err
	}
	clinicians, err := tx.Clinicians()
	if err != nil {
		return nil, err
	}
	payers, err := tx.Payers()
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, c := range clinicians {
		names[c.ID] = c.FirstName + " " + c.LastName
	}
	for _, y := range payers {
		names[y.ID] = y.Name
	}
	byID := map[string]practice.Credential{}
	for _, c := range creds {
		byID[c.ID] = c
	}
	var out []alerts.Alert
	for _, d := range Deadlines(creds, enrollments, r.caqhDays, r.today) {
		if d.Band == BandNone {
			continue
		}
		due, _ := day(d.Due)
		a := alerts.Alert{Key: "credentialing/" + d.Key, Area: "credentialing", Severity: severity(d.Band),
			Due: time.Date(due.Year(), due.Month(), due.Day(), 0, 0, 0, 0, r.zone), Table: d.Table, ID: d.ID,
			To: []alerts.Recipient{{Role: practice.RoleOwner}}}
		if d.Kind == KindFollowUp {
			a.Kind = followUpKind(d.Band)
			a.Title = fmt.Sprintf("Follow up with %s on %s's enrollment, due %s (%s)", names[d.PayerID], names[d.ClinicianID], FormatDay(due), relative(d.DaysLeft))
			if d.AssigneeID != "" {
				a.To = append(a.To, alerts.Recipient{AccountID: d.AssigneeID})
			}
		} else {
			c := byID[d.ID]
			a.Kind = credentialKind(c.Kind, d.Band)
			a.Title = fmt.Sprintf("%s's %s %s %s (%s)", names[d.ClinicianID], Label(c), dueVerb(c.Kind, d.Band), FormatDay(due), relative(d.DaysLeft))
			a.To = append(a.To, alerts.Recipient{ClinicianID: d.ClinicianID})
		}
		out = append(out, a)
	}
	return out, nil
}

// severity: what has lapsed is urgent, the last band a warning, the
// earlier bands a notice.
func severity(b Band) alerts.Severity {
	switch b {
	case BandExpired, BandOverdue:
		return alerts.Urgent
	case Band30, Band10, Band5, BandDue:
		return alerts.Warning
	}
	return alerts.Notice
}

// Label names a credential in a sentence: "OR LCSW licence".
func Label(c practice.Credential) string {
	switch c.Kind {
	case practice.CredLicence:
		return c.State + " " + c.Type + " licence"
	case practice.CredCAQH:
		return "CAQH attestation"
	case practice.CredMalpractice:
		return "malpractice policy"
	case practice.CredDEA:
		return "DEA registration"
	case practice.CredBoard:
		return c.Type + " certification"
	}
	return c.Type
}

// nouns name a kind without naming anyone, for e-mail subjects.
var nouns = map[practice.CredentialKind]string{
	practice.CredLicence: "A licence", practice.CredCAQH: "A CAQH attestation", practice.CredMalpractice: "A malpractice policy",
	practice.CredDEA: "A DEA registration", practice.CredBoard: "A board certification", practice.CredDocument: "A credential document",
}

func credentialKind(k practice.CredentialKind, b Band) string {
	switch {
	case b == BandExpired && k == practice.CredCAQH:
		return nouns[k] + " is overdue"
	case b == BandExpired:
		return nouns[k] + " has expired"
	case k == practice.CredCAQH:
		return nouns[k] + " is due within " + string(b) + " days"
	}
	return nouns[k] + " expires within " + string(b) + " days"
}

func followUpKind(b Band) string {
	if b == BandOverdue {
		return "An enrollment follow-up is overdue"
	}
	return "An enrollment follow-up is due today"
}

func dueVerb(k practice.CredentialKind, b Band) string {
	switch {
	case k == practice.CredCAQH && b == BandExpired:
		return "was due"
	case k == practice.CredCAQH:
		return "is due"
	case b == BandExpired:
		return "expired"
	}
	return "expires"
}

// relative says how far away a date is: "in 25 days", "today", "2 days ago".
func relative(daysLeft int) string {
	switch {
	case daysLeft == 0:
		return "today"
	case daysLeft == 1:
		return "tomorrow"
	case daysLeft > 1:
		return fmt.Sprintf("in %d days", daysLeft)
	case daysLeft == -1:
		return "1 day ago"
	}
	return fmt.Sprintf("%d days ago", -daysLeft)
}
