// Package alerts gathers, from every area, what needs someone's action:
// an authorization nearly used up, a licence about to expire, a follow-up
// that slipped. Alerts are derived, never stored: each area's Source
// computes them from its own rows at the moment they are asked for, so
// two machines that hold the same data show the same alerts and there is
// no alert table to merge or to fall out of date.
//
// Each alert names who must act (a role, an account or a clinician), so
// the window shows a person only what is theirs, and automated e-mail can
// address the same people; its Key is stable for one fact in one band, so
// e-mail sends each alert once.
package alerts

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Severity orders alerts: what already costs the practice money first.
type Severity int

const (
	Notice  Severity = iota // coming up: plan for it
	Warning                 // act this week
	Urgent                  // expired, exhausted or overdue: act today
)

// Recipient names one who must act. Exactly one field is set.
type Recipient struct {
	Role        practice.Role `json:"role,omitempty"`        // everyone in this role
	AccountID   string        `json:"accountId,omitempty"`   // this staff account (an assignee)
	ClinicianID string        `json:"clinicianId,omitempty"` // the account of this clinician
}

// Alert is one thing that needs action.
type Alert struct {
	// Key identifies the fact and its band ("auth/<id>/remaining-2"): the
	// same key on two machines, or on two days, is the same alert.
	Key      string   `json:"key"`
	Area     string   `json:"area"` // the area that raised it, e.g. "authorizations"
	Severity Severity `json:"severity"`
	// Kind says what happened in words that name nobody ("An
	// authorization is nearly used up"): the subject line of an e-mail.
	Kind string `json:"kind"`
	// Title is the whole line as the window shows it, names included; it
	// is never written to logs or e-mail.
	Title string `json:"title"`
	// Due is when action is needed by; the zero time means now.
	Due time.Time `json:"due" ts_type:"string"`
	// Table and ID are the record to open.
	Table string `json:"table"`
	ID    string `json:"id"`
	// PatientID is the patient the alert names, if any: showing it is an
	// access to that patient's record, and is audited as one.
	PatientID string      `json:"patientId"`
	To        []Recipient `json:"to"`
}

// Who is the person asking for their alerts.
type Who struct {
	Role        practice.Role
	AccountID   string
	ClinicianID string // "" when the account is not a clinician
}

// Reaches reports whether a is addressed to w.
func (a Alert) Reaches(w Who) bool {
	for _, r := range a.To {
		switch {
		case r.Role != "" && r.Role == w.Role,
			r.AccountID != "" && r.AccountID == w.AccountID,
			r.ClinicianID != "" && r.ClinicianID == w.ClinicianID:
			return true
		}
	}
	return false
}

// Source computes one area's alerts as of now, reading through tx (the
// key is loaded: titles may come from sealed fields).
type Source func(ctx context.Context, tx *store.Tx, now time.Time) ([]Alert, error)

// Registry is every area's source; internal/wiring fills it.
type Registry struct{ sources []Source }

// Add registers an area's source.
func (r *Registry) Add(s Source) { r.sources = append(r.sources, s) }

// All returns every alert of the practice, most severe first, then the
// soonest due, then by key so the order is the same on every machine.
func (r *Registry) All(ctx context.Context, tx *store.Tx, now time.Time) ([]Alert, error) {
	var out []Alert
	for _, s := range r.sources {
		list, err := s(ctx, tx, now)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	slices.SortFunc(out, func(a, b Alert) int {
		return cmp.Or(cmp.Compare(b.Severity, a.Severity), a.Due.Compare(b.Due), cmp.Compare(a.Key, b.Key))
	})
	return out, nil
}

// For returns the alerts addressed to w, in the order of All.
func (r *Registry) For(ctx context.Context, tx *store.Tx, now time.Time, w Who) ([]Alert, error) {
	all, err := r.All(ctx, tx, now)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(a Alert) bool { return !a.Reaches(w) }), nil
}

// Show returns the alerts addressed to w and audits the showing (the
// titles name patients): one entry listing the patients shown.
func (r *Registry) Show(ctx context.Context, tx *store.Tx, now time.Time, w Who) ([]Alert, error) {
	list, err := r.For(ctx, tx, now, w)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, a := range list {
		if a.PatientID != "" {
			ids = append(ids, a.PatientID)
		}
	}
	slices.Sort(ids)
	return list, tx.Audit(w.AccountID, "alerts.view", "patients", strings.Join(slices.Compact(ids), " "))
}
