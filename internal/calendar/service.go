package calendar

import (
	"time"

	"quietdesk/internal/practice"
)

// The calendar service: the rules of this package applied to the store,
// each call inside the caller's transaction so that "check, then book" can
// never be split by another writer.

// Service is the calendar's workflows. A call does the whole job for the
// acting account: validation, the write, its audit entries and its
// follow-ups (an override's double-bookings acknowledged), so a booking
// behaves the same whoever calls it.
type Service struct {
	checks        []BookingCheck
	sessionChecks []SessionsCheck
	network       NetworkRule // nil: insurance is not matched (see WithNetwork)
}

// NewService returns the calendar service; checks are the booking checks
// higher areas register (see BookingCheck).
func NewService(checks ...BookingCheck) *Service { return &Service{checks: checks} }

// load loads the facts of one call, with the service's booking checks.
func (s *Service) load(tx Store) (*facts, error) {
	f, err := load(tx)
	if err != nil {
		return nil, err
	}
	f.checks, f.sessionChecks, f.network = s.checks, s.sessionChecks, s.network
	return f, nil
}

// horizon is how far ahead a series' occurrences exist as appointments: far
// enough for every screen and reminder, near enough to keep the table small.
func horizon(now time.Time) time.Time { return now.AddDate(1, 0, 0) }

// facts is what the service loads once per call to apply the rules:
// the settings (zone, policy), names for messages and each clinician's hours.
type facts struct {
	tx         Store
	settings   practice.Settings
	zone       *time.Location // settings.Zone(), loaded once
	clinicians map[string]practice.Clinician
	rooms      map[string]practice.Room
	locations  map[string]practice.Location
	types      map[string]practice.AppointmentType
	hours      map[string][]practice.WorkingHours // by clinician
	patients   map[string]string                  // short names, decrypted on demand
	checks     []BookingCheck
	// sessionChecks see a booking's sessions together (SessionsCheck).
	sessionChecks []SessionsCheck
	network       NetworkRule
}

func load(tx Store) (*facts, error) {
	settings, err := tx.Settings()
	if err != nil {
		return nil, err
	}
	c := &facts{tx: tx, settings: settings, zone: settings.Zone(),
		hours: map[string][]practice.WorkingHours{}, patients: map[string]string{}}
	clinicians, err := tx.Clinicians()
	if err != nil {
		return nil, err
	}
	rooms, err := tx.Rooms()
	if err != nil {
		return nil, err
	}
	locations, err := tx.Locations()
	if err != nil {
		return nil, err
	}
	types, err := tx.AppointmentTypes()
	if err != nil {
		return nil, err
	}
	hours, err := tx.WorkingHours()
	if err != nil {
		return nil, err
	}
	c.clinicians = byID(clinicians, func(x practice.Clinician) string { return x.ID })
	c.rooms = byID(rooms, func(x practice.Room) string { return x.ID })
	c.locations = byID(locations, func(x practice.Location) string { return x.ID })
	c.types = byID(types, func(x practice.AppointmentType) string { return x.ID })
	for _, h := range hours {
		c.hours[h.ClinicianID] = append(c.hours[h.ClinicianID], h)
	}
	return c, nil
}

func byID[T any](list []T, id func(T) string) map[string]T {
	m := make(map[string]T, len(list))
	for _, x := range list {
		m[id(x)] = x
	}
	return m
}

// patientName is a patient's first name and last initial, for conflict
// messages and printed schedules.
func (c *facts) patientName(id string) string {
	if n, ok := c.patients[id]; ok {
		return n
	}
	n := "another patient"
	if p, err := c.tx.Patient(id); err == nil {
		n = practice.ShortName(p.Identity.FirstName, p.Identity.LastName)
	}
	c.patients[id] = n
	return n
}

func (c *facts) clinicianName(id string) string {
	if x, ok := c.clinicians[id]; ok {
		return x.FirstName + " " + x.LastName
	}
	return "another clinician"
}

// place is where an appointment happens, as a calendar feed may say it.
func (c *facts) place(a practice.Appointment) string {
	if a.Telehealth {
		return "Telehealth"
	}
	if r, ok := c.rooms[a.RoomID]; ok {
		return c.locations[a.LocationID].Name + ", " + r.Name
	}
	return c.locations[a.LocationID].Name
}

// conflicts lists what a candidate appointment clashes with.
func (c *facts) conflicts(a practice.Appointment) ([]practice.Conflict, error) {
	room := roomOf(a)
	overlapping, err := c.tx.OverlappingAppointments(a.Start, a.End, a.ClinicianID, room, a.PatientID)
	if err != nil {
		return nil, err
	}
	booked := make([]Booked, 0, len(overlapping))
	for _, o := range overlapping {
		if o.ID == a.ID {
			continue
		}
		booked = append(booked, c.booked(o))
	}
	off, err := c.tx.TimeOffBetween(a.Start, a.End)
	if err != nil {
		return nil, err
	}
	av := Availability{Zone: c.zone, Clock: c.settings.Clock, Hours: c.hours[a.ClinicianID], TimeOff: off}
	found := Check(a, booked, av, Labels{Clinician: c.clinicianName(a.ClinicianID), Room: c.rooms[room].Name})
	for _, check := range c.checks {
		more, err := check(c.tx, a)
		if err != nil {
			return nil, err
		}
		found = append(found, more...)
	}
	return found, nil
}

func (c *facts) booked(o practice.Appointment) Booked {
	return Booked{ID: o.ID, PatientID: o.PatientID, ClinicianID: o.ClinicianID, RoomID: roomOf(o), Start: o.Start, End: o.End,
		Patient: c.patientName(o.PatientID), Clinician: c.clinicianName(o.ClinicianID), Room: c.rooms[roomOf(o)].Name}
}

// hardConflictError refuses a booking over hard conflicts that came without
// an override reason, naming the first clash.
func hardConflictError(found []practice.Conflict, reason string) error {
	if reason != "" {
		return nil
	}
	hard := 0
	first := ""
	for _, c := range found {
		if c.Hard {
			if hard == 0 {
				first = c.Message
			}
			hard++
		}
	}
	if hard == 0 {
		return nil
	}
	msg := first
	if hard > 1 {
		msg += " (and " + practice.Plural(hard-1, "more conflict") + ")"
	}
	return &practice.Error{Code: practice.EConflict, Message: msg,
		Fields: map[string]string{"overrideReason": "To book anyway, give a reason; it is kept with the appointment."}}
}
