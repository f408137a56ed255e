package notify

import (
	"context"
	"fmt"
	"html"
	"strings"
	"time"

	"quietdesk/internal/alerts"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Outbox purposes of staff e-mail.
const (
	PurposeAlert  = "alert"  // one alert, to one person who wants them
	PurposeDigest = "digest" // the weekly summary, to one person who wants it
)

// alertMark is the due time of every alert message. A message's id comes
// from its purpose, subject and due time (store.OutboxID); an alert's key
// already names its fact and band, and the moment a machine first saw it
// differs between machines, so a fixed mark keeps the id the same on every
// machine that queues it. When it goes is its send-after time.
var alertMark = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// DigestAt is when the weekly digest is due: Monday at 7:00 on the
// practice's clock.
const (
	digestDay  = time.Monday
	digestHour = 7
)

// StaffCount is what one staff-mail run queued.
type StaffCount struct{ Alerts, Digests int }

// QueueStaffMail queues, for every active account that asked for them,
// an e-mail for each alert addressed to them that needs action this week
// or sooner, and this week's digest. Every machine with the key may queue:
// the same alert for the same person is one row whoever queues it.
//
// Alerts about e-mail itself are left to the window and the digest: a
// relay that refuses messages would refuse those too.
func QueueStaffMail(ctx context.Context, tx *store.Tx, reg *alerts.Registry, now time.Time) (StaffCount, error) {
	var n StaffCount
	accounts, err := tx.Accounts()
	if err != nil {
		return n, err
	}
	type wanting struct {
		who  alerts.Who
		mail practice.StaffMail
	}
	var people []wanting
	for _, a := range accounts {
		if a.Disabled {
			continue
		}
		m, err := tx.AccountMail(a.ID)
		if err != nil {
			return n, err
		}
		if m.Email != "" && (m.Alerts || m.Digest) {
			people = append(people, wanting{alerts.Who{Role: a.Role, AccountID: a.ID, ClinicianID: a.ClinicianID}, m})
		}
	}
	if len(people) == 0 {
		return n, nil
	}
	all, err := reg.All(ctx, tx, now)
	if err != nil {
		return n, err
	}
	ps, err := tx.Settings()
	if err != nil {
		return n, err
	}
	loc := ps.Zone()
	for _, p := range people {
		var theirs []alerts.Alert
		for _, a := range all {
			if a.Reaches(p.who) {
				theirs = append(theirs, a)
			}
		}
		if p.mail.Alerts {
			for _, a := range theirs {
				if !mailed(a) {
					continue
				}
				_, created, err := tx.QueueMessage(store.OutboxMessage{Purpose: PurposeAlert, SubjectID: alertSubject(p.who.AccountID, a.Key), DueAt: alertMark, SendAfter: now},
					alertContent(p.mail.Email, a, ps.Name))
				if err != nil {
					return n, err
				}
				if created {
					n.Alerts++
				}
			}
		}
		if p.mail.Digest {
			due := DigestDue(now, loc)
			_, created, err := tx.QueueMessage(store.OutboxMessage{Purpose: PurposeDigest, SubjectID: p.who.AccountID, DueAt: due},
				digestContent(p.mail.Email, theirs, due.In(loc), ps.Name))
			if err != nil {
				return n, err
			}
			if created {
				n.Digests++
			}
		}
	}
	return n, nil
}

// mailed reports whether an alert goes out on its own: warnings and
// urgent ones (notices wait for the digest), never e-mail's own.
func mailed(a alerts.Alert) bool { return a.Severity >= alerts.Warning && a.Area != AlertArea }

func alertSubject(accountID, key string) string { return accountID + "|" + key }

// DigestDue is the due time of the digest of the week holding now: the
// latest Monday 7:00 on the practice's clock at or before now.
func DigestDue(now time.Time, loc *time.Location) time.Time {
	l := now.In(loc)
	back := (int(l.Weekday()) - int(digestDay) + 7) % 7
	due := time.Date(l.Year(), l.Month(), l.Day()-back, digestHour, 0, 0, 0, loc)
	if due.After(now) {
		due = due.AddDate(0, 0, -7)
	}
	return due.UTC()
}

var severityWords = map[alerts.Severity]string{
	alerts.Urgent:  "It needs action today.",
	alerts.Warning: "It needs action this week.",
	alerts.Notice:  "It is coming up.",
}

// alertContent is one alert's e-mail: its kind, which names no one, and
// where to look. The title, which names patients and staff, stays in
// Quietdesk.
func alertContent(to string, a alerts.Alert, practiceName string) store.OutboxContent {
	text := fmt.Sprintf("Hello,\n\nSomething in Quietdesk needs your attention: %s. %s\n\n"+
		"Open Quietdesk on an office computer and look under Needs action for the details. "+
		"This message names no one on purpose.\n\n%s\n", a.Kind, severityWords[a.Severity], signature(practiceName))
	return store.OutboxContent{To: to, Subject: "Quietdesk: " + a.Kind, Text: text, HTML: paragraphs(html.EscapeString(text))}
}

// digestContent is the weekly summary: how many alerts of each kind wait
// for the person, most severe first (the order of alerts.Registry.All).
func digestContent(to string, theirs []alerts.Alert, week time.Time, practiceName string) store.OutboxContent {
	var kinds []string
	count := map[string]int{}
	for _, a := range theirs {
		if count[a.Kind] == 0 {
			kinds = append(kinds, a.Kind)
		}
		count[a.Kind]++
	}
	var b strings.Builder
	b.WriteString("Good morning,\n\n")
	if len(kinds) == 0 {
		b.WriteString("Nothing in Quietdesk waits for your action this week.\n\n")
	} else {
		b.WriteString("This week in Quietdesk, waiting for your action:\n\n")
		for _, k := range kinds {
			fmt.Fprintf(&b, "%d × %s\n", count[k], k)
		}
		b.WriteString("\nOpen Quietdesk on an office computer and look under Needs action for the details. This message names no one on purpose.\n\n")
	}
	b.WriteString(signature(practiceName) + "\n")
	text := b.String()
	return store.OutboxContent{To: to, Subject: "Quietdesk: your week of " + week.Format("January 2"), Text: text, HTML: paragraphs(html.EscapeString(text))}
}

func signature(practiceName string) string {
	if practiceName == "" {
		return "Quietdesk"
	}
	return "Quietdesk, " + practiceName
}

// AlertCurrent withdraws, just before sending, an alert e-mail whose alert
// was dealt with meanwhile, or whose person no longer wants alert e-mail.
func AlertCurrent(reg *alerts.Registry) func(tx *store.Tx, m store.OutboxMessage, now time.Time) (string, error) {
	return func(tx *store.Tx, m store.OutboxMessage, now time.Time) (string, error) {
		accountID, key, _ := strings.Cut(m.SubjectID, "|")
		a, err := tx.Account(accountID)
		if practice.ErrorCode(err) == practice.ENotFound {
			return "The staff account was removed.", nil
		}
		if err != nil {
			return "", err
		}
		mine, err := tx.AccountMail(accountID)
		if err != nil {
			return "", err
		}
		if a.Disabled || !mine.Alerts || mine.Email == "" {
			return "They no longer receive alert e-mails.", nil
		}
		// The sender's delivery run has no context of its own to pass.
		list, err := reg.For(context.Background(), tx, now, alerts.Who{Role: a.Role, AccountID: a.ID, ClinicianID: a.ClinicianID})
		if err != nil {
			return "", err
		}
		for _, al := range list {
			if al.Key == key {
				return "", nil
			}
		}
		return "It was dealt with before the e-mail went.", nil
	}
}

// RunStaffMail queues the staff e-mail that is due, in one transaction.
func RunStaffMail(ctx context.Context, db *store.DB, reg *alerts.Registry) (StaffCount, error) {
	var n StaffCount
	err := db.Update(ctx, func(tx *store.Tx) (err error) {
		n, err = QueueStaffMail(ctx, tx, reg, tx.Now())
		return err
	})
	return n, err
}
