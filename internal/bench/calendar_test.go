package bench_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"quietdesk/app"
	"quietdesk/internal/calendar"
	"quietdesk/internal/credentialing"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// calendarSession logs the demo owner in and opens the calendar facade
// (see loggedIn).
func calendarSession(b *testing.B, write bool) (*app.Calendar, app.CalendarSetup) {
	b.Helper()
	return calendarSessionWith(b, write, nil)
}

// calendarSessionWith is calendarSession with a calendar service of the
// caller's (nil: one without booking checks).
func calendarSessionWith(b *testing.B, write bool, svc *calendar.Service) (*app.Calendar, app.CalendarSetup) {
	b.Helper()
	core, _ := loggedInWith(b, write, svc)
	cal := app.NewCalendar(core)
	setup, err := cal.Setup()
	if err != nil {
		b.Fatal(err)
	}
	return cal, setup
}

// loggedIn logs the demo owner in through the app facades, as the window
// does: on this process's copy of the large demo, or on a copy of its own
// when write is set (a benchmark's bookings must not meet the next one's).
func loggedIn(b *testing.B, write bool) (*app.Core, *store.DB) {
	b.Helper()
	return loggedInWith(b, write, nil)
}

// loggedInWith is loggedIn with a calendar service of the caller's.
func loggedInWith(b *testing.B, write bool, svc *calendar.Service) (*app.Core, *store.DB) {
	b.Helper()
	dir, login := largeDemo(b)
	if write {
		dir = copyDemo(b, dir)
	}
	db, err := store.Open(dir, opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	core := app.NewCore(app.Config{DB: db, Logger: opts.Logger, Calendar: svc})
	if _, err := app.NewSession(core).Login(login.Username, login.Password); err != nil {
		b.Fatal(err)
	}
	return core, db
}

// copyDemo copies a data folder for a benchmark that writes.
func copyDemo(b *testing.B, dir string) string {
	b.Helper()
	dst := b.TempDir()
	if err := copyData(dir, dst); err != nil {
		b.Fatal(err)
	}
	return dst
}

func report(b *testing.B, prefix string, d []time.Duration) {
	slices.Sort(d)
	b.ReportMetric(ms(percentile(d, 50)), prefix+"p50-ms")
	b.ReportMetric(ms(percentile(d, 95)), prefix+"p95-ms")
	b.ReportMetric(ms(d[len(d)-1]), prefix+"max-ms")
}

// weekStarts are Mondays spread over the demo's five years, the same every run.
func weekStarts(zone *time.Location, n int) []time.Time {
	r := rand.New(rand.NewPCG(demoSeed, 11))
	now := time.Now().In(zone)
	monday := time.Date(now.Year(), now.Month(), now.Day()-int(now.Weekday())+1, 0, 0, 0, 0, zone)
	out := make([]time.Time, n)
	for i := range out {
		out[i] = monday.AddDate(0, 0, 7*(r.IntN(5*52)-4*52))
	}
	return out
}

// BenchmarkCalendarWeek loads a week for all clinicians the way the window
// does (Calendar.Range: the query, patient names from the index, time off,
// and the audit entry written in the same transaction); an op is 50 weeks.
func BenchmarkCalendarWeek(b *testing.B) {
	cal, setup := calendarSession(b, false)
	zone, err := time.LoadLocation(setup.Zone)
	if err != nil {
		b.Fatal(err)
	}
	weeks := weekStarts(zone, 50)
	var took []time.Duration
	events := 0
	b.ResetTimer()
	for range b.N {
		for _, w := range weeks {
			t := time.Now()
			rng, err := cal.Range(app.CalendarQuery{From: w, To: w.AddDate(0, 0, 7)})
			took = append(took, time.Since(t))
			if err != nil {
				b.Fatal(err)
			}
			events += len(rng.Events)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(events)/float64(len(took)), "events/week")
	b.ReportMetric(float64(len(setup.Clinicians)), "clinicians")
	var total int
	dir, _ := largeDemo(b)
	if err := rawDemo(b, dir).QueryRow("SELECT COUNT(*) FROM appointments WHERE deleted = 0").Scan(&total); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(total), "appointments")
	report(b, "", took)
}

// BenchmarkBookSeries books weekly open-ended series (a year of sessions,
// each checked for clinician, room and patient clashes, time off and
// working hours) through Calendar.Book, on a copy of the practice.
// Saturdays are free in the demo, so every booking goes through with a
// working-hours warning; an op is 40 bookings.
func BenchmarkBookSeries(b *testing.B) { bookSeries(b, nil) }

// BenchmarkBookSeriesGuarded is BenchmarkBookSeries with credentialing's
// booking guard registered, as the program wires it: the guard's added
// cost is the difference between the two in the same run.
func BenchmarkBookSeriesGuarded(b *testing.B) {
	bookSeries(b, calendar.NewService(credentialing.BookingCheck).WithNetwork(credentialing.NetworkRule))
}

func bookSeries(b *testing.B, svc *calendar.Service) {
	cal, setup := calendarSessionWith(b, true, svc)
	zone, _ := time.LoadLocation(setup.Zone)
	r := rand.New(rand.NewPCG(demoSeed, 12))
	now := time.Now().In(zone)
	saturday := time.Date(now.Year(), now.Month(), now.Day()+int(time.Saturday-now.Weekday())+7, 8, 0, 0, 0, zone)
	var typ practice.AppointmentType
	for _, t := range setup.Types {
		if t.ServiceCode == "90837" {
			typ = t
		}
	}
	patients := patientIDs(b)
	var took []time.Duration
	sessions, slot := 0, 0
	b.ResetTimer()
	for range b.N {
		for range 40 {
			c := setup.Clinicians[slot%len(setup.Clinicians)]
			start := saturday.Add(time.Duration(slot/len(setup.Clinicians)) * time.Hour)
			slot++
			a := practice.Appointment{PatientID: patients[r.IntN(len(patients))], ClinicianID: c.ID, TypeID: typ.ID, Telehealth: true,
				Start: start, End: start.Add(53 * time.Minute)}
			t := time.Now()
			res, err := cal.Book(calendar.Booking{Appointment: a, Recurrence: &practice.Recurrence{Frequency: practice.Weekly, Interval: 1,
				Weekdays: []int{int(time.Saturday)}}})
			took = append(took, time.Since(t))
			if err != nil {
				b.Fatal(err)
			}
			sessions += len(res.Appointments)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(sessions)/float64(len(took)), "sessions/series")
	report(b, "", took)
}

// patientIDs lists the demo's patient ids (plain column, no key needed).
func patientIDs(b *testing.B) []string {
	b.Helper()
	dir, _ := largeDemo(b)
	db := rawDemo(b, dir)
	rows, err := db.Query("SELECT id FROM patients WHERE deleted = 0 ORDER BY id")
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		out = append(out, id)
	}
	return out
}

// BenchmarkFirstAvailable searches four weeks for the first opening of
// every one of the 25 clinicians, in person at the first office and by
// video, from dates over the coming year; an op is 20 searches.
func BenchmarkFirstAvailable(b *testing.B) {
	cal, setup := calendarSession(b, false)
	zone, _ := time.LoadLocation(setup.Zone)
	r := rand.New(rand.NewPCG(demoSeed, 13))
	var took []time.Duration
	found := 0
	b.ResetTimer()
	for range b.N {
		for i := range 20 {
			from := time.Now().In(zone).AddDate(0, 0, r.IntN(300))
			q := calendar.SlotQuery{DurationMin: 53, From: from, Telehealth: i%2 == 1}
			if !q.Telehealth {
				q.LocationID = setup.Locations[0].ID
			}
			t := time.Now()
			slots, err := cal.FirstAvailable(q)
			took = append(took, time.Since(t))
			if err != nil {
				b.Fatal(err)
			}
			found += len(slots)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(found)/float64(len(took)), "clinicians-with-opening")
	report(b, "", took)
}
