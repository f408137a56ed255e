package calendar

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"quietdesk/internal/practice"
)

// Booked is an existing open appointment as the rules see it. The caller
// fills in the display names; Patient is already short ("Maria G.").
type Booked struct {
	ID          string
	PatientID   string
	ClinicianID string
	RoomID      string // "" for telehealth
	Start, End  time.Time
	Patient     string
	Clinician   string
	Room        string
}

// Availability is when the candidate's clinician (and room) can be booked.
type Availability struct {
	Zone    *time.Location
	Clock   practice.Clock // how messages write times
	Hours   []practice.WorkingHours
	TimeOff []practice.TimeOff
}

// Labels name the candidate's clinician and room in messages.
type Labels struct{ Clinician, Room string }

// Check returns every clash of the candidate appointment a, in order of
// start, then kind (the order of the ConflictKind constants):
//
//   - the clinician, the patient (with any clinician) or, in person, the
//     room already booked over an overlapping span. One other booking can
//     give several kinds; the UI may group them by OtherID;
//   - the clinician away or blocked, or the room blocked;
//   - the session not fitting inside one working-hours block of its local
//     weekday: at its location when in person, at any location for
//     telehealth. A clinician with no working hours at all gets no hours
//     warning: hours are optional setup, and a warning on every booking
//     would teach the desk to ignore warnings.
//
// Spans are half-open, so back-to-back sessions do not clash. Booked
// entries with a's ID are a itself (being moved) and are ignored.
func Check(a practice.Appointment, booked []Booked, av Availability, l Labels) []practice.Conflict {
	c := checker{a: a, zone: av.Zone, clock: av.Clock, labels: l}
	var found []practice.Conflict
	for _, b := range booked {
		if b.ID != a.ID && overlaps(a.Start, a.End, b.Start, b.End) {
			found = append(found, c.bookingClashes(b)...)
		}
	}
	for _, o := range av.TimeOff {
		if overlaps(a.Start, a.End, o.Start, o.End) {
			found = append(found, c.timeOffClashes(o)...)
		}
	}
	found = append(found, c.hoursClashes(av.Hours)...)
	slices.SortStableFunc(found, func(x, y practice.Conflict) int {
		return cmp.Or(x.Start.Compare(y.Start), cmp.Compare(kindRank(x.Kind), kindRank(y.Kind)), strings.Compare(x.OtherID, y.OtherID))
	})
	return found
}

var kindOrder = []practice.ConflictKind{practice.ConflictClinician, practice.ConflictRoom, practice.ConflictPatient, practice.ConflictTimeOff, practice.ConflictHours}

func kindRank(k practice.ConflictKind) int { return slices.Index(kindOrder, k) }

type checker struct {
	a      practice.Appointment
	zone   *time.Location
	clock  practice.Clock
	labels Labels
}

func newConflict(kind practice.ConflictKind, otherID string, start time.Time, msg string) practice.Conflict {
	return practice.Conflict{Kind: kind, Hard: kind.Hard(), Message: msg, OtherID: otherID, Start: start}
}

func (c checker) inPersonRoom() string {
	if c.a.Telehealth {
		return ""
	}
	return c.a.RoomID
}

// bookingClashes are the clashes with one overlapping booking.
func (c checker) bookingClashes(b Booked) []practice.Conflict {
	var out []practice.Conflict
	span := when(b.Start, b.End, c.zone, c.clock)
	if b.ClinicianID == c.a.ClinicianID {
		out = append(out, newConflict(practice.ConflictClinician, b.ID, b.Start,
			cmp.Or(b.Clinician, c.labels.Clinician)+" already sees "+b.Patient+" "+span+"."))
	}
	if room := c.inPersonRoom(); room != "" && b.RoomID == room {
		out = append(out, newConflict(practice.ConflictRoom, b.ID, b.Start,
			cmp.Or(b.Room, c.labels.Room)+" is already taken by "+b.Clinician+" with "+b.Patient+" "+span+"."))
	}
	if b.PatientID != "" && b.PatientID == c.a.PatientID {
		out = append(out, newConflict(practice.ConflictPatient, b.ID, b.Start,
			b.Patient+" already has an appointment with "+b.Clinician+" "+span+"."))
	}
	return out
}

// timeOffClashes are the clashes with one overlapping time off. Its
// reason is never shown: it may be personal.
func (c checker) timeOffClashes(o practice.TimeOff) []practice.Conflict {
	var out []practice.Conflict
	span := when(o.Start, o.End, c.zone, c.clock)
	if o.ClinicianID != "" && o.ClinicianID == c.a.ClinicianID {
		msg := c.labels.Clinician + " is away " + span + "."
		if o.Kind == practice.TimeOffBlocked {
			msg = c.labels.Clinician + "'s time is blocked " + span + "."
		}
		out = append(out, newConflict(practice.ConflictTimeOff, o.ID, o.Start, msg))
	}
	if room := c.inPersonRoom(); room != "" && o.RoomID == room {
		out = append(out, newConflict(practice.ConflictTimeOff, o.ID, o.Start, c.labels.Room+" is blocked "+span+"."))
	}
	return out
}

// hoursClashes is the outside-working-hours warning, if any.
func (c checker) hoursClashes(hours []practice.WorkingHours) []practice.Conflict {
	a := c.a
	if !hasHours(hours, a.ClinicianID) {
		return nil
	}
	local := a.Start.In(c.zone)
	blocks := blocksOn(hours, a.ClinicianID, local.Weekday(), a.LocationID, a.Telehealth)
	startMin := secondsOfDay(a.Start, c.zone) / 60
	// Minutes after the start's local midnight, so an end past midnight
	// never fits a block.
	endMin := startMin + int(a.End.Sub(a.Start).Minutes())
	for _, b := range blocks {
		if b.start <= startMin && endMin <= b.end {
			return nil
		}
	}
	where := ""
	if !a.Telehealth {
		where = " at this location"
	}
	days := local.Weekday().String() + "s"
	msg := c.labels.Clinician + " does not work on " + days + where + "."
	if len(blocks) > 0 {
		// In the day's order: "1:00 PM" sorts before "9:00 AM" as text.
		slices.SortFunc(blocks, func(x, y block) int { return x.start - y.start })
		spans := make([]string, len(blocks))
		for i, b := range blocks {
			spans[i] = c.clock.Minutes(b.start) + " – " + c.clock.Minutes(b.end)
		}
		spans = slices.Compact(spans) // telehealth: the same hours at two locations
		msg = "The session " + when(a.Start, a.End, c.zone, c.clock) + " is outside " + c.labels.Clinician +
			"'s working hours on " + days + where + " (" + strings.Join(spans, " and ") + ")."
	}
	return []practice.Conflict{newConflict(practice.ConflictHours, "", a.Start, msg)}
}
