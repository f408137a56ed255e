package sync_test

import (
	"context"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"quietdesk/internal/alerts"
	"quietdesk/internal/notify"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/sync"
	"quietdesk/internal/wiring"
)

// clock is a wall clock a test moves by hand, shared by a machine's store
// and sync service.
type clock struct{ ns atomic.Int64 }

func newClock(t time.Time) *clock {
	c := &clock{}
	c.set(t)
	return c
}

func (c *clock) now() time.Time  { return time.Unix(0, c.ns.Load()) }
func (c *clock) set(t time.Time) { c.ns.Store(t.UnixNano()) }

// March 2026 in Chicago: Monday the 2nd to Friday the 13th. The clocks go
// forward on Sunday the 8th (CST, UTC-6, to CDT, UTC-5), so the days of
// the second week start an hour earlier in UTC than the first week's.
func chicago(t *testing.T) (*time.Location, func(day, hour, min int) time.Time) {
	t.Helper()
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	return loc, func(day, hour, min int) time.Time { return time.Date(2026, time.March, day, hour, min, 0, 0, loc) }
}

// bookWeekdays gives the practice one session at 10:00 on each day listed
// (no session on the others), and a cancelled one on each day in closed:
// a day whose only session was cancelled is a day the practice was shut.
func bookWeekdays(t *testing.T, db *store.DB, at func(day, hour, min int) time.Time, open, closed []int) {
	t.Helper()
	err := db.Update(context.Background(), func(tx *store.Tx) error {
		clin := practice.Clinician{FirstName: "Ana", LastName: "Ruiz", Active: true}
		loc := practice.Location{Name: "Main", Active: true}
		typ := practice.AppointmentType{Name: "Therapy", DurationMin: 50, ServiceCode: "90834", Active: true}
		patient := practice.Patient{Identity: practice.PatientIdentity{FirstName: "Maria", LastName: "Lopez", DOB: "1990-01-01"}, Active: true}
		for _, err := range []error{tx.SaveClinician(&clin), tx.SaveLocation(&loc), tx.SaveAppointmentType(&typ), tx.CreatePatient(&patient)} {
			if err != nil {
				return err
			}
		}
		book := func(day int, status practice.Status) error {
			a := practice.Appointment{PatientID: patient.ID, ClinicianID: clin.ID, TypeID: typ.ID, LocationID: loc.ID,
				Start: at(day, 10, 0), End: at(day, 10, 50), Status: status}
			return tx.SaveAppointment(&a)
		}
		for _, d := range open {
			if err := book(d, practice.Scheduled); err != nil {
				return err
			}
		}
		for _, d := range closed {
			if err := book(d, practice.Cancelled); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func unseenNames(list []alerts.Alert, names map[string]string) []string {
	out := []string{}
	for _, a := range list {
		if a.Area == "devices" {
			out = append(out, names[a.ID])
		}
	}
	slices.Sort(out)
	return out
}

// TestWhichComputersAreUnseen: last sightings against the moment asked,
// each worked by hand. Sessions on weekdays, none on the weekend of the 7th
// and 8th, and Wednesday the 11th closed (its one session cancelled). A
// computer is reported once it has missed more than 24 hours of days with
// sessions, counted midnight to midnight on the practice's clock.
func TestWhichComputersAreUnseen(t *testing.T) {
	ctx := context.Background()
	_, at := chicago(t)
	c := newClock(at(1, 12, 0))
	db, err := store.Open(t.TempDir(), store.Options{AppVersion: "test", Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	owner := practice.Account{Username: "owner", DisplayName: "Olivia Owner", Role: practice.RoleOwner}
	if err := db.Create(ctx, func(tx *store.Tx) error {
		if err := tx.SaveSettings(&practice.Settings{Name: "Lakeside", Timezone: "America/Chicago", LockMinutes: 10}); err != nil {
			return err
		}
		return tx.CreateAccount(&owner, ownerPassword)
	}); err != nil {
		t.Fatal(err)
	}
	bookWeekdays(t, db, at, []int{2, 3, 4, 5, 6, 9, 10, 12, 13}, []int{11})

	names := map[string]string{}
	write := func(when time.Time, fn func(tx *store.Tx) error) {
		t.Helper()
		c.set(when)
		if err := db.UpdateWithoutKey(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	pair := func(id, name string, when time.Time) {
		names[id] = name
		write(when, func(tx *store.Tx) error {
			return tx.AddDevice(store.Device{ID: id, Name: name, Cert: []byte("cert " + id)})
		})
	}
	seen := func(id string, when time.Time) {
		write(when, func(tx *store.Tx) error { return tx.SawDevice(id) })
	}
	const self, desk, room, laptop, hub, old, tablet = "self0000000000aa", "desk0000000000aa", "room0000000000aa",
		"laptop00000000aa", "hub00000000000aa", "old00000000000aa", "tablet000000000a"
	pair(self, "This computer", at(2, 8, 0)) // never again: this machine never reports itself
	pair(desk, "Front desk", at(2, 8, 0))
	seen(desk, at(6, 18, 0)) // switched off Friday evening
	pair(room, "Therapy room", at(2, 8, 0))
	seen(room, at(3, 10, 0))                 // stopped on Tuesday morning
	pair(laptop, "New laptop", at(6, 12, 0)) // paired Friday noon, never seen since
	pair(hub, "Hub", at(2, 8, 0))
	seen(hub, at(10, 20, 0)) // last heard Tuesday the 10th at 20:00
	pair(old, "Old PC", at(2, 8, 0))
	seen(old, at(2, 9, 0))
	write(at(2, 10, 0), func(tx *store.Tx) error { return tx.RemoveDevice(old) })
	write(at(2, 8, 0), func(tx *store.Tx) error { return tx.AddTablet(tablet, "Check-in tablet", []byte("cert tablet")) })

	cases := []struct {
		now  time.Time
		want []string
		why  string
	}{
		{at(4, 10, 0), []string{}, "room: Tue 14 h + Wed 10 h = 24 h, not more; the others were seen later than now"},
		{at(4, 10, 1), []string{"Therapy room"}, "room: 24 h 1 min"},
		{at(7, 20, 0), []string{"Therapy room"}, "desk: Fri 6 h + Sat 0; laptop: Fri 12 h"},
		{at(9, 7, 59), []string{"Therapy room"}, "desk: 6 h + Sat, Sun 0 + Mon 7 h 59 = 13 h 59; laptop 19 h 59"},
		{at(9, 12, 0), []string{"Therapy room"}, "laptop: Fri 12 h + Mon 12 h = 24 h"},
		{at(9, 12, 1), []string{"New laptop", "Therapy room"}, "laptop: 24 h 1 min"},
		{at(9, 18, 0), []string{"New laptop", "Therapy room"}, "desk: Fri 6 h + Mon 18 h = 24 h (Monday midnight is CDT)"},
		{at(9, 18, 1), []string{"Front desk", "New laptop", "Therapy room"}, "desk: 24 h 1 min"},
		{at(12, 20, 0), []string{"Front desk", "New laptop", "Therapy room"}, "hub: Tue 4 h + Wed closed 0 + Thu 20 h = 24 h"},
		{at(12, 20, 1), []string{"Front desk", "Hub", "New laptop", "Therapy room"}, "hub: 24 h 1 min"},
	}
	source := sync.UnseenAlerts(self)
	for _, tc := range cases {
		var got []alerts.Alert
		if err := db.View(ctx, func(tx *store.Tx) (err error) { got, err = source(ctx, tx, tc.now); return err }); err != nil {
			t.Fatal(err)
		}
		if names := unseenNames(got, names); !slices.Equal(names, tc.want) {
			t.Errorf("at %s: got %v, want %v (%s)", tc.now.Format("Mon 2 Jan 15:04"), names, tc.want, tc.why)
		}
	}

	// The alert itself, as the owner sees it and as e-mail uses it.
	var got []alerts.Alert
	if err := db.View(ctx, func(tx *store.Tx) (err error) { got, err = source(ctx, tx, at(9, 18, 1)); return err }); err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(got, func(a alerts.Alert) bool { return a.ID == desk })
	if i < 0 {
		t.Fatalf("no alert for the front desk: %+v", got)
	}
	a := got[i]
	// Friday 18:00 CST is Saturday 00:00 UTC.
	if a.Key != "device/unseen/"+desk+"/20260307T000000" || a.Severity != alerts.Warning || a.Table != "devices" || a.PatientID != "" {
		t.Errorf("alert: %+v", a)
	}
	if !strings.HasPrefix(a.Title, "Front desk has not synced since Friday 6 March 18:00.") {
		t.Errorf("title %q does not name the computer and when it was last seen on the practice's clock", a.Title)
	}
	if strings.Contains(a.Kind, "Front desk") || strings.Contains(a.Title, "Maria") || strings.Contains(a.Title, "Lopez") {
		t.Errorf("kind %q or title %q names someone", a.Kind, a.Title)
	}
	if !a.Reaches(alerts.Who{Role: practice.RoleOwner, AccountID: owner.ID}) || a.Reaches(alerts.Who{Role: practice.RoleFrontDesk, AccountID: "x"}) {
		t.Errorf("the alert goes to the owner only: %+v", a.To)
	}

	// A machine that does not sync, or was itself removed, names no one.
	for _, who := range []string{"", old} {
		var list []alerts.Alert
		if err := db.View(ctx, func(tx *store.Tx) (err error) { list, err = sync.UnseenAlerts(who)(ctx, tx, at(13, 12, 0)); return err }); err != nil {
			t.Fatal(err)
		}
		if len(list) != 0 {
			t.Errorf("self %q: got %d alerts, want none", who, len(list))
		}
	}
}

// TestAComputerThatStopsSyncingIsReportedAndClearsItself: two office
// computers over loopback TLS on one moved clock. B stops; once it has
// missed a working day A raises the alert, through the program's wiring,
// and the staff-mail job queues it for the owner naming no computer; B
// syncs again and the alert is gone.
func TestAComputerThatStopsSyncingIsReportedAndClearsItself(t *testing.T) {
	ctx := context.Background()
	_, at := chicago(t)
	c := newClock(at(2, 9, 0)) // Monday
	a := newMachineAt(t, "A", c.now)
	owner := practice.Account{Username: "owner", DisplayName: "Olivia Owner", Role: practice.RoleOwner}
	if err := a.db.Create(ctx, func(tx *store.Tx) error {
		if err := tx.SaveSettings(&practice.Settings{Name: "Lakeside", Timezone: "America/Chicago", LockMinutes: 10}); err != nil {
			return err
		}
		if err := tx.CreateAccount(&owner, ownerPassword); err != nil {
			return err
		}
		return tx.SetAccountMail(owner.ID, practice.StaffMail{Email: "owner@lakeside.example", Alerts: true})
	}); err != nil {
		t.Fatal(err)
	}
	bookWeekdays(t, a.db, at, []int{2, 3, 4, 5, 6}, nil)
	a.start(t)
	b := joinAt(t, a, "Front desk", c.now)
	unlock(t, b)
	eventually(t, 5*time.Second, "B did not catch up", func() bool { return digestsEqual(a, b) })

	program := wiring.New(wiring.Config{DB: a.db, Device: a.id.ID})
	unseen := func(m *machine, now time.Time) []alerts.Alert {
		t.Helper()
		var list []alerts.Alert
		err := m.db.View(ctx, func(tx *store.Tx) (err error) {
			all, err := program.Alerts.All(ctx, tx, now)
			list = slices.DeleteFunc(all, func(x alerts.Alert) bool { return x.Area != "devices" })
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	if got := unseen(a, c.now()); len(got) != 0 {
		t.Fatalf("both syncing: %+v", got)
	}

	// B is switched off on Monday at 9:00. Tuesday 9:00 is exactly a
	// working day later (Mon 15 h + Tue 9 h); half an hour on it is more.
	b.svc.Stop()
	c.set(at(3, 9, 0))
	if got := unseen(a, c.now()); len(got) != 0 {
		t.Fatalf("after exactly a day: %+v", got)
	}
	c.set(at(3, 9, 30))
	got := unseen(a, c.now())
	if len(got) != 1 || got[0].ID != b.id.ID || !strings.HasPrefix(got[0].Title, "Front desk has not synced since Monday 2 March 09:00.") {
		t.Fatalf("A's alerts after B missed a working day: %+v", got)
	}
	if err := a.db.Update(ctx, func(tx *store.Tx) error {
		_, err := notify.QueueStaffMail(ctx, tx, program.Alerts, c.now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var content store.OutboxContent
	if err := a.db.View(ctx, func(tx *store.Tx) error {
		msgs, err := tx.OutboxFor(owner.ID + "|" + got[0].Key)
		if err != nil || len(msgs) != 1 {
			t.Fatalf("the owner's e-mail of the alert: %v %+v", err, msgs)
		}
		content, err = tx.OutboxContent(msgs[0].ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if content.Subject != "Quietdesk: A computer has not been seen for a day" || strings.Contains(content.Text, "Front desk") {
		t.Errorf("e-mail: %q\n%s", content.Subject, content.Text)
	}

	// B is switched on again: it records that it was seen as it syncs,
	// and the alert goes on A by itself.
	b.start(t, a.svc.Addr())
	eventually(t, 5*time.Second, "A still reports B after B synced again", func() bool { return len(unseen(a, c.now())) == 0 })
	var seenAt time.Time
	devices, err := a.db.Devices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range devices {
		if d.ID == b.id.ID {
			seenAt = d.SeenAt
		}
	}
	if !seenAt.Equal(at(3, 9, 30)) {
		t.Errorf("A holds B last seen at %v, want Tuesday 9:30 (its sighting as it synced again)", seenAt)
	}
}
