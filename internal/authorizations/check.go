package authorizations

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"quietdesk/internal/calendar"
	"quietdesk/internal/practice"
)

// ConflictAuthorization is the kind of the booking check's conflicts.
const ConflictAuthorization practice.ConflictKind = "authorization"

// outside is one way a booking's sessions fall outside authorizations.
type outside struct {
	reason  string // "count", "ended" or "missing"
	authID  string // the authorization ("" for missing)
	payerID string
	indexes []int // the booking's sessions, 0-based
}

// Check is the calendar.SessionsCheck of authorizations. For the sessions
// of one booking (a session, a series' occurrences, or a move) it finds
// those that would pass an authorization's count, fall after its end, or
// have none although the patient's payer requires one, and gives each a
// conflict: hard when the payer's rules refuse such bookings (a person
// then gives an override reason, kept and audited with the appointment),
// a warning otherwise. The first session of each group carries the whole
// story ("Sessions 4–12 are outside …: dates"); the others name their own
// date, so the dialog's first lines say it all.
func (s *Service) Check(tx calendar.Store, sessions []practice.Appointment) ([][]practice.Conflict, error) {
	out := make([][]practice.Conflict, len(sessions))
	st, ok := tx.(Store)
	if !ok || len(sessions) == 0 {
		return out, nil
	}
	patientID := sessions[0].PatientID
	f, err := load(st, patientID)
	if err != nil {
		return nil, err
	}
	// A moved session is counted where it is going, not where it was.
	f.Sessions = slices.DeleteFunc(f.Sessions, func(a practice.Appointment) bool {
		return slices.ContainsFunc(sessions, func(b practice.Appointment) bool { return b.ID != "" && b.ID == a.ID })
	})
	usage := Derive(f)
	taken := map[string]int{}
	for id, u := range usage {
		taken[id] = u.Used + u.Scheduled
	}
	required, err := requiringPayers(st, f, patientID)
	if err != nil {
		return nil, err
	}
	groups := map[string]*outside{}
	var order []string
	add := func(key, reason, authID, payerID string, i int) {
		g, ok := groups[key]
		if !ok {
			g = &outside{reason: reason, authID: authID, payerID: payerID}
			groups[key] = g
			order = append(order, key)
		}
		g.indexes = append(g.indexes, i)
	}
	auths := map[string]practice.Authorization{}
	for _, a := range f.Auths {
		auths[a.ID] = a
	}
	for i, a := range sessions {
		if !a.Status.Open() {
			continue
		}
		id, _, _ := f.Applying(a)
		switch {
		case id != "":
			auth := auths[id]
			taken[id] += Units(a, auth.Unit)
			if taken[id] > auth.Authorized {
				add("count/"+id, "count", id, auth.PayerID, i)
			}
		case f.Lapsed(a) != "":
			lapsed := auths[f.Lapsed(a)]
			add("ended/"+lapsed.ID, "ended", lapsed.ID, lapsed.PayerID, i)
		case len(required) > 0:
			add("missing/"+required[0], "missing", "", required[0], i)
		}
	}
	if len(order) == 0 {
		return out, nil
	}
	payers, err := payerMap(st)
	if err != nil {
		return nil, err
	}
	for _, key := range order {
		g := groups[key]
		rules, ok := f.Rules[g.payerID]
		if !ok {
			rules = practice.DefaultPayerAuthRules(g.payerID)
		}
		hard := rules.Enforcement == practice.EnforceHard
		summary := g.summary(f, sessions, auths[g.authID], payers[g.payerID].Name, usage[g.authID])
		for n, i := range g.indexes {
			msg := summary
			if n > 0 {
				msg = "Session " + strconv.Itoa(i+1) + " (" + shortDate(f.Day(sessions[i].Start)) + ") is outside it too."
			}
			out[i] = append(out[i], practice.Conflict{Kind: ConflictAuthorization, Hard: hard, Message: msg, Start: sessions[i].Start})
		}
	}
	return out, nil
}

// summary is the group's whole story, with every date outside.
func (g *outside) summary(f *Facts, sessions []practice.Appointment, auth practice.Authorization, payer string, u *Usage) string {
	which := "This session is"
	if len(sessions) > 1 {
		which = numbers(g.indexes) + " are"
		if len(g.indexes) == 1 {
			which = numbers(g.indexes) + " is"
		}
	}
	var dates []string
	for _, i := range g.indexes {
		dates = append(dates, shortDate(f.Day(sessions[i].Start)))
	}
	list := ": " + strings.Join(dates, ", ") + "."
	if len(sessions) == 1 {
		list = "."
	}
	noun := "session"
	if auth.Unit == practice.Unit15Min {
		noun = "unit"
	}
	switch g.reason {
	case "count":
		left := 0
		if u != nil {
			left = max(0, auth.Authorized-u.Used-u.Scheduled)
		}
		return fmt.Sprintf("%s outside the %s authorization: %s left of %d (expires %s)%s",
			which, payer, practice.Plural(left, noun), auth.Authorized, longDate(auth.End), list)
	case "ended":
		return fmt.Sprintf("%s outside the %s authorization, which ends %s%s", which, payer, longDate(auth.End), list)
	}
	return fmt.Sprintf("%s not covered: %s requires an authorization and none applies%s", which, payer, list)
}

// numbers names a booking's sessions by their 1-based places, runs
// joined: "Sessions 4–12", "Sessions 2, 5–6", "Session 3".
func numbers(indexes []int) string {
	var parts []string
	for i := 0; i < len(indexes); {
		j := i
		for j+1 < len(indexes) && indexes[j+1] == indexes[j]+1 {
			j++
		}
		part := strconv.Itoa(indexes[i] + 1)
		if j > i {
			part += "–" + strconv.Itoa(indexes[j]+1)
		}
		parts = append(parts, part)
		i = j + 1
	}
	word := "Sessions "
	if len(indexes) == 1 {
		word = "Session "
	}
	return word + strings.Join(parts, ", ")
}

// shortDate is a local date in a list: "23 Mar".
func shortDate(day string) string {
	if len(day) != len("2006-01-02") {
		return day
	}
	return strings.TrimSuffix(longDate(day), " "+day[:4])
}
