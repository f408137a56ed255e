package calendar

import (
	"time"

	"quietdesk/internal/practice"
)

// block is one working-hours block of a local day, in minutes after
// midnight.
type block struct{ start, end int }

// blocksOn returns the clinician's working-hours blocks on a weekday that
// can hold a session: at locationID for an in-person session, at any
// location for telehealth (the clinician is working, wherever they sit).
// Blocks with unreadable times are skipped; validation keeps them out.
func blocksOn(hours []practice.WorkingHours, clinicianID string, weekday time.Weekday, locationID string, telehealth bool) []block {
	var out []block
	for _, h := range hours {
		if h.ClinicianID != clinicianID || h.Weekday != int(weekday) || (!telehealth && h.LocationID != locationID) {
			continue
		}
		start, okStart := practice.ClockMinutes(h.Start)
		end, okEnd := practice.ClockMinutes(h.End)
		if okStart && okEnd && start < end {
			out = append(out, block{start, end})
		}
	}
	return out
}

func hasHours(hours []practice.WorkingHours, clinicianID string) bool {
	for _, h := range hours {
		if h.ClinicianID == clinicianID {
			return true
		}
	}
	return false
}
