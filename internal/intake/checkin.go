package intake

import (
	"context"
	"crypto/hmac"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"quietdesk/internal/patients"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Check-in codes. Each of today's appointments whose patient has a packet
// to do has a six-digit code the front desk reads out or prints on the
// reminder slip; a patient types it with their date of birth on the tablet
// and their packet starts, exactly as if the front desk had sent it.
//
// A code is derived, never stored: an HMAC, keyed from the practice key,
// of the appointment, its day and the code's generation. So every office
// machine computes the same code, and a tablet paired with any of them
// can use it. A new code (the front desk's "New code") and each wrong try
// are append-only rows that replicate and add up (store.CheckinStates): the
// fifth wrong try on a code locks it on every machine.

const (
	// CodeDigits is the length of a check-in code: digits only, nothing
	// to mistake on a slip or read out.
	CodeDigits = 6
	// MaxWrongTries locks a code: the fifth try with the right code and a
	// wrong date of birth is the last.
	MaxWrongTries = 5
	// TabletTriesPerMinute bounds the tries one tablet may make, so codes
	// cannot be enumerated (a million codes, a few valid each day).
	TabletTriesPerMinute = 10
)

// annualAfter is how long after a patient's last packet the yearly update
// is due again.
const annualAfter = 365 * 24 * time.Hour

// ErrCheckinRefused is the answer to any code and date of birth that do
// not start a session: it never says which was wrong, nor whose the code
// is, nor that a code exists or is locked.
var ErrCheckinRefused = practice.Errorf(practice.EWrongPassword,
	"The code and date of birth do not match a check-in for today. Please check both, or ask at the front desk.")

// CheckinCode is one of today's appointments with a packet to do, as the
// front desk sees it.
type CheckinCode struct {
	AppointmentID string    `json:"appointmentId"`
	PatientID     string    `json:"patientId"`
	PatientName   string    `json:"patientName"`
	Start         time.Time `json:"start" ts_type:"string"`
	PacketID      string    `json:"packetId"` // "" for the new-patient packet by date of birth
	// Code is "" while locked: the locked code no longer works.
	Code   string `json:"code"`
	Locked bool   `json:"locked"`
}

// due is an appointment of today with a packet to do, and its code.
type due struct {
	appt     practice.Appointment
	day      string // YYYY-MM-DD in the practice's time zone
	packetID string
	state    store.CheckinState
	code     string
}

func (d due) locked() bool { return d.state.Wrong >= MaxWrongTries }

// dueToday lists today's appointments (practice time zone) that are not
// cancelled, missed or over and whose patient has a packet to do: a
// patient who never submitted one gets the new-patient packet, one whose
// last packet is a year old the yearly update.
func dueToday(tx Store) ([]due, error) {
	settings, err := tx.Settings()
	if err != nil {
		return nil, err
	}
	zone := settings.Zone() // the calendar's today
	now := tx.Now().In(zone)
	start := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, zone)
	appts, err := tx.AppointmentsBetween(start, start.AddDate(0, 0, 1), store.AppointmentFilter{})
	if err != nil {
		return nil, err
	}
	appts = slices.DeleteFunc(appts, func(a practice.Appointment) bool {
		return a.Status != practice.Scheduled && a.Status != practice.Confirmed && a.Status != practice.CheckedIn
	})
	var patientIDs, ids []string
	for _, a := range appts {
		patientIDs, ids = append(patientIDs, a.PatientID), append(ids, a.ID)
	}
	last, err := tx.LastSubmitted(patientIDs)
	if err != nil {
		return nil, err
	}
	states, err := tx.CheckinStates(ids)
	if err != nil {
		return nil, err
	}
	day := start.Format(time.DateOnly)
	var out []due
	for _, a := range appts {
		d := due{appt: a, day: day, state: states[a.ID]}
		if at, ok := last[a.PatientID]; ok {
			if !yearlyDue(at, tx.Now()) {
				continue // nothing to do
			}
			d.packetID = "annual"
		}
		if d.code, err = codeOf(tx, a.ID, d.day, d.state.Generation); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// yearlyDue reports whether a patient whose last packet came at last owes
// the yearly update at now.
func yearlyDue(last, now time.Time) bool { return now.Sub(last) >= annualAfter }

// PacketToDo reports whether patientID has a packet to do at now, as
// today's check-in codes count it: none ever submitted, or the last a
// year old. The reminder for an office session asks such a patient to
// come early.
func PacketToDo(tx Store, patientID string, now time.Time) (bool, error) {
	last, err := tx.LastSubmitted([]string{patientID})
	if err != nil {
		return false, err
	}
	at, ok := last[patientID]
	return !ok || yearlyDue(at, now), nil
}

// ReminderCode is the check-in code appointment a will have on its day,
// for the reminder that asks its patient to come early for their forms:
// the code the front desk will see in today's list that day, as long as
// no new one is issued before (the reminder queue then rewrites the queued
// reminder). "" for a locked code.
func ReminderCode(tx Store, a practice.Appointment) (string, error) {
	settings, err := tx.Settings()
	if err != nil {
		return "", err
	}
	states, err := tx.CheckinStates([]string{a.ID})
	if err != nil {
		return "", err
	}
	d := due{appt: a, day: a.Start.In(settings.Zone()).Format(time.DateOnly), state: states[a.ID]}
	if d.locked() {
		return "", nil
	}
	return codeOf(tx, a.ID, d.day, d.state.Generation)
}

// codeOf derives the code of an appointment on day at a generation.
func codeOf(tx Store, appointmentID, day string, generation int) (string, error) {
	mac, err := tx.CheckinMAC("quietdesk/checkin/v1|" + appointmentID + "|" + day + "|" + strconv.Itoa(generation))
	if err != nil {
		return "", err
	}
	// 2^64 is so much larger than 10^6 that the remainder is uniform
	// for any practical purpose.
	return fmt.Sprintf("%0*d", CodeDigits, binary.BigEndian.Uint64(mac[:8])%1_000_000), nil
}

// Codes lists today's check-in codes for the patients by may open, by
// appointment time, and audits the patients it names.
func Codes(tx Store, by practice.Actor) ([]CheckinCode, error) {
	list, err := dueToday(tx)
	if err != nil {
		return nil, err
	}
	access, err := patients.AccessFor(tx, by)
	if err != nil {
		return nil, err
	}
	out := []CheckinCode{}
	var ids []string
	for _, d := range list {
		if !access.MayOpen(d.appt.PatientID) {
			continue
		}
		c, err := codeView(tx, d)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
		ids = append(ids, d.appt.PatientID)
	}
	slices.Sort(ids)
	return out, tx.Audit(by.AccountID, "intake.checkin.codes", "patients", strings.Join(slices.Compact(ids), " "))
}

func codeView(tx Store, d due) (CheckinCode, error) {
	pt, err := tx.Patient(d.appt.PatientID)
	if err != nil {
		return CheckinCode{}, err
	}
	c := CheckinCode{AppointmentID: d.appt.ID, PatientID: pt.ID, PatientName: pt.Identity.FirstName + " " + pt.Identity.LastName,
		Start: d.appt.Start, PacketID: d.packetID, Locked: d.locked()}
	if !c.Locked {
		c.Code = d.code
	}
	return c, nil
}

// NewCode issues a new code for one of today's appointments: the old one
// stops working and the new one starts with no wrong tries (how the front
// desk unlocks a locked code). Errors: ENotFound (not today, cancelled, or
// nothing to do), EForbidden.
func NewCode(tx Store, by practice.Actor, appointmentID string) (CheckinCode, error) {
	list, err := dueToday(tx)
	if err != nil {
		return CheckinCode{}, err
	}
	i := slices.IndexFunc(list, func(d due) bool { return d.appt.ID == appointmentID })
	if i < 0 {
		return CheckinCode{}, practice.Errorf(practice.ENotFound, "This appointment has no check-in code today.")
	}
	d := list[i]
	if err := mayOpen(tx, by, d.appt.PatientID); err != nil {
		return CheckinCode{}, err
	}
	if err := tx.AddCheckinEvent(d.appt.ID, store.CheckinReissue, d.state.Generation, by.AccountID); err != nil {
		return CheckinCode{}, err
	}
	d.state = store.CheckinState{Generation: d.state.Generation + 1}
	if d.code, err = codeOf(tx, d.appt.ID, d.day, d.state.Generation); err != nil {
		return CheckinCode{}, err
	}
	if err := tx.Audit(by.AccountID, "intake.checkin.newcode", "appointments", d.appt.ID); err != nil {
		return CheckinCode{}, err
	}
	return codeView(tx, d)
}

// checkIn starts the visit of the appointment whose code and date of
// birth were given on tablet tabletID. ok is false for a refusal: the
// caller commits the wrong tries recorded here and answers
// ErrCheckinRefused. A wrong date of birth counts against the code (the
// fifth locks it, on every machine once replicated); a locked code is
// refused even with the right one. Every try is audited, never the date.
func checkIn(tx Store, tabletID, code, dob string) (v Visit, ok bool, err error) {
	list, err := dueToday(tx)
	if err != nil {
		return Visit{}, false, err
	}
	// Two of today's appointments may share a code (one in a million per
	// pair); the date of birth tells them apart.
	var matched []due
	for _, d := range list {
		if hmac.Equal([]byte(d.code), []byte(code)) {
			matched = append(matched, d)
		}
	}
	if len(matched) == 0 {
		return Visit{}, false, tx.Audit("", "intake.checkin.refused", "tablets", tabletID)
	}
	for _, d := range matched {
		if d.locked() {
			continue
		}
		pt, err := tx.Patient(d.appt.PatientID)
		if err != nil {
			return Visit{}, false, err
		}
		if hmac.Equal([]byte(pt.Identity.DOB), []byte(dob)) {
			v, err := visitFor(tx, pt, d.appt.ID, d.packetID)
			if err != nil {
				return Visit{}, false, err
			}
			return v, true, tx.Audit("", "intake.checkin", "appointments", d.appt.ID)
		}
	}
	for _, d := range matched {
		if d.locked() {
			if err := tx.Audit("", "intake.checkin.refused", "appointments", d.appt.ID); err != nil {
				return Visit{}, false, err
			}
			continue
		}
		if err := tx.AddCheckinEvent(d.appt.ID, store.CheckinWrong, d.state.Generation, tabletID); err != nil {
			return Visit{}, false, err
		}
		if err := tx.Audit("", "intake.checkin.wrong", "appointments", d.appt.ID); err != nil {
			return Visit{}, false, err
		}
		if d.state.Wrong+1 == MaxWrongTries {
			if err := tx.Audit("", "intake.checkin.locked", "appointments", d.appt.ID); err != nil {
				return Visit{}, false, err
			}
		}
	}
	return Visit{}, false, nil
}

// parseCheckin checks the shape of what the patient typed, before it
// counts as a try: a code of six digits (spaces and dashes, as a slip may
// print it, are ignored) and a real date of birth, not in the future.
// Errors: EInvalid with "code" and "dob".
func parseCheckin(code, dob string, today time.Time) (string, string, error) {
	p := practice.Problems{}
	code = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(code))
	switch {
	case code == "":
		p.Add("code", "Enter the check-in code from your appointment reminder.")
	case strings.IndexFunc(code, func(r rune) bool { return r < '0' || r > '9' }) >= 0:
		p.Add("code", "A check-in code has only digits.")
	case len(code) != CodeDigits:
		p.Add("code", "A check-in code has "+strconv.Itoa(CodeDigits)+" digits.")
	}
	dob = strings.TrimSpace(dob)
	if dob == "" {
		p.Add("dob", "Enter your date of birth.")
	} else if d, err := time.Parse(time.DateOnly, dob); err != nil {
		p.Add("dob", practice.DateProblem(dob, "e.g. 1984-03-27"))
	} else if d.After(today) {
		p.Add("dob", "A date of birth cannot be in the future.")
	}
	return code, dob, p.Err()
}

// CheckIn starts a patient's session from a check-in code and date of
// birth typed on tablet tabletID (or on this computer handed to the
// patient, under its own device id): the visit, as "Send to tablet" would
// give it, only when both match one of today's appointments with a packet
// to do. Needs the practice key.
//
// Errors: EInvalid (the code or date is not shaped like one: "code",
// "dob"), EWrongPassword (ErrCheckinRefused; or too many tries from this
// tablet in the last minute), EUnavailable (nobody is logged in here).
func (d *Desk) CheckIn(ctx context.Context, tabletID, code, dob string) (Visit, error) {
	if !d.db.Unlocked() {
		return Visit{}, practice.Errorf(practice.EUnavailable, "Check-in codes work once someone has logged in at the office computer. Please ask at the front desk.")
	}
	var v Visit
	var ok bool
	err := d.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if code, dob, err = parseCheckin(code, dob, tx.Now()); err != nil {
			return err
		}
		if !d.allowTry(tabletID, tx.Now()) {
			return practice.Errorf(practice.EWrongPassword, "Too many tries on this tablet. Please wait a minute, or ask at the front desk.")
		}
		v, ok, err = checkIn(tx, tabletID, code, dob)
		return err
	})
	if err != nil {
		return Visit{}, err
	}
	if !ok {
		return Visit{}, ErrCheckinRefused
	}
	return v, nil
}

// StartByCode is CheckIn for a tablet's link: the visit as the JSON a
// poll carries (sync.TabletDesk).
func (d *Desk) StartByCode(ctx context.Context, tabletID, code, dob string) ([]byte, error) {
	v, err := d.CheckIn(ctx, tabletID, code, dob)
	if err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// StaffExit lets staff out of tablet tabletID's full-screen window when
// the login typed there is a staff member's, of any role: the front desk
// hands tablets out and takes them back. It checks the login without
// loading the practice key. A tablet's tries count with its check-in
// tries (TabletTriesPerMinute), and after each wrong login the next waits
// practice.LoginDelay, as the lock screen's do: every guess goes through
// the one tablet, so the tablet is what is slowed. Failed logins are
// audited by the store; the exit is audited while the key is here (a
// tablet is served while nobody is logged in, too). Errors:
// EWrongPassword, EForbidden (a disabled account).
func (d *Desk) StaffExit(ctx context.Context, tabletID, username, password string) error {
	if !d.allowTry(tabletID, time.Now()) {
		return practice.Errorf(practice.EWrongPassword, "Too many tries on this tablet. Please wait a minute.")
	}
	d.mu.Lock()
	wait := practice.LoginDelay(d.wrong[tabletID])
	d.mu.Unlock()
	select {
	case <-time.After(wait):
	case <-ctx.Done():
		return ctx.Err()
	}
	accountID, err := d.db.CheckLogin(ctx, username, password)
	d.mu.Lock()
	if d.wrong == nil {
		d.wrong = map[string]int{}
	}
	if practice.ErrorCode(err) == practice.EWrongPassword {
		d.wrong[tabletID]++
	} else if err == nil {
		delete(d.wrong, tabletID)
	}
	d.mu.Unlock()
	if err != nil || !d.db.Unlocked() {
		return err
	}
	return d.db.Update(ctx, func(tx *store.Tx) error {
		return tx.Audit(accountID, "intake.tablet-exit", "tablets", tabletID)
	})
}

// allowTry counts a try by tabletID at now and reports whether it is
// within TabletTriesPerMinute. The count is this machine's memory: a
// tablet talks to the one office computer it paired with.
func (d *Desk) allowTry(tabletID string, now time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.tries == nil {
		d.tries = map[string][]time.Time{}
	}
	recent := slices.DeleteFunc(d.tries[tabletID], func(at time.Time) bool { return !at.After(now.Add(-time.Minute)) })
	if len(recent) >= TabletTriesPerMinute {
		d.tries[tabletID] = recent
		return false
	}
	d.tries[tabletID] = append(recent, now)
	return true
}
