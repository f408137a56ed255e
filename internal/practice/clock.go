package practice

import "time"

// Clock is how the practice writes times of day: on every screen, on the
// day sheet and in the calendar's messages, so the front desk reads one
// format everywhere. Dates read as the screens show them ("Tue, Mar 10")
// whichever clock is chosen.
type Clock string

const (
	// Clock12 writes "9:00 AM"; it is the default ("" reads as it), as
	// most US offices read times.
	Clock12 Clock = "12h"
	// Clock24 writes "09:00".
	Clock24 Clock = "24h"
)

func (c Clock) valid() bool { return c == "" || c == Clock12 || c == Clock24 }

func (c Clock) layout() string {
	if c == Clock24 {
		return "15:04"
	}
	return "3:04 PM"
}

// Time is t's time of day in zone: "9:00 AM" or "09:00".
func (c Clock) Time(t time.Time, zone *time.Location) string { return t.In(zone).Format(c.layout()) }

// Minutes is a time of day given as minutes after midnight (working hours).
func (c Clock) Minutes(minutes int) string {
	return time.Date(2000, 1, 1, 0, minutes, 0, 0, time.UTC).Format(c.layout())
}

// DayTime is "Tue, Mar 10, 9:00 AM": the weekday catches a wrong-week
// mistake at a glance.
func (c Clock) DayTime(t time.Time, zone *time.Location) string {
	return t.In(zone).Format("Mon, Jan 2, ") + c.Time(t, zone)
}
