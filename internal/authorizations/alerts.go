package authorizations

import (
	"context"
	"slices"
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
//
// It reads only what can change an alert. A patient none of whose
// authorizations can alert whatever their sessions, or who could only be
// booked after an end and is not, is left out before any session is read
// (withoutQuiet). The sessions after every window (Facts.Later, the most
// rows) are read only for the patients whose alerts they can change: they
// add to no count but "booked after the end", which only an authorization
// that has ended unrenewed alerts about (mayLapse), and otherwise only
// name who sees the patient, which only matters when there is an alert.
func (s *Service) Alerts(_ context.Context, tx *store.Tx, now time.Time) ([]alerts.Alert, error) {
	all, err := tx.AllAuthorizationTerms()
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
	today := now.In(sh.zone).Format(time.DateOnly)
	if all, err = sh.withoutQuiet(tx, all, today); err != nil {
		return nil, err
	}
	everyone, err := sh.windows(tx, all, now)
	if err != nil {
		return nil, err
	}
	found := make([][]alerts.Alert, len(everyone))
	var pending []*Facts
	for i, f := range everyone {
		found[i] = patientAlerts(f, f.Auths[0].PatientID, payers, now)
		if len(found[i]) > 0 || mayLapse(f.Auths, today) {
			pending = append(pending, f)
		}
	}
	if err := sh.later(tx, pending, now); err != nil {
		return nil, err
	}
	var out []alerts.Alert
	var named []string
	for i, f := range everyone {
		list := found[i]
		switch {
		case mayLapse(f.Auths, today):
			list = patientAlerts(f, f.Auths[0].PatientID, payers, now) // Later counted
		case len(list) > 0:
			for j := range list {
				list[j].To = recipients(f, authorization(f, list[j].ID), f.Day(now))
			}
		}
		if len(list) > 0 {
			named = append(named, f.Auths[0].PatientID)
		}
		out = append(out, list...)
	}
	names, err := shortNames(tx, named)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Title = names[out[i].PatientID] + " — " + out[i].Title
	}
	return out, nil
}

// withoutQuiet returns all (ordered by patient) without the patients
// who cannot have an alert today. alertOf raises one for a request by its
// dates alone, none for a denial nor for an ended authorization that a
// renewal carries on, and for an ended one only when a session is still
// booked after its end ("booked after the end" counts only scheduled and
// confirmed sessions after it); every other authorization may alert
// depending on its usage. So a patient whose authorizations are all
// requests that do not alert, denials, or ended, is quiet unless a
// session is booked after the earliest end of those not renewed: one
// probe each, in one query, for those.
func (sh shared) withoutQuiet(tx Store, all []practice.Authorization, today string) ([]practice.Authorization, error) {
	patients := byPatient(all)
	keep := make([]bool, len(patients))
	var probe []store.PatientRange
	for i, auths := range patients {
		ended, quiet := quietBut(auths, today)
		switch from := midnight(ended, sh.zone); {
		case !quiet:
			keep[i] = true
		case ended == "":
			// no alert whatever is booked
		case from.IsZero():
			keep[i] = true // a malformed date: derive it all
		default:
			probe = append(probe, store.PatientRange{PatientID: auths[0].PatientID, From: from.AddDate(0, 0, 1), To: far})
		}
	}
	booked, err := tx.PatientsBookedIn(probe)
	if err != nil {
		return nil, err
	}
	out := make([]practice.Authorization, 0, len(all))
	for i, auths := range patients {
		if keep[i] || booked[auths[0].PatientID] {
			out = append(out, auths...)
		}
	}
	return out, nil
}

// quietBut reports whether none of a patient's authorizations can alert
// today unless a session is booked after an end, and the earliest such end
// ("" when none: they cannot alert at all).
func quietBut(auths []practice.Authorization, today string) (ended string, quiet bool) {
	for _, a := range auths {
		switch {
		case a.Status == practice.AuthRequested || a.Status == practice.AuthDenied:
			if alertOf(View{Authorization: a}, today).Key != "" { // requests by their dates alone
				return "", false
			}
		case a.End >= today || a.End == "":
			return "", false // may alert, or a malformed end: derive it all
		case !renewed(auths, a):
			if ended == "" || a.End < ended {
				ended = a.End
			}
		}
	}
	return ended, true
}

// mayLapse reports whether one of a patient's authorizations has ended
// before today with nothing renewing it: the only kind whose alert counts
// the sessions after its end ("ended with sessions still booked"). Every
// other alert reads the usage inside the windows, or none.
func mayLapse(auths []practice.Authorization, today string) bool {
	for _, a := range auths {
		if a.Status != practice.AuthAuthorized || a.End >= today {
			continue
		}
		if !renewed(auths, a) {
			return true
		}
	}
	return false
}

// renewed reports whether one of auths renews a (views' RenewedBy).
func renewed(auths []practice.Authorization, a practice.Authorization) bool {
	return slices.ContainsFunc(auths, func(x practice.Authorization) bool { return x.RenewsID == a.ID })
}

// authorization is the one of f's authorizations with id.
func authorization(f *Facts, id string) practice.Authorization {
	for _, a := range f.Auths {
		if a.ID == id {
			return a
		}
	}
	return practice.Authorization{}
}

// patientAlerts are the alerts of one patient's authorizations; each
// Title names the payer, and the caller puts the patient's name before it.
func patientAlerts(f *Facts, patientID string, payers map[string]practice.Payer, now time.Time) []alerts.Alert {
	today := f.Day(now)
	var out []alerts.Alert
	for _, v := range views(f, payers, today) {
		a := v.Authorization
		found := alertOf(v, today)
		if found.Key == "" {
			continue
		}
		found.Area, found.Table, found.ID, found.PatientID = "authorizations", "authorizations", a.ID, patientID
		found.Title = v.PayerName + ": " + found.Title
		found.To = recipients(f, a, today)
		out = append(out, found)
	}
	return out
}

// shortNames are the patients' first names and last initials by id.
func shortNames(tx Store, ids []string) (map[string]string, error) {
	who, err := identities(tx, ids)
	out := make(map[string]string, len(who))
	for id, p := range who {
		out[id] = practice.ShortName(p.FirstName, p.LastName)
	}
	return out, err
}

// identities reads the patients' identities in one batch (and nothing
// else of their records): a list naming hundreds of patients must not
// decrypt hundreds of whole records. Every id must exist.
func identities(tx Store, ids []string) (map[string]practice.PatientIdentity, error) {
	who, err := tx.PatientIdentities(ids)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if _, ok := who[id]; !ok {
			return nil, practice.Errorf(practice.ENotFound, "That patient does not exist (they may have been removed on another machine).")
		}
	}
	return who, nil
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
			Title: "ended " + longDate(a.End) + " with " + practice.Plural(u.BookedAfterEnd, "session") + " still booked"}
	case a.End < today:
		return alerts.Alert{}
	case u.Over > 0:
		return alerts.Alert{Key: id + "over", Severity: alerts.Urgent, Kind: KindOver, Due: dayTime(a.End),
			Title: practice.Plural(u.Used+u.Scheduled, noun) + " used or booked of " + strconv.Itoa(a.Authorized) + " authorized"}
	case u.Remaining <= a.WarnRemaining:
		return alerts.Alert{Key: id + "remaining-" + strconv.Itoa(max(0, u.Remaining)), Severity: alerts.Warning, Kind: KindRemaining,
			Due: dayTime(a.End), Title: practice.Plural(max(0, u.Remaining), noun) + " left of " + strconv.Itoa(a.Authorized) + ", expires " + longDate(a.End)}
	case daysBetween(today, a.End) <= a.WarnDays:
		sev := alerts.Notice
		if daysBetween(today, a.End) <= 7 {
			sev = alerts.Warning
		}
		return alerts.Alert{Key: id + "expiring", Severity: sev, Kind: KindExpiring, Due: dayTime(a.End),
			Title: "expires " + longDate(a.End) + ", " + practice.Plural(max(0, u.Remaining), noun) + " left"}
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
	for _, l := range f.Later {
		if l.Ahead && !seen[l.ClinicianID] {
			seen[l.ClinicianID] = true
			to = append(to, alerts.Recipient{ClinicianID: l.ClinicianID})
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
