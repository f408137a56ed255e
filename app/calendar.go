package app

import (
	"bytes"
	"time"

	"quietdesk/internal/calendar"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Calendar is the facade for the schedule: setup (appointment types,
// working hours, time off), the views, booking, rescheduling, the
// lifecycle, the waitlist, and the feeds a clinician takes away.
type Calendar struct{ c *Core }

// NewCalendar binds the calendar facade to core.
func NewCalendar(c *Core) *Calendar { return &Calendar{c: c} }

// CalendarQuery asks for the appointments starting in [From, To).
type CalendarQuery struct {
	From         time.Time `json:"from" ts_type:"string"`
	To           time.Time `json:"to" ts_type:"string"`
	ClinicianIDs []string  `json:"clinicianIds"` // empty: every clinician
	LocationID   string    `json:"locationId"`
	RoomID       string    `json:"roomId"`
}

// CalendarEvent is one appointment as the calendar shows it.
type CalendarEvent struct {
	ID          string          `json:"id"`
	SeriesID    string          `json:"seriesId"`
	PatientID   string          `json:"patientId"`
	PatientName string          `json:"patientName"`
	ClinicianID string          `json:"clinicianId"`
	TypeID      string          `json:"typeId"`
	LocationID  string          `json:"locationId"`
	RoomID      string          `json:"roomId"`
	Telehealth  bool            `json:"telehealth"`
	Start       time.Time       `json:"start" ts_type:"string"`
	End         time.Time       `json:"end" ts_type:"string"`
	Status      practice.Status `json:"status"`
	LateCancel  bool            `json:"lateCancel"`
	FeeCents    int             `json:"feeCents"`
	Busy        bool            `json:"busy"` // a colleague's booked time: nothing else is told
}

// CalendarRange is what a calendar view shows: appointments and the time
// off that shades it.
type CalendarRange struct {
	Events  []CalendarEvent    `json:"events"`
	TimeOff []practice.TimeOff `json:"timeOff"`
}

// CalendarSetup is everything the calendar screen needs besides the range.
type CalendarSetup struct {
	Zone   string                  `json:"zone"` // IANA time zone of the practice
	Policy practice.CalendarPolicy `json:"policy"`
	// DefaultTypeID is the type New appointment starts with ("" the first active one).
	DefaultTypeID string `json:"defaultTypeId"`
	// Clock is how times of day are written ("" reads as 12-hour).
	Clock      practice.Clock             `json:"clock"`
	Types      []practice.AppointmentType `json:"types"`
	Hours      []practice.WorkingHours    `json:"hours"`
	Clinicians []practice.Clinician       `json:"clinicians"`
	Locations  []practice.Location        `json:"locations"`
	Rooms      []practice.Room            `json:"rooms"`
}

// AppointmentDetail is one appointment opened for editing.
type AppointmentDetail struct {
	Appointment practice.Appointment `json:"appointment"`
	PatientName string               `json:"patientName"`
	VideoLink   string               `json:"videoLink"` // the appointment's own, else the clinician's
	Series      *practice.Series     `json:"series"`
}

// WaitlistItem is a waitlist entry with the name to call.
type WaitlistItem struct {
	Entry practice.WaitlistEntry `json:"entry"`
	Name  string                 `json:"name"`
}

// Setup loads the calendar's reference data.
func (k *Calendar) Setup() (CalendarSetup, error) {
	return read(k.c, "Calendar.Setup", func(tx *store.Tx) (CalendarSetup, error) {
		var s CalendarSetup
		settings, err := tx.Settings()
		if err != nil {
			return s, err
		}
		s.Zone, s.Policy, s.DefaultTypeID, s.Clock = settings.Zone().String(), settings.Policy, settings.DefaultTypeID, settings.Clock
		if s.Types, err = tx.AppointmentTypes(); err != nil {
			return s, err
		}
		if s.Hours, err = tx.WorkingHours(); err != nil {
			return s, err
		}
		if s.Clinicians, err = tx.Clinicians(); err != nil {
			return s, err
		}
		if s.Locations, err = tx.Locations(); err != nil {
			return s, err
		}
		s.Rooms, err = tx.Rooms()
		return s, err
	})
}

// Range lists the appointments of a view: clinicians see their own in
// full and colleagues' as busy time (calendar.Service.Range), audited as
// one view naming the patients it showed.
func (k *Calendar) Range(q CalendarQuery) (CalendarRange, error) {
	const m = "Calendar.Range"
	sess, err := k.c.begin(m)
	if err != nil {
		return CalendarRange{}, k.c.fail(m, err)
	}
	var v calendar.ViewResult
	err = k.c.update(func(tx *store.Tx) error {
		v, err = k.c.calendar.Range(tx, sess.actor(), calendar.RangeQuery{From: q.From, To: q.To, ClinicianIDs: q.ClinicianIDs,
			LocationID: q.LocationID, RoomID: q.RoomID})
		return err
	})
	if err != nil {
		return CalendarRange{}, k.c.fail(m, err)
	}
	out := CalendarRange{Events: []CalendarEvent{}, TimeOff: append([]practice.TimeOff{}, v.TimeOff...)}
	for _, a := range v.Appointments {
		out.Events = append(out.Events, CalendarEvent{ID: a.ID, SeriesID: a.SeriesID, PatientID: a.PatientID,
			PatientName: k.c.patientName(a.PatientID), ClinicianID: a.ClinicianID, TypeID: a.TypeID, LocationID: a.LocationID,
			RoomID: a.RoomID, Telehealth: a.Telehealth, Start: a.Start, End: a.End, Status: a.Status,
			LateCancel: a.LateCancel, FeeCents: a.FeeCents})
	}
	for _, a := range v.Busy {
		out.Events = append(out.Events, CalendarEvent{ID: a.ID, ClinicianID: a.ClinicianID, Start: a.Start, End: a.End, Busy: true})
	}
	return out, nil
}

// patientName is a patient's name from the search index ("" when logged out).
func (c *Core) patientName(id string) string { return c.patients.Name(id) }

// Appointment opens one appointment (audited).
func (k *Calendar) Appointment(id string) (AppointmentDetail, error) {
	const m = "Calendar.Appointment"
	sess, err := k.c.begin(m)
	if err != nil {
		return AppointmentDetail{}, k.c.fail(m, err)
	}
	var o calendar.Opened
	err = k.c.update(func(tx *store.Tx) error {
		o, err = k.c.calendar.Open(tx, sess.actor(), id)
		return err
	})
	if err != nil {
		return AppointmentDetail{}, k.c.fail(m, err)
	}
	return AppointmentDetail{Appointment: o.Appointment, PatientName: k.c.patientName(o.Appointment.PatientID), VideoLink: o.VideoLink,
		Series: o.Series}, nil
}

// PatientAppointments lists a patient's upcoming and past appointments and
// the fees charged, for their record (access and audit: the service).
func (k *Calendar) PatientAppointments(patientID string) (calendar.PatientVisits, error) {
	const m = "Calendar.PatientAppointments"
	sess, err := k.c.begin(m)
	if err != nil {
		return calendar.PatientVisits{}, k.c.fail(m, err)
	}
	var v calendar.PatientVisits
	err = k.c.update(func(tx *store.Tx) error {
		v, err = k.c.calendar.PatientAppointments(tx, sess.actor(), patientID)
		return err
	})
	if err != nil {
		return calendar.PatientVisits{}, k.c.fail(m, err)
	}
	return v, nil
}

// CheckBooking lists what a booking would clash with, writing nothing.
func (k *Calendar) CheckBooking(b calendar.Booking) ([]practice.Conflict, error) {
	return read(k.c, "Calendar.CheckBooking", func(tx *store.Tx) ([]practice.Conflict, error) {
		return nonNil(k.c.calendar.CheckBooking(tx, b))
	})
}

// Book books a session or a recurring series (audited by the service).
func (k *Calendar) Book(b calendar.Booking) (calendar.BookingResult, error) {
	const m = "Calendar.Book"
	sess, err := k.c.begin(m)
	if err != nil {
		return calendar.BookingResult{}, k.c.fail(m, err)
	}
	var res calendar.BookingResult
	err = k.c.update(func(tx *store.Tx) error {
		res, err = k.c.calendar.Book(tx, sess.actor(), b)
		return err
	})
	return res, k.c.fail(m, err)
}

// CheckMove lists what a move would clash with, writing nothing.
func (k *Calendar) CheckMove(mv calendar.Move) ([]practice.Conflict, error) {
	return read(k.c, "Calendar.CheckMove", func(tx *store.Tx) ([]practice.Conflict, error) {
		return nonNil(k.c.calendar.CheckMove(tx, mv))
	})
}

// Move reschedules an appointment, or it and later sessions of its series.
func (k *Calendar) Move(mv calendar.Move) (calendar.ChangeResult, error) {
	return k.change("Calendar.Move", func(tx *store.Tx, by practice.Actor) (calendar.ChangeResult, error) {
		return k.c.calendar.Move(tx, by, mv)
	})
}

// RemoveBooking deletes a booking made in error (or a series from there
// on), auditing each removal with its reason.
func (k *Calendar) RemoveBooking(r calendar.Removal) error {
	const m = "Calendar.RemoveBooking"
	sess, err := k.c.begin(m)
	if err != nil {
		return k.c.fail(m, err)
	}
	return k.c.fail(m, k.c.update(func(tx *store.Tx) error {
		_, err := k.c.calendar.RemoveBooking(tx, sess.actor(), r)
		return err
	}))
}

// SetStatus confirms, checks in, completes, cancels or marks a no-show.
func (k *Calendar) SetStatus(sc calendar.StatusChange) (calendar.ChangeResult, error) {
	return k.change("Calendar.SetStatus", func(tx *store.Tx, by practice.Actor) (calendar.ChangeResult, error) {
		return k.c.calendar.SetStatus(tx, by, sc)
	})
}

func (k *Calendar) change(m string, apply func(tx *store.Tx, by practice.Actor) (calendar.ChangeResult, error)) (calendar.ChangeResult, error) {
	sess, err := k.c.begin(m)
	if err != nil {
		return calendar.ChangeResult{}, k.c.fail(m, err)
	}
	var res calendar.ChangeResult
	err = k.c.update(func(tx *store.Tx) error {
		res, err = apply(tx, sess.actor())
		return err
	})
	if res.Offers == nil {
		res.Offers = []practice.WaitlistEntry{}
	}
	return res, k.c.fail(m, err)
}

// FirstAvailable finds the earliest free slots across clinicians.
func (k *Calendar) FirstAvailable(q calendar.SlotQuery) ([]calendar.Slot, error) {
	return read(k.c, "Calendar.FirstAvailable", func(tx *store.Tx) ([]calendar.Slot, error) {
		return nonNil(calendar.FirstAvailable(tx, q))
	})
}

// MatchClinicians ranks clinicians for a new patient.
func (k *Calendar) MatchClinicians(need calendar.Need, locationID string, durationMin int) ([]calendar.ClinicianMatch, error) {
	return read(k.c, "Calendar.MatchClinicians", func(tx *store.Tx) ([]calendar.ClinicianMatch, error) {
		return k.c.calendar.MatchClinicians(tx, need, locationID, durationMin)
	})
}

// SaveType creates or updates an appointment type.
func (k *Calendar) SaveType(t practice.AppointmentType) (practice.AppointmentType, error) {
	return save(k.c, "Calendar.SaveType", "appointment_types", &t, func() string { return t.ID },
		func(tx *store.Tx) error { return tx.SaveAppointmentType(&t) })
}

// SetHours replaces a clinician's working week.
func (k *Calendar) SetHours(clinicianID string, blocks []practice.WorkingHours) ([]practice.WorkingHours, error) {
	return save(k.c, "Calendar.SetHours", "working_hours", &blocks, func() string { return clinicianID },
		func(tx *store.Tx) error { return tx.SetWorkingHours(clinicianID, blocks) })
}

// CalendarSpan is the time span [From, To).
type CalendarSpan struct {
	From time.Time `json:"from" ts_type:"string"`
	To   time.Time `json:"to" ts_type:"string"`
}

// TimeOff lists the time off and blocked time overlapping the span, for the
// settings list (Range returns it too, with every appointment).
func (k *Calendar) TimeOff(span CalendarSpan) ([]practice.TimeOff, error) {
	from, to := span.From, span.To
	return read(k.c, "Calendar.TimeOff", func(tx *store.Tx) ([]practice.TimeOff, error) {
		if !to.After(from) || to.Sub(from) > 366*24*time.Hour {
			return nil, practice.Errorf(practice.EInvalid, "Show at most a year of time off at a time.")
		}
		return nonNil(tx.TimeOffBetween(from, to))
	})
}

// SaveTimeOff creates or updates time off or blocked time.
func (k *Calendar) SaveTimeOff(o practice.TimeOff) (practice.TimeOff, error) {
	return save(k.c, "Calendar.SaveTimeOff", "time_off", &o, func() string { return o.ID },
		func(tx *store.Tx) error { return tx.SaveTimeOff(&o) })
}

// CheckTimeOff lists the booked sessions time off would leave under it,
// writing nothing.
func (k *Calendar) CheckTimeOff(o practice.TimeOff) ([]practice.Conflict, error) {
	return read(k.c, "Calendar.CheckTimeOff", func(tx *store.Tx) ([]practice.Conflict, error) {
		return calendar.TimeOffClashes(tx, o)
	})
}

// DeleteTimeOff removes time off.
func (k *Calendar) DeleteTimeOff(id string) error {
	_, err := save(k.c, "Calendar.DeleteTimeOff", "time_off", &id, func() string { return id },
		func(tx *store.Tx) error { return tx.DeleteTimeOff(id) })
	return err
}

// Waitlist lists the open waitlist, most urgent first.
func (k *Calendar) Waitlist() ([]WaitlistItem, error) {
	return read(k.c, "Calendar.Waitlist", func(tx *store.Tx) ([]WaitlistItem, error) {
		entries, err := tx.Waitlist(practice.WaitlistOpen)
		out := make([]WaitlistItem, 0, len(entries))
		for _, e := range entries {
			out = append(out, WaitlistItem{Entry: e, Name: k.c.waitlistName(e)})
		}
		return out, err
	})
}

func (c *Core) waitlistName(e practice.WaitlistEntry) string {
	if e.PatientID != "" {
		return c.patientName(e.PatientID)
	}
	return e.Name
}

// SaveWaitlist adds or updates a waitlist entry (mark it booked or removed
// through its status).
func (k *Calendar) SaveWaitlist(e practice.WaitlistEntry) (WaitlistItem, error) {
	out, err := save(k.c, "Calendar.SaveWaitlist", "waitlist", &e, func() string { return e.ID },
		func(tx *store.Tx) error { return tx.SaveWaitlistEntry(&e) })
	return WaitlistItem{Entry: out, Name: k.c.waitlistName(out)}, err
}

// ExportFeed saves a clinician's iCalendar feed (the next twelve months;
// no patient information) where the user chooses.
func (k *Calendar) ExportFeed(clinicianID string) (string, error) {
	const m = "Calendar.ExportFeed"
	return k.export(m, "Save calendar feed", "quietdesk-calendar.ics", "iCalendar", "*.ics", "calendar.feed",
		func(tx *store.Tx, buf *bytes.Buffer, by practice.Actor) error {
			now := tx.Now()
			return k.c.calendar.Feed(tx, by, buf, clinicianID, now.AddDate(0, 0, -7), now.AddDate(1, 0, 0))
		})
}

// PrintDay saves a clinician's printable schedule (PDF) for one day
// (YYYY-MM-DD in the practice's zone), or with clinicianID "" the whole
// practice's day, with first names and last initials only. The suggested
// file name carries the day (the service refuses any other text first).
func (k *Calendar) PrintDay(clinicianID, day string) (string, error) {
	const m = "Calendar.PrintDay"
	return k.export(m, "Save day schedule", "quietdesk-day-"+day+".pdf", "PDF", "*.pdf", "calendar.print",
		func(tx *store.Tx, buf *bytes.Buffer, by practice.Actor) error {
			return k.c.calendar.DaySchedule(tx, by, buf, clinicianID, day)
		})
}

// export renders a document in a read transaction and saves it through the
// save dialog, audited.
func (k *Calendar) export(m, title, name, filter, pattern, action string, render func(tx *store.Tx, buf *bytes.Buffer, by practice.Actor) error) (string, error) {
	sess, err := k.c.begin(m)
	if err != nil {
		return "", k.c.fail(m, err)
	}
	var buf bytes.Buffer
	if err := k.c.view(func(tx *store.Tx) error { return render(tx, &buf, sess.actor()) }); err != nil {
		return "", k.c.fail(m, err)
	}
	return k.c.saveExport(m, sess, title, name, filter, pattern, buf.Bytes(), action)
}
