package authorizations_test

import (
	"cmp"
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"quietdesk/internal/alerts"
	"quietdesk/internal/authorizations"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// varied is a practice whose authorizations raise every kind of alert, and
// none, in the ways the alerts' shortcut must not change: a renewal chain,
// two authorizations overlapping where a person's choice decides, missed
// sessions counted and not (by the payer and by the authorization), units,
// a session left "scheduled" in the past after an end, a session after
// every window that only a lapsed authorization of its code covers, and
// clinicians met only after every window.
type varied struct {
	*fixture
	brief   practice.AppointmentType // 90834
	cleo    practice.Clinician       // seen only after the windows
	ids     map[string]string        // authorization id by name
	patient map[string]string        // patient id by first name
}

func newVaried(t *testing.T) *varied {
	f := &varied{fixture: newFixture(t), ids: map[string]string{}, patient: map[string]string{"María": "", "Noah": ""}}
	f.patient["María"], f.patient["Noah"] = f.maria.ID, f.noah.ID
	f.must(f.update(func(tx *store.Tx) error {
		f.brief = practice.AppointmentType{Name: "Individual 38", DurationMin: 38, ServiceCode: "90834", Active: true}
		if err := tx.SaveAppointmentType(&f.brief); err != nil {
			return err
		}
		f.cleo = practice.Clinician{FirstName: "Cleo", LastName: "Marsh", Active: true}
		if err := tx.SaveClinician(&f.cleo); err != nil {
			return err
		}
		// Blue Plan does not count missed sessions; Acme EAP does (the default).
		rules := practice.DefaultPayerAuthRules(f.blue.ID)
		rules.CountMissed = false
		if err := tx.SavePayerAuthRules(&rules); err != nil {
			return err
		}
		if err := tx.SavePolicy(&practice.InsurancePolicy{PatientID: f.noah.ID, PayerID: f.eap.ID, Rank: practice.RankSecondary, MemberID: "EAP-2"}); err != nil {
			return err
		}
		for _, first := range []string{"Olivia", "Pablo", "Quinn", "Rosa", "Sam", "Tara", "Uma", "Victor"} {
			p := practice.Patient{Identity: practice.PatientIdentity{FirstName: first, LastName: "Test", DOB: "1985-01-01"}, Active: true}
			if err := tx.CreatePatient(&p); err != nil {
				return err
			}
			f.patient[first] = p.ID
			for i, payer := range []string{f.eap.ID, f.blue.ID} {
				ip := practice.InsurancePolicy{PatientID: p.ID, PayerID: payer, Rank: []practice.PolicyRank{practice.RankPrimary, practice.RankSecondary}[i],
					MemberID: fmt.Sprintf("M-%s-%d", first, i)}
				if err := tx.SavePolicy(&ip); err != nil {
					return err
				}
			}
		}
		return nil
	}))
	eap := func(who string, n int, start, end string) practice.Authorization {
		return practice.Authorization{PatientID: f.patient[who], PayerID: f.eap.ID, Kind: practice.AuthEAP, Status: practice.AuthAuthorized,
			Unit: practice.UnitSessions, Requested: n, Authorized: n, Start: start, End: end, WarnRemaining: 1, WarnDays: 7}
	}
	blue := func(who string, n int, start, end string) practice.Authorization {
		return practice.Authorization{PatientID: f.patient[who], PayerID: f.blue.ID, Kind: practice.AuthPrior, Status: practice.AuthAuthorized,
			Unit: practice.UnitSessions, Requested: n, Authorized: n, Start: start, End: end, WarnRemaining: 2, WarnDays: 21}
	}
	add := func(name string, a practice.Authorization) {
		if a.RenewsID != "" {
			a.RenewsID = f.ids[a.RenewsID]
		}
		f.ids[name] = f.save(a).Authorization.ID
	}
	// María: January–February's benefit, renewed for March (3 sessions).
	add("A1", eap("María", 4, "2027-01-01", "2027-02-28"))
	a2 := eap("María", 3, "2027-03-01", "2027-03-31")
	a2.RenewsID = "A1"
	add("A2", a2)
	// Noah: Blue Plan for 90837 from mid-February to June, and Acme EAP in
	// March for any service: both apply to his March sessions.
	b1 := blue("Noah", 10, "2027-02-15", "2027-06-30")
	b1.ServiceCodes = []string{"90837"}
	add("B1", b1)
	add("B2", eap("Noah", 2, "2027-03-01", "2027-03-31"))
	// Olivia: last year's authorization, long over; a request for April.
	add("C1", blue("Olivia", 12, "2026-06-01", "2026-09-30"))
	c2 := blue("Olivia", 0, "2027-04-01", "2027-06-30")
	c2.Status, c2.Requested, c2.RequestedOn = practice.AuthRequested, 6, "2027-03-15"
	add("C2", c2)
	// Pablo: January's authorization, a February session never marked.
	add("D1", blue("Pablo", 6, "2027-01-01", "2027-01-31"))
	// Quinn: ends 25 March with most of it left.
	add("E1", eap("Quinn", 10, "2027-03-01", "2027-03-25"))
	// Rosa: 16 units, missed sessions counted although Blue Plan does not.
	f1 := blue("Rosa", 16, "2027-03-01", "2027-05-31")
	f1.Unit, f1.CountMissed, f1.WarnRemaining, f1.WarnDays = practice.Unit15Min, practice.CountMissedYes, 4, 14
	add("F1", f1)
	// Sam: denied.
	s1 := blue("Sam", 0, "2027-03-01", "2027-05-31")
	s1.Status, s1.Requested = practice.AuthDenied, 8
	add("S1", s1)
	// Tara: 90834 until February, then 90837 from March.
	g1 := blue("Tara", 6, "2027-01-01", "2027-02-28")
	g1.ServiceCodes = []string{"90834"}
	add("G1", g1)
	g2 := eap("Tara", 8, "2027-03-01", "2027-06-30")
	g2.ServiceCodes = []string{"90837"}
	add("G2", g2)
	// Uma: asked for on 20 February, no answer.
	u1 := eap("Uma", 0, "2027-03-01", "2027-04-30")
	u1.Status, u1.Requested, u1.RequestedOn = practice.AuthRequested, 6, "2027-02-20"
	add("U1", u1)
	// Victor: one session granted, none booked.
	add("V1", eap("Victor", 1, "2027-03-01", "2027-04-30"))

	type s struct {
		who, at string
		c       practice.Clinician
		brief   bool
		status  practice.Status
		late    bool // cancelled late by the patient
		actual  int  // minutes actually kept (0: not recorded)
		chooses string
	}
	sessions := []s{
		{who: "María", at: "2027-01-05 10:00", c: f.ana, status: practice.Completed},
		{who: "María", at: "2027-01-12 10:00", c: f.ana, status: practice.NoShow},
		{who: "María", at: "2027-01-19 10:00", c: f.ana, status: practice.Cancelled, late: true},
		{who: "María", at: "2027-01-26 10:00", c: f.ana, status: practice.Completed},
		{who: "María", at: "2027-02-09 10:00", c: f.ana, status: practice.Completed},
		{who: "Noah", at: "2027-02-22 11:00", c: f.ben, status: practice.Completed},
		{who: "Noah", at: "2027-03-03 11:00", c: f.ben, status: practice.NoShow},
		{who: "Noah", at: "2027-03-10 11:00", c: f.ben, chooses: "B1"},
		{who: "Noah", at: "2027-03-17 11:00", c: f.ben},
		{who: "Noah", at: "2027-03-24 11:00", c: f.ben},
		{who: "Noah", at: "2027-07-14 11:00", c: f.ana}, // after every window
		{who: "Pablo", at: "2027-01-06 09:00", c: f.ana, status: practice.Completed},
		{who: "Pablo", at: "2027-01-13 09:00", c: f.ana, status: practice.Completed},
		{who: "Pablo", at: "2027-01-20 09:00", c: f.ana, status: practice.Completed},
		{who: "Pablo", at: "2027-01-27 09:00", c: f.ana, status: practice.Completed},
		{who: "Pablo", at: "2027-02-10 09:00", c: f.ana},                              // never marked
		{who: "Pablo", at: "2027-04-14 09:00", c: f.cleo, status: practice.Cancelled}, // ahead, cancelled
		{who: "Quinn", at: "2027-03-02 14:00", c: f.ben, status: practice.Completed},
		{who: "Quinn", at: "2027-03-09 14:00", c: f.ben, status: practice.Completed},
		{who: "Quinn", at: "2027-03-16 14:00", c: f.ben, status: practice.Completed},
		{who: "Quinn", at: "2027-04-01 14:00", c: f.cleo},
		{who: "Rosa", at: "2027-03-02 10:00", c: f.ben, status: practice.Completed, actual: 40},
		{who: "Rosa", at: "2027-03-09 10:00", c: f.ben, status: practice.NoShow},
		{who: "Rosa", at: "2027-03-16 10:00", c: f.ben, status: practice.Completed},
		{who: "Rosa", at: "2027-03-23 10:00", c: f.ben},
		{who: "Sam", at: "2027-03-04 15:00", c: f.ana, status: practice.Completed},
		{who: "Sam", at: "2027-03-25 15:00", c: f.ana},
		{who: "Tara", at: "2027-01-12 16:00", c: f.ana, brief: true, status: practice.Completed},
		{who: "Tara", at: "2027-02-09 16:00", c: f.ana, brief: true, status: practice.Completed},
		{who: "Tara", at: "2027-03-09 16:00", c: f.ana, status: practice.Completed},
		{who: "Tara", at: "2027-03-23 16:00", c: f.ana},
		{who: "Tara", at: "2027-07-13 16:00", c: f.ben, brief: true}, // only the lapsed G1 covers 90834
		{who: "Uma", at: "2027-03-04 12:00", c: f.ben},
		{who: "Uma", at: "2027-06-10 12:00", c: f.cleo},
	}
	for _, day := range []string{"2027-03-02", "2027-03-09", "2027-03-16", "2027-03-23", "2027-03-30", "2027-04-06"} {
		sessions = append(sessions, s{who: "María", at: day + " 10:00", c: f.ana})
	}
	for _, day := range []string{"2027-04-07", "2027-04-21", "2027-05-05", "2027-05-19", "2027-06-02", "2027-06-16", "2027-06-30"} {
		sessions = append(sessions, s{who: "Noah", at: day + " 11:00", c: f.ben})
	}
	for _, month := range []string{"2026-06", "2026-08", "2026-10", "2026-12", "2027-02"} {
		sessions = append(sessions, s{who: "Olivia", at: month + "-15 13:00", c: f.ana, status: practice.Completed})
	}
	f.must(f.update(func(tx *store.Tx) error {
		for _, x := range sessions {
			a := practice.Appointment{PatientID: f.patient[x.who], ClinicianID: x.c.ID, TypeID: f.therapy.ID, LocationID: f.office.ID,
				Start: f.at(x.at), Status: cmp.Or(x.status, practice.Scheduled)}
			a.End = a.Start.Add(53 * time.Minute)
			if x.brief {
				a.TypeID, a.End = f.brief.ID, a.Start.Add(38*time.Minute)
			}
			if x.late {
				a.CancelledBy, a.LateCancel = practice.ByPatient, true
			} else if a.Status == practice.Cancelled {
				a.CancelledBy = practice.ByPractice
			}
			if x.actual > 0 {
				a.ActualStart, a.ActualEnd = a.Start, a.Start.Add(time.Duration(x.actual)*time.Minute)
			}
			if err := tx.SaveAppointment(&a); err != nil {
				return fmt.Errorf("%s %s: %w", x.who, x.at, err)
			}
			if x.chooses != "" {
				if err := f.auths.Choose(tx, f.biller, a.ID, f.ids[x.chooses]); err != nil {
					return err
				}
			}
		}
		return nil
	}))
	return f
}

// alertsAt returns the alerts as of the local time day, the three ways.
func (f *varied) alertsAt(t *testing.T, day string) (got, unfiltered, oneByOne []alerts.Alert) {
	t.Helper()
	now := f.fixture.at(day)
	f.clock.Set(now)
	f.must(f.db.View(context.Background(), func(tx *store.Tx) (err error) {
		if got, err = f.auths.Alerts(context.Background(), tx, now); err != nil {
			return err
		}
		if unfiltered, err = f.auths.AlertsUnfiltered(tx, now); err != nil {
			return err
		}
		oneByOne, err = f.auths.AlertsOneByOne(tx, now)
		return err
	}))
	return got, unfiltered, oneByOne
}

// sortedTo is list with each alert's recipients in one order: they are a
// set (alerts.Alert.Reaches), listed in the order the facts were read.
func sortedTo(list []alerts.Alert) []alerts.Alert {
	out := slices.Clone(list)
	for i := range out {
		out[i].To = slices.Clone(out[i].To)
		slices.SortFunc(out[i].To, func(x, y alerts.Recipient) int {
			return cmp.Or(cmp.Compare(x.Role, y.Role), cmp.Compare(x.ClinicianID, y.ClinicianID))
		})
	}
	return out
}

// TestAlertsReadOnlyWhatCanChangeThem: Alerts counts the sessions after
// every window only for the patients whose alerts they can change, and
// reads no sealed group; it must raise exactly the alerts, with the same
// titles and recipients, that deriving everything raises, on every day of
// a practice with every kind of alert.
func TestAlertsReadOnlyWhatCanChangeThem(t *testing.T) {
	f := newVaried(t)
	kinds := map[string]bool{}
	for _, day := range []string{"2027-01-10 08:00", "2027-02-01 08:00", "2027-03-01 08:00", "2027-03-20 08:00", "2027-03-31 23:30",
		"2027-04-02 09:00", "2027-05-20 08:00", "2027-07-01 08:00", "2027-07-20 08:00"} {
		got, unfiltered, oneByOne := f.alertsAt(t, day)
		if !reflect.DeepEqual(got, unfiltered) {
			t.Errorf("%s: Alerts\n%+v\nwant, as when everything is read,\n%+v", day, got, unfiltered)
		}
		if !reflect.DeepEqual(sortedTo(got), sortedTo(oneByOne)) {
			t.Errorf("%s: Alerts\n%+v\nwant, as each patient's own facts give,\n%+v", day, got, oneByOne)
		}
		for _, a := range got {
			kinds[a.Kind] = true
		}
	}
	for _, k := range []string{authorizations.KindOver, authorizations.KindExpired, authorizations.KindRemaining, authorizations.KindExpiring, authorizations.KindRequested} {
		if !kinds[k] {
			t.Errorf("no %q alert on any day: the fixture no longer covers it", k)
		}
	}

	// 20 March, worked out by hand.
	got, _, _ := f.alertsAt(t, "2027-03-20 08:00")
	byKey := map[string]alerts.Alert{}
	for _, a := range got {
		byKey[a.Key] = a
	}
	key := func(name, band string) string { return "auth/" + f.ids[name] + "/" + band }
	want := map[string]string{
		// A1 ended on 28 February but A2 renews it; A2 has 5 booked of 3 (2–30 March).
		key("A2", "over"): "María G. — Acme EAP: 5 sessions used or booked of 3 authorized",
		// B2 (ends first) takes the 3 March no-show (Acme counts it) and
		// the 17th and 24th; the 10th was chosen for B1.
		key("B2", "over"): "Noah F. — Acme EAP: 3 sessions used or booked of 2 authorized",
		// B1: 22 February kept, 10 March chosen, 7 booked April–June: 1 left.
		key("B1", "remaining-1"): "Noah F. — Blue Plan: 1 session left of 10, expires 30 Jun 2027",
		// 10 February was never marked: still booked after the end.
		key("D1", "expired-booked"): "Pablo T. — Blue Plan: ended 31 Jan 2027 with 1 session still booked",
		key("E1", "expiring"):       "Quinn T. — Acme EAP: expires 25 Mar 2027, 7 sessions left",
		// 3 units kept (40 minutes), 4 missed (counted here), 4 kept, 4 booked.
		key("F1", "remaining-1"): "Rosa T. — Blue Plan: 1 unit left of 16, expires 31 May 2027",
		// 13 July is a 90834 session: only G1 covers that code.
		key("G1", "expired-booked"): "Tara T. — Blue Plan: ended 28 Feb 2027 with 1 session still booked",
		key("U1", "requested"):      "Uma T. — Acme EAP: requested 20 Feb 2027, no answer yet",
		key("V1", "remaining-1"):    "Victor T. — Acme EAP: 1 session left of 1, expires 30 Apr 2027",
	}
	if len(got) != len(want) {
		t.Errorf("20 March: %d alerts, want %d: %+v", len(got), len(want), got)
	}
	for k, title := range want {
		if byKey[k].Title != title {
			t.Errorf("20 March: alert %s titled %q, want %q", k, byKey[k].Title, title)
		}
	}
	// Met only after every window (Later): Cleo sees Quinn on 1 April and
	// Uma in June, and had Pablo's cancelled 14 April; Ana sees Noah in July.
	for _, c := range []struct {
		key       string
		clinician practice.Clinician
	}{{key("E1", "expiring"), f.cleo}, {key("U1", "requested"), f.cleo}, {key("D1", "expired-booked"), f.cleo},
		{key("B1", "remaining-1"), f.ana}, {key("B2", "over"), f.ana}} {
		if !byKey[c.key].Reaches(alerts.Who{Role: practice.RoleClinician, ClinicianID: c.clinician.ID}) {
			t.Errorf("20 March: %s does not reach %s: %+v", c.key, c.clinician.FirstName, byKey[c.key].To)
		}
	}
}
