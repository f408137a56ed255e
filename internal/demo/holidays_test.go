package demo

import (
	"testing"
	"time"
)

// The closure days, read off a 2026–2028 calendar by hand.
func TestClosedOn(t *testing.T) {
	closed := []string{
		"2026-01-01", "2026-05-25", "2026-07-03", "2026-09-07", "2026-11-26", "2026-12-25", // 4 July 2026 is a Saturday
		"2027-01-01", "2027-05-31", "2027-07-05", "2027-09-06", "2027-11-25", "2027-12-24", // 4 July a Sunday, Christmas a Saturday
		"2027-12-31", // New Year's Day 2028 is a Saturday
		"2028-05-29", "2028-07-04", "2028-09-04", "2028-11-23", "2028-12-25",
	}
	open := []string{
		"2026-07-04", "2026-07-06", "2026-11-27", "2026-12-24", "2027-07-04", "2027-12-25", "2027-12-27",
		"2028-01-01", "2028-01-03", "2026-05-18", "2026-09-14", "2026-11-19",
	}
	zone, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	for _, list := range []struct {
		days []string
		want bool
	}{{closed, true}, {open, false}} {
		for _, day := range list.days {
			// A session's local start, late in the day: the date is the local one.
			d, err := time.ParseInLocation("2006-01-02 15:04", day+" 19:00", zone)
			if err != nil {
				t.Fatal(err)
			}
			if got := closedOn(d); got != list.want {
				t.Errorf("closedOn(%s) = %v, want %v", day, got, list.want)
			}
		}
	}
}
