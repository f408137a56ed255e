package store

import (
	"cmp"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"quietdesk/internal/practice"
)

type appointmentDetails struct {
	Reason         string `json:"reason"`
	Notes          string `json:"notes"`
	VideoLink      string `json:"videoLink"`
	OverrideReason string `json:"overrideReason"`
}

func appointmentWrites(a *practice.Appointment) []write {
	return []write{
		{grp: "booking", plain: []any{a.PatientID, a.TypeID, nullable(a.SeriesID), unix(a.Occurrence)}},
		{grp: "details", sealed: appointmentDetails{a.Reason, a.Notes, a.VideoLink, a.OverrideReason}},
		{grp: "slot", plain: []any{a.ClinicianID, nullable(a.LocationID), nullable(a.RoomID), boolInt(a.Telehealth), unix(a.Start), unix(a.End)}},
		{grp: "state", plain: []any{string(a.Status), unix(a.ActualStart), unix(a.ActualEnd), string(a.CancelledBy), boolInt(a.LateCancel), a.FeeCents}},
	}
}

// appointmentColumns are the plain columns every appointment reader scans,
// in scanAppointment's order.
const appointmentColumns = `id, patient_id, type_id, COALESCE(series_id, ''), occurrence,
	clinician_id, COALESCE(location_id, ''), COALESCE(room_id, ''), telehealth, start_at, end_at,
	status, actual_start, actual_end, cancelled_by, late_cancel, fee_cents`

func scanAppointment(rows *sql.Rows, extra ...any) (practice.Appointment, error) {
	var a practice.Appointment
	var occ, start, end, actualStart, actualEnd int64
	dst := []any{&a.ID, &a.PatientID, &a.TypeID, &a.SeriesID, &occ,
		&a.ClinicianID, &a.LocationID, &a.RoomID, &a.Telehealth, &start, &end,
		&a.Status, &actualStart, &actualEnd, &a.CancelledBy, &a.LateCancel, &a.FeeCents}
	if err := rows.Scan(append(dst, extra...)...); err != nil {
		return a, err
	}
	a.Occurrence, a.Start, a.End = fromUnix(occ), fromUnix(start), fromUnix(end)
	a.ActualStart, a.ActualEnd = fromUnix(actualStart), fromUnix(actualEnd)
	return a, nil
}

// appointments reads appointments without their sealed details: what a
// calendar view needs, at the cost of a query and no decryption.
func (tx *Tx) appointments(where string, args ...any) ([]practice.Appointment, error) {
	var out []practice.Appointment
	err := tx.rowsOf("SELECT "+appointmentColumns+" FROM appointments WHERE deleted = 0 "+where, args, func(rows *sql.Rows) error {
		a, err := scanAppointment(rows)
		out = append(out, a)
		return err
	})
	return out, err
}

// Appointment returns one appointment with its sealed details. Errors: ENotFound, EDamaged.
func (tx *Tx) Appointment(id string) (practice.Appointment, error) {
	var out []practice.Appointment
	err := tx.rowsOf("SELECT "+appointmentColumns+", details FROM appointments WHERE deleted = 0 AND id = ?", []any{id}, func(rows *sql.Rows) error {
		var blob []byte
		a, err := scanAppointment(rows, &blob)
		if err != nil {
			return err
		}
		var d appointmentDetails
		if err := tx.open("appointments", "details", a.ID, blob, &d); err != nil {
			return err
		}
		a.Reason, a.Notes, a.VideoLink, a.OverrideReason = d.Reason, d.Notes, d.VideoLink, d.OverrideReason
		out = append(out, a)
		return nil
	})
	return one(out, err)
}

// AppointmentSlot returns the plain parts of one appointment (no sealed
// details): readable without the practice key, as sync merges need.
// Errors: ENotFound.
func (tx *Tx) AppointmentSlot(id string) (practice.Appointment, error) {
	return one(tx.appointments("AND id = ?", id))
}

// AppointmentSlots returns the plain parts of the appointments with ids
// that exist (no sealed details), in no particular order.
func (tx *Tx) AppointmentSlots(ids []string) ([]practice.Appointment, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return tx.appointments("AND id IN "+inList(len(ids)), args...)
}

// AppointmentFilter narrows a calendar range. Empty fields do not filter.
type AppointmentFilter struct {
	ClinicianIDs []string
	LocationID   string
	RoomID       string
	PatientID    string
}

// AppointmentsBetween lists appointments (of every status) starting in
// [from, to), by start, without sealed details (Appointment has them).
func (tx *Tx) AppointmentsBetween(from, to time.Time, f AppointmentFilter) ([]practice.Appointment, error) {
	where := []string{"AND start_at >= ? AND start_at < ?"}
	args := []any{unix(from), unix(to)}
	if len(f.ClinicianIDs) > 0 {
		where = append(where, "AND clinician_id IN "+inList(len(f.ClinicianIDs)))
		for _, id := range f.ClinicianIDs {
			args = append(args, id)
		}
	}
	for col, v := range map[string]string{"location_id": f.LocationID, "room_id": f.RoomID, "patient_id": f.PatientID} {
		if v != "" {
			where = append(where, "AND "+col+" = ?")
			args = append(args, v)
		}
	}
	return tx.appointments(strings.Join(where, " ")+" ORDER BY start_at, id", args...)
}

// openStatuses is the SQL list of statuses that hold a slot.
var openStatuses = "'" + strings.Join([]string{string(practice.Scheduled), string(practice.Confirmed),
	string(practice.CheckedIn), string(practice.Completed)}, "', '") + "'"

// OverlappingAppointments lists open appointments overlapping [from, to)
// that share the clinician, the room or the patient: the candidates for a
// double-booking. Empty ids match nothing.
//
// No appointment is longer than practice.MaxAppointmentMinutes, so one that
// overlaps must start within that much before from: the bound keeps the
// index range to a few hours instead of all of history.
func (tx *Tx) OverlappingAppointments(from, to time.Time, clinicianID, roomID, patientID string) ([]practice.Appointment, error) {
	earliest := from.Add(-practice.MaxAppointmentMinutes * time.Minute)
	return tx.appointments("AND status IN ("+openStatuses+") AND start_at > ? AND start_at < ? AND end_at > ? "+
		"AND (clinician_id = ? OR room_id = ? OR patient_id = ?) ORDER BY start_at, id",
		unix(earliest), unix(to), unix(from), clinicianID, roomID, patientID)
}

// ClinicianPatients is the set of patients with an appointment (of any
// status) on the clinician's schedule: their caseload.
func (tx *Tx) ClinicianPatients(clinicianID string) (map[string]bool, error) {
	out := map[string]bool{}
	err := tx.rowsOf("SELECT DISTINCT patient_id FROM appointments WHERE deleted = 0 AND clinician_id = ?", []any{clinicianID},
		func(rows *sql.Rows) error {
			var id string
			err := rows.Scan(&id)
			out[id] = true
			return err
		})
	return out, err
}

// NextAppointments maps each of patientIDs with a scheduled or confirmed
// appointment starting at or after from to the earliest one's start. It
// looks up only the patients asked for (a page of search results, at most
// a few hundred), through the patient index, so its cost does not grow
// with the calendar.
func (tx *Tx) NextAppointments(from time.Time, patientIDs []string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	if len(patientIDs) == 0 {
		return out, nil
	}
	args := []any{string(practice.Scheduled), string(practice.Confirmed), unix(from)}
	for _, id := range patientIDs {
		args = append(args, id)
	}
	query := "SELECT patient_id, MIN(start_at) FROM appointments WHERE deleted = 0 AND status IN (?, ?) AND start_at >= ? " +
		"AND patient_id IN " + inList(len(patientIDs)) + " GROUP BY patient_id"
	err := tx.rowsOf(query, args, func(rows *sql.Rows) error {
		var id string
		var start int64
		err := rows.Scan(&id, &start)
		out[id] = fromUnix(start)
		return err
	})
	return out, err
}

// PatientRange is one patient's part of the calendar: appointments
// starting in [From, To).
type PatientRange struct {
	PatientID string
	From, To  time.Time
}

// rangesCTE is a VALUES table of ranges (n, pid, lo, hi), n the range's
// index in ranges, for a query to join the patient index against: many
// patients' slices of the calendar in one statement, each read through its
// own index range.
func rangesCTE(ranges []PatientRange) (string, []any) {
	args := make([]any, 0, 4*len(ranges))
	for i, r := range ranges {
		args = append(args, i, r.PatientID, unix(r.From), unix(r.To))
	}
	return "WITH ranges(n, pid, lo, hi) AS (VALUES (?, ?, ?, ?)" + strings.Repeat(", (?, ?, ?, ?)", len(ranges)-1) + ") ", args
}

// PatientsAppointmentsIn lists the appointments (of every status) in each
// range, by patient, then start: for the areas that derive something for
// many patients at once from who, what, when and how it went. Only those
// fields are read — id, type, clinician, start and end, status, actual
// times, who cancelled and whether late, the patient known from the range;
// not the place, the series or the fee, and no sealed details — since
// thousands of rows are read at a time. They are sorted here, not by SQL,
// whose ORDER BY would sort them all in a temporary tree before the first
// row; and gathered in blocks joined once at the end, since growing one
// slice of thousands of appointments copies it over and over (about five
// times its size in all).
func (tx *Tx) PatientsAppointmentsIn(ranges []PatientRange) ([]practice.Appointment, error) {
	if len(ranges) == 0 {
		return nil, nil
	}
	with, args := rangesCTE(ranges)
	var blocks [][]practice.Appointment
	block, total := make([]practice.Appointment, 0, 256), 0
	err := tx.rowsOf(with+`SELECT n, id, type_id, clinician_id, start_at, end_at, status,
		actual_start, actual_end, cancelled_by, late_cancel FROM ranges CROSS JOIN appointments
		ON patient_id = pid AND start_at >= lo AND start_at < hi WHERE deleted = 0`, args,
		func(rows *sql.Rows) error {
			if len(block) == cap(block) {
				blocks, block = append(blocks, block), make([]practice.Appointment, 0, min(2*cap(block), 4096))
			}
			var n, start, end, actualStart, actualEnd int64
			block = block[:len(block)+1]
			a := &block[len(block)-1]
			err := rows.Scan(&n, &a.ID, &a.TypeID, &a.ClinicianID, &start, &end, &a.Status,
				&actualStart, &actualEnd, &a.CancelledBy, &a.LateCancel)
			a.PatientID = ranges[n].PatientID
			a.Start, a.End, a.ActualStart, a.ActualEnd = fromUnix(start), fromUnix(end), fromUnix(actualStart), fromUnix(actualEnd)
			total++
			return err
		})
	if err != nil {
		return nil, err
	}
	out := make([]practice.Appointment, 0, total)
	for _, b := range append(blocks, block) {
		out = append(out, b...)
	}
	slices.SortFunc(out, func(x, y practice.Appointment) int {
		return cmp.Or(cmp.Compare(x.PatientID, y.PatientID), x.Start.Compare(y.Start), cmp.Compare(x.ID, y.ID))
	})
	return out, nil
}

// PatientsBookedIn returns which of the ranges' patients have a scheduled
// or confirmed appointment starting in their range: one probe each, which
// stops at the first it finds.
func (tx *Tx) PatientsBookedIn(ranges []PatientRange) (map[string]bool, error) {
	out := map[string]bool{}
	if len(ranges) == 0 {
		return out, nil
	}
	with, args := rangesCTE(ranges)
	args = append(args, string(practice.Scheduled), string(practice.Confirmed))
	err := tx.rowsOf(with+`SELECT pid FROM ranges WHERE EXISTS (SELECT 1 FROM appointments
		WHERE patient_id = pid AND start_at >= lo AND start_at < hi AND deleted = 0 AND status IN (?, ?))`, args,
		func(rows *sql.Rows) error {
			var id string
			err := rows.Scan(&id)
			out[id] = true
			return err
		})
	return out, err
}

// BookedCount is how many of a patient's appointments in a range share a
// type, clinician and status, and whether they start from the range's To
// on (Ahead) or before it.
type BookedCount struct {
	PatientID, TypeID, ClinicianID string
	Status                         practice.Status
	Ahead                          bool
	Count                          int
}

// PatientsAppointmentCounts counts the appointments starting from each
// range's From on (To splits them into before and Ahead): what a year of
// booked series comes to when only its counts and clinicians matter.
func (tx *Tx) PatientsAppointmentCounts(ranges []PatientRange) ([]BookedCount, error) {
	if len(ranges) == 0 {
		return nil, nil
	}
	with, args := rangesCTE(ranges)
	var out []BookedCount
	err := tx.rowsOf(with+`SELECT patient_id, type_id, clinician_id, status, start_at >= hi, COUNT(*) FROM ranges
		CROSS JOIN appointments ON patient_id = pid AND start_at >= lo WHERE deleted = 0
		GROUP BY patient_id, type_id, clinician_id, status, start_at >= hi ORDER BY patient_id`, args,
		func(rows *sql.Rows) error {
			var c BookedCount
			err := rows.Scan(&c.PatientID, &c.TypeID, &c.ClinicianID, &c.Status, &c.Ahead, &c.Count)
			out = append(out, c)
			return err
		})
	return out, err
}

// SeriesAppointments lists a series' occurrences whose series slot is at or
// after from, in order.
func (tx *Tx) SeriesAppointments(seriesID string, from time.Time) ([]practice.Appointment, error) {
	return tx.appointments("AND series_id = ? AND occurrence >= ? ORDER BY occurrence", seriesID, unix(from))
}

// SaveAppointment creates (empty ID) or updates an appointment, writing only
// the field groups that changed. The references must exist; the calendar
// service checks the rules (conflicts, lifecycle) before calling it.
// Errors: EInvalid, ENotFound.
func (tx *Tx) SaveAppointment(a *practice.Appointment) error {
	a.Normalize()
	if err := a.Validate(); err != nil {
		return err
	}
	if err := tx.checkAppointmentRefs(a); err != nil {
		return err
	}
	return upsert(tx, "appointments", &a.ID, a, appointmentWrites, func() (practice.Appointment, error) { return tx.Appointment(a.ID) })
}

// DeleteAppointment removes an appointment booked in error; a series
// occurrence removed is never made again (AddOccurrence). The calendar
// service decides what may be removed. Errors: ENotFound.
func (tx *Tx) DeleteAppointment(id string) error {
	if _, err := tx.Appointment(id); err != nil {
		return err
	}
	return tx.tombstone("appointments", id)
}

// AddOccurrence creates a series occurrence under its deterministic id
// (OccurrenceID) unless a row with that id exists, live or deleted: two
// machines extending the same series make the same rows, and an occurrence
// someone removed is never made again. It reports whether it created one.
func (tx *Tx) AddOccurrence(a *practice.Appointment) (bool, error) {
	a.ID = OccurrenceID(a.SeriesID, a.Occurrence)
	var n int
	if err := tx.sql.QueryRow("SELECT COUNT(*) FROM appointments WHERE id = ?", a.ID).Scan(&n); err != nil {
		return false, fmt.Errorf("store: occurrence: %w", err)
	}
	if n > 0 {
		return false, nil
	}
	a.Normalize()
	if err := a.Validate(); err != nil {
		return false, err
	}
	return true, tx.create("appointments", a.ID, appointmentWrites(a))
}

// OccurrenceID is the id of a series' occurrence at its series slot: a
// name-based UUID, the same on every machine.
func OccurrenceID(seriesID string, occurrence time.Time) string {
	ns, err := uuid.Parse(seriesID)
	if err != nil {
		ns = uuid.NameSpaceOID
	}
	return uuid.NewSHA1(ns, []byte(seriesID+"/"+strconv.FormatInt(occurrence.Unix(), 10))).String()
}

func (tx *Tx) checkAppointmentRefs(a *practice.Appointment) error {
	if _, err := tx.Patient(a.PatientID); err != nil {
		return practice.FieldProblem("patientId", "Choose an existing patient.")
	}
	if _, err := tx.Clinician(a.ClinicianID); err != nil {
		return practice.FieldProblem("clinicianId", "Choose an existing clinician.")
	}
	if _, err := tx.AppointmentType(a.TypeID); err != nil {
		return practice.FieldProblem("typeId", "Choose an existing appointment type.")
	}
	if a.LocationID != "" {
		if _, err := one(tx.locations("AND id = ?", a.LocationID)); err != nil {
			return practice.FieldProblem("locationId", "Choose an existing location.")
		}
	}
	if a.RoomID != "" {
		r, err := one(tx.rooms("AND id = ?", a.RoomID))
		if err != nil {
			return practice.FieldProblem("roomId", "Choose an existing room.")
		}
		if a.LocationID != "" && r.LocationID != a.LocationID {
			return practice.FieldProblem("roomId", "That room is at another location.")
		}
	}
	return nil
}

// --- series

func seriesWrites(s *practice.Series) []write {
	rule, _ := json.Marshal(s.Recurrence) // a struct of ints and strings always marshals
	return []write{
		{grp: "horizon", plain: []any{unix(s.MaterializedUntil), boolInt(s.Ended)}},
		{grp: "plan", plain: []any{s.PatientID, s.ClinicianID, s.TypeID, nullable(s.LocationID), nullable(s.RoomID),
			boolInt(s.Telehealth), unix(s.First), s.DurationMin, string(rule)}},
	}
}

const seriesColumns = `id, patient_id, clinician_id, type_id, COALESCE(location_id, ''), COALESCE(room_id, ''),
	telehealth, first_at, duration_min, rule, materialized_until, ended`

func (tx *Tx) series(where string, args ...any) ([]practice.Series, error) {
	var out []practice.Series
	err := tx.rowsOf("SELECT "+seriesColumns+" FROM series WHERE deleted = 0 "+where, args, func(rows *sql.Rows) error {
		var s practice.Series
		var first, until int64
		var rule string
		if err := rows.Scan(&s.ID, &s.PatientID, &s.ClinicianID, &s.TypeID, &s.LocationID, &s.RoomID,
			&s.Telehealth, &first, &s.DurationMin, &rule, &until, &s.Ended); err != nil {
			return err
		}
		s.First, s.MaterializedUntil = fromUnix(first), fromUnix(until)
		if err := json.Unmarshal([]byte(rule), &s.Recurrence); err != nil {
			return fmt.Errorf("store: series %s rule: %w", s.ID, err)
		}
		out = append(out, s)
		return nil
	})
	return out, err
}

// Series returns one series. Errors: ENotFound.
func (tx *Tx) Series(id string) (practice.Series, error) { return one(tx.series("AND id = ?", id)) }

// SeriesToExtend lists series still making occurrences whose materialized
// horizon ends before until.
func (tx *Tx) SeriesToExtend(until time.Time) ([]practice.Series, error) {
	return tx.series("AND ended = 0 AND materialized_until < ? ORDER BY id", unix(until))
}

// SaveSeries creates (empty ID) or updates a series template. The calendar
// service validates the rule against the first session. Errors: ENotFound.
func (tx *Tx) SaveSeries(s *practice.Series) error {
	if s.PatientID == "" || s.ClinicianID == "" || s.TypeID == "" || s.First.IsZero() {
		return errors.New("store: a series needs a patient, clinician, type and first session")
	}
	return upsert(tx, "series", &s.ID, s, seriesWrites, func() (practice.Series, error) { return tx.Series(s.ID) })
}

// FirstSessionStart is the start of the first appointment in [from, to)
// that was not cancelled, and whether there is one: it tells the days the
// practice saw patients (a computer is missed only on those). Plain
// columns only, from the appointments_booked index; no key needed.
func (tx *Tx) FirstSessionStart(from, to time.Time) (time.Time, bool, error) {
	var start int64
	err := tx.sql.QueryRow(`SELECT start_at FROM appointments
		WHERE deleted = 0 AND start_at >= ? AND start_at < ? AND status <> ?
		ORDER BY start_at LIMIT 1`, from.Unix(), to.Unix(), string(practice.Cancelled)).Scan(&start)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: first session: %w", err)
	}
	return time.Unix(start, 0).UTC(), true, nil
}
