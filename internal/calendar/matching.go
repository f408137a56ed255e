package calendar

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"quietdesk/internal/practice"
)

// MatchWaitlist returns the open waitlist entries that would take slot, an
// opening with clinician, best first: by priority (1 urgent first), then
// who has waited longest. An entry fits when every preference it states
// fits: the clinician among its clinicians, its specialty and language
// among the clinician's (ignoring case), the slot's local weekday and
// start time within its days and earliest/latest start, and in person or
// telehealth as it accepts. A slot with no location and no room is
// telehealth. Insurance (PayerID) is matched by the service (facts.offers)
// through the network rule credentialing registers.
func MatchWaitlist(slot Slot, clinician practice.Clinician, entries []practice.WaitlistEntry, zone *time.Location) []practice.WaitlistEntry {
	local := slot.Start.In(zone)
	startMin := local.Hour()*60 + local.Minute()
	telehealth := slot.RoomID == "" && slot.LocationID == ""
	var out []practice.WaitlistEntry
	for _, e := range entries {
		if e.Status == practice.WaitlistOpen &&
			(len(e.ClinicianIDs) == 0 || slices.Contains(e.ClinicianIDs, slot.ClinicianID)) &&
			(e.Specialty == "" || containsFold(clinician.Specialties, e.Specialty)) &&
			(e.Language == "" || containsFold(clinician.Languages, e.Language)) &&
			(len(e.Weekdays) == 0 || slices.Contains(e.Weekdays, int(local.Weekday()))) &&
			withinClock(startMin, e.EarliestTime, e.LatestTime) &&
			telehealthFits(e.Telehealth, telehealth) {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b practice.WaitlistEntry) int {
		return cmp.Or(cmp.Compare(a.Priority, b.Priority), a.Added.Compare(b.Added), strings.Compare(a.ID, b.ID))
	})
	return out
}

// withinClock reports whether a start at minute m of the day is within the
// "HH:MM" bounds; an empty (or unreadable) bound does not limit.
func withinClock(m int, earliest, latest string) bool {
	if e, ok := practice.ClockMinutes(earliest); ok && m < e {
		return false
	}
	if l, ok := practice.ClockMinutes(latest); ok && m > l {
		return false
	}
	return true
}

// telehealthFits says whether a preference ("any", "only", "never")
// accepts a telehealth (or in-person) session.
func telehealthFits(pref string, telehealth bool) bool {
	switch pref {
	case "only":
		return telehealth
	case "never":
		return !telehealth
	}
	return true
}

func containsFold(list []string, s string) bool {
	return findFold(list, s) != ""
}

// findFold returns the item of list equal to s ignoring case and
// surrounding spaces, spelled as in list, or "".
func findFold(list []string, s string) string {
	s = strings.TrimSpace(s)
	for _, item := range list {
		if strings.EqualFold(strings.TrimSpace(item), s) {
			return item
		}
	}
	return ""
}

// Need is what a new patient needs from a clinician.
type Need struct {
	Specialty string `json:"specialty"`
	Language  string `json:"language"`
	// Telehealth ("any", "only", "never") is for the caller's availability
	// search: firstFree must already be the first opening of that kind.
	Telehealth string `json:"telehealth"`
	// PayerID is the patient's payer ("" for self-pay): clinicians in
	// network with it today rank above those who are not.
	PayerID string `json:"payerId"`
	// Zone formats the first opening in Reasons; nil keeps each time's own
	// location. The service sets it; it does not cross to the frontend.
	Zone *time.Location `json:"-"`
	// Clock writes that opening's time of day, as the practice reads times.
	Clock practice.Clock `json:"-"`
	// Network is the network rule's answer by clinician for PayerID; the
	// service fills it when a rule is registered.
	Network map[string]NetworkAnswer `json:"-"`
}

// ClinicianMatch is one clinician's place in a "match a new patient"
// search, with the reasons in plain words.
type ClinicianMatch struct {
	ClinicianID    string    `json:"clinicianId"`
	Score          int       `json:"score"`
	Reasons        []string  `json:"reasons"`
	FirstAvailable time.Time `json:"firstAvailable" ts_type:"string"` // zero: no opening found
}

// Score weights: accepting new patients outranks everything else; being
// in network with the patient's payer outranks specialty and language.
const (
	acceptingScore = 10
	networkScore   = 5
	matchScore     = 1
)

// RankClinicians ranks the active clinicians for a new patient: those
// accepting new patients first, then those in network with the patient's
// payer (need.Network), then by how many of the specialty and language
// asked for they match, then by earliest first opening
// (firstFree, by clinician ID; none found ranks last), then by ID.
func RankClinicians(need Need, clinicians []practice.Clinician, firstFree map[string]time.Time) []ClinicianMatch {
	var out []ClinicianMatch
	for _, c := range clinicians {
		if c.Active {
			out = append(out, rank(need, c, firstFree[c.ID]))
		}
	}
	slices.SortFunc(out, func(a, b ClinicianMatch) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), compareOpenings(a.FirstAvailable, b.FirstAvailable), strings.Compare(a.ClinicianID, b.ClinicianID))
	})
	return out
}

func rank(need Need, c practice.Clinician, first time.Time) ClinicianMatch {
	m := ClinicianMatch{ClinicianID: c.ID, FirstAvailable: first}
	if c.AcceptingNew {
		m.Score += acceptingScore
		m.Reasons = append(m.Reasons, "Accepting new patients")
	} else {
		m.Reasons = append(m.Reasons, "Not accepting new patients")
	}
	if need.Specialty != "" {
		if s := findFold(c.Specialties, need.Specialty); s != "" {
			m.Score += matchScore
			m.Reasons = append(m.Reasons, "Specializes in "+s)
		} else {
			m.Reasons = append(m.Reasons, "Does not list "+strings.TrimSpace(need.Specialty))
		}
	}
	if need.Language != "" {
		if l := findFold(c.Languages, need.Language); l != "" {
			m.Score += matchScore
			m.Reasons = append(m.Reasons, "Speaks "+l)
		} else {
			m.Reasons = append(m.Reasons, "Does not speak "+strings.TrimSpace(need.Language))
		}
	}
	if answer, ok := need.Network[c.ID]; ok {
		if answer.In {
			m.Score += networkScore
		}
		if answer.Why != "" {
			m.Reasons = append(m.Reasons, answer.Why)
		}
	}
	if first.IsZero() {
		m.Reasons = append(m.Reasons, "No opening found")
	} else {
		m.Reasons = append(m.Reasons, "First opening "+need.Clock.DayTime(first, cmp.Or(need.Zone, first.Location())))
	}
	return m
}

// compareOpenings orders first openings earliest first, none found last.
func compareOpenings(a, b time.Time) int {
	if a.IsZero() || b.IsZero() {
		return cmp.Compare(boolInt(a.IsZero()), boolInt(b.IsZero()))
	}
	return a.Compare(b)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
