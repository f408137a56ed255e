package calendar

import (
	"slices"
	"time"

	"quietdesk/internal/practice"
)

// Occurrences returns the start instants (UTC) of the sessions of a series
// whose first session starts at first, that fall in [from, to).
//
// Every occurrence keeps the wall-clock time of first in zone, so a 10:00
// session stays at 10:00 across DST changes; a time that falls in a DST gap
// moves forward by the gap (see wallInstant). Weekly series count their
// Interval in Sunday-to-Saturday weeks from the week of first; monthly
// series fall on the Week-th (or last) weekday of first's weekday. Nothing
// falls before first, and first is occurrence 1 when it matches the rule.
// Count counts from first, so a late from never yields occurrences beyond
// it; Until is inclusive; with neither, to is the only bound.
//
// The expansion is written here rather than with rrule-go, which resolves
// DST-gap times with time.Date and so moves them backwards in some zones,
// forwards in others, and onto the previous day where the gap is at
// midnight (America/Santiago).
//
// It returns an EInvalid error when the rule is not valid.
func Occurrences(first time.Time, zone *time.Location, r practice.Recurrence, from, to time.Time) ([]time.Time, error) {
	p := practice.Problems{}
	r.Validate(p, first.In(zone))
	if err := p.Err(); err != nil {
		return nil, err
	}
	e := expansion{
		first: dateOf(first, zone),
		clock: secondsOfDay(first, zone),
		zone:  zone,
		count: r.Count,
		from:  from,
		to:    to,
	}
	if r.Until != "" {
		until, _ := time.Parse(time.DateOnly, r.Until) // checked by Validate
		e.until = civilDate{until}
	}
	switch r.Frequency {
	case practice.Weekly:
		e.weekly(r.Interval, r.Weekdays)
	case practice.Monthly:
		e.monthly(r.Interval, r.Week)
	}
	return e.found, nil
}

// expansion walks a series' candidate dates in order and keeps those in
// range. Every candidate date on or after first is a real occurrence, so
// counting them enforces Count.
type expansion struct {
	first    civilDate
	clock    int // seconds after local midnight
	zone     *time.Location
	until    civilDate // zero: no end date
	count    int       // 0: no limit
	from, to time.Time

	seen  int
	found []time.Time
}

// offer considers the candidate date d and reports whether the walk should
// go on to later dates.
func (e *expansion) offer(d civilDate) bool {
	if d.Before(e.first.Time) {
		return true
	}
	if !e.until.IsZero() && d.After(e.until.Time) {
		return false
	}
	e.seen++
	if e.count > 0 && e.seen > e.count {
		return false
	}
	start := wallInstant(d, e.clock, e.zone)
	if !start.Before(e.to) {
		return false
	}
	if !start.Before(e.from) {
		e.found = append(e.found, start.UTC())
	}
	return true
}

func (e *expansion) weekly(interval int, weekdays []int) {
	days := slices.Clone(weekdays)
	slices.Sort(days)
	days = slices.Compact(days)
	week := e.first.addDays(-int(e.first.Weekday()))
	for ; ; week = week.addDays(7 * interval) {
		for _, wd := range days {
			if !e.offer(week.addDays(wd)) {
				return
			}
		}
	}
}

func (e *expansion) monthly(interval, week int) {
	weekday := e.first.Weekday()
	for month := 0; ; month += interval {
		m := civilDate{e.first.AddDate(0, month, 1-e.first.Day())} // 1st of the month
		if !e.offer(nthWeekday(m, weekday, week)) {
			return
		}
	}
}

// nthWeekday is the n-th (1–4) or last (-1) given weekday of the month
// that starts on firstOfMonth.
func nthWeekday(firstOfMonth civilDate, weekday time.Weekday, n int) civilDate {
	if n == -1 {
		last := civilDate{firstOfMonth.AddDate(0, 1, -1)}
		return last.addDays(-((int(last.Weekday()) - int(weekday) + 7) % 7))
	}
	first := firstOfMonth.addDays((int(weekday) - int(firstOfMonth.Weekday()) + 7) % 7)
	return first.addDays(7 * (n - 1))
}
