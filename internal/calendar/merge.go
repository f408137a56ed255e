package calendar

import (
	"slices"
	"strings"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// ConflictDoubleBooking is the kind of conflict recorded when two open
// appointments hold the same clinician, room or patient at once. Its
// detail says which ("clinician", "room", "patient", comma-separated).
const ConflictDoubleBooking = "double-booking"

// CheckMergedSlots is the sync merge hook (store.AfterApply): after a
// batch from another machine is merged, every open appointment it touched
// is checked against the calendar, and each double-booking found is
// recorded as a conflict whose id depends only on the two appointments and
// what they share, so every machine records the same one. Nothing is
// moved or cancelled: a person decides. It reads plain columns only (the
// hub merges without the practice key).
func CheckMergedSlots(tx *store.Tx, changed []store.RowRef) error {
	for _, ref := range changed {
		if ref.Table != "appointments" {
			continue
		}
		if err := recordOverlaps(tx, ref.ID); err != nil {
			return err
		}
	}
	return nil
}

// overlap is one double-booking between two appointments.
type overlap struct {
	rows   []string // the two appointment ids, sorted
	detail string   // what they share: "clinician,room"
}

// overlapsOf lists the open appointments that double-book a, by what they
// share. A cancelled or missed appointment holds nothing.
func overlapsOf(tx Store, a practice.Appointment) ([]overlap, error) {
	if !a.Status.Open() {
		return nil, nil
	}
	room := roomOf(a)
	others, err := tx.OverlappingAppointments(a.Start, a.End, a.ClinicianID, room, a.PatientID)
	if err != nil {
		return nil, err
	}
	var out []overlap
	for _, o := range others {
		if o.ID == a.ID {
			continue
		}
		var shared []string
		if o.ClinicianID == a.ClinicianID {
			shared = append(shared, "clinician")
		}
		if room != "" && roomOf(o) == room {
			shared = append(shared, "room")
		}
		if o.PatientID == a.PatientID {
			shared = append(shared, "patient")
		}
		if len(shared) == 0 {
			continue
		}
		rows := []string{a.ID, o.ID}
		slices.Sort(rows)
		out = append(out, overlap{rows: rows, detail: strings.Join(shared, ",")})
	}
	return out, nil
}

func recordOverlaps(tx Store, id string) error {
	a, err := tx.AppointmentSlot(id)
	if err != nil {
		if practice.ErrorCode(err) == practice.ENotFound {
			return nil // deleted by the batch
		}
		return err
	}
	found, err := overlapsOf(tx, a)
	if err != nil {
		return err
	}
	for _, o := range found {
		if _, err := tx.RecordConflict(ConflictDoubleBooking, "appointments", o.rows, o.detail); err != nil {
			return err
		}
	}
	return nil
}

// acknowledgeOverride records the double-bookings of an appointment booked
// over a hard conflict on purpose as conflicts already resolved by the
// person who booked it, so machines merging it later do not raise them
// again (a conflict with the same id exists).
func acknowledgeOverride(tx Store, a practice.Appointment, accountID string) error {
	found, err := overlapsOf(tx, a)
	if err != nil {
		return err
	}
	for _, o := range found {
		id, err := tx.RecordConflict(ConflictDoubleBooking, "appointments", o.rows, o.detail)
		if err != nil {
			return err
		}
		if err := tx.ResolveConflict(id, accountID, "booked anyway"); err != nil {
			return err
		}
	}
	return nil
}
