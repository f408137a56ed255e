package kiosk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"quietdesk/internal/intake"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	lansync "quietdesk/internal/sync"
)

const refusedWords = "The code and date of birth do not match a check-in for today. Please check both, or ask at the front desk."

// appointmentToday books patientID now, with a clinician, a type and a
// location made for it.
func (o *office) appointmentToday(t *testing.T, patientID string) practice.Appointment {
	t.Helper()
	var a practice.Appointment
	err := o.db.Update(context.Background(), func(tx *store.Tx) error {
		c := practice.Clinician{FirstName: "Ana", LastName: "Ruiz", Active: true}
		if err := tx.SaveClinician(&c); err != nil {
			return err
		}
		loc := practice.Location{Name: "Main Street", Active: true}
		if err := tx.SaveLocation(&loc); err != nil {
			return err
		}
		typ := practice.AppointmentType{Name: "Intake", DurationMin: 60, ServiceCode: "90791", Active: true}
		if err := tx.SaveAppointmentType(&typ); err != nil {
			return err
		}
		start := time.Now().UTC().Truncate(time.Minute)
		a = practice.Appointment{PatientID: patientID, ClinicianID: c.ID, TypeID: typ.ID, LocationID: loc.ID,
			Start: start, End: start.Add(time.Hour), Status: practice.Scheduled}
		return tx.SaveAppointment(&a)
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// codeFor is the check-in code of appointmentID as this office's front
// desk sees it ("" when locked or absent), and whether it is locked.
func (o *office) codeFor(t *testing.T, appointmentID string) (string, bool) {
	t.Helper()
	var list []intake.CheckinCode
	if err := o.db.Update(context.Background(), func(tx *store.Tx) (err error) {
		list, err = intake.Codes(tx, o.owner)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.AppointmentID == appointmentID {
			return c.Code, c.Locked
		}
	}
	return "", false
}

func errText(err error) string {
	var e *practice.Error
	if !errors.As(err, &e) {
		return "not a practice error: " + err.Error()
	}
	return e.Code + ": " + e.Error()
}

// Over the tablet link, real TLS on loopback: what is not shaped like a
// code is named field by field; a wrong date of birth is refused in words
// that say nothing of which part was wrong; the right code and date start
// the patient's session with what "Send to tablet" gives (the first name
// and the signers' names, no date of birth, no other patient), and the
// tablet delivers the packet.
func TestCheckinCodeStartsTheVisitOverTheTabletLink(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	mk := &markers{t: t}
	p := o.patient(t, mk)
	other := o.patient(t, mk)
	a := o.appointmentToday(t, p.ID)
	o.appointmentToday(t, other.ID)
	code, _ := o.codeFor(t, a.ID)
	tab := pair(t, o, t.TempDir())

	_, err := tab.CheckIn(ctx, "12ab56", "1988-02-30")
	var e *practice.Error
	if !errors.As(err, &e) || e.Code != practice.EInvalid || e.Fields["code"] != "A check-in code has only digits." ||
		e.Fields["dob"] != "There is no 30 February 1988." {
		t.Fatalf("bad input: %#v", err)
	}
	if _, err := tab.CheckIn(ctx, code, "1988-04-10"); errText(err) != "wrong_password: "+refusedWords {
		t.Fatalf("a wrong date of birth: %v", err)
	}
	work, err := tab.CheckIn(ctx, code, "1988-04-09")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{p.Identity.DOB, other.Identity.FirstName, other.Identity.LastName} {
		if bytes.Contains(work, []byte(s)) {
			t.Fatalf("the visit carries %q", s)
		}
	}
	var v intake.Visit
	if err := json.Unmarshal(work, &v); err != nil {
		t.Fatal(err)
	}
	if v.PatientID != p.ID || v.AppointmentID != a.ID || v.FirstName != p.Identity.FirstName || v.PacketID != "new-adult" {
		t.Fatalf("visit %+v", v)
	}
	if delivered, err := tab.Submit(ctx, answer(t, v, mk)); err != nil || !delivered {
		t.Fatalf("submit: %v, %v", delivered, err)
	}
	if subs := o.submissions(t); len(subs) != 1 || subs[0].AppointmentID != a.ID {
		t.Fatalf("filed: %+v", subs)
	}
}

// Two office machines in sync compute the same code. A tablet paired with
// the second is refused five times with a wrong date of birth; the code is
// locked on both machines, so the sixth try, with the right date, is
// refused too. The first machine's front desk issues a new code, which
// the tablet uses on the second machine to start the visit.
func TestACodeWorksOnEitherOfTwoSyncedOfficesAndLocksOnBoth(t *testing.T) {
	ctx := context.Background()
	first := newOffice(t)
	mk := &markers{t: t}
	p := first.patient(t, mk)
	a := first.appointmentToday(t, p.ID)
	code, _ := first.codeFor(t, a.ID)

	second := &office{owner: first.owner}
	dir := t.TempDir()
	db, err := store.Open(dir, store.Options{AppVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	second.db = db
	id, err := lansync.LoadIdentity(dir)
	if err != nil {
		t.Fatal(err)
	}
	pw, err := first.svc.OpenPairing(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := lansync.Join(ctx, lansync.JoinOptions{DB: db, Identity: id, Name: "back office", Address: first.svc.Addr(), Code: pw.Code}); err != nil {
		t.Fatal(err)
	}
	second.serve(t, id)
	if _, err := db.Unlock(ctx, "owner", "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	if got, _ := second.codeFor(t, a.ID); got != code {
		t.Fatalf("the second office computes %q, the first %q", got, code)
	}
	tab := pair(t, second, t.TempDir())

	for i := 1; i <= 5; i++ {
		if _, err := tab.CheckIn(ctx, code, "1988-04-1"+string(rune('0'+i))); errText(err) != "wrong_password: "+refusedWords {
			t.Fatalf("wrong try %d: %v", i, err)
		}
	}
	if _, err := tab.CheckIn(ctx, code, "1988-04-09"); errText(err) != "wrong_password: "+refusedWords {
		t.Fatalf("the right date after five wrong tries: %v", err)
	}
	eventually(t, 10*time.Second, "the first office sees the code locked", func() bool {
		_, locked := first.codeFor(t, a.ID)
		return locked
	})

	var fresh intake.CheckinCode
	if err := first.db.Update(ctx, func(tx *store.Tx) (err error) {
		fresh, err = intake.NewCode(tx, first.owner, a.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the second office has the new code", func() bool {
		got, locked := second.codeFor(t, a.ID)
		return got == fresh.Code && !locked
	})
	work, err := tab.CheckIn(ctx, fresh.Code, "1988-04-09")
	if err != nil {
		t.Fatal(err)
	}
	var v intake.Visit
	if err := json.Unmarshal(work, &v); err != nil || v.PatientID != p.ID || v.AppointmentID != a.ID {
		t.Fatalf("visit %+v, %v", v, err)
	}
}

// eventually polls cond for up to d.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
