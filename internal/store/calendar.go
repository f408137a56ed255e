package store

import (
	"database/sql"
	"time"

	"quietdesk/internal/practice"
)

// Calendar setup: appointment types, working hours, time off and the
// waitlist. Appointments and series are in appointment.go.

// unix stores an instant as Unix seconds; the zero time is 0 ("not recorded").
func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// fromUnix reads what unix stored, in UTC.
func fromUnix(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// --- appointment types

type typeInfo struct {
	Name              string `json:"name"`
	DurationMin       int    `json:"durationMin"`
	ServiceCode       string `json:"serviceCode"`
	TelehealthAllowed bool   `json:"telehealthAllowed"`
	Color             string `json:"color"`
	// Absent in types saved before it existed: any clinician.
	ProvidedBy practice.Provider `json:"providedBy,omitempty"`
}

func typeWrites(t *practice.AppointmentType) []write {
	return []write{
		{grp: "info", sealed: typeInfo{t.Name, t.DurationMin, t.ServiceCode, t.TelehealthAllowed, t.Color, t.ProvidedBy}},
		{grp: "status", plain: []any{boolInt(t.Active)}},
	}
}

// AppointmentTypes lists every appointment type by name.
func (tx *Tx) AppointmentTypes() ([]practice.AppointmentType, error) { return tx.appointmentTypes("") }

// AppointmentType returns one appointment type. Errors: ENotFound.
func (tx *Tx) AppointmentType(id string) (practice.AppointmentType, error) {
	return one(tx.appointmentTypes("AND id = ?", id))
}

func (tx *Tx) appointmentTypes(where string, args ...any) ([]practice.AppointmentType, error) {
	var out []practice.AppointmentType
	err := tx.rowsOf("SELECT id, active, info FROM appointment_types WHERE deleted = 0 "+where, args, func(rows *sql.Rows) error {
		var t practice.AppointmentType
		var blob []byte
		if err := rows.Scan(&t.ID, &t.Active, &blob); err != nil {
			return err
		}
		var info typeInfo
		if err := tx.open("appointment_types", "info", t.ID, blob, &info); err != nil {
			return err
		}
		t.Name, t.DurationMin, t.ServiceCode, t.TelehealthAllowed, t.Color, t.ProvidedBy = info.Name, info.DurationMin, info.ServiceCode, info.TelehealthAllowed, info.Color, info.ProvidedBy
		out = append(out, t)
		return nil
	})
	sortBy(out, func(t practice.AppointmentType) string { return t.Name })
	return out, err
}

// SaveAppointmentType creates or updates an appointment type. Errors: EInvalid, ENotFound.
func (tx *Tx) SaveAppointmentType(t *practice.AppointmentType) error {
	t.Normalize()
	if err := t.Validate(); err != nil {
		return err
	}
	return upsert(tx, "appointment_types", &t.ID, t, typeWrites, func() (practice.AppointmentType, error) { return tx.AppointmentType(t.ID) })
}

// --- working hours

func hoursWrites(h *practice.WorkingHours) []write {
	return []write{{grp: "block", plain: []any{h.ClinicianID, h.LocationID, h.Weekday, h.Start, h.End}}}
}

// WorkingHours lists every clinician's weekly hours, by clinician, day and start.
func (tx *Tx) WorkingHours() ([]practice.WorkingHours, error) { return tx.workingHours("") }

func (tx *Tx) workingHours(where string, args ...any) ([]practice.WorkingHours, error) {
	var out []practice.WorkingHours
	err := tx.rowsOf("SELECT id, clinician_id, location_id, weekday, start_time, end_time FROM working_hours WHERE deleted = 0 "+where+
		" ORDER BY clinician_id, weekday, start_time", args, func(rows *sql.Rows) error {
		var h practice.WorkingHours
		if err := rows.Scan(&h.ID, &h.ClinicianID, &h.LocationID, &h.Weekday, &h.Start, &h.End); err != nil {
			return err
		}
		out = append(out, h)
		return nil
	})
	return out, err
}

// SetWorkingHours replaces one clinician's week with blocks: blocks with an
// id are updated, new ones added, and stored blocks not listed removed.
// Blocks on the same day must not overlap. Errors: EInvalid, ENotFound.
func (tx *Tx) SetWorkingHours(clinicianID string, blocks []practice.WorkingHours) error {
	if _, err := tx.Clinician(clinicianID); err != nil {
		return err
	}
	p := practice.Problems{}
	for i := range blocks {
		b := &blocks[i]
		b.ClinicianID = clinicianID
		b.Normalize()
		if err := b.Validate(); err != nil {
			return err
		}
		if _, err := one(tx.locations("AND id = ?", b.LocationID)); err != nil {
			return practice.FieldProblem("locationId", "Choose an existing location.")
		}
		for _, other := range blocks[:i] {
			if other.Weekday == b.Weekday && other.Start < b.End && b.Start < other.End {
				p.Add("start", "Two blocks on the same day overlap ("+other.Start+"–"+other.End+" and "+b.Start+"–"+b.End+").")
			}
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	stored, err := tx.workingHours("AND clinician_id = ?", clinicianID)
	if err != nil {
		return err
	}
	kept := map[string]bool{}
	for i := range blocks {
		b := &blocks[i]
		if b.ID != "" {
			kept[b.ID] = true
		}
		if err := upsert(tx, "working_hours", &b.ID, b, hoursWrites, func() (practice.WorkingHours, error) {
			return one(tx.workingHours("AND id = ? AND clinician_id = ?", b.ID, clinicianID))
		}); err != nil {
			return err
		}
	}
	for _, old := range stored {
		if !kept[old.ID] {
			if err := tx.tombstone("working_hours", old.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// --- time off

func timeOffWrites(o *practice.TimeOff) []write {
	return []write{
		{grp: "span", plain: []any{nullable(o.ClinicianID), nullable(o.RoomID), string(o.Kind), unix(o.Start), unix(o.End)}},
		{grp: "reason", sealed: o.Reason},
	}
}

// TimeOffBetween lists time off and blocked time overlapping [from, to).
func (tx *Tx) TimeOffBetween(from, to time.Time) ([]practice.TimeOff, error) {
	return tx.timeOff("AND end_at > ? AND start_at < ?", unix(from), unix(to))
}

func (tx *Tx) timeOff(where string, args ...any) ([]practice.TimeOff, error) {
	var out []practice.TimeOff
	err := tx.rowsOf("SELECT id, COALESCE(clinician_id, ''), COALESCE(room_id, ''), kind, start_at, end_at, reason FROM time_off WHERE deleted = 0 "+
		where+" ORDER BY start_at", args, func(rows *sql.Rows) error {
		var o practice.TimeOff
		var start, end int64
		var blob []byte
		if err := rows.Scan(&o.ID, &o.ClinicianID, &o.RoomID, &o.Kind, &start, &end, &blob); err != nil {
			return err
		}
		o.Start, o.End = fromUnix(start), fromUnix(end)
		if err := tx.open("time_off", "reason", o.ID, blob, &o.Reason); err != nil {
			return err
		}
		out = append(out, o)
		return nil
	})
	return out, err
}

// SaveTimeOff creates or updates time off. Errors: EInvalid, ENotFound.
func (tx *Tx) SaveTimeOff(o *practice.TimeOff) error {
	o.Normalize()
	if err := o.Validate(); err != nil {
		return err
	}
	return upsert(tx, "time_off", &o.ID, o, timeOffWrites, func() (practice.TimeOff, error) { return one(tx.timeOff("AND id = ?", o.ID)) })
}

// DeleteTimeOff removes time off. Errors: ENotFound.
func (tx *Tx) DeleteTimeOff(id string) error {
	if _, err := one(tx.timeOff("AND id = ?", id)); err != nil {
		return err
	}
	return tx.tombstone("time_off", id)
}

// --- waitlist

type waitlistPrefs struct {
	Name         string   `json:"name"`
	Phone        string   `json:"phone"`
	ClinicianIDs []string `json:"clinicianIds"`
	Specialty    string   `json:"specialty"`
	Language     string   `json:"language"`
	Weekdays     []int    `json:"weekdays"`
	EarliestTime string   `json:"earliestTime"`
	LatestTime   string   `json:"latestTime"`
	PayerID      string   `json:"payerId"`
	Telehealth   string   `json:"telehealth"`
	Notes        string   `json:"notes"`
}

func waitlistWrites(w *practice.WaitlistEntry) []write {
	return []write{
		{grp: "state", plain: []any{nullable(w.PatientID), w.Priority, string(w.Status), unix(w.Added)}},
		{grp: "prefs", sealed: waitlistPrefs{w.Name, w.Phone, w.ClinicianIDs, w.Specialty, w.Language, w.Weekdays,
			w.EarliestTime, w.LatestTime, w.PayerID, w.Telehealth, w.Notes}},
	}
}

// Waitlist lists entries with the given status, most urgent and oldest first.
func (tx *Tx) Waitlist(status practice.WaitlistStatus) ([]practice.WaitlistEntry, error) {
	return tx.waitlist("AND status = ?", string(status))
}

// WaitlistEntry returns one entry. Errors: ENotFound.
func (tx *Tx) WaitlistEntry(id string) (practice.WaitlistEntry, error) {
	return one(tx.waitlist("AND id = ?", id))
}

func (tx *Tx) waitlist(where string, args ...any) ([]practice.WaitlistEntry, error) {
	var out []practice.WaitlistEntry
	err := tx.rowsOf("SELECT id, COALESCE(patient_id, ''), priority, status, added_at, prefs FROM waitlist WHERE deleted = 0 "+where+
		" ORDER BY priority, added_at", args, func(rows *sql.Rows) error {
		var w practice.WaitlistEntry
		var added int64
		var blob []byte
		if err := rows.Scan(&w.ID, &w.PatientID, &w.Priority, &w.Status, &added, &blob); err != nil {
			return err
		}
		w.Added = fromUnix(added)
		var p waitlistPrefs
		if err := tx.open("waitlist", "prefs", w.ID, blob, &p); err != nil {
			return err
		}
		w.Name, w.Phone, w.ClinicianIDs, w.Specialty, w.Language, w.Weekdays = p.Name, p.Phone, p.ClinicianIDs, p.Specialty, p.Language, p.Weekdays
		w.EarliestTime, w.LatestTime, w.PayerID, w.Telehealth, w.Notes = p.EarliestTime, p.LatestTime, p.PayerID, p.Telehealth, p.Notes
		out = append(out, w)
		return nil
	})
	return out, err
}

// SaveWaitlistEntry creates (stamping when it was added) or updates an
// entry. Errors: EInvalid, ENotFound.
func (tx *Tx) SaveWaitlistEntry(w *practice.WaitlistEntry) error {
	w.Normalize()
	if err := w.Validate(); err != nil {
		return err
	}
	if w.PatientID != "" {
		if _, err := tx.Patient(w.PatientID); err != nil {
			return practice.FieldProblem("patientId", "Choose an existing patient.")
		}
	}
	if w.ID == "" {
		w.Added = tx.now
	} else {
		old, err := tx.WaitlistEntry(w.ID)
		if err != nil {
			return err
		}
		w.Added = old.Added
	}
	return upsert(tx, "waitlist", &w.ID, w, waitlistWrites, func() (practice.WaitlistEntry, error) { return tx.WaitlistEntry(w.ID) })
}
