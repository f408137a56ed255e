package backups_test

import (
	"slices"
	"testing"
	"time"

	"quietdesk/internal/backups"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func days(list ...string) []time.Time {
	out := make([]time.Time, len(list))
	for i, s := range list {
		out[i] = day(s)
	}
	return out
}

// simulate backs up on every day from..to that made says was made,
// pruning after each as the nightly job does, and returns what is left.
func simulate(from, to string, made func(time.Time) bool) []time.Time {
	var kept []time.Time
	for d := day(from); !d.After(day(to)); d = d.AddDate(0, 0, 1) {
		if made(d) {
			kept = backups.Keep(append(kept, d))
		}
	}
	return kept
}

func weekday(d time.Time) bool { return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday }

// The expected sets are worked out by hand from a 2026 calendar (1 January
// and 31 December 2026 are Thursdays; ISO weeks start on Monday).
func TestKeepOverASimulatedYear(t *testing.T) {
	for _, tc := range []struct {
		name     string
		from, to string
		made     func(time.Time) bool
		want     []time.Time
	}{
		{
			// Daily Dec 25–31; weekly: the newest of the weeks of Dec 28
			// (31st), 21 (27th), 14 (20th), 7 (13th); monthly: the last day
			// of each month of 2026.
			name: "EveryDay", from: "2026-01-01", to: "2026-12-31", made: func(time.Time) bool { return true },
			want: days("2026-12-31", "2026-12-30", "2026-12-29", "2026-12-28", "2026-12-27", "2026-12-26", "2026-12-25",
				"2026-12-20", "2026-12-13",
				"2026-11-30", "2026-10-31", "2026-09-30", "2026-08-31", "2026-07-31", "2026-06-30",
				"2026-05-31", "2026-04-30", "2026-03-31", "2026-02-28", "2026-01-31"),
		},
		{
			// A machine off at weekends and from 14 to 25 December: the 7
			// daily copies reach back over the holiday (28–31, 9–11 Dec);
			// the weeks with a backup are those of Dec 28 (31st), Dec 7
			// (11th), Nov 30 (4 Dec), Nov 23 (27 Nov); each month keeps its
			// last weekday (31 Oct 2026 is a Saturday: the 30th; 31 May a
			// Sunday: the 29th; 28 Feb a Saturday: the 27th; 31 Jan a
			// Saturday: the 30th).
			name: "WeekdaysWithAHoliday", from: "2026-01-01", to: "2026-12-31",
			made: func(d time.Time) bool {
				return weekday(d) && (d.Before(day("2026-12-14")) || d.After(day("2026-12-25")))
			},
			want: days("2026-12-31", "2026-12-30", "2026-12-29", "2026-12-28", "2026-12-11", "2026-12-10", "2026-12-09",
				"2026-12-04", "2026-11-30", "2026-11-27",
				"2026-10-30", "2026-09-30", "2026-08-31", "2026-07-31", "2026-06-30",
				"2026-05-29", "2026-04-30", "2026-03-31", "2026-02-27", "2026-01-30"),
		},
		{
			// Across the new year: ISO week 53 of 2026 runs from Monday 28
			// December to Sunday 3 January 2027, so 28–31 Dec are in the week
			// of 2 January and the 2nd is its weekly copy (then the 27th, 20th
			// and 13th); the months keep the 2nd and 31 December, both daily.
			name: "AcrossTheNewYear", from: "2026-12-01", to: "2027-01-02", made: func(time.Time) bool { return true },
			want: days("2027-01-02", "2027-01-01", "2026-12-31", "2026-12-30", "2026-12-29", "2026-12-28", "2026-12-27",
				"2026-12-20", "2026-12-13"),
		},
		{
			// One backup a month: twelve months kept, the thirteenth goes.
			name: "Monthly", from: "2026-01-15", to: "2027-01-15", made: func(d time.Time) bool { return d.Day() == 15 },
			want: days("2027-01-15", "2026-12-15", "2026-11-15", "2026-10-15", "2026-09-15", "2026-08-15", "2026-07-15",
				"2026-06-15", "2026-05-15", "2026-04-15", "2026-03-15", "2026-02-15"),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := simulate(tc.from, tc.to, tc.made)
			if !slices.EqualFunc(got, tc.want, time.Time.Equal) {
				t.Fatalf("kept\n%v\nwant\n%v", fmtDays(got), fmtDays(tc.want))
			}
			// Pruning after every backup keeps what pruning once would:
			// nothing a later run wants was removed earlier.
			var all []time.Time
			for d := day(tc.from); !d.After(day(tc.to)); d = d.AddDate(0, 0, 1) {
				if tc.made(d) {
					all = append(all, d)
				}
			}
			if once := backups.Keep(all); !slices.EqualFunc(once, got, time.Time.Equal) {
				t.Fatalf("pruning once kept %v, daily %v", fmtDays(once), fmtDays(got))
			}
		})
	}
}

func TestKeepTakesAnyOrderAndRepeats(t *testing.T) {
	got := backups.Keep(days("2026-03-01", "2026-03-03", "2026-03-01", "2026-03-02"))
	if want := days("2026-03-03", "2026-03-02", "2026-03-01"); !slices.EqualFunc(got, want, time.Time.Equal) {
		t.Fatalf("got %v", fmtDays(got))
	}
	if got := backups.Keep(nil); len(got) != 0 {
		t.Fatalf("nothing to keep, got %v", got)
	}
}

func fmtDays(ds []time.Time) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Format("2006-01-02")
	}
	return out
}
