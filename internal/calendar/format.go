package calendar

import (
	"time"

	"quietdesk/internal/practice"
)

// when says when a span is, for the middle of a sentence, in the
// practice's clock: "on Tue, Mar 3, 10:00 AM – 10:50 AM", or "from Tue,
// Mar 3, 9:00 AM to Fri, Mar 6, 5:00 PM" when it runs over more than one day.
func when(start, end time.Time, zone *time.Location, clock practice.Clock) string {
	if dateOf(start, zone) == dateOf(end, zone) {
		return "on " + clock.DayTime(start, zone) + " – " + clock.Time(end, zone)
	}
	return "from " + clock.DayTime(start, zone) + " to " + clock.DayTime(end, zone)
}
