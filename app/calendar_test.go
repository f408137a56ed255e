package app_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"quietdesk/app"
	"quietdesk/internal/calendar"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// calendarEnv is a practice with two clinicians (one with a login), a
// location, a type and a patient, and one booking for each clinician.
type calendarEnv struct {
	*env
	mine, other   practice.Clinician
	clinicianUser string
	booked        []calendar.BookingResult
}

func newCalendarEnv(t *testing.T) calendarEnv {
	t.Helper()
	e := calendarEnv{env: newEnv(t), clinicianUser: "cleo"}
	var err error
	loc, err := e.Practice.SaveLocation(practice.Location{Name: "Main", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	if e.mine, err = e.Practice.SaveClinician(practice.Clinician{FirstName: "Cleo", LastName: "Park", Active: true}); err != nil {
		t.Fatal(err)
	}
	if e.other, err = e.Practice.SaveClinician(practice.Clinician{FirstName: "Omar", LastName: "Haddad", Active: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Staff.Create(app.NewAccount{Account: practice.Account{Username: e.clinicianUser, DisplayName: "Cleo Park",
		Role: practice.RoleClinician, ClinicianID: e.mine.ID}, Password: "clinic lantern quiet meadow"}); err != nil {
		t.Fatal(err)
	}
	typ, err := e.Calendar.SaveType(practice.AppointmentType{Name: "Therapy", DurationMin: 50, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := e.Patients.Create(practice.Patient{Identity: practice.PatientIdentity{FirstName: "Ines", LastName: "Moreau", DOB: "1980-01-02"}})
	if err != nil {
		t.Fatal(err)
	}
	start := e.Clock.Now().Add(24 * time.Hour).Truncate(time.Hour)
	for i, c := range []practice.Clinician{e.mine, e.other} {
		s := start.Add(time.Duration(i) * time.Hour)
		res, err := e.Calendar.Book(calendar.Booking{Appointment: practice.Appointment{PatientID: rec.Patient.ID, ClinicianID: c.ID,
			TypeID: typ.ID, LocationID: loc.ID, Start: s, End: s.Add(50 * time.Minute)}})
		if err != nil {
			t.Fatal(err)
		}
		e.booked = append(e.booked, res)
	}
	return e
}

func TestCalendarRangeNamesPatients(t *testing.T) {
	e := newCalendarEnv(t)
	now := e.Clock.Now()
	rng, err := e.Calendar.Range(app.CalendarQuery{From: now, To: now.AddDate(0, 0, 7)})
	if err != nil {
		t.Fatal(err)
	}
	if len(rng.Events) != 2 || rng.Events[0].PatientName != "Ines Moreau" {
		t.Fatalf("events %+v: want both bookings with the patient's name", rng.Events)
	}
	t.Run("ErrTooLong", func(t *testing.T) {
		_, err := e.Calendar.Range(app.CalendarQuery{From: now, To: now.AddDate(0, 3, 0)})
		if codeOf(t, err) != practice.EInvalid {
			t.Fatalf("three months at once: %v", err)
		}
	})
}

// TestClinicianSeesColleaguesAsBusy: a clinician sees their own
// appointments in full and a colleague's booked time as busy, with nothing
// about whom or what; asking for the colleague's column shows no patient.
func TestClinicianSeesColleaguesAsBusy(t *testing.T) {
	e := newCalendarEnv(t)
	if err := e.Session.Logout(); err != nil {
		t.Fatal(err)
	}
	e.login(t, e.clinicianUser, "clinic lantern quiet meadow")
	now := e.Clock.Now()
	theirs := e.booked[1].Appointments[0]
	busy := app.CalendarEvent{ID: theirs.ID, ClinicianID: e.other.ID, Start: theirs.Start, End: theirs.End, Busy: true}
	for _, tc := range []struct {
		name    string
		columns []string
		mine    bool // own appointment shown in full
	}{
		{"EveryColumn", nil, true},
		{"ColleagueChosen", []string{e.other.ID}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng, err := e.Calendar.Range(app.CalendarQuery{From: now, To: now.AddDate(0, 0, 7), ClinicianIDs: tc.columns})
			if err != nil {
				t.Fatal(err)
			}
			want := 1
			if tc.mine {
				want = 2
				if ev := rng.Events[0]; ev.ClinicianID != e.mine.ID || ev.PatientName != "Ines Moreau" || ev.Busy {
					t.Errorf("own appointment shown as %+v", ev)
				}
			}
			if len(rng.Events) != want {
				t.Fatalf("got %d events %+v, want %d", len(rng.Events), rng.Events, want)
			}
			got := rng.Events[want-1]
			got.Start, got.End = got.Start.UTC(), got.End.UTC()
			busy.Start, busy.End = busy.Start.UTC(), busy.End.UTC()
			if got != busy {
				t.Fatalf("colleague's appointment shown as %+v, want busy time only %+v", got, busy)
			}
		})
	}
	if _, err := e.Calendar.Appointment(theirs.ID); codeOf(t, err) != practice.EForbidden {
		t.Fatalf("opening a colleague's appointment: %v", err)
	}
	if _, err := e.Calendar.ExportFeed(e.other.ID); codeOf(t, err) != practice.EForbidden {
		t.Fatalf("exporting a colleague's feed: %v", err)
	}
}

// TestCalendarViewAuditedOnce: a view is one audit entry naming the
// patients it showed, found when asking for any of them.
func TestCalendarViewAuditedOnce(t *testing.T) {
	e := newCalendarEnv(t)
	now := e.Clock.Now()
	patient := e.booked[0].Appointments[0].PatientID
	if _, err := e.Calendar.Range(app.CalendarQuery{From: now, To: now.AddDate(0, 0, 7)}); err != nil {
		t.Fatal(err)
	}
	rows, err := e.Audit.Query(app.AuditFilter{Action: "calendar.view"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].RecordID != patient {
		t.Fatalf("audit of one view of two appointments of one patient: %+v", rows)
	}
	rows, err = e.Audit.Query(app.AuditFilter{RecordID: patient, Action: "calendar.view"})
	if err != nil || len(rows) != 1 {
		t.Fatalf("the view is not found by its patient: %+v, %v", rows, err)
	}
}

// TestRemoveBookingIsAudited: a booking made in error goes, and the audit
// says why.
func TestRemoveBookingIsAudited(t *testing.T) {
	e := newCalendarEnv(t)
	a := e.booked[0].Appointments[0]
	if err := e.Calendar.RemoveBooking(calendar.Removal{ID: a.ID, Reason: calendar.BookedTwice}); err != nil {
		t.Fatal(err)
	}
	rows, err := e.Audit.Query(app.AuditFilter{RecordID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || rows[0].Action != "appointment.remove.duplicate" {
		t.Fatalf("audit of the removal: %+v", rows)
	}
	if _, err := e.Calendar.Appointment(a.ID); codeOf(t, err) != practice.ENotFound {
		t.Fatalf("the removed booking opens: %v", err)
	}
}

func TestOverrideIsAudited(t *testing.T) {
	e := newCalendarEnv(t)
	first := e.booked[0].Appointments[0]
	clash := first
	clash.ID = ""
	_, err := e.Calendar.Book(calendar.Booking{Appointment: clash})
	if codeOf(t, err) != practice.EConflict || !strings.Contains(err.Error(), "Ines M.") {
		t.Fatalf("double-booking: %v", err)
	}
	clash.OverrideReason = "Couple's session booked twice on purpose"
	res, err := e.Calendar.Book(calendar.Booking{Appointment: clash})
	if err != nil {
		t.Fatal(err)
	}
	expectAudited(t, e.env, app.AuditFilter{RecordID: res.Appointments[0].ID}, "appointment.override")
}

func TestPrintDay(t *testing.T) {
	e := newEnv(t)
	c, err := e.Practice.SaveClinician(practice.Clinician{FirstName: "Ana", LastName: "Ruiz", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		path, err := e.Calendar.PrintDay(c.ID, "2026-03-10")
		if err != nil {
			t.Fatal(err)
		}
		pdf, err := os.ReadFile(path)
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Fatalf("PrintDay saved %q (%v), not a PDF", path, err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := e.Calendar.PrintDay(c.ID, "10/03/2026")
		if code := codeOf(t, err); code != practice.EInvalid {
			t.Fatalf("code %q, want %q", code, practice.EInvalid)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := e.Calendar.PrintDay("no-such-clinician", "2026-03-10")
		if code := codeOf(t, err); code != practice.ENotFound {
			t.Fatalf("code %q, want %q", code, practice.ENotFound)
		}
	})
}

// TestPrintWholePracticeDay: "" prints every clinician's day, a section
// each, in the practice's clock, under a file name with the day; a
// clinician limited to their own schedule cannot print it.
func TestPrintWholePracticeDay(t *testing.T) {
	e := newCalendarEnv(t)
	settings, err := e.Practice.Settings()
	if err != nil {
		t.Fatal(err)
	}
	settings.Timezone, settings.Clock = "America/New_York", practice.Clock24
	if _, err := e.Practice.SaveSettings(settings); err != nil {
		t.Fatal(err)
	}
	// The bookings are at 09:00 and 10:00 UTC on 10 March: 05:00 and 06:00 EDT.
	path, err := e.Calendar.PrintDay("", "2026-03-10")
	if err != nil {
		t.Fatal(err)
	}
	if name := e.Dialogs.names[len(e.Dialogs.names)-1]; name != "quietdesk-day-2026-03-10.pdf" {
		t.Errorf("suggested file name %q, want quietdesk-day-2026-03-10.pdf", name)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := string(out)
	for _, want := range []string{"Cleo Park", "Omar Haddad", "Tuesday, March 10, 2026 · 1 appointment", "05:00 – 05:50", "06:00 – 06:50", "Ines M."} {
		if !strings.Contains(text, want) {
			t.Errorf("the practice's day lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Moreau") {
		t.Error("the printed day names the patient in full")
	}
	if pages := strings.Count(text, "\f"); pages != 2 {
		t.Errorf("%d pages, want one per clinician", pages)
	}

	e.signInAs(t, e.clinicianUser, "clinic lantern quiet meadow")
	if _, err := e.Calendar.PrintDay("", "2026-03-10"); codeOf(t, err) != practice.EForbidden {
		t.Fatalf("a clinician printing the whole practice's day: %v", err)
	}
}

func TestTimeOffList(t *testing.T) {
	e := newEnv(t)
	c, err := e.Practice.SaveClinician(practice.Clinician{FirstName: "Ana", LastName: "Ruiz", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	now := e.Clock.Now()
	off, err := e.Calendar.SaveTimeOff(practice.TimeOff{ClinicianID: c.ID, Kind: practice.TimeOffAway,
		Start: now.Add(48 * time.Hour), End: now.Add(72 * time.Hour), Reason: "conference"})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		got, err := e.Calendar.TimeOff(app.CalendarSpan{From: now, To: now.AddDate(0, 1, 0)})
		if err != nil || len(got) != 1 || got[0].ID != off.ID || got[0].Reason != "conference" {
			t.Fatalf("TimeOff = %+v, %v; want the one block", got, err)
		}
		none, err := e.Calendar.TimeOff(app.CalendarSpan{From: now, To: now.Add(24 * time.Hour)})
		if err != nil || none == nil || len(none) != 0 {
			t.Fatalf("TimeOff before the block = %#v, %v; want an empty list", none, err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := e.Calendar.TimeOff(app.CalendarSpan{From: now, To: now.AddDate(2, 0, 0)})
		if code := codeOf(t, err); code != practice.EInvalid {
			t.Fatalf("code %q, want %q", code, practice.EInvalid)
		}
	})
}

// TestCliniciansOpenTheirOwnPatients: by default a clinician finds and
// opens only patients on their own schedule; the practice may let them
// open every record.
func TestCliniciansOpenTheirOwnPatients(t *testing.T) {
	e := newCalendarEnv(t)
	ines := e.booked[0].Appointments[0].PatientID
	other, err := e.Patients.Create(practice.Patient{Identity: practice.PatientIdentity{FirstName: "Paul", LastName: "Roy", DOB: "1975-06-07"}})
	if err != nil {
		t.Fatal(err)
	}
	asClinician := func() {
		t.Helper()
		if err := e.Session.Logout(); err != nil {
			t.Fatal(err)
		}
		e.login(t, e.clinicianUser, "clinic lantern quiet meadow")
	}
	asClinician()
	found, err := e.Patients.Search("")
	if err != nil {
		t.Fatal(err)
	}
	if len(found.Patients) != 1 || found.Total != 1 || found.Patients[0].ID != ines {
		t.Fatalf("a clinician's patient list: %+v, want Ines only", found)
	}
	if first := e.booked[0].Appointments[0].Start; !found.Patients[0].Next.Equal(first) {
		t.Errorf("next appointment in the search result: %v, want %v", found.Patients[0].Next, first)
	}
	if _, err := e.Calendar.PatientAppointments(other.Patient.ID); codeOf(t, err) != practice.EForbidden {
		t.Fatalf("another clinician's patient's appointments: %v", err)
	}
	visits, err := e.Calendar.PatientAppointments(ines)
	if err != nil || len(visits.Upcoming) != 2 {
		t.Fatalf("own patient's appointments: %+v, %v", visits, err)
	}
	if _, err := e.Patients.Get(other.Patient.ID); codeOf(t, err) != practice.EForbidden {
		t.Fatalf("opening another clinician's patient: %v", err)
	}
	if _, err := e.Patients.Get(ines); err != nil {
		t.Fatalf("opening their own patient: %v", err)
	}

	if err := e.Session.Logout(); err != nil {
		t.Fatal(err)
	}
	e.login(t, ownerUser, ownerPassword)
	s, err := e.Practice.Settings()
	if err != nil {
		t.Fatal(err)
	}
	s.CliniciansSeeAllPatients = true
	if _, err := e.Practice.SaveSettings(s); err != nil {
		t.Fatal(err)
	}
	asClinician()
	if _, err := e.Patients.Get(other.Patient.ID); err != nil {
		t.Fatalf("with the setting on, opening any patient: %v", err)
	}
}

// TestServiceBookingAuditsLikeTheFacade books the same double-booking
// over an override twice, in two practices: once through the facade and
// once by calling the calendar service directly, as a job or another area
// would. Both must leave the same trail: the booking and the override
// audited under the owner, and the double-booking recorded as a conflict
// the owner already resolved ("booked anyway"), so no machine raises it.
func TestServiceBookingAuditsLikeTheFacade(t *testing.T) {
	type trail struct {
		actions   string // audit actions on the new appointment, oldest first
		conflicts string // kind/state/resolved by/choice of each conflict
	}
	book := map[string]func(e calendarEnv, b calendar.Booking) calendar.BookingResult{
		"facade": func(e calendarEnv, b calendar.Booking) calendar.BookingResult {
			res, err := e.Calendar.Book(b)
			if err != nil {
				t.Fatal(err)
			}
			return res
		},
		"service": func(e calendarEnv, b calendar.Booking) calendar.BookingResult {
			var res calendar.BookingResult
			by := practice.Actor{AccountID: e.ownerID(t)}
			if err := e.DB.Update(context.Background(), func(tx *store.Tx) error {
				var err error
				res, err = calendar.NewService().Book(tx, by, b)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return res
		},
	}
	for _, way := range []string{"facade", "service"} {
		t.Run(way, func(t *testing.T) {
			e := newCalendarEnv(t)
			owner := e.ownerID(t)
			clash := e.booked[0].Appointments[0]
			clash.ID, clash.OverrideReason = "", "Couple's session booked twice on purpose"
			res := book[way](e, calendar.Booking{Appointment: clash})
			if len(res.Appointments) != 1 || res.Appointments[0].OverrideReason != clash.OverrideReason {
				t.Fatalf("booked %+v: want one appointment keeping its override reason", res.Appointments)
			}
			var got trail
			if err := e.DB.View(context.Background(), func(tx *store.Tx) error {
				entries, err := tx.AuditEntries(store.AuditQuery{RecordID: res.Appointments[0].ID})
				if err != nil {
					return err
				}
				var actions []string
				for i := len(entries) - 1; i >= 0; i-- {
					if entries[i].AccountID != owner {
						t.Errorf("%s audited under %q, want the owner", entries[i].Action, entries[i].AccountID)
					}
					actions = append(actions, entries[i].Action)
				}
				got.actions = strings.Join(actions, ",")
				list, err := tx.Conflicts(false)
				var cs []string
				for _, c := range list {
					by := "someone else"
					if c.ResolvedBy == owner {
						by = "owner"
					}
					cs = append(cs, c.Kind+"/"+c.State+"/"+by+"/"+c.Choice)
				}
				got.conflicts = strings.Join(cs, ";")
				return err
			}); err != nil {
				t.Fatal(err)
			}
			want := trail{actions: "appointment.book,appointment.override",
				conflicts: "double-booking/" + store.ConflictResolved + "/owner/booked anyway"}
			if got != want {
				t.Fatalf("booked through the %s:\n got %+v\nwant %+v", way, got, want)
			}
		})
	}
}

// ownerID is the logged-in owner's account id.
func (e calendarEnv) ownerID(t *testing.T) string {
	t.Helper()
	st, err := e.Session.Status()
	if err != nil || st.Account == nil {
		t.Fatalf("status: %+v %v", st, err)
	}
	return st.Account.ID
}
