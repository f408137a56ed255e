package backups

import (
	"slices"
	"time"
)

// Retention: how many days, ISO weeks and months keep a backup.
const (
	Daily   = 7
	Weekly  = 4
	Monthly = 12
)

// Keep returns the backups to keep of dates (civil dates, any order,
// repeats allowed), newest first: the newest backup of each of the 7 most
// recent days that have one, of the 4 most recent ISO weeks that have one,
// and of the 12 most recent months that have one.
//
// Periods are counted among the backups that exist, not on the calendar,
// so a machine switched off for a fortnight still keeps 7 daily copies
// rather than none. Because each period keeps its newest backup, applying
// Keep after every backup leaves the same set as applying it once to all
// of them: a pruned backup is never one a later run would have wanted.
func Keep(dates []time.Time) []time.Time {
	sorted := slices.Clone(dates)
	slices.SortFunc(sorted, func(a, b time.Time) int { return b.Compare(a) })
	sorted = slices.CompactFunc(sorted, time.Time.Equal)
	var keep []time.Time
	for _, rule := range []struct {
		n      int
		period func(time.Time) [2]int
	}{
		{Daily, func(t time.Time) [2]int { return [2]int{t.Year(), t.YearDay()} }},
		{Weekly, func(t time.Time) [2]int { y, w := t.ISOWeek(); return [2]int{y, w} }},
		{Monthly, func(t time.Time) [2]int { return [2]int{t.Year(), int(t.Month())} }},
	} {
		var last [2]int
		taken := 0
		for _, d := range sorted {
			if taken == rule.n {
				break
			}
			if p := rule.period(d); taken == 0 || p != last {
				last = p
				taken++
				if !slices.ContainsFunc(keep, d.Equal) {
					keep = append(keep, d)
				}
			}
		}
	}
	slices.SortFunc(keep, func(a, b time.Time) int { return b.Compare(a) })
	return keep
}
