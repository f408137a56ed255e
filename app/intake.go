package app

import (
	"bytes"
	"time"

	"quietdesk/internal/intake"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Intake is the facade for intake paperwork: the forms and packets, a
// packet submitted on this computer ("hand to patient"), and staff review
// of what arrived.
type Intake struct{ c *Core }

// NewIntake binds the intake facade to core.
func NewIntake(c *Core) *Intake { return &Intake{c: c} }

// IntakeForms is every current form and packet.
type IntakeForms struct {
	Forms   []practice.Form   `json:"forms"`
	Packets []practice.Packet `json:"packets"`
	// Hashes: form id → language → the hash a submission must carry.
	Hashes map[string]map[practice.Language]string `json:"hashes"`
}

// Forms returns the current forms and packets.
func (x *Intake) Forms() (IntakeForms, error) {
	const m = "Intake.Forms"
	if _, err := x.c.begin(m); err != nil {
		return IntakeForms{}, x.c.fail(m, err)
	}
	var out IntakeForms
	err := x.c.view(func(tx *store.Tx) (err error) {
		out.Forms, err = intake.CurrentForms(tx)
		return err
	})
	if err != nil {
		return IntakeForms{}, x.c.fail(m, err)
	}
	out.Packets = intake.Packets()
	out.Hashes = map[string]map[practice.Language]string{}
	for _, f := range out.Forms {
		out.Hashes[f.ID] = map[practice.Language]string{}
		for _, lang := range practice.Languages {
			out.Hashes[f.ID][lang] = intake.TextHash(f, lang)
		}
	}
	return out, nil
}

// FormEditions lists every form's current version for the owner to edit.
func (x *Intake) FormEditions() ([]intake.Edition, error) {
	const m = "Intake.FormEditions"
	if _, err := x.c.begin(m); err != nil {
		return nil, x.c.fail(m, err)
	}
	var out []intake.Edition
	err := x.c.view(func(tx *store.Tx) (err error) {
		out, err = intake.Editions(tx)
		return err
	})
	return out, x.c.fail(m, err)
}

// EditForm saves the owner's edit of a form as its next version.
func (x *Intake) EditForm(e practice.FormEdit) (practice.Form, error) {
	const m = "Intake.EditForm"
	sess, err := x.c.begin(m)
	if err != nil {
		return practice.Form{}, x.c.fail(m, err)
	}
	var out practice.Form
	err = x.c.update(func(tx *store.Tx) (err error) {
		out, err = intake.EditForm(tx, sess.actor(), e)
		return err
	})
	return out, x.c.fail(m, err)
}

// SubmitResult says what became of a submission. It carries no score: the
// patient is never shown one.
type SubmitResult struct {
	ID string `json:"id"`
	// New is false when the same submission had already arrived.
	New bool `json:"new"`
	// SomeoneWillCome: the answers need a person now; the patient is told
	// calmly that someone will be with them.
	SomeoneWillCome bool `json:"someoneWillCome"`
}

// Submit keeps a packet a patient filled in on this computer.
func (x *Intake) Submit(s practice.Submission) (SubmitResult, error) {
	const m = "Intake.Submit"
	sess, err := x.c.begin(m)
	if err != nil {
		return SubmitResult{}, x.c.fail(m, err)
	}
	var created bool
	err = x.c.update(func(tx *store.Tx) (err error) {
		s, created, err = intake.Submit(tx, sess.actor(), s, x.c.calendar)
		return err
	})
	if err != nil {
		return SubmitResult{}, x.c.fail(m, err)
	}
	return SubmitResult{ID: s.ID, New: created, SomeoneWillCome: s.Flagged()}, nil
}

// List returns the submissions of the last days days, newest first:
// status and who, never answers.
func (x *Intake) List(days int) ([]intake.Summary, error) {
	const m = "Intake.List"
	sess, err := x.c.begin(m)
	if err != nil {
		return nil, x.c.fail(m, err)
	}
	if days < 1 || days > 3660 {
		return nil, x.c.fail(m, practice.FieldProblem("days", "Choose between 1 and 3660 days."))
	}
	var out []intake.Summary
	err = x.c.update(func(tx *store.Tx) (err error) {
		out, err = intake.List(tx, sess.actor(), x.c.now().Add(-time.Duration(days)*24*time.Hour))
		return err
	})
	return out, x.c.fail(m, err)
}

// Submission opens one submission with its answers and scores, and the
// answers in words beside the questions the patient was shown.
func (x *Intake) Submission(id string) (intake.Opened, error) {
	const m = "Intake.Submission"
	sess, err := x.c.begin(m)
	if err != nil {
		return intake.Opened{}, x.c.fail(m, err)
	}
	var out intake.Opened
	err = x.c.update(func(tx *store.Tx) (err error) {
		out, err = intake.Get(tx, sess.actor(), id)
		return err
	})
	return out, x.c.fail(m, err)
}

// Acknowledge records that the logged-in clinician or owner took on a
// submission's safety flag.
func (x *Intake) Acknowledge(id string) (practice.Submission, error) {
	const m = "Intake.Acknowledge"
	sess, err := x.c.begin(m)
	if err != nil {
		return practice.Submission{}, x.c.fail(m, err)
	}
	var out practice.Submission
	err = x.c.update(func(tx *store.Tx) (err error) {
		out, err = intake.Acknowledge(tx, sess.actor(), id)
		return err
	})
	return out, x.c.fail(m, err)
}

// Changes lists what a submission would change in the patient's record,
// beside what is on file, with the decisions taken so far.
func (x *Intake) Changes(id string) (intake.Review, error) {
	const m = "Intake.Changes"
	sess, err := x.c.begin(m)
	if err != nil {
		return intake.Review{}, x.c.fail(m, err)
	}
	var out intake.Review
	err = x.c.update(func(tx *store.Tx) (err error) {
		out, err = intake.Changes(tx, sess.actor(), id)
		return err
	})
	return out, x.c.fail(m, err)
}

// Decide accepts or declines (field → "accepted" / "declined") a
// submission's proposed changes; accepted ones are saved to the patient's
// record in the same transaction. With nothing left to decide, an empty
// map finishes the review.
func (x *Intake) Decide(id string, decisions map[string]string) (intake.Review, error) {
	const m = "Intake.Decide"
	sess, err := x.c.begin(m)
	if err != nil {
		return intake.Review{}, x.c.fail(m, err)
	}
	var patientID string
	if err := x.c.view(func(tx *store.Tx) (err error) { patientID, err = intake.PatientOf(tx, id); return err }); err != nil {
		return intake.Review{}, x.c.fail(m, err)
	}
	var out intake.Review
	_, err = x.c.patients.Amend(x.c.ctx(), sess.actor(), patientID, "patient.update", func(tx *store.Tx, p *practice.Patient) (err error) {
		out, err = intake.Decide(tx, sess.actor(), id, decisions, p)
		return err
	})
	return out, x.c.fail(m, err)
}

// Trend returns a patient's questionnaire scores over time.
func (x *Intake) Trend(patientID string) ([]intake.ScorePoint, error) {
	const m = "Intake.Trend"
	sess, err := x.c.begin(m)
	if err != nil {
		return nil, x.c.fail(m, err)
	}
	var out []intake.ScorePoint
	err = x.c.update(func(tx *store.Tx) (err error) {
		out, err = intake.Trend(tx, sess.actor(), patientID)
		return err
	})
	return out, x.c.fail(m, err)
}

// VisitRequest names a patient's packet to fill in: for an appointment
// (AppointmentID, may be "") and a packet ("" for the new-patient packet
// by date of birth).
type VisitRequest struct {
	PatientID     string `json:"patientId"`
	AppointmentID string `json:"appointmentId"`
	PacketID      string `json:"packetId"`
}

// SendToTablet sends a patient's packet to the check-in tablets paired
// with this computer: the first to ask shows it.
func (x *Intake) SendToTablet(r VisitRequest) error {
	const m = "Intake.SendToTablet"
	v, err := x.prepare(m, r)
	if err != nil {
		return err
	}
	return x.c.fail(m, x.c.desk.Send("", v))
}

// HandToPatient gets a patient's packet ready to be filled in on this
// computer, which the window then locks into tablet mode until a staff
// password is given.
func (x *Intake) HandToPatient(r VisitRequest) (intake.Visit, error) {
	return x.prepare("Intake.HandToPatient", r)
}

func (x *Intake) prepare(m string, r VisitRequest) (intake.Visit, error) {
	sess, err := x.c.begin(m)
	if err != nil {
		return intake.Visit{}, x.c.fail(m, err)
	}
	var v intake.Visit
	err = x.c.update(func(tx *store.Tx) (err error) {
		v, err = intake.PrepareVisit(tx, sess.actor(), r.PatientID, r.AppointmentID, r.PacketID)
		return err
	})
	return v, x.c.fail(m, err)
}

// ExportPDF saves a submission's packet PDF where the user chooses. The
// export is audited, naming the submission, before a byte is written.
func (x *Intake) ExportPDF(id string) (string, error) {
	const m = "Intake.ExportPDF"
	sess, err := x.c.begin(m)
	if err != nil {
		return "", x.c.fail(m, err)
	}
	var buf bytes.Buffer
	if err := x.c.update(func(tx *store.Tx) error { return intake.ExportPDF(tx, sess.actor(), id, &buf) }); err != nil {
		return "", x.c.fail(m, err)
	}
	defer clear(buf.Bytes())
	return x.c.saveExport(m, sess, "Save intake packet", "intake-packet.pdf", "PDF", "*.pdf", buf.Bytes(), "intake.export.saved")
}

// BlankPacket saves a packet with nothing filled in, in English or
// Spanish, for a patient who prefers paper.
func (x *Intake) BlankPacket(packetID string, lang practice.Language) (string, error) {
	const m = "Intake.BlankPacket"
	sess, err := x.c.begin(m)
	if err != nil {
		return "", x.c.fail(m, err)
	}
	var buf bytes.Buffer
	if err := x.c.view(func(tx *store.Tx) error { return intake.WriteBlankPacket(tx, packetID, lang, &buf) }); err != nil {
		return "", x.c.fail(m, err)
	}
	return x.c.saveExport(m, sess, "Save blank packet", "intake-packet-blank.pdf", "PDF", "*.pdf", buf.Bytes(), "intake.blank")
}

// CheckinCodes lists today's check-in codes: each appointment whose
// patient has a packet to do, with the code to read out or print on the
// reminder slip, or that it is locked.
func (x *Intake) CheckinCodes() ([]intake.CheckinCode, error) {
	const m = "Intake.CheckinCodes"
	sess, err := x.c.begin(m)
	if err != nil {
		return nil, x.c.fail(m, err)
	}
	var out []intake.CheckinCode
	err = x.c.update(func(tx *store.Tx) (err error) {
		out, err = intake.Codes(tx, sess.actor())
		return err
	})
	return out, x.c.fail(m, err)
}

// NewCheckinCode replaces an appointment's check-in code (a locked one,
// or one the patient lost): the old code stops working.
func (x *Intake) NewCheckinCode(appointmentID string) (intake.CheckinCode, error) {
	const m = "Intake.NewCheckinCode"
	sess, err := x.c.begin(m)
	if err != nil {
		return intake.CheckinCode{}, x.c.fail(m, err)
	}
	var out intake.CheckinCode
	err = x.c.update(func(tx *store.Tx) (err error) {
		out, err = intake.NewCode(tx, sess.actor(), appointmentID)
		return err
	})
	return out, x.c.fail(m, err)
}

// CheckIn starts, on this computer handed to the patient, the packet
// whose check-in code and date of birth the patient typed, under the same
// rules as a tablet: this computer counts as one tablet.
func (x *Intake) CheckIn(code, dob string) (intake.Visit, error) {
	const m = "Intake.CheckIn"
	if _, err := x.c.begin(m); err != nil {
		return intake.Visit{}, x.c.fail(m, err)
	}
	v, err := x.c.desk.CheckIn(x.c.ctx(), x.c.db.DeviceID(), code, dob)
	return v, x.c.fail(m, err)
}
