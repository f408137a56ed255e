package notify

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/emersion/go-ical"

	"quietdesk/internal/intake"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// PurposeReminder is the outbox purpose of appointment reminders.
const PurposeReminder = "reminder"

// ReminderSettings are the practice's reminder choices.
type ReminderSettings struct {
	Enabled bool `json:"enabled"`
	// Leads are how long before the start each reminder goes, in minutes
	// (2880 and 120: two days and two hours before). Whole days keep the
	// wall-clock time across a daylight-saving change.
	Leads []int `json:"leads"`
	// Quiet hours, in the practice's zone ("21:00" to "08:00"): a reminder
	// due then goes when they end, or, if that is less than an hour before
	// the appointment, just before they began. Equal: no quiet hours.
	QuietStart string              `json:"quietStart"`
	QuietEnd   string              `json:"quietEnd"`
	Templates  map[string]Template `json:"templates"`
}

// DefaultReminders are the settings before the practice saves its own.
func DefaultReminders() ReminderSettings {
	return ReminderSettings{Enabled: true, Leads: []int{2 * 24 * 60, 120}, QuietStart: "21:00", QuietEnd: "08:00", Templates: DefaultTemplates}
}

// Validate returns an EInvalid error naming every bad field.
func (s *ReminderSettings) Validate() error {
	p := practice.Problems{}
	if len(s.Leads) == 0 || len(s.Leads) > 4 {
		p.Add("leads", "Choose one to four reminder times.")
	}
	for _, l := range s.Leads {
		if l < 15 || l > 14*24*60 {
			p.Add("leads", "Each reminder goes between 15 minutes and 14 days before.")
		}
	}
	if _, err := wallMinutes(s.QuietStart); err != nil {
		p.Add("quietStart", "Enter a time such as 21:00.")
	}
	if _, err := wallMinutes(s.QuietEnd); err != nil {
		p.Add("quietEnd", "Enter a time such as 08:00.")
	}
	for _, lang := range Languages {
		t, ok := s.Templates[lang]
		if !ok {
			p.Add("templates."+lang, "Write the message in this language too.")
			continue
		}
		t.Validate(p, "templates."+lang)
	}
	return p.Err()
}

func wallMinutes(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, err
	}
	return t.Hour()*60 + t.Minute(), nil
}

// Reminders loads the practice's reminder settings, or the defaults.
func Reminders(tx *store.Tx) (ReminderSettings, error) {
	s := DefaultReminders()
	var saved ReminderSettings
	found, err := tx.MailSetting("reminders", &saved)
	if err != nil || !found {
		return s, err
	}
	// A template the practice never wrote keeps the default.
	for _, lang := range Languages {
		if _, ok := saved.Templates[lang]; !ok {
			if saved.Templates == nil {
				saved.Templates = map[string]Template{}
			}
			saved.Templates[lang] = DefaultTemplates[lang]
		}
	}
	return saved, nil
}

// SaveReminders validates and stores the reminder settings.
func SaveReminders(tx *store.Tx, s ReminderSettings) error {
	slices.Sort(s.Leads)
	s.Leads = slices.Compact(s.Leads)
	if err := s.Validate(); err != nil {
		return err
	}
	return tx.SaveMailSetting("reminders", s)
}

// ReminderDue is when a reminder lead minutes before start is due: whole
// days back on the wall clock of loc (so a 9:00 session's two-day reminder
// is at 9:00 across a daylight-saving change), then the rest in minutes.
func ReminderDue(start time.Time, lead int, loc *time.Location) time.Time {
	local := start.In(loc)
	days, rest := lead/(24*60), lead%(24*60)
	return time.Date(local.Year(), local.Month(), local.Day()-days, local.Hour(), local.Minute(), 0, 0, loc).
		Add(-time.Duration(rest) * time.Minute).UTC()
}

// SendAfter moves a due time out of the quiet hours: to their end, or to
// just before they began when their end is less than an hour before the
// appointment.
func (s ReminderSettings) SendAfter(due, start time.Time, loc *time.Location) time.Time {
	qs, err1 := wallMinutes(s.QuietStart)
	qe, err2 := wallMinutes(s.QuietEnd)
	if err1 != nil || err2 != nil || qs == qe {
		return due
	}
	local := due.In(loc)
	m := local.Hour()*60 + local.Minute()
	quiet := (qs < qe && m >= qs && m < qe) || (qs > qe && (m >= qs || m < qe))
	if !quiet {
		return due
	}
	// On the wall clock of that day (a daylight-saving day is 23 or 25
	// hours long): the quiet period holding due began at qs today, or
	// yesterday when due is in its after-midnight part, and ends at qe.
	at := func(dayOffset, minutes int) time.Time {
		return time.Date(local.Year(), local.Month(), local.Day()+dayOffset, minutes/60, minutes%60, 0, 0, loc)
	}
	began, ends := at(0, qs), at(0, qe)
	if qs > qe && m < qe {
		began = at(-1, qs)
	}
	if qs > qe && m >= qs {
		ends = at(1, qe)
	}
	if !ends.Add(time.Hour).After(start) {
		return ends.UTC()
	}
	return began.Add(-time.Minute).UTC()
}

// ReminderCount is what one queueing run did.
type ReminderCount struct {
	Queued, Updated, Withdrawn int
}

// QueueReminders makes the outbox hold exactly the reminders the calendar
// calls for, from now to the longest lead ahead. Every machine with the
// key may queue (a reminder is the same row whoever queues it); only the
// designated sender (sender true) updates queued reminders whose
// appointment changed and withdraws those no longer wanted, so the
// sender alone edits a message's state.
func QueueReminders(ctx context.Context, tx *store.Tx, now time.Time, sender bool) (ReminderCount, error) {
	var n ReminderCount
	rs, err := Reminders(tx)
	if err != nil || !rs.Enabled && !sender {
		return n, err
	}
	ps, err := tx.Settings()
	if err != nil {
		return n, err
	}
	loc := ps.Zone()
	horizon := now.Add(time.Duration(slices.Max(append(rs.Leads, 0))+24*60) * time.Minute)
	appts, err := tx.AppointmentsBetween(now, horizon, store.AppointmentFilter{})
	if err != nil {
		return n, err
	}
	places, err := placesByID(tx)
	if err != nil {
		return n, err
	}
	wanted := map[string]bool{}
	for _, a := range appts {
		if ctx.Err() != nil {
			return n, ctx.Err()
		}
		if !rs.Enabled || (a.Status != practice.Scheduled && a.Status != practice.Confirmed) {
			continue
		}
		msgs, err := reminderMessages(tx, rs, ps, places, loc, a, now)
		if err != nil {
			return n, err
		}
		for _, m := range msgs {
			id, created, err := tx.QueueMessage(m.OutboxMessage, m.content)
			if err != nil {
				return n, err
			}
			wanted[id] = true
			if created {
				n.Queued++
				continue
			}
			if sender {
				changed, err := refresh(tx, id, m)
				if err != nil {
					return n, err
				}
				if changed {
					n.Updated++
				}
			}
		}
	}
	if !sender {
		return n, nil
	}
	queued, err := tx.OutboxInState(store.OutboxQueued)
	if err != nil {
		return n, err
	}
	for _, m := range queued {
		if m.Purpose != PurposeReminder || wanted[m.ID] {
			continue
		}
		reason, err := reminderCurrent(tx, m, now)
		if err != nil {
			return n, err
		}
		if reason == "" {
			if slot, err := tx.AppointmentSlot(m.SubjectID); err != nil || slot.Start.After(horizon) {
				continue // beyond this run's reach; not ours to judge
			}
			reason = "Reminders were turned off, or this patient opted out or has no e-mail address."
		}
		if err := tx.SetOutboxState(m.ID, store.OutboxWithdrawn, m.SendAfter, m.Attempts, reason); err != nil {
			return n, err
		}
		n.Withdrawn++
	}
	return n, nil
}

// QueueFor queues the reminders one appointment calls for as of now,
// whatever its status, and returns their ids: the demo's sent history.
func QueueFor(tx *store.Tx, a practice.Appointment, now time.Time) ([]string, error) {
	rs, err := Reminders(tx)
	if err != nil {
		return nil, err
	}
	ps, err := tx.Settings()
	if err != nil {
		return nil, err
	}
	places, err := placesByID(tx)
	if err != nil {
		return nil, err
	}
	msgs, err := reminderMessages(tx, rs, ps, places, ps.Zone(), a, now)
	var ids []string
	for _, m := range msgs {
		if err != nil {
			break
		}
		var id string
		id, _, err = tx.QueueMessage(m.OutboxMessage, m.content)
		ids = append(ids, id)
	}
	return ids, err
}

// refresh brings a queued reminder up to date with its appointment (the
// room's office changed, the quiet hours moved it).
func refresh(tx *store.Tx, id string, m reminder) (bool, error) {
	cur, err := tx.OutboxMessage(id)
	if err != nil || cur.State != store.OutboxQueued {
		return false, err
	}
	old, err := tx.OutboxContent(id)
	if err != nil {
		return false, err
	}
	changed := false
	if !sameContent(old, m.content) {
		if err := tx.SetOutboxContent(id, m.content); err != nil {
			return false, err
		}
		changed = true
	}
	if !cur.SendAfter.Equal(m.SendAfter) {
		if err := tx.SetOutboxState(id, store.OutboxQueued, m.SendAfter, cur.Attempts, cur.Error); err != nil {
			return false, err
		}
		changed = true
	}
	return changed, nil
}

func sameContent(a, b store.OutboxContent) bool {
	return a.To == b.To && a.Subject == b.Subject && a.Text == b.Text && a.HTML == b.HTML && bytes.Equal(a.Calendar, b.Calendar)
}

type reminder struct {
	store.OutboxMessage
	content store.OutboxContent
}

type place struct{ name, address, phone string }

func placesByID(tx *store.Tx) (map[string]place, error) {
	locs, err := tx.Locations()
	out := map[string]place{}
	for _, l := range locs {
		out[l.ID] = place{l.Name, oneLine(l.Address), l.Phone}
	}
	return out, err
}

// reminderMessages composes the reminders one appointment calls for: none
// for a patient without an address or who opted out; none already due
// when the appointment is booked (a two-day reminder for tomorrow).
func reminderMessages(tx *store.Tx, rs ReminderSettings, ps practice.Settings, places map[string]place, loc *time.Location, a practice.Appointment, now time.Time) ([]reminder, error) {
	pt, err := tx.Patient(a.PatientID)
	if err != nil {
		return nil, err
	}
	if pt.Contact.Email == "" || pt.Contact.NoReminders || !pt.Active {
		return nil, nil
	}
	lang := pt.Contact.Language
	if lang != "es" {
		lang = "en"
	}
	first := pt.Identity.PreferredName
	if first == "" {
		first = pt.Identity.FirstName
	}
	facts := ReminderFacts{FirstName: first, Start: a.Start.In(loc), Phone: ps.Phone, Practice: ps.Name}
	if a.Telehealth || a.LocationID == "" {
		full, err := tx.Appointment(a.ID)
		if err != nil {
			return nil, err
		}
		facts.VideoLink = full.VideoLink
		if facts.VideoLink == "" {
			if c, err := tx.Clinician(a.ClinicianID); err == nil {
				facts.VideoLink = c.VideoLink
			}
		}
	} else if p, ok := places[a.LocationID]; ok {
		facts.Place = p.address
		if facts.Place == "" {
			facts.Place = p.name
		}
		if p.phone != "" {
			facts.Phone = p.phone
		}
		// The intake nudge: a packet to do is done on the office's tablet.
		if facts.Forms, err = intake.PacketToDo(tx, a.PatientID, now); err != nil {
			return nil, err
		}
		if facts.Forms {
			if facts.CheckinCode, err = intake.ReminderCode(tx, a); err != nil {
				return nil, err
			}
		}
	}
	subject, text, htmlBody := Render(rs.Templates[lang], lang, facts)
	ics, err := appointmentICS(a, lang, facts, now)
	if err != nil {
		return nil, err
	}
	var out []reminder
	for _, lead := range rs.Leads {
		due := ReminderDue(a.Start, lead, loc)
		if due.Before(now) {
			continue
		}
		out = append(out, reminder{
			OutboxMessage: store.OutboxMessage{Purpose: PurposeReminder, SubjectID: a.ID, DueAt: due, SendAfter: rs.SendAfter(due, a.Start, loc)},
			content:       store.OutboxContent{To: pt.Contact.Email, Subject: subject, Text: text, HTML: htmlBody, Calendar: ics},
		})
	}
	return out, nil
}

// appointmentICS is the calendar attachment: the time, "Appointment", the
// place or the video link, and nothing else.
func appointmentICS(a practice.Appointment, lang string, f ReminderFacts, now time.Time) ([]byte, error) {
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, "-//Quietdesk//Reminder//EN")
	cal.Props.SetText(ical.PropMethod, "PUBLISH")
	ev := ical.NewEvent()
	ev.Props.SetText(ical.PropUID, a.ID+"@quietdesk")
	ev.Props.SetDateTime(ical.PropDateTimeStamp, now.UTC().Truncate(time.Second))
	ev.Props.SetDateTime(ical.PropDateTimeStart, a.Start.UTC())
	ev.Props.SetDateTime(ical.PropDateTimeEnd, a.End.UTC())
	summary := "Appointment"
	if lang == "es" {
		summary = "Cita"
	}
	if f.Practice != "" {
		summary += " — " + f.Practice
	}
	ev.Props.SetText(ical.PropSummary, summary)
	switch {
	case f.Place != "":
		ev.Props.SetText(ical.PropLocation, f.Place)
	case f.VideoLink != "":
		ev.Props.SetText(ical.PropLocation, f.VideoLink)
		ev.Props.SetText(ical.PropURL, f.VideoLink)
	}
	cal.Children = append(cal.Children, ev.Component)
	var b bytes.Buffer
	if err := ical.NewEncoder(&b).Encode(cal); err != nil {
		return nil, fmt.Errorf("notify: calendar: %w", err)
	}
	return b.Bytes(), nil
}

// RunReminders queues (and, on the sender, updates and withdraws) the
// reminders the calendar calls for, in one transaction.
func RunReminders(ctx context.Context, db *store.DB) (ReminderCount, error) {
	var n ReminderCount
	err := db.Update(ctx, func(tx *store.Tx) error {
		sender, err := tx.MailSender()
		if err != nil {
			return err
		}
		n, err = QueueReminders(ctx, tx, tx.Now(), sender == db.DeviceID())
		return err
	})
	return n, err
}

// reminderCurrent withdraws, just before sending, a reminder whose
// appointment is gone, no longer open, moved away from this reminder's
// time, or already begun: another machine may have changed it since the
// last queueing run.
func reminderCurrent(tx *store.Tx, m store.OutboxMessage, now time.Time) (string, error) {
	rs, err := Reminders(tx)
	if err != nil {
		return "", err
	}
	ps, err := tx.Settings()
	if err != nil {
		return "", err
	}
	a, err := tx.AppointmentSlot(m.SubjectID)
	if practice.ErrorCode(err) == practice.ENotFound {
		return "The appointment was deleted.", nil
	}
	if err != nil {
		return "", err
	}
	switch {
	case a.Status != practice.Scheduled && a.Status != practice.Confirmed:
		return "The appointment is no longer scheduled.", nil
	case !a.Start.After(now):
		return "The appointment has begun; the reminder would come too late.", nil
	}
	for _, lead := range rs.Leads {
		if ReminderDue(a.Start, lead, ps.Zone()).Equal(m.DueAt) {
			return "", nil
		}
	}
	return "The appointment was moved, or the reminder times changed.", nil
}
