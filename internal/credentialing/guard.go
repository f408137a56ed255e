package credentialing

import (
	"time"

	"quietdesk/internal/calendar"
	"quietdesk/internal/practice"
)

// ConflictCredential is the booking conflict kind of the network rule.
const ConflictCredential practice.ConflictKind = "credential"

// asStore is the booking's transaction as credentialing's store: *store.Tx
// satisfies both interfaces.
func asStore(tx calendar.Store) (Store, error) {
	s, ok := tx.(Store)
	if !ok {
		return nil, practice.Errorf(practice.EInternal, "credentialing: the booking's transaction cannot read credentials")
	}
	return s, nil
}

// BookingCheck is the booking guard, registered with the calendar
// (internal/wiring): a session whose clinician is not in network with the
// patient's primary payer on the session's day (in the practice's zone),
// or whose licence or malpractice policy has lapsed by then, gets a
// warning naming why — a hard conflict, needing an override reason, when
// the practice's settings say so. A patient without a policy is self-pay:
// only the licence and malpractice are checked; an EAP is a payer like any
// other. A clinician with no enrollment on record is not tracked, and no
// payer is checked for them.
func BookingCheck(ctx calendar.Store, a practice.Appointment) ([]practice.Conflict, error) {
	tx, err := asStore(ctx)
	if err != nil {
		return nil, err
	}
	r, err := loadRules(tx)
	if err != nil {
		return nil, err
	}
	payerID, err := tx.PrimaryPayer(a.PatientID)
	if err != nil {
		return nil, err
	}
	n, err := loadNetwork(tx, a.ClinicianID)
	if err != nil {
		return nil, err
	}
	if !n.tracked() {
		payerID = ""
	}
	s, err := n.standing(tx, payerID, Today(a.Start, r.zone))
	if err != nil {
		return nil, err
	}
	var out []practice.Conflict
	for _, why := range s.Reasons {
		out = append(out, practice.Conflict{Kind: ConflictCredential, Hard: r.settings.GuardHard, Message: why.Message, Start: a.Start})
	}
	return out, nil
}

// NetworkRule is the network rule as the calendar's waitlist and matching
// consult it (calendar.NetworkRule): on's calendar date in its own
// location. why is "" when nothing is known either way (self-pay, or a
// clinician whose enrollments are not tracked).
func NetworkRule(ctx calendar.Store, clinicianID, payerID string, on time.Time) (bool, string, error) {
	tx, err := asStore(ctx)
	if err != nil {
		return false, "", err
	}
	n, err := loadNetwork(tx, clinicianID)
	if err != nil {
		return false, "", err
	}
	if !n.tracked() {
		payerID = "" // as the booking guard: an untracked clinician's payers are not checked
	}
	y, m, d := on.Date()
	s, err := n.standing(tx, payerID, time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
	switch {
	case err != nil:
		return false, "", err
	case !s.InNetwork:
		return false, s.Reasons[0].Message, nil
	case payerID == "":
		return true, "", nil
	}
	return true, "In network with " + n.payerNames[payerID], nil
}
