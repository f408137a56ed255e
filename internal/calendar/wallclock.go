package calendar

import "time"

// civilDate is a calendar date with no time zone. It is kept as midnight
// UTC so date arithmetic (AddDate, weekdays) never meets a DST change.
type civilDate struct{ time.Time }

func dateOf(t time.Time, zone *time.Location) civilDate {
	y, m, d := t.In(zone).Date()
	return civilDate{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

func (d civilDate) addDays(n int) civilDate { return civilDate{d.AddDate(0, 0, n)} }

// wallInstant is the instant at which clocks in zone show date d at the
// given minutes (and seconds) after midnight.
//
// time.Date leaves two cases unspecified, and in practice resolves them
// differently per zone (even to the previous day), so they are settled here
// the way RFC 5545 §3.3.5 does:
//   - a wall time that occurs twice (autumn fall-back) is the first of the
//     two instants;
//   - a wall time that does not exist (spring-forward gap) is read with the
//     UTC offset in force before the gap, so it lands as far after the gap
//     as it was into it: 02:30 on the New York spring-forward day is 03:30.
//
// It assumes a zone changes its offset at most once within a day either
// side of d, which every real zone does.
func wallInstant(d civilDate, seconds int, zone *time.Location) time.Time {
	asUTC := d.Add(time.Duration(seconds) * time.Second)
	before := offsetAt(asUTC.Add(-24*time.Hour), zone)
	after := offsetAt(asUTC.Add(24*time.Hour), zone)
	// The larger offset gives the earlier instant: try it first.
	offsets := [2]int{before, after}
	if after > before {
		offsets = [2]int{after, before}
	}
	for _, off := range offsets {
		t := asUTC.Add(-time.Duration(off) * time.Second)
		if offsetAt(t, zone) == off {
			return t
		}
	}
	return asUTC.Add(-time.Duration(before) * time.Second)
}

func offsetAt(t time.Time, zone *time.Location) int {
	_, off := t.In(zone).Zone()
	return off
}

// secondsOfDay is how far into its local day t is on the wall clock.
func secondsOfDay(t time.Time, zone *time.Location) int {
	h, m, s := t.In(zone).Clock()
	return h*3600 + m*60 + s
}
