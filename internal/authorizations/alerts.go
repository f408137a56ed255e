package authorizations

import (
	"context"
	"strconv"
	"time"

	"quietdesk/internal/alerts"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// RequestedStaleDays is how long a request may wait for the payer's answer
// before someone is asked to chase it.
const RequestedStaleDays = 7

// Alert kinds: the words of an e-mail subject, naming no one.
const (
	KindOver      = "Sessions are booked past an authorization's limit"
	KindExpired   = "An authorization has ended with sessions still booked"
	KindRemaining = "An authorization is nearly used up"
	KindExpiring  = "An authorization expires soon"
	KindRequested = "An authorization request has had no answer"
)

// Alerts is the authorizations area's alerts.Source: for every
// authorization, what needs action as of now. Each reaches the billers,
// the owner/manager, and every clinician who sees the patient (anyone with
// a session in the authorization's window or booked ahead), not only one
// assigned clinician.
func (s *Service) Alerts(_ context.Context, tx *store.Tx, now time.Time) ([]alerts.Alert, error) {
	all, err := tx.AllAuthorizations()
	if err != nil || len(all) == 0 {
		return nil, err
	}
	payers, err := payerMap(tx)
	if err != nil {
		return nil, err
	}
	sh, err := loadShared(tx)
	if err != nil {
		return nil, err
	}
	var out []alerts.Alert
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].PatientID == all[i].PatientID {
			j++
		}
		f, err := sh.facts(tx, all[i].PatientID, all[i:j])
		if err != nil {
			return nil, err
		}
		list, err := patientAlerts(tx, f, all[i].PatientID, payers, now)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
		i = j
	}
	return out, nil
}

// patientAlerts are the alerts of one patient's authorizations.
func patientAlerts(tx Store, f *Facts, patientID string, payers map[string]practice.Payer, now time.Time) ([]alerts.Alert, error) {
	today := f.Day(now)
	var out []alerts.Alert
	var name string
	for _, v := range views(f, payers, today) {
		a := v.Authorization
		found := alertOf(v, today)
		if found.Key == "" {
			continue
		}
		if name == "" {
			p, err := tx.Patient(patientID)
			if err != nil {
				return nil, err
			}
			name = practice.ShortName(p.Identity.FirstName, p.Identity.LastName)
		}
		found.Area, found.Table, found.ID, found.PatientID = "authorizations", "authorizations", a.ID, patientID
		found.Title = name + " — " + v.PayerName + ": " + found.Title
		found.To = recipients(f, a, today)
		out = append(out, found)
	}
	return out, nil
}

// alertOf is the one alert an authorization raises today, the most
// pressing band first; Key "" when none. Its Title lacks the names.
func alertOf(v View, today string) alerts.Alert {
	a, u := v.Authorization, v.Usage
	id := "auth/" + a.ID + "/"
	noun := "session"
	if a.Unit == practice.Unit15Min {
		noun = "unit"
	}
	switch a.Status {
	case practice.AuthRequested:
		if a.RequestedOn != "" && daysBetween(a.RequestedOn, today) > RequestedStaleDays {
			return alerts.Alert{Key: id + "requested", Severity: alerts.Warning, Kind: KindRequested,
				Title: "requested " + longDate(a.RequestedOn) + ", no answer yet"}
		}
		return alerts.Alert{}
	case practice.AuthDenied:
		return alerts.Alert{}
	}
	if v.RenewedBy != "" && a.End < today {
		return alerts.Alert{} // the renewal carries on
	}
	switch {
	case a.End < today && u.BookedAfterEnd > 0:
		return alerts.Alert{Key: id + "expired-booked", Severity: alerts.Urgent, Kind: KindExpired,
			Title: "ended " + longDate(a.End) + " with " + plural(u.BookedAfterEnd, "session") + " still booked"}
	case a.End < today:
		return alerts.Alert{}
	case u.Over > 0:
		return alerts.Alert{Key: id + "over", Severity: alerts.Urgent, Kind: KindOver, Due: dayTime(a.End),
			Title: plural(u.Used+u.Scheduled, noun) + " used or booked of " + strconv.Itoa(a.Authorized) + " authorized"}
	case u.Remaining <= a.WarnRemaining:
		return alerts.Alert{Key: id + "remaining-" + strconv.Itoa(max(0, u.Remaining)), Severity: alerts.Warning, Kind: KindRemaining,
			Due: dayTime(a.End), Title: plural(max(0, u.Remaining), noun) + " left of " + strconv.Itoa(a.Authorized) + ", expires " + longDate(a.End)}
	case daysBetween(today, a.End) <= a.WarnDays:
		sev := alerts.Notice
		if daysBetween(today, a.End) <= 7 {
			sev = alerts.Warning
		}
		return alerts.Alert{Key: id + "expiring", Severity: sev, Kind: KindExpiring, Due: dayTime(a.End),
			Title: "expires " + longDate(a.End) + ", " + plural(max(0, u.Remaining), noun) + " left"}
	}
	return alerts.Alert{}
}

// recipients are the billers, the owner/manager and every clinician who
// sees the patient during the authorization or from today on.
func recipients(f *Facts, a practice.Authorization, today string) []alerts.Recipient {
	to := []alerts.Recipient{{Role: practice.RoleBiller}, {Role: practice.RoleOwner}}
	seen := map[string]bool{}
	for _, s := range f.Sessions {
		day := f.Day(s.Start)
		if (a.Covers(day) || day >= today) && !seen[s.ClinicianID] {
			seen[s.ClinicianID] = true
			to = append(to, alerts.Recipient{ClinicianID: s.ClinicianID})
		}
	}
	return to
}

func dayTime(day string) time.Time {
	t, _ := time.Parse(time.DateOnly, day)
	return t
}

// daysBetween counts the days from one local date to another.
func daysBetween(from, to string) int {
	return int(dayTime(to).Sub(dayTime(from)) / (24 * time.Hour))
}
