package calendar_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/calendar"
	"quietdesk/internal/practice"
)

func TestMatchWaitlist(t *testing.T) {
	ny := zone(t, "America/New_York")
	ana := practice.Clinician{ID: "ana", FirstName: "Ana", LastName: "Ruiz", Specialties: []string{"Trauma", "Anxiety"}, Languages: []string{"English", "Spanish"}, Active: true}
	// A cancelled Tuesday 10:00–10:50 in Room 1 at main.
	inPerson := calendar.Slot{ClinicianID: "ana", LocationID: "main", RoomID: "r1", Start: at(t, ny, "2026-03-03 10:00"), End: at(t, ny, "2026-03-03 10:50")}
	telehealth := inPerson
	telehealth.LocationID, telehealth.RoomID = "", ""
	added := func(day int) time.Time { return time.Date(2026, 1, day, 12, 0, 0, 0, time.UTC) }
	tests := []struct {
		name  string
		slot  calendar.Slot
		entry func(e *practice.WaitlistEntry)
		fits  bool
	}{
		{"no preferences", inPerson, func(e *practice.WaitlistEntry) {}, true},
		{"booked already", inPerson, func(e *practice.WaitlistEntry) { e.Status = practice.WaitlistBooked }, false},
		{"removed", inPerson, func(e *practice.WaitlistEntry) { e.Status = practice.WaitlistRemoved }, false},
		{"wants this clinician among others", inPerson, func(e *practice.WaitlistEntry) { e.ClinicianIDs = []string{"ben", "ana"} }, true},
		{"wants another clinician", inPerson, func(e *practice.WaitlistEntry) { e.ClinicianIDs = []string{"ben"} }, false},
		{"specialty, any case", inPerson, func(e *practice.WaitlistEntry) { e.Specialty = "trauma" }, true},
		{"specialty not offered", inPerson, func(e *practice.WaitlistEntry) { e.Specialty = "Eating disorders" }, false},
		{"language, any case", inPerson, func(e *practice.WaitlistEntry) { e.Language = "SPANISH" }, true},
		{"language not spoken", inPerson, func(e *practice.WaitlistEntry) { e.Language = "Vietnamese" }, false},
		{"weekday wanted (local Tuesday)", inPerson, func(e *practice.WaitlistEntry) { e.Weekdays = []int{2, 4} }, true},
		{"weekday not wanted", inPerson, func(e *practice.WaitlistEntry) { e.Weekdays = []int{1, 3} }, false},
		{"earliest start is inclusive", inPerson, func(e *practice.WaitlistEntry) { e.EarliestTime = "10:00" }, true},
		{"too early for them", inPerson, func(e *practice.WaitlistEntry) { e.EarliestTime = "10:15" }, false},
		{"latest start is inclusive", inPerson, func(e *practice.WaitlistEntry) { e.LatestTime = "10:00" }, true},
		{"too late for them", inPerson, func(e *practice.WaitlistEntry) { e.LatestTime = "09:45" }, false},
		{"telehealth only, in-person slot", inPerson, func(e *practice.WaitlistEntry) { e.Telehealth = "only" }, false},
		{"telehealth only, telehealth slot", telehealth, func(e *practice.WaitlistEntry) { e.Telehealth = "only" }, true},
		{"never telehealth, telehealth slot", telehealth, func(e *practice.WaitlistEntry) { e.Telehealth = "never" }, false},
		{"never telehealth, in-person slot", inPerson, func(e *practice.WaitlistEntry) { e.Telehealth = "never" }, true},
		{"everything stated and fitting", telehealth, func(e *practice.WaitlistEntry) {
			e.ClinicianIDs, e.Specialty, e.Language, e.Weekdays = []string{"ana"}, "Anxiety", "English", []int{2}
			e.EarliestTime, e.LatestTime, e.Telehealth = "09:00", "12:00", "only"
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := practice.WaitlistEntry{ID: "w1", PatientID: "p1", Telehealth: "any", Priority: 3, Status: practice.WaitlistOpen, Added: added(10)}
			tt.entry(&e)
			got := calendar.MatchWaitlist(tt.slot, ana, []practice.WaitlistEntry{e}, ny)
			if (len(got) == 1) != tt.fits {
				t.Errorf("fits = %v, want %v", len(got) == 1, tt.fits)
			}
		})
	}

	t.Run("ranked by priority, then longest wait", func(t *testing.T) {
		entries := []practice.WaitlistEntry{
			{ID: "routine-old", Priority: 3, Added: added(1), Status: practice.WaitlistOpen, Telehealth: "any"},
			{ID: "soon-new", Priority: 2, Added: added(20), Status: practice.WaitlistOpen, Telehealth: "any"},
			{ID: "urgent", Priority: 1, Added: added(25), Status: practice.WaitlistOpen, Telehealth: "any"},
			{ID: "soon-old", Priority: 2, Added: added(5), Status: practice.WaitlistOpen, Telehealth: "any"},
			{ID: "elsewhere", Priority: 1, Added: added(1), Status: practice.WaitlistOpen, Telehealth: "only"},
		}
		var ids []string
		for _, e := range calendar.MatchWaitlist(inPerson, ana, entries, ny) {
			ids = append(ids, e.ID)
		}
		if want := []string{"urgent", "soon-old", "soon-new", "routine-old"}; !slices.Equal(ids, want) {
			t.Errorf("got %v, want %v", ids, want)
		}
	})
}

func TestRankClinicians(t *testing.T) {
	ny := zone(t, "America/New_York")
	clinicians := []practice.Clinician{
		{ID: "ana", Specialties: []string{"Trauma"}, Languages: []string{"English", "Spanish"}, AcceptingNew: true, Active: true},
		{ID: "ben", Specialties: []string{"trauma", "Couples"}, Languages: []string{"English"}, AcceptingNew: true, Active: true},
		{ID: "cara", Specialties: []string{"Trauma"}, Languages: []string{"Spanish"}, AcceptingNew: false, Active: true},
		{ID: "dev", Specialties: []string{"Child"}, Languages: []string{"English"}, AcceptingNew: true, Active: true},
		{ID: "eli", Specialties: []string{"Trauma"}, Languages: []string{"Spanish"}, AcceptingNew: true, Active: false},
		{ID: "fay", Specialties: []string{"Trauma"}, Languages: []string{"English"}, AcceptingNew: true, Active: true},
	}
	firstFree := map[string]time.Time{
		"ana":  at(t, ny, "2026-03-10 09:00"),
		"ben":  at(t, ny, "2026-03-03 10:00"),
		"cara": at(t, ny, "2026-03-02 08:00"),
		"fay":  at(t, ny, "2026-03-04 13:30"),
	}
	got := calendar.RankClinicians(calendar.Need{Specialty: "TRAUMA", Language: "spanish", Telehealth: "any", Zone: ny}, clinicians, firstFree)
	want := []calendar.ClinicianMatch{
		{ClinicianID: "ana", Score: 12, Reasons: []string{"Accepting new patients", "Specializes in Trauma", "Speaks Spanish", "First opening Tue, Mar 10, 9:00 AM"}},
		{ClinicianID: "ben", Score: 11, Reasons: []string{"Accepting new patients", "Specializes in trauma", "Does not speak spanish", "First opening Tue, Mar 3, 10:00 AM"}},
		{ClinicianID: "fay", Score: 11, Reasons: []string{"Accepting new patients", "Specializes in Trauma", "Does not speak spanish", "First opening Wed, Mar 4, 1:30 PM"}},
		{ClinicianID: "dev", Score: 10, Reasons: []string{"Accepting new patients", "Does not list TRAUMA", "Does not speak spanish", "No opening found"}},
		{ClinicianID: "cara", Score: 2, Reasons: []string{"Not accepting new patients", "Specializes in Trauma", "Speaks Spanish", "First opening Mon, Mar 2, 8:00 AM"}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d clinicians, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		w := want[i]
		w.FirstAvailable = firstFree[w.ClinicianID]
		if g := got[i]; g.ClinicianID != w.ClinicianID || g.Score != w.Score || !g.FirstAvailable.Equal(w.FirstAvailable) || !slices.Equal(g.Reasons, w.Reasons) {
			t.Errorf("#%d:\n got  %+v\n want %+v", i, g, w)
		}
	}

	t.Run("no need stated: availability decides among those accepting", func(t *testing.T) {
		var order []string
		for _, m := range calendar.RankClinicians(calendar.Need{Zone: ny}, clinicians, firstFree) {
			order = append(order, m.ClinicianID+":"+strings.Join(m.Reasons, "/"))
		}
		want := []string{
			"ben:Accepting new patients/First opening Tue, Mar 3, 10:00 AM",
			"fay:Accepting new patients/First opening Wed, Mar 4, 1:30 PM",
			"ana:Accepting new patients/First opening Tue, Mar 10, 9:00 AM",
			"dev:Accepting new patients/No opening found",
			"cara:Not accepting new patients/First opening Mon, Mar 2, 8:00 AM",
		}
		if !slices.Equal(order, want) {
			t.Errorf("got  %q\nwant %q", order, want)
		}
	})
}
