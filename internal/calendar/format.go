package calendar

import "time"

// Times in messages and documents read like "Tue 3 Mar, 10:00": the
// weekday catches a wrong-week mistake at a glance.
const dayTimeLayout = "Mon 2 Jan, 15:04"

func dayTime(t time.Time, zone *time.Location) string { return t.In(zone).Format(dayTimeLayout) }

// when says when a span is, for the middle of a sentence: "on Tue 3 Mar,
// 10:00–10:50", or "from Tue 3 Mar, 09:00 to Fri 6 Mar, 17:00" when it
// runs over more than one day.
func when(start, end time.Time, zone *time.Location) string {
	if dateOf(start, zone) == dateOf(end, zone) {
		return "on " + dayTime(start, zone) + "–" + end.In(zone).Format("15:04")
	}
	return "from " + dayTime(start, zone) + " to " + dayTime(end, zone)
}

// clock formats minutes after midnight as "15:04".
func clock(minutes int) string {
	return time.Date(0, 1, 1, 0, minutes, 0, 0, time.UTC).Format("15:04")
}
