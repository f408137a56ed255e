package authorizations

import (
	"cmp"
	"slices"
	"time"

	"quietdesk/internal/practice"
)

// The usage rules: which authorization each of a patient's sessions uses,
// and what that leaves. Usage is derived from the calendar every time it is
// asked for and never stored, so two machines holding the same
// appointments always agree on it: there is no counter to disagree about.

// Facts are what one patient's usage is derived from.
type Facts struct {
	Zone     *time.Location                     // the practice's wall clock: authorizations run in local dates
	Auths    []practice.Authorization           // the patient's authorizations
	Rules    map[string]practice.PayerAuthRules // saved payer rules by payer id (missing: the defaults)
	Codes    map[string]string                  // service code by appointment type id
	Sessions []practice.Appointment             // the patient's appointments, every status
	Choices  map[string]string                  // appointment id → the authorization a person chose
	// Later counts the sessions after every authorization has ended, when
	// they are read as counts rather than one by one (Sessions then stops
	// where the last window ends). Each is outside every window, so all it
	// can add is "booked after the end" and who sees the patient.
	Later []Later
}

// Later is a count of a patient's sessions after every authorization's end
// that share a type, clinician and status; Ahead when from today on.
type Later struct {
	TypeID, ClinicianID string
	Status              practice.Status
	Ahead               bool
	Count               int
}

// Use is how one session bears on an authorization.
type Use string

const (
	UseScheduled  Use = "scheduled"   // booked, not yet happened (scheduled or confirmed)
	UseKept       Use = "kept"        // checked in or completed
	UseLateCancel Use = "late_cancel" // a late cancellation by the patient that counts
	UseNoShow     Use = "no_show"     // a no-show that counts
	UseNone       Use = "none"        // cancelled, or missed where missed sessions do not count
)

// SessionUse is one session as an authorization's usage sees it.
type SessionUse struct {
	AppointmentID string          `json:"appointmentId"`
	Start         time.Time       `json:"start" ts_type:"string"`
	TypeID        string          `json:"typeId"`
	ServiceCode   string          `json:"serviceCode"`
	Status        practice.Status `json:"status"`
	Use           Use             `json:"use"`
	Units         int             `json:"units"` // in the authorization's unit; 0 when it does not count
	// Number is the session's place in the authorization's count (1 for
	// the first counted), 0 when it does not count.
	Number int `json:"number"`
	// Outside: the count had run out before this session.
	Outside bool `json:"outside"`
	// Ambiguous: another authorization applies too and no one chose.
	Ambiguous bool `json:"ambiguous"`
}

// Usage is an authorization's derived usage, in its unit (sessions or
// 15-minute units).
type Usage struct {
	AuthorizationID string `json:"authorizationId"`
	Authorized      int    `json:"authorized"`
	Scheduled       int    `json:"scheduled"`
	Kept            int    `json:"kept"`
	LateCancels     int    `json:"lateCancels"` // counted ones only
	NoShows         int    `json:"noShows"`     // counted ones only
	Used            int    `json:"used"`        // Kept + LateCancels + NoShows
	// Remaining is Authorized − Used, less Scheduled when the payer counts
	// upcoming sessions; negative when over.
	Remaining int `json:"remaining"`
	// Over is how far Used + Scheduled passes Authorized (0 when within).
	Over int `json:"over"`
	// BookedAfterEnd counts open sessions after the end date that no other
	// authorization covers: they need a renewal.
	BookedAfterEnd int          `json:"bookedAfterEnd"`
	Sessions       []SessionUse `json:"sessions"`
}

// Rules returns the payer rules that apply to auth, its own override of
// "missed sessions count" applied.
func (f *Facts) RulesFor(auth practice.Authorization) practice.PayerAuthRules {
	r, ok := f.Rules[auth.PayerID]
	if !ok {
		r = practice.DefaultPayerAuthRules(auth.PayerID)
	}
	switch auth.CountMissed {
	case practice.CountMissedYes:
		r.CountMissed = true
	case practice.CountMissedNo:
		r.CountMissed = false
	}
	return r
}

// Day is the local date of an instant, as authorizations' dates are kept.
func (f *Facts) Day(t time.Time) string { return t.In(f.Zone).Format(time.DateOnly) }

// Applying lists the authorizations that apply to a session of the patient
// (authorized, its date in their window, its service code covered), and
// picks the one it uses: a person's choice when it is among them, else the
// one ending first (using up what would lapse first), then the earlier
// start, then the id. ambiguous reports two or more applying with no one
// having chosen. "" when none applies.
func (f *Facts) Applying(a practice.Appointment) (chosen string, candidates []string, ambiguous bool) {
	list := f.applying(nil, f.Day(a.Start), f.Codes[a.TypeID])
	for _, i := range list {
		candidates = append(candidates, f.Auths[i].ID)
	}
	chosen, ambiguous = f.choose(a, list)
	return chosen, candidates, ambiguous
}

// applying appends to buf the indexes in f.Auths of the authorizations
// that apply on day to a session of code, in the order Applying prefers
// them. Derive calls it once per session with one buffer, which keeps the
// practice-wide usage free of allocations per session.
func (f *Facts) applying(buf []int, day, code string) []int {
	for i, x := range f.Auths {
		if x.Status == practice.AuthAuthorized && x.Covers(day) && x.CoversCode(code) {
			buf = append(buf, i)
		}
	}
	if len(buf) > 1 {
		slices.SortFunc(buf, func(i, j int) int {
			x, y := f.Auths[i], f.Auths[j]
			return cmp.Or(cmp.Compare(x.End, y.End), cmp.Compare(x.Start, y.Start), cmp.Compare(x.ID, y.ID))
		})
	}
	return buf
}

// choose picks the authorization a session uses among those applying (as
// applying orders them): a person's choice when it is among them, else the
// first; ambiguous when several apply and no one chose.
func (f *Facts) choose(a practice.Appointment, list []int) (chosen string, ambiguous bool) {
	if len(list) == 0 {
		return "", false
	}
	if pick := f.Choices[a.ID]; a.ID != "" && pick != "" {
		for _, i := range list {
			if f.Auths[i].ID == pick {
				return pick, false
			}
		}
	}
	return f.Auths[list[0]].ID, len(list) > 1
}

// Lapsed is the authorization that would have covered a session had it not
// ended before it: authorized, the code covered, the latest to end before
// the session's date. "" when none.
func (f *Facts) Lapsed(a practice.Appointment) string {
	return f.lapsed(f.Day(a.Start), f.Codes[a.TypeID])
}

func (f *Facts) lapsed(day, code string) string {
	best := practice.Authorization{}
	for _, x := range f.Auths {
		if x.Status == practice.AuthAuthorized && x.End < day && x.CoversCode(code) && x.End > best.End {
			best = x
		}
	}
	return best.ID
}

// UseOf is how a session bears on an authorization under rules r.
func UseOf(a practice.Appointment, r practice.PayerAuthRules) Use {
	switch a.Status {
	case practice.Scheduled, practice.Confirmed:
		return UseScheduled
	case practice.CheckedIn, practice.Completed:
		return UseKept
	case practice.NoShow:
		if r.CountMissed {
			return UseNoShow
		}
	case practice.Cancelled:
		if a.LateCancel && a.CancelledBy == practice.ByPatient && r.CountMissed {
			return UseLateCancel
		}
	}
	return UseNone
}

// Units is what a session counts in unit: one session, or its 15-minute
// units by the 8-minute rule (a session kept counts its actual length
// when both ends were recorded, any other its booked length), at least 1.
func Units(a practice.Appointment, unit practice.AuthUnit) int {
	if unit != practice.Unit15Min {
		return 1
	}
	length := a.End.Sub(a.Start)
	if !a.ActualStart.IsZero() && a.ActualEnd.After(a.ActualStart) {
		length = a.ActualEnd.Sub(a.ActualStart)
	}
	return max(1, (int(length/time.Minute)+7)/15)
}

// Derive computes the usage of every authorization of the patient, by
// authorization id. Sessions are counted in order of their start, so the
// "outside" ones are the last booked.
func Derive(f *Facts) map[string]*Usage {
	out := make(map[string]*Usage, len(f.Auths))
	byID := make(map[string]practice.Authorization, len(f.Auths))
	for _, x := range f.Auths {
		out[x.ID] = &Usage{AuthorizationID: x.ID, Authorized: x.Authorized, Sessions: []SessionUse{}}
		byID[x.ID] = x
	}
	byStart := func(x, y practice.Appointment) int {
		return cmp.Or(x.Start.Compare(y.Start), cmp.Compare(x.ID, y.ID))
	}
	sessions := f.Sessions // the stores read them in this order already
	if !slices.IsSortedFunc(sessions, byStart) {
		sessions = slices.Clone(sessions)
		slices.SortStableFunc(sessions, byStart)
	}
	counted := map[string]int{}
	var buf []int
	for _, s := range sessions {
		day, code := f.Day(s.Start), f.Codes[s.TypeID]
		buf = f.applying(buf[:0], day, code)
		id, ambiguous := f.choose(s, buf)
		if id == "" {
			if bookedAhead(s.Status) {
				if lapsed := f.lapsed(day, code); lapsed != "" {
					out[lapsed].BookedAfterEnd++
				}
			}
			continue
		}
		auth, u := byID[id], out[id]
		r := f.RulesFor(auth)
		use := UseOf(s, r)
		su := SessionUse{AppointmentID: s.ID, Start: s.Start, TypeID: s.TypeID, ServiceCode: f.Codes[s.TypeID],
			Status: s.Status, Use: use, Ambiguous: ambiguous}
		if use != UseNone {
			su.Units = Units(s, auth.Unit)
			counted[id] += su.Units
			su.Number = counted[id]
			su.Outside = counted[id] > auth.Authorized
			switch use {
			case UseScheduled:
				u.Scheduled += su.Units
			case UseKept:
				u.Kept += su.Units
			case UseLateCancel:
				u.LateCancels += su.Units
			case UseNoShow:
				u.NoShows += su.Units
			}
		}
		u.Sessions = append(u.Sessions, su)
	}
	for _, l := range f.Later {
		if !bookedAhead(l.Status) {
			continue
		}
		// Past every end: the latest to end of those covering its code.
		if lapsed := f.Lapsed(practice.Appointment{TypeID: l.TypeID, Start: far}); lapsed != "" {
			out[lapsed].BookedAfterEnd += l.Count
		}
	}
	for id, u := range out {
		u.Used = u.Kept + u.LateCancels + u.NoShows
		u.Remaining = u.Authorized - u.Used
		if f.RulesFor(byID[id]).CountUpcoming {
			u.Remaining -= u.Scheduled
		}
		u.Over = max(0, u.Used+u.Scheduled-u.Authorized)
	}
	return out
}

// bookedAhead is a status still to happen: what needs a renewal when it
// falls after an authorization's end.
func bookedAhead(s practice.Status) bool { return s == practice.Scheduled || s == practice.Confirmed }
