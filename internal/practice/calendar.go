package practice

import (
	"strconv"
	"strings"
	"time"
)

// Calendar limits. A session shorter than five minutes or longer than eight
// hours is a typing mistake, not an appointment.
const (
	MinAppointmentMinutes = 5
	MaxAppointmentMinutes = 8 * 60
	MaxSeriesCount        = 520 // ten years of weekly sessions
)

// AppointmentType is a kind of session the practice books: "Intake",
// "Individual therapy 53 min", "Family session".
type AppointmentType struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	DurationMin       int    `json:"durationMin"` // default length when booking
	ServiceCode       string `json:"serviceCode"` // default CPT code, e.g. 90837
	TelehealthAllowed bool   `json:"telehealthAllowed"`
	Color             string `json:"color"` // "#rrggbb"
	Active            bool   `json:"active"`
	// ProvidedBy is who may provide it: any clinician, prescribers only
	// (medication management) or non-prescribers only (therapy, so that
	// "find first available" offers no psychiatrist for it).
	ProvidedBy Provider `json:"providedBy"`
}

// Provider says which clinicians may provide an appointment type.
type Provider string

const (
	AnyClinician   Provider = ""           // every clinician
	PrescriberOnly Provider = "prescriber" // clinicians who prescribe
	TherapistOnly  Provider = "therapist"  // clinicians who do not
)

// Provides reports whether clinician c may provide sessions of type t.
func (t AppointmentType) Provides(c Clinician) bool {
	switch t.ProvidedBy {
	case PrescriberOnly:
		return c.Prescriber
	case TherapistOnly:
		return !c.Prescriber
	}
	return true
}

func (t *AppointmentType) Normalize() {
	Trim(&t.Name, &t.ServiceCode, &t.Color)
	t.Color = strings.ToLower(t.Color)
}

func (t *AppointmentType) Validate() error {
	p := Problems{}
	checkText(p, "name", t.Name, MaxName, true)
	checkDuration(p, "durationMin", t.DurationMin)
	if t.ServiceCode != "" && !isDigits(t.ServiceCode, 5) {
		p.Add("serviceCode", "A service (CPT) code is 5 digits, e.g. 90837.")
	}
	if t.Color != "" && !isHexColor(t.Color) {
		p.Add("color", "Choose a color like #3b82f6.")
	}
	switch t.ProvidedBy {
	case AnyClinician, PrescriberOnly, TherapistOnly:
	default:
		p.Add("providedBy", "Choose who may provide it: any clinician, prescribers or non-prescribers.")
	}
	return p.Err()
}

func checkDuration(p Problems, field string, minutes int) {
	if minutes < MinAppointmentMinutes || minutes > MaxAppointmentMinutes {
		p.Add(field, "A session lasts between "+strconv.Itoa(MinAppointmentMinutes)+" minutes and "+
			strconv.Itoa(MaxAppointmentMinutes/60)+" hours.")
	}
}

func isHexColor(s string) bool {
	if len(s) != 7 || s[0] != '#' {
		return false
	}
	for _, r := range s[1:] {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}

// WorkingHours is one block of a clinician's regular week at a location,
// in the practice's time zone: Weekday 0 is Sunday; Start and End are
// "HH:MM" wall-clock times.
type WorkingHours struct {
	ID          string `json:"id"`
	ClinicianID string `json:"clinicianId"`
	LocationID  string `json:"locationId"`
	Weekday     int    `json:"weekday"`
	Start       string `json:"start"`
	End         string `json:"end"`
}

func (h *WorkingHours) Normalize() { Trim(&h.Start, &h.End) }

func (h *WorkingHours) Validate() error {
	p := Problems{}
	if h.ClinicianID == "" {
		p.Add("clinicianId", "Choose a clinician.")
	}
	if h.LocationID == "" {
		p.Add("locationId", "Choose a location.")
	}
	if h.Weekday < 0 || h.Weekday > 6 {
		p.Add("weekday", "Choose a day of the week.")
	}
	start, okStart := ClockMinutes(h.Start)
	end, okEnd := ClockMinutes(h.End)
	if !okStart {
		p.Add("start", "Use a time like 09:00.")
	}
	if !okEnd {
		p.Add("end", "Use a time like 17:30.")
	}
	if okStart && okEnd && end <= start {
		p.Add("end", "The end must be after the start.")
	}
	return p.Err()
}

// ClockMinutes parses "HH:MM" (24-hour) into minutes after midnight.
func ClockMinutes(s string) (int, bool) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

// TimeOffKind tells a clinician's absence from time blocked for another
// reason (a room under repair, a staff meeting).
type TimeOffKind string

const (
	TimeOffAway    TimeOffKind = "away"
	TimeOffBlocked TimeOffKind = "blocked"
)

// TimeOff is a span when a clinician (or a room) cannot be booked. Reason
// is sealed: "medical leave" is personal.
type TimeOff struct {
	ID          string      `json:"id"`
	ClinicianID string      `json:"clinicianId"` // one of ClinicianID and RoomID
	RoomID      string      `json:"roomId"`
	Kind        TimeOffKind `json:"kind"`
	Start       time.Time   `json:"start" ts_type:"string"`
	End         time.Time   `json:"end" ts_type:"string"`
	Reason      string      `json:"reason"`
}

func (o *TimeOff) Normalize() { Trim(&o.Reason) }

func (o *TimeOff) Validate() error {
	p := Problems{}
	if o.ClinicianID == "" && o.RoomID == "" {
		p.Add("clinicianId", "Choose the clinician or room this applies to.")
	}
	if o.Kind != TimeOffAway && o.Kind != TimeOffBlocked {
		p.Add("kind", "Choose time off or blocked time.")
	}
	checkSpan(p, o.Start, o.End)
	checkText(p, "reason", o.Reason, MaxShort, false)
	return p.Err()
}

func checkSpan(p Problems, start, end time.Time) {
	switch {
	case start.IsZero():
		p.Add("start", "Choose a start time.")
	case end.IsZero():
		p.Add("end", "Choose an end time.")
	case !end.After(start):
		p.Add("end", "The end must be after the start.")
	}
}

// CalendarPolicy is the practice's cancellation policy. Fees are in cents.
type CalendarPolicy struct {
	LateCancelHours    int `json:"lateCancelHours"` // a cancellation this close to the start is late
	LateCancelFeeCents int `json:"lateCancelFeeCents"`
	NoShowFeeCents     int `json:"noShowFeeCents"`
}

// DefaultCalendarPolicy is the common 24-hour policy with no fees set.
var DefaultCalendarPolicy = CalendarPolicy{LateCancelHours: 24}

func (c *CalendarPolicy) Validate(p Problems) {
	if c.LateCancelHours < 0 || c.LateCancelHours > 168 {
		p.Add("policy.lateCancelHours", "Choose between 0 and 168 hours (one week).")
	}
	for field, fee := range map[string]int{"policy.lateCancelFeeCents": c.LateCancelFeeCents, "policy.noShowFeeCents": c.NoShowFeeCents} {
		if fee < 0 || fee > 1_000_00 {
			p.Add(field, "A fee is between $0 and $1,000.")
		}
	}
}

// Frequency of a recurring series.
type Frequency string

const (
	Weekly  Frequency = "weekly"  // every Interval weeks on Weekdays
	Monthly Frequency = "monthly" // every Interval months on the Week-th weekday of the first session
)

// Recurrence is how a series repeats. It ends on Until (a local date,
// inclusive), after Count sessions, or never (kept materialized a rolling
// twelve months ahead).
type Recurrence struct {
	Frequency Frequency `json:"frequency"`
	Interval  int       `json:"interval"` // every N weeks or months
	Weekdays  []int     `json:"weekdays"` // weekly: 0 = Sunday … 6 = Saturday
	Week      int       `json:"week"`     // monthly: 1–4 for first–fourth, -1 for last
	Until     string    `json:"until"`    // YYYY-MM-DD, or ""
	Count     int       `json:"count"`    // or 0
}

// Validate checks the rule against the first session's start.
func (r *Recurrence) Validate(p Problems, first time.Time) {
	switch r.Frequency {
	case Weekly:
		if r.Interval < 1 || r.Interval > 52 {
			p.Add("recurrence.interval", "Repeat every 1 to 52 weeks.")
		}
		if len(r.Weekdays) == 0 {
			p.Add("recurrence.weekdays", "Choose at least one day of the week.")
		}
		for _, d := range r.Weekdays {
			if d < 0 || d > 6 {
				p.Add("recurrence.weekdays", "Choose days of the week from Sunday to Saturday.")
				break
			}
		}
	case Monthly:
		if r.Interval < 1 || r.Interval > 12 {
			p.Add("recurrence.interval", "Repeat every 1 to 12 months.")
		}
		if r.Week != -1 && (r.Week < 1 || r.Week > 4) {
			p.Add("recurrence.week", "Choose the first, second, third, fourth or last week.")
		}
	default:
		p.Add("recurrence.frequency", "Choose weekly or monthly.")
	}
	if r.Until != "" && r.Count != 0 {
		p.Add("recurrence.count", "End on a date or after a number of sessions, not both.")
	}
	if r.Count < 0 || r.Count > MaxSeriesCount {
		p.Add("recurrence.count", "A series has between 1 and "+strconv.Itoa(MaxSeriesCount)+" sessions.")
	}
	if r.Until != "" {
		until, err := time.Parse(time.DateOnly, r.Until)
		switch {
		case err != nil:
			p.Add("recurrence.until", DateProblem(r.Until, "e.g. 2027-06-30"))
		case !first.IsZero() && until.Before(time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, time.UTC)):
			p.Add("recurrence.until", "The series must end after its first session.")
		}
	}
}

// Status is where an appointment is in its life.
type Status string

const (
	Scheduled Status = "scheduled"
	Confirmed Status = "confirmed"
	CheckedIn Status = "checked_in"
	Completed Status = "completed"
	Cancelled Status = "cancelled"
	NoShow    Status = "no_show"
)

// Open reports whether the appointment still holds its slot: cancelled and
// no-show appointments free it for someone else.
func (s Status) Open() bool { return s != Cancelled && s != NoShow }

// CancelledBy says who cancelled: it decides whether a fee applies.
type CancelledBy string

const (
	ByPatient  CancelledBy = "patient"
	ByPractice CancelledBy = "practice"
)

// Appointment is one session on the calendar. Times are UTC instants; the
// calendar shows them in the practice's time zone. Reason, Notes,
// VideoLink and OverrideReason are sealed.
type Appointment struct {
	ID          string    `json:"id"`
	SeriesID    string    `json:"seriesId"`                    // "" for a one-off
	Occurrence  time.Time `json:"occurrence" ts_type:"string"` // the series slot this fills, even after a move
	PatientID   string    `json:"patientId"`
	ClinicianID string    `json:"clinicianId"`
	TypeID      string    `json:"typeId"`
	LocationID  string    `json:"locationId"` // "" for telehealth
	RoomID      string    `json:"roomId"`     // optional
	Telehealth  bool      `json:"telehealth"`
	Start       time.Time `json:"start" ts_type:"string"`
	End         time.Time `json:"end" ts_type:"string"`

	Status      Status      `json:"status"`
	ActualStart time.Time   `json:"actualStart" ts_type:"string"` // checked in / session began
	ActualEnd   time.Time   `json:"actualEnd" ts_type:"string"`   // session ended (billing needs both)
	CancelledBy CancelledBy `json:"cancelledBy"`
	LateCancel  bool        `json:"lateCancel"`
	FeeCents    int         `json:"feeCents"` // late-cancel or no-show fee recorded

	Reason         string `json:"reason"`         // why it was cancelled or missed
	Notes          string `json:"notes"`          // front-desk note, not clinical
	VideoLink      string `json:"videoLink"`      // overrides the clinician's link
	OverrideReason string `json:"overrideReason"` // why a hard conflict was booked anyway
}

func (a *Appointment) Normalize() { Trim(&a.Reason, &a.Notes, &a.VideoLink, &a.OverrideReason) }

// Validate checks what can be checked without the rest of the calendar.
func (a *Appointment) Validate() error {
	p := Problems{}
	if a.PatientID == "" {
		p.Add("patientId", "Choose a patient.")
	}
	if a.ClinicianID == "" {
		p.Add("clinicianId", "Choose a clinician.")
	}
	if a.TypeID == "" {
		p.Add("typeId", "Choose an appointment type.")
	}
	if !a.Telehealth && a.LocationID == "" {
		p.Add("locationId", "Choose a location, or make it a telehealth session.")
	}
	checkSpan(p, a.Start, a.End)
	if !a.Start.IsZero() && a.End.After(a.Start) {
		checkDuration(p, "end", int(a.End.Sub(a.Start)/time.Minute))
	}
	checkText(p, "reason", a.Reason, MaxShort, false)
	checkText(p, "notes", a.Notes, MaxText, false)
	checkText(p, "overrideReason", a.OverrideReason, MaxShort, false)
	if a.VideoLink != "" && !isHTTPSURL(a.VideoLink) {
		p.Add("videoLink", "A video link starts with https://")
	}
	return p.Err()
}

func isHTTPSURL(s string) bool {
	return strings.HasPrefix(s, "https://") && len(s) > len("https://") && len(s) <= MaxShort && !strings.ContainsAny(s, " \t\r\n")
}

// Series is a recurring booking: the template its occurrences are made
// from. Occurrences are stored as appointments, so cancelling or moving
// one never touches the others.
type Series struct {
	ID          string     `json:"id"`
	PatientID   string     `json:"patientId"`
	ClinicianID string     `json:"clinicianId"`
	TypeID      string     `json:"typeId"`
	LocationID  string     `json:"locationId"`
	RoomID      string     `json:"roomId"`
	Telehealth  bool       `json:"telehealth"`
	First       time.Time  `json:"first" ts_type:"string"` // start of the first session
	DurationMin int        `json:"durationMin"`
	Recurrence  Recurrence `json:"recurrence"`
	// MaterializedUntil is how far ahead occurrences exist; an open-ended
	// series is extended by a scheduled job.
	MaterializedUntil time.Time `json:"materializedUntil" ts_type:"string"`
	Ended             bool      `json:"ended"` // no more occurrences will be made
}

// WaitlistStatus tracks a waitlist entry.
type WaitlistStatus string

const (
	WaitlistOpen    WaitlistStatus = "open"
	WaitlistBooked  WaitlistStatus = "booked"
	WaitlistRemoved WaitlistStatus = "removed"
)

// WaitlistEntry is someone waiting for a slot: an existing patient or a
// prospective one (Name and Phone then say who to call back). Everything
// but the ids, priority and status is sealed.
type WaitlistEntry struct {
	ID           string         `json:"id"`
	PatientID    string         `json:"patientId"`
	Name         string         `json:"name"`  // prospective patient
	Phone        string         `json:"phone"` // prospective patient
	ClinicianIDs []string       `json:"clinicianIds"`
	Specialty    string         `json:"specialty"`
	Language     string         `json:"language"`
	Weekdays     []int          `json:"weekdays"`     // acceptable days; empty means any
	EarliestTime string         `json:"earliestTime"` // "HH:MM" or ""
	LatestTime   string         `json:"latestTime"`   // latest start, "HH:MM" or ""
	PayerID      string         `json:"payerId"`
	Telehealth   string         `json:"telehealth"` // "any", "only", "never"
	Priority     int            `json:"priority"`   // 1 urgent, 2 soon, 3 routine
	Notes        string         `json:"notes"`
	Status       WaitlistStatus `json:"status"`
	Added        time.Time      `json:"added" ts_type:"string"`
}

func (w *WaitlistEntry) Normalize() {
	Trim(&w.Name, &w.Phone, &w.Specialty, &w.Language, &w.EarliestTime, &w.LatestTime, &w.Notes, &w.Telehealth)
	if w.Telehealth == "" {
		w.Telehealth = "any"
	}
	if w.Status == "" {
		w.Status = WaitlistOpen
	}
}

func (w *WaitlistEntry) Validate() error {
	p := Problems{}
	if w.PatientID == "" {
		checkText(p, "name", w.Name, MaxName, true)
		checkPhone(p, "phone", w.Phone, true)
	}
	checkText(p, "specialty", w.Specialty, MaxName, false)
	checkText(p, "language", w.Language, MaxName, false)
	checkText(p, "notes", w.Notes, MaxText, false)
	for _, d := range w.Weekdays {
		if d < 0 || d > 6 {
			p.Add("weekdays", "Choose days of the week from Sunday to Saturday.")
			break
		}
	}
	early, okEarly := ClockMinutes(w.EarliestTime)
	late, okLate := ClockMinutes(w.LatestTime)
	if w.EarliestTime != "" && !okEarly {
		p.Add("earliestTime", "Use a time like 09:00.")
	}
	if w.LatestTime != "" && !okLate {
		p.Add("latestTime", "Use a time like 17:30.")
	}
	if okEarly && okLate && late < early {
		p.Add("latestTime", "The latest start must not be before the earliest.")
	}
	if w.Telehealth != "any" && w.Telehealth != "only" && w.Telehealth != "never" {
		p.Add("telehealth", "Choose in person, telehealth or either.")
	}
	if w.Priority < 1 || w.Priority > 3 {
		p.Add("priority", "Choose urgent, soon or routine.")
	}
	switch w.Status {
	case WaitlistOpen, WaitlistBooked, WaitlistRemoved:
	default:
		p.Add("status", "Unknown waitlist status.")
	}
	return p.Err()
}

// ConflictKind names what a booking clashes with.
type ConflictKind string

const (
	ConflictClinician ConflictKind = "clinician" // the clinician is already booked
	ConflictRoom      ConflictKind = "room"      // the room is already booked
	ConflictPatient   ConflictKind = "patient"   // the patient is already booked
	ConflictTimeOff   ConflictKind = "time_off"  // the clinician or room is away or blocked
	ConflictHours     ConflictKind = "hours"     // outside the clinician's working hours
)

// Hard reports whether booking over this conflict needs an explicit
// override with a reason. Outside working hours is only a warning: evening
// sessions by arrangement are common.
func (k ConflictKind) Hard() bool { return k != ConflictHours }

// Conflict is one clash found before saving, naming the other booking.
type Conflict struct {
	Kind    ConflictKind `json:"kind"`
	Hard    bool         `json:"hard"`
	Message string       `json:"message"` // "Ana Ruiz already sees Maria G. 10:00–10:50"
	OtherID string       `json:"otherId"` // the clashing appointment or time off, if any
	Start   time.Time    `json:"start" ts_type:"string"`
}

// Plural is a count and its noun, the noun with an s unless n is 1: "1
// session", "3 sessions", "0 changes". For the messages every area writes.
func Plural(n int, noun string) string {
	s := strconv.Itoa(n) + " " + noun
	if n != 1 {
		s += "s"
	}
	return s
}

// ShortName is how a patient appears on printed schedules and conflict
// messages: first name and last initial.
func ShortName(first, last string) string {
	first = strings.TrimSpace(first)
	last = strings.TrimSpace(last)
	if last == "" {
		return first
	}
	r := []rune(last)
	return first + " " + string(r[0]) + "."
}
