package sync_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"quietdesk/internal/alerts"
	"quietdesk/internal/authorizations"
	"quietdesk/internal/calendar"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// TestOfflineBookingsOfTheLastAuthorizedSession: two machines, apart, each
// book the last session an EAP authorization allows. After sync both show
// the authorization one session over its limit and the same alert: usage
// is derived from the merged appointments, so no counter can disagree.
func TestOfflineBookingsOfTheLastAuthorizedSession(t *testing.T) {
	ctx := context.Background()
	a := newPractice(t, "A")
	auths := authorizations.NewService()
	cal := calendar.NewService()
	cal.AddSessionsCheck(auths.Check)
	owner := practice.Actor{AccountID: "owner"}

	var patient practice.Patient
	var clin practice.Clinician
	var typ practice.AppointmentType
	var loc practice.Location
	var auth practice.Authorization
	day := func(d int) time.Time { return time.Now().AddDate(0, 0, d).Truncate(time.Hour) }
	session := func(d int) calendar.Booking {
		s := day(d)
		return calendar.Booking{Appointment: practice.Appointment{PatientID: patient.ID, ClinicianID: clin.ID, TypeID: typ.ID,
			LocationID: loc.ID, Start: s, End: s.Add(50 * time.Minute)}}
	}
	book := func(m *machine, b calendar.Booking) calendar.BookingResult {
		t.Helper()
		var res calendar.BookingResult
		if err := m.db.Update(ctx, func(tx *store.Tx) (err error) { res, err = cal.Book(tx, owner, b); return err }); err != nil {
			t.Fatalf("%s: booking: %v", m.name, err)
		}
		return res
	}
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		clin = practice.Clinician{FirstName: "Ana", LastName: "Ruiz", Active: true}
		loc = practice.Location{Name: "Main", Active: true}
		typ = practice.AppointmentType{Name: "Therapy", DurationMin: 50, ServiceCode: "90834", Active: true}
		eap := practice.Payer{Name: "Acme EAP", Kind: practice.PayerEAP, Active: true}
		patient = practice.Patient{Identity: practice.PatientIdentity{FirstName: "Maria", LastName: "Lopez", DOB: "1990-01-01"}, Active: true}
		for _, err := range []error{tx.SaveClinician(&clin), tx.SaveLocation(&loc), tx.SaveAppointmentType(&typ), tx.SavePayer(&eap), tx.CreatePatient(&patient)} {
			if err != nil {
				return err
			}
		}
		if err := tx.SavePolicy(&practice.InsurancePolicy{PatientID: patient.ID, PayerID: eap.ID, Rank: practice.RankPrimary, MemberID: "E1"}); err != nil {
			return err
		}
		v, err := auths.Save(tx, owner, practice.Authorization{PatientID: patient.ID, PayerID: eap.ID, Kind: practice.AuthEAP,
			Status: practice.AuthAuthorized, Unit: practice.UnitSessions, Requested: 2, Authorized: 2, WarnRemaining: 0,
			Start: day(-1).Format(time.DateOnly), End: day(60).Format(time.DateOnly)})
		auth = v.Authorization
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	book(a, session(2)) // 1 of 2
	b := join(t, a, "B")
	unlock(t, b)
	eventually(t, 5*time.Second, "B did not receive the practice", func() bool { return digestsEqual(a, b) })

	// Apart: each books the last session; neither sees a problem.
	b.svc.Stop()
	if res := book(a, session(9)); len(res.Conflicts) != 0 {
		t.Fatalf("A's booking of session 2 of 2: %+v", res.Conflicts)
	}
	if res := book(b, session(16)); len(res.Conflicts) != 0 {
		t.Fatalf("B's booking of session 2 of 2: %+v", res.Conflicts)
	}
	b.start(t)
	eventually(t, 10*time.Second, "the machines did not converge", func() bool { return digestsEqual(a, b) })

	// Both: 3 booked of 2, one over, and the same urgent alert.
	registry := &alerts.Registry{}
	registry.Add(auths.Alerts)
	now := time.Now()
	var seen [][]alerts.Alert
	for _, m := range []*machine{a, b} {
		var views []authorizations.View
		var list []alerts.Alert
		err := m.db.Update(ctx, func(tx *store.Tx) (err error) {
			if views, err = auths.List(tx, owner, patient.ID); err != nil {
				return err
			}
			list, err = registry.All(ctx, tx, now)
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
		if len(views) != 1 || views[0].Usage.Scheduled != 3 || views[0].Usage.Over != 1 || views[0].Usage.Remaining != -1 {
			t.Fatalf("%s: usage %+v; want 3 booked of 2, 1 over", m.name, views)
		}
		if len(list) != 1 || list[0].Key != "auth/"+auth.ID+"/over" || list[0].Severity != alerts.Urgent {
			t.Fatalf("%s: alerts %+v; want the over-limit alert", m.name, list)
		}
		seen = append(seen, list)
	}
	if !reflect.DeepEqual(seen[0], seen[1]) {
		t.Fatalf("the machines show different alerts:\nA %+v\nB %+v", seen[0], seen[1])
	}
}
