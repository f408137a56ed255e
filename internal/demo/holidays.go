package demo

import "time"

// closedOn says whether the demo practice is closed on a local date: the
// US holidays most small practices close for (New Year's Day, Memorial
// Day, Independence Day, Labor Day, Thanksgiving and Christmas), on the
// weekday each is observed: a Saturday holiday on the Friday before, a
// Sunday one on the Monday after. A series booked over one skips it, as a
// front desk would have.
func closedOn(day time.Time) bool {
	y, m, d := day.Date()
	date := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	// New Year's Day of next year may be observed on 31 December.
	for _, year := range []int{y, y + 1} {
		for _, h := range closures(year) {
			if h.Equal(date) {
				return true
			}
		}
	}
	return false
}

// closures are the observed closure days of a year, at UTC midnight.
func closures(year int) []time.Time {
	fixed := func(m time.Month, d int) time.Time {
		t := time.Date(year, m, d, 0, 0, 0, 0, time.UTC)
		switch t.Weekday() {
		case time.Saturday:
			return t.AddDate(0, 0, -1)
		case time.Sunday:
			return t.AddDate(0, 0, 1)
		}
		return t
	}
	// nth is the n-th weekday wd of month m; n = -1 is the last.
	nth := func(m time.Month, wd time.Weekday, n int) time.Time {
		if n < 0 {
			last := time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC)
			return last.AddDate(0, 0, -((int(last.Weekday()) - int(wd) + 7) % 7))
		}
		first := time.Date(year, m, 1, 0, 0, 0, 0, time.UTC)
		return first.AddDate(0, 0, (int(wd)-int(first.Weekday())+7)%7+7*(n-1))
	}
	return []time.Time{
		fixed(time.January, 1),
		nth(time.May, time.Monday, -1),
		fixed(time.July, 4),
		nth(time.September, time.Monday, 1),
		nth(time.November, time.Thursday, 4),
		fixed(time.December, 25),
	}
}
