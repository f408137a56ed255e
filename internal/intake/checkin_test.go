package intake_test

import (
	"context"
	"errors"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/intake"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

const refused = "The code and date of birth do not match a check-in for today. Please check both, or ask at the front desk."

// codes is today's check-in codes as by sees them.
func (f *fixture) codes(by practice.Actor) []intake.CheckinCode {
	f.t.Helper()
	var out []intake.CheckinCode
	if err := f.db.Update(context.Background(), func(tx *store.Tx) (err error) {
		out, err = intake.Codes(tx, by)
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	return out
}

// code is the code of Maria's appointment today.
func (f *fixture) code() intake.CheckinCode {
	f.t.Helper()
	list := f.codes(f.desk)
	if len(list) != 1 || list[0].AppointmentID != f.visit.ID {
		f.t.Fatalf("today's codes: %+v", list)
	}
	return list[0]
}

func (f *fixture) newCode(by practice.Actor, appointmentID string) (intake.CheckinCode, error) {
	var out intake.CheckinCode
	err := f.db.Update(context.Background(), func(tx *store.Tx) (err error) {
		out, err = intake.NewCode(tx, by, appointmentID)
		return err
	})
	return out, err
}

// message is err's code and message, and its fields' problems.
func message(err error) string {
	var e *practice.Error
	if !errors.As(err, &e) {
		return "not a practice error: " + err.Error()
	}
	return e.Code + ": " + e.Error()
}

// audited is the audit trail's entries of action exactly ("" for all), newest first.
func (f *fixture) audited(action string) []store.AuditEntry {
	f.t.Helper()
	var all []store.AuditEntry
	if err := f.db.View(context.Background(), func(tx *store.Tx) (err error) {
		all, err = tx.AuditEntries(store.AuditQuery{Action: action})
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	var out []store.AuditEntry
	for _, e := range all {
		if action == "" || e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

// The front desk sees one code for Maria's appointment today, six digits;
// Ben, a clinician who does not see Maria, sees none. Maria's code and
// date of birth start her new-patient packet for that appointment.
func TestCheckinCodeAndDateOfBirthStartTheVisit(t *testing.T) {
	f := newFixture(t)
	c := f.code()
	if !regexp.MustCompile(`^[0-9]{6}$`).MatchString(c.Code) || c.Locked || c.PatientName != "Maria Lopez" || c.PacketID != "" {
		t.Fatalf("code %+v", c)
	}
	if list := f.codes(f.ben); len(list) != 0 {
		t.Fatalf("Ben sees %+v", list)
	}
	if again := f.code(); again.Code != c.Code {
		t.Fatalf("the code changed from %s to %s without a new one being issued", c.Code, again.Code)
	}
	desk := intake.NewDesk(f.db, slog.Default(), nil)
	v, err := desk.CheckIn(context.Background(), "tablet-1", " "+c.Code[:3]+"-"+c.Code[3:]+" ", "1990-05-04")
	if err != nil {
		t.Fatal(err)
	}
	if v.PatientID != f.maria.ID || v.AppointmentID != f.visit.ID || v.PacketID != "new-adult" || v.FirstName != "Maria" || len(v.Forms) == 0 {
		t.Fatalf("visit %+v", v)
	}
	if got := f.audited("intake.checkin"); len(got) != 1 || got[0].RecordID != f.visit.ID || got[0].Table != "appointments" {
		t.Fatalf("audit %+v", got)
	}

	// Once Maria's packet is in, her appointment has nothing left to do:
	// the code is gone and works no more.
	if _, created, err := f.submit(f.filled(f.maria.ID, f.visit.ID, "new-adult", practice.English, calm)); err != nil || !created {
		t.Fatalf("submit: %v", err)
	}
	if list := f.codes(f.desk); len(list) != 0 {
		t.Fatalf("codes after the packet arrived: %+v", list)
	}
	if _, err := desk.CheckIn(context.Background(), "tablet-1", c.Code, "1990-05-04"); message(err) != "wrong_password: "+refused {
		t.Fatalf("the used code: %v", err)
	}
	// A year on, her yearly update is due: a code again, for that packet.
	f.now = f.now.AddDate(1, 0, 1)
	if err := f.db.Update(context.Background(), func(tx *store.Tx) error {
		a := f.visit
		a.ID, a.Start, a.End = "", f.now.Add(time.Hour), f.now.Add(2*time.Hour)
		return tx.SaveAppointment(&a)
	}); err != nil {
		t.Fatal(err)
	}
	if list := f.codes(f.desk); len(list) != 1 || list[0].PacketID != "annual" {
		t.Fatalf("a year later: %+v", list)
	}
}

// A wrong date of birth is refused with words that do not say which part
// was wrong; the fifth wrong try locks the code, so the sixth is refused
// even with the right date. The front desk sees it locked and issues a new
// code, which works; the old one does not. Every try is audited by
// appointment, and no date of birth is in the audit trail.
func TestTheFifthWrongTryLocksTheCode(t *testing.T) {
	f := newFixture(t)
	c := f.code()
	desk := intake.NewDesk(f.db, slog.Default(), nil)
	for i := 1; i <= 5; i++ {
		_, err := desk.CheckIn(context.Background(), "tablet-1", c.Code, "1990-05-0"+string(rune('4'+i)))
		if message(err) != "wrong_password: "+refused {
			t.Fatalf("wrong try %d: %v", i, err)
		}
	}
	if _, err := desk.CheckIn(context.Background(), "tablet-1", c.Code, "1990-05-04"); message(err) != "wrong_password: "+refused {
		t.Fatalf("the right date on a locked code: %v", err)
	}
	locked := f.code()
	if !locked.Locked || locked.Code != "" {
		t.Fatalf("after five wrong tries: %+v", locked)
	}
	if n := len(f.audited("intake.checkin.wrong")); n != 5 {
		t.Fatalf("%d wrong tries audited, want 5", n)
	}
	if got := f.audited("intake.checkin.locked"); len(got) != 1 || got[0].RecordID != f.visit.ID {
		t.Fatalf("lock audited: %+v", got)
	}
	if got := f.audited("intake.checkin.refused"); len(got) != 1 || got[0].RecordID != f.visit.ID {
		t.Fatalf("the try on the locked code audited: %+v", got)
	}

	if _, err := f.newCode(f.ben, f.visit.ID); practice.ErrorCode(err) != practice.EForbidden {
		t.Fatalf("Ben issuing Maria's code: %v", err)
	}
	fresh, err := f.newCode(f.desk, f.visit.ID)
	if err != nil {
		t.Fatal(err)
	}
	if fresh.Locked || fresh.Code == "" || fresh.Code == c.Code {
		t.Fatalf("new code %+v (old %s)", fresh, c.Code)
	}
	if _, err := desk.CheckIn(context.Background(), "tablet-1", c.Code, "1990-05-04"); message(err) != "wrong_password: "+refused {
		t.Fatalf("the replaced code: %v", err)
	}
	if v, err := desk.CheckIn(context.Background(), "tablet-1", fresh.Code, "1990-05-04"); err != nil || v.PatientID != f.maria.ID {
		t.Fatalf("the new code: %+v, %v", v, err)
	}
	if got := f.audited("intake.checkin.newcode"); len(got) != 1 || got[0].AccountID != f.desk.AccountID {
		t.Fatalf("new code audited: %+v", got)
	}
	for _, e := range f.audited("") {
		if strings.Contains(e.RecordID, "1990") || strings.Contains(e.Action, "1990") {
			t.Fatalf("a date of birth in the audit trail: %+v", e)
		}
	}
}

// A code is good on its appointment's day only, and not for a cancelled
// appointment; a code for another day or an appointment without one is
// refused like a wrong date, and "New code" is refused for them.
func TestCodesFromYesterdayOrForACancelledAppointmentAreRefused(t *testing.T) {
	t.Run("Yesterday", func(t *testing.T) {
		f := newFixture(t)
		c := f.code()
		f.now = f.now.Add(24 * time.Hour)
		desk := intake.NewDesk(f.db, slog.Default(), nil)
		if _, err := desk.CheckIn(context.Background(), "tablet-1", c.Code, "1990-05-04"); message(err) != "wrong_password: "+refused {
			t.Fatalf("yesterday's code: %v", err)
		}
		if _, err := f.newCode(f.desk, f.visit.ID); message(err) != "not_found: This appointment has no check-in code today." {
			t.Fatalf("a new code for yesterday: %v", err)
		}
	})
	t.Run("LateEveningIsStillToday", func(t *testing.T) {
		// 23:30 in Chicago is the next day in UTC: the practice's day counts.
		f := newFixture(t)
		c := f.code()
		f.now = time.Date(2027, 3, 2, 5, 30, 0, 0, time.UTC)
		if again := f.code(); again.Code != c.Code {
			t.Fatalf("the code changed at midnight UTC: %s, then %s", c.Code, again.Code)
		}
	})
	t.Run("Cancelled", func(t *testing.T) {
		f := newFixture(t)
		c := f.code()
		if err := f.db.Update(context.Background(), func(tx *store.Tx) error {
			a := f.visit
			a.Status, a.CancelledBy = practice.Cancelled, practice.ByPatient
			return tx.SaveAppointment(&a)
		}); err != nil {
			t.Fatal(err)
		}
		desk := intake.NewDesk(f.db, slog.Default(), nil)
		if _, err := desk.CheckIn(context.Background(), "tablet-1", c.Code, "1990-05-04"); message(err) != "wrong_password: "+refused {
			t.Fatalf("a cancelled appointment's code: %v", err)
		}
		if list := f.codes(f.desk); len(list) != 0 {
			t.Fatalf("codes: %+v", list)
		}
	})
}

// What is not shaped like a code or a date of birth gets a message of its
// own, and is not counted as a try.
func TestBadCheckinInputIsNamed(t *testing.T) {
	f := newFixture(t)
	c := f.code()
	desk := intake.NewDesk(f.db, slog.Default(), nil)
	for _, tc := range []struct{ name, code, dob, want string }{
		{"EmptyCode", "", "1990-05-04", "invalid: code: Enter the check-in code from your appointment reminder."},
		{"Letters", "12a456", "1990-05-04", "invalid: code: A check-in code has only digits."},
		{"TooLong", "1234567", "1990-05-04", "invalid: code: A check-in code has 6 digits."},
		{"TooShort", "12345", "1990-05-04", "invalid: code: A check-in code has 6 digits."},
		{"EmptyDate", c.Code, "  ", "invalid: dob: Enter your date of birth."},
		{"ImpossibleDate", c.Code, "1990-02-30", "invalid: dob: There is no 30 February 1990."},
		{"NoSuchMonth", c.Code, "1990-13-04", "invalid: dob: There is no month 13; months run from 01 to 12."},
		{"NotADate", c.Code, "05/04/1990", "invalid: dob: Not a real date; use YYYY-MM-DD, e.g. 1984-03-27."},
		{"Future", c.Code, "2027-03-02", "invalid: dob: A date of birth cannot be in the future."},
		{"Both", "", "", "invalid: code: Enter the check-in code from your appointment reminder.; dob: Enter your date of birth."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := desk.CheckIn(context.Background(), "tablet-1", tc.code, tc.dob)
			var e *practice.Error
			if !errors.As(err, &e) {
				t.Fatalf("%v", err)
			}
			var parts []string
			for _, field := range []string{"code", "dob"} {
				if msg, ok := e.Fields[field]; ok {
					parts = append(parts, field+": "+msg)
				}
			}
			got := e.Code + ": " + strings.Join(parts, "; ")
			if got != tc.want {
				t.Fatalf("got %q\nwant %q", got, tc.want)
			}
		})
	}
	if n := len(f.audited("intake.checkin.wrong")) + len(f.audited("intake.checkin.refused")); n != 0 {
		t.Fatalf("bad input counted as %d tries", n)
	}
	if c := f.code(); c.Locked {
		t.Fatal("bad input locked the code")
	}
}

// One tablet may try ten codes a minute: the eleventh is refused before it
// is looked at, whatever it is, and a minute later tries are taken again.
// Another tablet is not held back.
func TestATabletTriesTenCodesAMinute(t *testing.T) {
	f := newFixture(t)
	c := f.code()
	desk := intake.NewDesk(f.db, slog.Default(), nil)
	wrong := "000000"
	if c.Code == wrong {
		wrong = "000001"
	}
	for i := 1; i <= 10; i++ {
		if _, err := desk.CheckIn(context.Background(), "tablet-1", wrong, "1990-05-04"); message(err) != "wrong_password: "+refused {
			t.Fatalf("try %d: %v", i, err)
		}
		f.now = f.now.Add(time.Second)
	}
	const tooMany = "wrong_password: Too many tries on this tablet. Please wait a minute, or ask at the front desk."
	if _, err := desk.CheckIn(context.Background(), "tablet-1", c.Code, "1990-05-04"); message(err) != tooMany {
		t.Fatalf("the eleventh try: %v", err)
	}
	if _, err := desk.CheckIn(context.Background(), "tablet-2", c.Code, "1990-05-04"); err != nil {
		t.Fatalf("another tablet: %v", err)
	}
	f.now = f.now.Add(51 * time.Second) // a minute after the first try
	if _, err := desk.CheckIn(context.Background(), "tablet-1", c.Code, "1990-05-04"); err != nil {
		t.Fatalf("a minute later: %v", err)
	}
	if got := f.audited("intake.checkin.refused"); len(got) != 10 || got[0].Table != "tablets" || got[0].RecordID != "tablet-1" {
		t.Fatalf("unknown codes audited: %d, %+v", len(got), got[0])
	}
}
