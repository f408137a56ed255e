package calendar_test

import (
	"slices"
	"testing"
	"time"

	"quietdesk/internal/calendar"
	"quietdesk/internal/practice"
)

func weekly(interval int, days ...int) practice.Recurrence {
	return practice.Recurrence{Frequency: practice.Weekly, Interval: interval, Weekdays: days}
}

func monthly(interval, week int) practice.Recurrence {
	return practice.Recurrence{Frequency: practice.Monthly, Interval: interval, Week: week}
}

func until(r practice.Recurrence, date string) practice.Recurrence { r.Until = date; return r }
func count(r practice.Recurrence, n int) practice.Recurrence       { r.Count = n; return r }

func TestOccurrences(t *testing.T) {
	const layout = "2006-01-02 Mon 15:04 -07:00"
	tests := []struct {
		name     string
		zone     string
		first    string
		rule     practice.Recurrence
		from, to string // wall times in zone; from "" = first
		want     []string
	}{
		{
			name: "weekly across US spring forward keeps 10:00", zone: "America/New_York",
			first: "2027-03-02 10:00", rule: weekly(1, 2), to: "2027-03-24 00:00",
			want: []string{"2027-03-02 Tue 10:00 -05:00", "2027-03-09 Tue 10:00 -05:00", "2027-03-16 Tue 10:00 -04:00", "2027-03-23 Tue 10:00 -04:00"},
		},
		{
			name: "weekly across US fall back keeps 10:00", zone: "America/New_York",
			first: "2027-10-30 10:00", rule: weekly(1, 6), to: "2027-11-14 00:00",
			want: []string{"2027-10-30 Sat 10:00 -04:00", "2027-11-06 Sat 10:00 -04:00", "2027-11-13 Sat 10:00 -05:00"},
		},
		{
			name: "UK clocks change on a different Sunday", zone: "Europe/London",
			first: "2027-03-21 09:30", rule: weekly(1, 0), to: "2027-04-05 00:00",
			want: []string{"2027-03-21 Sun 09:30 +00:00", "2027-03-28 Sun 09:30 +01:00", "2027-04-04 Sun 09:30 +01:00"},
		},
		{
			name: "southern hemisphere: Sydney leaves DST in April", zone: "Australia/Sydney",
			first: "2027-03-29 17:00", rule: weekly(1, 1), to: "2027-04-13 00:00",
			want: []string{"2027-03-29 Mon 17:00 +11:00", "2027-04-05 Mon 17:00 +10:00", "2027-04-12 Mon 17:00 +10:00"},
		},
		{
			name: "southern hemisphere: Sydney enters DST in October", zone: "Australia/Sydney",
			first: "2027-09-27 08:00", rule: weekly(1, 1), to: "2027-10-12 00:00",
			want: []string{"2027-09-27 Mon 08:00 +10:00", "2027-10-04 Mon 08:00 +11:00", "2027-10-11 Mon 08:00 +11:00"},
		},
		{
			name: "spring-forward gap moves forward by the gap (New York)", zone: "America/New_York",
			first: "2027-03-07 02:30", rule: weekly(1, 0), to: "2027-03-22 00:00",
			want: []string{"2027-03-07 Sun 02:30 -05:00", "2027-03-14 Sun 03:30 -04:00", "2027-03-21 Sun 02:30 -04:00"},
		},
		{
			name: "spring-forward gap moves forward by the gap (London)", zone: "Europe/London",
			first: "2027-03-21 01:30", rule: weekly(1, 0), to: "2027-04-05 00:00",
			want: []string{"2027-03-21 Sun 01:30 +00:00", "2027-03-28 Sun 02:30 +01:00", "2027-04-04 Sun 01:30 +01:00"},
		},
		{
			name: "gap at midnight stays on its day (Santiago)", zone: "America/Santiago",
			first: "2026-08-30 00:30", rule: weekly(1, 0), to: "2026-09-14 00:00",
			want: []string{"2026-08-30 Sun 00:30 -04:00", "2026-09-06 Sun 01:30 -03:00", "2026-09-13 Sun 00:30 -03:00"},
		},
		{
			name: "repeated hour at fall back is the first one", zone: "Europe/London",
			first: "2027-10-24 01:30", rule: weekly(1, 0), to: "2027-11-01 00:00",
			want: []string{"2027-10-24 Sun 01:30 +01:00", "2027-10-31 Sun 01:30 +01:00"},
		},
		{
			name: "half-hour offset (Kolkata)", zone: "Asia/Kolkata",
			first: "2026-12-31 18:30", rule: weekly(1, 4), to: "2027-01-15 00:00",
			want: []string{"2026-12-31 Thu 18:30 +05:30", "2027-01-07 Thu 18:30 +05:30", "2027-01-14 Thu 18:30 +05:30"},
		},
		{
			name: "several weekdays; first only counts from its own day", zone: "America/Chicago",
			first: "2026-03-04 14:00", rule: weekly(1, 1, 3, 5), to: "2026-03-11 00:00",
			want: []string{"2026-03-04 Wed 14:00 -06:00", "2026-03-06 Fri 14:00 -06:00", "2026-03-09 Mon 14:00 -05:00"},
		},
		{
			name: "first not on a listed weekday starts at the next one", zone: "America/Chicago",
			first: "2026-03-04 14:00", rule: weekly(1, 2), to: "2026-03-18 00:00",
			want: []string{"2026-03-10 Tue 14:00 -05:00", "2026-03-17 Tue 14:00 -05:00"},
		},
		{
			name: "every 2 weeks counts weeks from first's week (Sunday start)", zone: "America/Chicago",
			first: "2026-03-07 09:00", rule: weekly(2, 0, 6), to: "2026-04-06 00:00",
			// week of Sun 1 Mar: only Sat 7 (Sun 1 is before first); then weeks of 15 Mar and 29 Mar
			want: []string{"2026-03-07 Sat 09:00 -06:00", "2026-03-15 Sun 09:00 -05:00", "2026-03-21 Sat 09:00 -05:00", "2026-03-29 Sun 09:00 -05:00", "2026-04-04 Sat 09:00 -05:00"},
		},
		{
			name: "every 3 weeks", zone: "UTC",
			first: "2026-01-06 12:00", rule: weekly(3, 2), to: "2026-02-28 00:00",
			want: []string{"2026-01-06 Tue 12:00 +00:00", "2026-01-27 Tue 12:00 +00:00", "2026-02-17 Tue 12:00 +00:00"},
		},
		{
			name: "until is inclusive", zone: "America/New_York",
			first: "2026-03-03 10:00", rule: until(weekly(1, 2), "2026-03-17"), to: "2027-01-01 00:00",
			want: []string{"2026-03-03 Tue 10:00 -05:00", "2026-03-10 Tue 10:00 -04:00", "2026-03-17 Tue 10:00 -04:00"},
		},
		{
			name: "until on the first day gives one session", zone: "America/New_York",
			first: "2026-03-03 23:30", rule: until(weekly(1, 2), "2026-03-03"), to: "2027-01-01 00:00",
			want: []string{"2026-03-03 Tue 23:30 -05:00"},
		},
		{
			name: "count counts from first", zone: "America/New_York",
			first: "2026-03-03 10:00", rule: count(weekly(1, 2, 4), 3), to: "2027-01-01 00:00",
			want: []string{"2026-03-03 Tue 10:00 -05:00", "2026-03-05 Thu 10:00 -05:00", "2026-03-10 Tue 10:00 -04:00"},
		},
		{
			name: "count is not restarted by a late from", zone: "America/New_York",
			first: "2026-03-03 10:00", rule: count(weekly(1, 2), 4), from: "2026-03-20 00:00", to: "2027-01-01 00:00",
			want: []string{"2026-03-24 Tue 10:00 -04:00"},
		},
		{
			name: "from in the middle of an open-ended series", zone: "America/New_York",
			first: "2020-01-07 16:00", rule: weekly(2, 2), from: "2026-03-01 00:00", to: "2026-04-01 00:00",
			// 2020-01-07 + 321 fortnights = 2026-03-10
			want: []string{"2026-03-10 Tue 16:00 -04:00", "2026-03-24 Tue 16:00 -04:00"},
		},
		{
			name: "from exactly at an occurrence includes it, to excludes it", zone: "UTC",
			first: "2026-01-05 09:00", rule: weekly(1, 1), from: "2026-01-12 09:00", to: "2026-01-26 09:00",
			want: []string{"2026-01-12 Mon 09:00 +00:00", "2026-01-19 Mon 09:00 +00:00"},
		},
		{
			name: "monthly on the last Friday, across month ends", zone: "America/Denver",
			first: "2026-01-30 15:00", rule: monthly(1, -1), to: "2026-06-01 00:00",
			want: []string{"2026-01-30 Fri 15:00 -07:00", "2026-02-27 Fri 15:00 -07:00", "2026-03-27 Fri 15:00 -06:00", "2026-04-24 Fri 15:00 -06:00", "2026-05-29 Fri 15:00 -06:00"},
		},
		{
			name: "monthly last Tuesday of a leap February is the 29th", zone: "America/New_York",
			first: "2028-01-25 11:00", rule: monthly(1, -1), to: "2028-04-01 00:00",
			want: []string{"2028-01-25 Tue 11:00 -05:00", "2028-02-29 Tue 11:00 -05:00", "2028-03-28 Tue 11:00 -04:00"},
		},
		{
			name: "weekly on a leap day", zone: "Europe/London",
			first: "2028-02-22 10:00", rule: weekly(1, 2), to: "2028-03-08 00:00",
			want: []string{"2028-02-22 Tue 10:00 +00:00", "2028-02-29 Tue 10:00 +00:00", "2028-03-07 Tue 10:00 +00:00"},
		},
		{
			name: "monthly fourth Thursday every 2 months", zone: "UTC",
			first: "2026-01-22 13:00", rule: monthly(2, 4), to: "2026-08-01 00:00",
			want: []string{"2026-01-22 Thu 13:00 +00:00", "2026-03-26 Thu 13:00 +00:00", "2026-05-28 Thu 13:00 +00:00", "2026-07-23 Thu 13:00 +00:00"},
		},
		{
			name: "monthly second Monday every 3 months with count", zone: "Australia/Sydney",
			first: "2026-02-09 09:00", rule: count(monthly(3, 2), 3), to: "2030-01-01 00:00",
			want: []string{"2026-02-09 Mon 09:00 +11:00", "2026-05-11 Mon 09:00 +10:00", "2026-08-10 Mon 09:00 +10:00"},
		},
		{
			name: "monthly when first is past that month's match starts next month", zone: "UTC",
			first: "2026-01-20 13:00", rule: monthly(1, 1), to: "2026-03-10 00:00", // a Tuesday; first Tuesday wanted
			want: []string{"2026-02-03 Tue 13:00 +00:00", "2026-03-03 Tue 13:00 +00:00"},
		},
		{
			name: "empty range", zone: "UTC",
			first: "2026-01-05 09:00", rule: weekly(1, 1), from: "2026-02-01 00:00", to: "2026-02-01 00:00",
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := zone(t, tt.zone)
			first := at(t, loc, tt.first)
			from := first
			if tt.from != "" {
				from = at(t, loc, tt.from)
			}
			got, err := calendar.Occurrences(first, loc, tt.rule, from, at(t, loc, tt.to))
			if err != nil {
				t.Fatal(err)
			}
			var local []string
			for _, o := range got {
				if o.Location() != time.UTC {
					t.Errorf("%v is not UTC", o)
				}
				local = append(local, o.In(loc).Format(layout))
			}
			if !slices.Equal(local, tt.want) {
				t.Errorf("got  %q\nwant %q", local, tt.want)
			}
		})
	}
}

func TestOccurrencesRejectsBadRules(t *testing.T) {
	loc := zone(t, "UTC")
	first := at(t, loc, "2026-01-05 09:00")
	for name, rule := range map[string]practice.Recurrence{
		"no weekdays":        weekly(1),
		"interval zero":      weekly(0, 1),
		"week five":          monthly(1, 5),
		"unknown frequency":  {Frequency: "daily", Interval: 1},
		"until before first": until(weekly(1, 1), "2026-01-04"),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := calendar.Occurrences(first, loc, rule, first, first.AddDate(1, 0, 0))
			if practice.ErrorCode(err) != practice.EInvalid {
				t.Fatalf("err = %v, want %s", err, practice.EInvalid)
			}
		})
	}
}
