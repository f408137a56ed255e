package authorizations_test

import (
	"testing"
	"time"

	"quietdesk/internal/authorizations"
	"quietdesk/internal/practice"
)

// The usage rules, table-tested with expectations counted by hand from the
// sessions listed in each case (never read back from the code).

var utc = time.UTC

// sess is an appointment of type "therapy" (90837) starting on day at
// 10:00 UTC for minutes, in status st.
func sess(id, day string, minutes int, st practice.Status) practice.Appointment {
	start, err := time.Parse("2006-01-02 15:04", day+" 10:00")
	if err != nil {
		panic(err)
	}
	return practice.Appointment{ID: id, PatientID: "pt", TypeID: "therapy", Start: start, End: start.Add(time.Duration(minutes) * time.Minute), Status: st}
}

func lateCancel(a practice.Appointment, by practice.CancelledBy) practice.Appointment {
	a.Status, a.CancelledBy, a.LateCancel = practice.Cancelled, by, by == practice.ByPatient
	return a
}

func kept(a practice.Appointment, actualMinutes int) practice.Appointment {
	a.Status, a.ActualStart, a.ActualEnd = practice.Completed, a.Start, a.Start.Add(time.Duration(actualMinutes)*time.Minute)
	return a
}

func auth(id, start, end string, authorized int) practice.Authorization {
	return practice.Authorization{ID: id, PatientID: "pt", PayerID: "eap", Kind: practice.AuthEAP, Status: practice.AuthAuthorized,
		Unit: practice.UnitSessions, Authorized: authorized, Start: start, End: end}
}

// everyStatus is one session in each state of the calendar's lifecycle.
func everyStatus() []practice.Appointment {
	return []practice.Appointment{
		sess("s1", "2027-03-02", 50, practice.Scheduled),
		sess("s2", "2027-03-03", 50, practice.Confirmed),
		sess("s3", "2027-03-04", 50, practice.CheckedIn),
		sess("s4", "2027-03-05", 50, practice.Completed),
		lateCancel(sess("s5", "2027-03-08", 50, practice.Cancelled), practice.ByPractice), // the practice's: never counts
		lateCancel(sess("s6", "2027-03-09", 50, practice.Cancelled), practice.ByPatient),  // late, by the patient
		{ID: "s7", PatientID: "pt", TypeID: "therapy", Status: practice.Cancelled, CancelledBy: practice.ByPatient, // in good time
			Start: sess("", "2027-03-10", 50, "").Start, End: sess("", "2027-03-10", 50, "").End},
		sess("s8", "2027-03-11", 50, practice.NoShow),
	}
}

func rules(countMissed, countUpcoming bool) map[string]practice.PayerAuthRules {
	return map[string]practice.PayerAuthRules{"eap": {PayerID: "eap", Enforcement: practice.EnforceWarn, CountMissed: countMissed, CountUpcoming: countUpcoming}}
}

type want struct {
	scheduled, kept, lateCancels, noShows, used, remaining, over, afterEnd int
}

func TestDeriveUsage(t *testing.T) {
	codes := map[string]string{"therapy": "90837", "intake": "90791"}
	march := auth("A", "2027-03-01", "2027-03-31", 6)
	withMissed := func(a practice.Authorization, c practice.CountMissed) practice.Authorization {
		a.CountMissed = c
		return a
	}
	units := march
	units.Unit, units.Authorized = practice.Unit15Min, 12

	cases := []struct {
		name     string
		auths    []practice.Authorization
		rules    map[string]practice.PayerAuthRules
		sessions []practice.Appointment
		want     map[string]want
		outside  []string // appointment ids past the count
	}{
		// 2 booked (s1, s2), 2 kept (s3 checked in, s4), s6 late-cancelled by the patient, s8 no-show:
		// used 2+1+1 = 4, remaining 6-4-2 = 0.
		{name: "EveryStatusCountingMissed", auths: []practice.Authorization{march}, rules: rules(true, true), sessions: everyStatus(),
			want: map[string]want{"A": {scheduled: 2, kept: 2, lateCancels: 1, noShows: 1, used: 4, remaining: 0}}},
		// Missed sessions free: used 2, remaining 6-2-2 = 2.
		{name: "EveryStatusNotCountingMissed", auths: []practice.Authorization{march}, rules: rules(false, true), sessions: everyStatus(),
			want: map[string]want{"A": {scheduled: 2, kept: 2, used: 2, remaining: 2}}},
		{name: "AuthorizationOverridesPayerToCount", auths: []practice.Authorization{withMissed(march, practice.CountMissedYes)}, rules: rules(false, true),
			sessions: everyStatus(), want: map[string]want{"A": {scheduled: 2, kept: 2, lateCancels: 1, noShows: 1, used: 4, remaining: 0}}},
		{name: "AuthorizationOverridesPayerNotToCount", auths: []practice.Authorization{withMissed(march, practice.CountMissedNo)}, rules: rules(true, true),
			sessions: everyStatus(), want: map[string]want{"A": {scheduled: 2, kept: 2, used: 2, remaining: 2}}},
		// Upcoming sessions not subtracted: remaining 6-4 = 2.
		{name: "UpcomingNotCounted", auths: []practice.Authorization{march}, rules: rules(true, false), sessions: everyStatus(),
			want: map[string]want{"A": {scheduled: 2, kept: 2, lateCancels: 1, noShows: 1, used: 4, remaining: 2}}},
		// No payer rules saved: the defaults count missed and upcoming sessions.
		{name: "DefaultRules", auths: []practice.Authorization{march}, sessions: everyStatus(),
			want: map[string]want{"A": {scheduled: 2, kept: 2, lateCancels: 1, noShows: 1, used: 4, remaining: 0}}},
		// 15-minute units by the 8-minute rule: kept 45 actual minutes = 3; booked 53 = 4;
		// no-show of 30 = 2; booked 5 = 1 (at least one). Remaining 12-5-5 = 2.
		{name: "Units", auths: []practice.Authorization{units}, rules: rules(true, true), sessions: []practice.Appointment{
			kept(sess("u1", "2027-03-02", 53, ""), 45),
			sess("u2", "2027-03-09", 53, practice.Scheduled),
			sess("u3", "2027-03-16", 30, practice.NoShow),
			sess("u4", "2027-03-23", 5, practice.Scheduled),
		}, want: map[string]want{"A": {scheduled: 5, kept: 3, noShows: 2, used: 5, remaining: 2}}},
		// Three authorized, five booked: the 4th and 5th by date are outside.
		{name: "Over", auths: []practice.Authorization{auth("A", "2027-03-01", "2027-03-31", 3)}, rules: rules(true, true),
			sessions: []practice.Appointment{
				sess("o5", "2027-03-29", 50, practice.Scheduled), sess("o1", "2027-03-01", 50, practice.Completed),
				sess("o2", "2027-03-08", 50, practice.Scheduled), sess("o3", "2027-03-15", 50, practice.Scheduled),
				sess("o4", "2027-03-22", 50, practice.Scheduled),
			}, want: map[string]want{"A": {scheduled: 4, kept: 1, used: 1, remaining: -2, over: 2}}, outside: []string{"o4", "o5"}},
		// A (March) and B (15 March – April) overlap: 20 March uses A, ending first;
		// 5 April only B applies.
		{name: "TwoOverlapping", auths: []practice.Authorization{march, auth("B", "2027-03-15", "2027-04-30", 10)}, rules: rules(true, true),
			sessions: []practice.Appointment{sess("x1", "2027-03-20", 50, practice.Completed), sess("x2", "2027-04-05", 50, practice.Scheduled)},
			want:     map[string]want{"A": {kept: 1, used: 1, remaining: 5}, "B": {scheduled: 1, remaining: 9}}},
		// The renewal takes April's sessions; March's stay with the first period.
		{name: "RenewalChain", auths: []practice.Authorization{auth("A", "2027-03-01", "2027-03-31", 2),
			func() practice.Authorization {
				r := auth("R", "2027-04-01", "2027-04-30", 4)
				r.RenewsID = "A"
				return r
			}()},
			rules: rules(true, true), sessions: []practice.Appointment{
				sess("r1", "2027-03-10", 50, practice.Completed), sess("r2", "2027-03-24", 50, practice.Completed),
				sess("r3", "2027-04-07", 50, practice.Scheduled), sess("r4", "2027-04-14", 50, practice.Scheduled),
			}, want: map[string]want{"A": {kept: 2, used: 2, remaining: 0}, "R": {scheduled: 2, remaining: 2}}},
		// A session moved from 30 March to 6 April leaves March's count and is booked after its end.
		{name: "MovedOutOfWindow", auths: []practice.Authorization{march}, rules: rules(true, true),
			sessions: []practice.Appointment{sess("m1", "2027-03-02", 50, practice.Completed), sess("m2", "2027-04-06", 50, practice.Scheduled)},
			want:     map[string]want{"A": {kept: 1, used: 1, remaining: 5, afterEnd: 1}}},
		// Codes: an authorization for 90837 does not count a 90791 intake.
		{name: "ServiceCode", auths: []practice.Authorization{func() practice.Authorization { a := march; a.ServiceCodes = []string{"90837"}; return a }()},
			rules: rules(true, true), sessions: []practice.Appointment{
				sess("c1", "2027-03-02", 50, practice.Completed),
				func() practice.Appointment {
					a := sess("c2", "2027-03-03", 60, practice.Completed)
					a.TypeID = "intake"
					return a
				}(),
			}, want: map[string]want{"A": {kept: 1, used: 1, remaining: 5}}},
		// A request not yet granted covers nothing.
		{name: "RequestedCoversNothing", auths: []practice.Authorization{func() practice.Authorization {
			a := march
			a.Status, a.Authorized, a.Requested = practice.AuthRequested, 0, 6
			return a
		}()}, rules: rules(true, true), sessions: []practice.Appointment{sess("q1", "2027-03-02", 50, practice.Scheduled)},
			want: map[string]want{"A": {}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := &authorizations.Facts{Zone: utc, Auths: c.auths, Rules: c.rules, Codes: codes, Sessions: c.sessions}
			got := authorizations.Derive(f)
			for id, w := range c.want {
				u := got[id]
				g := want{u.Scheduled, u.Kept, u.LateCancels, u.NoShows, u.Used, u.Remaining, u.Over, u.BookedAfterEnd}
				if g != w {
					t.Errorf("%s: got %+v, want %+v", id, g, w)
				}
			}
			var outside []string
			for _, id := range []string{"A", "B", "R"} {
				if u, ok := got[id]; ok {
					for _, su := range u.Sessions {
						if su.Outside {
							outside = append(outside, su.AppointmentID)
						}
					}
				}
			}
			if len(outside) != len(c.outside) || (len(outside) > 0 && (outside[0] != c.outside[0] || outside[len(outside)-1] != c.outside[len(c.outside)-1])) {
				t.Errorf("outside %v, want %v", outside, c.outside)
			}
		})
	}
}

// TestApplying: which authorization a session uses when two apply, and a
// person's choice between them.
func TestApplying(t *testing.T) {
	a, b := auth("A", "2027-03-01", "2027-03-31", 6), auth("B", "2027-03-15", "2027-04-30", 10)
	s := sess("x", "2027-03-20", 50, practice.Scheduled)
	f := &authorizations.Facts{Zone: utc, Auths: []practice.Authorization{b, a}, Codes: map[string]string{"therapy": "90837"}}
	if id, cands, amb := f.Applying(s); id != "A" || len(cands) != 2 || !amb {
		t.Fatalf("no choice: got %q %v ambiguous=%v; want A (ends first) of 2, ambiguous", id, cands, amb)
	}
	f.Choices = map[string]string{"x": "B"}
	if id, _, amb := f.Applying(s); id != "B" || amb {
		t.Fatalf("chosen B: got %q ambiguous=%v", id, amb)
	}
	f.Choices = map[string]string{"x": "gone"} // a choice that no longer applies falls back to the rule
	if id, _, amb := f.Applying(s); id != "A" || !amb {
		t.Fatalf("stale choice: got %q ambiguous=%v", id, amb)
	}
	f.Choices, f.Sessions = map[string]string{"x": "B"}, []practice.Appointment{s}
	got := authorizations.Derive(f)
	if got["B"].Scheduled != 1 || got["A"].Scheduled != 0 {
		t.Fatalf("a chosen authorization counts the session: A %+v B %+v", got["A"], got["B"])
	}
	// Local dates: 23:30 on 31 March in Chicago is 1 April in UTC, still March's.
	chicago, _ := time.LoadLocation("America/Chicago")
	late := practice.Appointment{ID: "l", TypeID: "therapy", Start: time.Date(2027, 4, 1, 4, 30, 0, 0, time.UTC), Status: practice.Scheduled}
	f = &authorizations.Facts{Zone: chicago, Auths: []practice.Authorization{a}, Codes: map[string]string{"therapy": "90837"}}
	if id, _, _ := f.Applying(late); id != "A" {
		t.Fatalf("a session at 23:30 local on the last day: got %q, want A", id)
	}
}
