package notify_test

import (
	"bytes"
	"context"
	"mime"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"quietdesk/internal/intake"
	"quietdesk/internal/mail/mailtest"
	"quietdesk/internal/notify"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

func chicago(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func wall(t *testing.T, loc *time.Location, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Reminder times, worked out by hand in Chicago time: whole days keep the
// wall clock across both daylight-saving changes, and quiet hours
// (21:00–08:00) move a reminder to their end, or to just before they
// began when their end is less than an hour before the session.
func TestReminderTimes(t *testing.T) {
	loc := chicago(t)
	rs := notify.DefaultReminders()
	cases := []struct {
		name, start string
		lead        int
		due, send   string // Chicago wall clock
	}{
		{"two days over spring forward", "2026-03-09 09:00", 2880, "2026-03-07 09:00", "2026-03-07 09:00"},
		{"two days over fall back", "2026-11-02 10:00", 2880, "2026-10-31 10:00", "2026-10-31 10:00"},
		{"two hours, quiet, end one hour ahead", "2026-03-09 09:00", 120, "2026-03-09 07:00", "2026-03-09 08:00"},
		{"two hours, quiet, end too late", "2026-03-09 08:30", 120, "2026-03-09 06:30", "2026-03-08 20:59"},
		{"two hours, evening quiet", "2026-03-10 23:00", 120, "2026-03-10 21:00", "2026-03-10 20:59"},
		{"not quiet", "2026-03-10 15:00", 120, "2026-03-10 13:00", "2026-03-10 13:00"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := wall(t, loc, c.start)
			due := notify.ReminderDue(start, c.lead, loc)
			if want := wall(t, loc, c.due); !due.Equal(want) {
				t.Errorf("due %v, want %v", due.In(loc), want)
			}
			if got, want := rs.SendAfter(due, start, loc), wall(t, loc, c.send); !got.Equal(want) {
				t.Errorf("send after %v, want %v", got.In(loc), want)
			}
		})
	}
	// The fall-back case is not just 48 hours: that would be 9:00.
	if d := notify.ReminderDue(wall(t, loc, "2026-11-02 10:00"), 2880, loc); wall(t, loc, "2026-11-02 10:00").Sub(d) != 49*time.Hour {
		t.Errorf("fall back: %v before", wall(t, loc, "2026-11-02 10:00").Sub(d))
	}
}

// reminderPractice is a small practice whose every sensitive field holds a
// canary that must never reach a message.
type reminderPractice struct {
	*machine
	loc                       *time.Location
	maria, noah, zoey, nomail practice.Patient
	office                    practice.Location
	clinician                 practice.Clinician
	therapy                   practice.AppointmentType
}

var canaries = []string{"CanaryLastname", "CanaryType", "CanaryNote", "CanarySpecialty", "CanaryClinician", "CanaryReason"}

func newReminderPractice(t *testing.T, c *clock) *reminderPractice {
	t.Helper()
	p := &reminderPractice{machine: newPractice(t, c), loc: chicago(t)}
	p.update(t, func(tx *store.Tx) error {
		p.office = practice.Location{Name: "Main Street", Phone: "(555) 010-3000", Active: true,
			Address: practice.Address{Line1: "12 Main St", City: "Springfield", State: "IL", Zip: "62701"}}
		if err := tx.SaveLocation(&p.office); err != nil {
			return err
		}
		p.clinician = practice.Clinician{FirstName: "Ana", LastName: "CanaryClinician", Specialties: []string{"CanarySpecialty"},
			VideoLink: "https://video.example/ana", Active: true, AcceptingNew: true}
		if err := tx.SaveClinician(&p.clinician); err != nil {
			return err
		}
		p.therapy = practice.AppointmentType{Name: "CanaryType", DurationMin: 53, ServiceCode: "90837", TelehealthAllowed: true, Active: true}
		if err := tx.SaveAppointmentType(&p.therapy); err != nil {
			return err
		}
		for _, x := range []struct {
			p     *practice.Patient
			first string
			c     practice.PatientContact
		}{
			{&p.maria, "María", practice.PatientContact{Email: "maria@example.org", Language: "es"}},
			{&p.noah, "Noah", practice.PatientContact{Email: "noah@example.org"}},
			{&p.zoey, "Zoey", practice.PatientContact{Email: "zoey@example.org", NoReminders: true}},
			{&p.nomail, "Omar", practice.PatientContact{Phone: "(555) 010-4444"}},
		} {
			*x.p = practice.Patient{Identity: practice.PatientIdentity{FirstName: x.first, LastName: "CanaryLastname", DOB: "1990-05-01"}, Contact: x.c, Active: true}
			if err := tx.CreatePatient(x.p); err != nil {
				return err
			}
		}
		return nil
	})
	return p
}

func (p *reminderPractice) book(t *testing.T, pt practice.Patient, start string, telehealth bool, status practice.Status) practice.Appointment {
	t.Helper()
	s := wall(t, p.loc, start)
	a := practice.Appointment{PatientID: pt.ID, ClinicianID: p.clinician.ID, TypeID: p.therapy.ID, Start: s, End: s.Add(53 * time.Minute),
		Status: status, Notes: "CanaryNote", Reason: "CanaryReason"}
	if telehealth {
		a.Telehealth = true
	} else {
		a.LocationID = p.office.ID
	}
	p.update(t, func(tx *store.Tx) error { return tx.SaveAppointment(&a) })
	return a
}

func (p *reminderPractice) queueReminders(t *testing.T) notify.ReminderCount {
	t.Helper()
	n, err := notify.RunReminders(context.Background(), p.db)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// sendAt runs the reminders' queueing job and the sender at each of the
// practice's wall-clock times, in order.
func (p *reminderPractice) sendAt(t *testing.T, c *clock, out *notify.Outbox, times ...string) {
	t.Helper()
	for _, at := range times {
		c.t = wall(t, p.loc, at)
		p.queueReminders(t)
		if _, err := out.Deliver(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

// A day of reminders goes through a real relay (STARTTLS, AUTH): each
// arrives once, in the patient's language, with text, HTML and a calendar
// file that parse back; an opted-out patient and one without an address
// get nothing, a cancelled session gets nothing, a moved one's reminders
// are withdrawn and queued anew; and no canary from a sensitive field
// reaches any message.
func TestADayOfReminders(t *testing.T) {
	loc := chicago(t)
	c := &clock{t: wall(t, loc, "2027-03-01 08:00")} // a Monday
	p := newReminderPractice(t, c)
	s := startServer(t)
	p.useRelay(t, s)
	maria := p.book(t, p.maria, "2027-03-03 10:00", false, practice.Scheduled)
	p.book(t, p.noah, "2027-03-03 14:00", true, practice.Confirmed)
	p.book(t, p.zoey, "2027-03-03 11:00", false, practice.Scheduled)
	p.book(t, p.nomail, "2027-03-03 12:00", false, practice.Scheduled)
	p.book(t, p.noah, "2027-03-03 16:00", false, practice.Cancelled)

	if n := p.queueReminders(t); n != (notify.ReminderCount{Queued: 4}) {
		t.Fatalf("first run: %+v, want 4 queued (two patients, two each)", n)
	}
	if n := p.queueReminders(t); n != (notify.ReminderCount{}) {
		t.Fatalf("second run changed %+v", n)
	}
	// María's session moves to Thursday: her two reminders are withdrawn;
	// the new ones are queued as their time comes within reach.
	maria.Start, maria.End = wall(t, loc, "2027-03-04 10:00"), wall(t, loc, "2027-03-04 10:53")
	p.update(t, func(tx *store.Tx) error { return tx.SaveAppointment(&maria) })
	if n := p.queueReminders(t); n != (notify.ReminderCount{Withdrawn: 2}) {
		t.Fatalf("after the move: %+v", n)
	}

	out := p.outbox(s)
	out.Current = notify.NewOutbox(p.db, s.Dialer(), nil).Current
	p.sendAt(t, c, out, "2027-03-01 10:00", "2027-03-01 14:00", "2027-03-02 10:00", "2027-03-03 12:00", "2027-03-04 08:00", "2027-03-04 09:00")
	got := s.Received()
	if len(got) != 4 {
		t.Fatalf("the relay got %d messages, want 4", len(got))
	}
	type want struct{ to, subject, when, where string }
	wants := []want{ // in the order they were due
		{"noah@example.org", "Your appointment on Wednesday, March 3", "at 2:00 PM", "This is a video session: https://video.example/ana"},
		{"maria@example.org", "Su cita del jueves 4 de marzo", "a las 10:00", "Lugar: 12 Main St, Springfield, IL 62701"},
		{"noah@example.org", "Your appointment on Wednesday, March 3", "at 2:00 PM", "This is a video session: https://video.example/ana"},
		{"maria@example.org", "Su cita del jueves 4 de marzo", "a las 10:00", "Lugar: 12 Main St, Springfield, IL 62701"},
	}
	for i, r := range got {
		for _, canary := range canaries {
			if bytes.Contains(r.Data, []byte(canary)) {
				t.Errorf("message %d holds %s", i, canary)
			}
		}
		w := wants[i]
		header, parts, err := mailtest.Parse(r.Data)
		if err != nil {
			t.Fatal(err)
		}
		subject, _ := new(mime.WordDecoder).DecodeHeader(header.Get("Subject"))
		if r.To != w.to || subject != w.subject {
			t.Errorf("message %d to %s %q, want %s %q", i, r.To, subject, w.to, w.subject)
		}
		for _, part := range []string{"text/plain", "text/html"} {
			shown := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(parts[part], "") // the HTML as read
			for _, s := range []string{w.when, w.where, "(555) 010-"} {
				if !strings.Contains(shown, s) {
					t.Errorf("message %d %s lacks %q:\n%s", i, part, s, parts[part])
				}
			}
		}
		cal, err := ical.NewDecoder(strings.NewReader(parts["text/calendar"])).Decode()
		if err != nil {
			t.Fatalf("message %d calendar: %v", i, err)
		}
		ev := cal.Events()[0]
		start, _ := ev.DateTimeStart(time.UTC)
		wantStart := map[string]string{"noah@example.org": "2027-03-03 14:00", "maria@example.org": "2027-03-04 10:00"}[w.to]
		if !start.Equal(wall(t, loc, wantStart)) {
			t.Errorf("message %d calendar starts %v", i, start)
		}
		for _, canary := range canaries {
			if strings.Contains(parts["text/plain"]+parts["text/html"]+parts["text/calendar"], canary) {
				t.Errorf("message %d (decoded) holds %s", i, canary)
			}
		}
	}
}

// A patient with intake forms to do is asked, in the reminder for an
// office session, to come 15 minutes early and what to bring; a video
// session's reminder does not ask (the tablet is at the office). Once the
// packet is in, the sender rewrites the queued reminder without it.
func TestRemindersAskForFormsWhenAPacketIsToDo(t *testing.T) {
	loc := chicago(t)
	c := &clock{t: wall(t, loc, "2027-03-01 08:00")}
	p := newReminderPractice(t, c)
	p.useRelay(t, startServer(t)) // this machine sends: it rewrites queued reminders
	office := p.book(t, p.noah, "2027-03-03 10:00", false, practice.Scheduled)
	video := p.book(t, p.maria, "2027-03-03 14:00", true, practice.Scheduled)
	if n := p.queueReminders(t); n.Queued != 4 {
		t.Fatalf("queued %+v, want 4", n)
	}
	const en = "Please arrive 15 minutes early to complete them on the tablet at our front desk, and bring a photo ID and your insurance card."
	texts := func() map[string][]string {
		out := map[string][]string{}
		p.update(t, func(tx *store.Tx) error {
			queued, err := tx.OutboxInState(store.OutboxQueued)
			for _, m := range queued {
				content, err := tx.OutboxContent(m.ID)
				if err != nil {
					return err
				}
				out[m.SubjectID] = append(out[m.SubjectID], content.Text+content.HTML)
			}
			return err
		})
		return out
	}
	for id, want := range map[string]bool{office.ID: true, video.ID: false} {
		for _, text := range texts()[id] {
			if got := strings.Count(text, en); want && got != 2 || !want && strings.Contains(text, "15 minut") {
				t.Errorf("appointment %s: the nudge appears %d times in text and HTML, want it %v:\n%s", id, got, want, text)
			}
		}
	}

	// The check-in code is the one the front desk's list shows on the
	// session's day; a new code issued meanwhile rewrites the reminder.
	codeIn := func() string {
		t.Helper()
		var code string
		for _, text := range texts()[office.ID] {
			m := regexp.MustCompile(`type your check-in code, (\d{6}), and your date of birth`).FindStringSubmatch(text)
			if m == nil || (code != "" && m[1] != code) {
				t.Fatalf("the reminder gives no single check-in code:\n%s", text)
			}
			code = m[1]
		}
		return code
	}
	onTheDay := func(fn func(tx *store.Tx) error) {
		c.t = wall(t, loc, "2027-03-03 08:00")
		p.update(t, fn)
		c.t = wall(t, loc, "2027-03-01 08:00")
	}
	listed := func(tx *store.Tx) string {
		codes, err := intake.Codes(tx, practice.Actor{})
		for _, c := range codes {
			if c.AppointmentID == office.ID {
				return c.Code
			}
		}
		t.Fatalf("the front desk's codes on the day: %+v, %v", codes, err)
		return ""
	}
	var first, second string
	onTheDay(func(tx *store.Tx) error { first = listed(tx); return nil })
	if got := codeIn(); got != first {
		t.Fatalf("the reminder gives code %s, the front desk's list on the day %s", got, first)
	}
	onTheDay(func(tx *store.Tx) error {
		_, err := intake.NewCode(tx, practice.Actor{}, office.ID)
		second = listed(tx)
		return err
	})
	if n := p.queueReminders(t); n.Updated != 2 || codeIn() != second || second == first {
		t.Fatalf("after a new code (%s, was %s): %+v, the reminder gives %s", second, first, n, codeIn())
	}

	p.update(t, func(tx *store.Tx) error {
		_, err := tx.AddSubmission(&practice.Submission{ID: "packet-1", PatientID: p.noah.ID, PacketID: "new-adult",
			Language: practice.English, SubmittedAt: c.Now(), Status: practice.NeedsReview})
		return err
	})
	if n := p.queueReminders(t); n.Updated != 2 {
		t.Fatalf("after the packet came in: %+v, want Noah's two reminders updated", n)
	}
	for _, text := range texts()[office.ID] {
		if strings.Contains(text, "15 minutes early") {
			t.Errorf("the packet is in, yet the reminder still asks for forms:\n%s", text)
		}
	}
}

// A practice that has not chosen a time zone runs on the computer's own,
// as its calendar shows it (practice.Settings.Zone): a reminder names the
// session's time on that clock, not in UTC.
func TestRemindersUseTheCalendarsZoneWhenThePracticeHasNone(t *testing.T) {
	loc := chicago(t)
	was := time.Local
	time.Local = loc
	t.Cleanup(func() { time.Local = was })
	c := &clock{t: wall(t, loc, "2027-03-01 08:00")}
	p := newReminderPractice(t, c)
	p.update(t, func(tx *store.Tx) error {
		ps, err := tx.Settings()
		if err != nil {
			return err
		}
		ps.Timezone = ""
		return tx.SaveSettings(&ps)
	})
	s := startServer(t)
	p.useRelay(t, s)
	p.book(t, p.noah, "2027-03-03 14:00", true, practice.Confirmed)
	out := p.outbox(s)
	p.sendAt(t, c, out, "2027-03-01 14:00", "2027-03-03 12:00")
	got := s.Received()
	if len(got) != 2 {
		t.Fatalf("the relay got %d messages, want 2", len(got))
	}
	for i, r := range got {
		_, parts, err := mailtest.Parse(r.Data)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(parts["text/plain"], "at 2:00 PM") {
			t.Errorf("message %d does not say 2:00 PM (Chicago, the computer's zone):\n%s", i, parts["text/plain"])
		}
	}
}
