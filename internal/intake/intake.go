// Package intake is a practice's paperwork before the first session: form
// templates and packets, checking and scoring what a patient submits,
// routing a safety answer to a person at once, and staff review.
//
// Quietdesk does not assess or triage: a PHQ-9 item 9 answer above 0
// raises an alert to the patient's clinician and the owner until one of
// them acknowledges it, and tells the front desk only that the clinician
// must be told now.
package intake

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"quietdesk/internal/calendar"
	"quietdesk/internal/patients"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Store is what intake reads and writes; *store.Tx satisfies it.
type Store interface {
	patients.Store
	calendar.Store // an arrival may check its appointment in (CheckInOnIntake)
	AppointmentSlot(id string) (practice.Appointment, error)
	AddSubmission(s *practice.Submission) (bool, error)
	SaveSubmissionReview(s *practice.Submission) error
	Submission(id string) (practice.Submission, error)
	SubmissionSummary(id string) (practice.Submission, error)
	PatientSubmissions(patientID string) ([]practice.Submission, error)
	SubmissionsSince(since time.Time) ([]practice.Submission, error)
	SubmissionScores() ([]practice.Submission, error)
	FormStore
	SaveDocument(d *store.Document, r io.Reader) error
	Documents(ownerTable, ownerID string) ([]store.Document, error)
	WriteDocument(id string, w io.Writer) (store.Document, error)
	AppointmentsBetween(from, to time.Time, f store.AppointmentFilter) ([]practice.Appointment, error)
	LastSubmitted(patientIDs []string) (map[string]time.Time, error)
	CheckinStates(ids []string) (map[string]store.CheckinState, error)
	AddCheckinEvent(appointmentID, kind string, generation int, source string) error
	CheckinMAC(msg string) ([]byte, error)
}

var _ Store = (*store.Tx)(nil)

// CurrentForms returns the forms as a patient would be shown them now.
func CurrentForms(tx FormStore) ([]practice.Form, error) {
	b, err := LoadBook(tx)
	return b.Current(), err
}

// Submit checks, scores and keeps a patient's completed packet, and
// reports whether it was new: a submission whose id is already kept (a
// replay, a retry) is accepted once and changes nothing. by is the staff
// account of a "hand to patient" window, or the zero Actor for a tablet's
// delivery.
//
// Errors: EInvalid (per question: "<form>.<question>"; per signature:
// "<form>.signature.<role>.<index>"; or the packet, patient, language),
// ENotFound (the patient).
//
// When the practice has CheckInOnIntake on, a new submission for one of
// today's appointments still to come checks it in through cal (nil: never).
func Submit(tx Store, by practice.Actor, s practice.Submission, cal *calendar.Service) (practice.Submission, bool, error) {
	return file(tx, by, s, tx.Now(), cal, true)
}

// FileAt files a submission made at a known earlier time, as Submit does
// but without checking an appointment in, and leaving its PDF to be made
// the first time it is exported: the demo practice's history, where making
// hundreds of PDFs nobody opens would keep the demo from opening.
func FileAt(tx Store, by practice.Actor, s practice.Submission, at time.Time) (practice.Submission, bool, error) {
	return file(tx, by, s, at, nil, false)
}

func file(tx Store, by practice.Actor, s practice.Submission, at time.Time, cal *calendar.Service, pdfNow bool) (practice.Submission, bool, error) {
	if err := check(tx, &s); err != nil {
		return practice.Submission{}, false, err
	}
	s.Scores = Score(s.Forms)
	s.SubmittedAt = at
	s.Status, s.Review = practice.NeedsReview, practice.SubmissionReview{}
	created, err := tx.AddSubmission(&s)
	if err != nil || !created {
		return s, false, err
	}
	if pdfNow {
		if _, err := savePacketPDF(tx, &s); err != nil {
			return s, false, err
		}
	}
	if err := checkInOnArrival(tx, by, s, cal); err != nil {
		return s, false, err
	}
	return s, true, tx.Audit(by.AccountID, "intake.submit", "patients", s.PatientID)
}

// checkInOnArrival checks in the appointment s was filled in for, when the
// practice wants that and the appointment is today and still to come. The
// calendar's own rules decide; a change they refuse (the appointment was
// moved or ended meanwhile) leaves it as it is and the packet is filed all
// the same: a patient's answers are never refused for the calendar's sake.
func checkInOnArrival(tx Store, by practice.Actor, s practice.Submission, cal *calendar.Service) error {
	if cal == nil || s.AppointmentID == "" {
		return nil
	}
	settings, err := tx.Settings()
	if err != nil || !settings.CheckInOnIntake {
		return err
	}
	a, err := tx.AppointmentSlot(s.AppointmentID)
	if practice.ErrorCode(err) == practice.ENotFound {
		return nil
	} else if err != nil {
		return err
	}
	zone := settings.Zone()
	today := tx.Now().In(zone).Format(time.DateOnly)
	if a.PatientID != s.PatientID || a.Start.In(zone).Format(time.DateOnly) != today ||
		(a.Status != practice.Scheduled && a.Status != practice.Confirmed) {
		return nil
	}
	_, err = cal.SetStatus(tx, by, calendar.StatusChange{ID: a.ID, Change: calendar.Change{To: practice.CheckedIn}})
	if code := practice.ErrorCode(err); code == practice.EInvalid || code == practice.EConflict {
		return nil
	}
	return err
}

// savePacketPDF keeps the submission's packet PDF as a sealed document of
// the submission: nothing of it reaches the disk outside the database
// until someone exports it. It returns the document kept.
func savePacketPDF(tx Store, s *practice.Submission) (store.Document, error) {
	doc, err := packetDoc(tx, s)
	if err != nil {
		return store.Document{}, err
	}
	var buf bytes.Buffer
	if err := WritePacketPDF(&buf, doc); err != nil {
		return store.Document{}, err
	}
	defer clear(buf.Bytes())
	kept := store.Document{OwnerTable: "intake_submissions", OwnerID: s.ID, Name: "intake-packet.pdf"}
	return kept, tx.SaveDocument(&kept, &buf)
}

// packetDoc gathers what the PDF of s shows: the forms as the patient saw them.
func packetDoc(tx Store, s *practice.Submission) (PacketDoc, error) {
	settings, err := tx.Settings()
	if err != nil {
		return PacketDoc{}, err
	}
	pt, err := tx.Patient(s.PatientID)
	if err != nil {
		return PacketDoc{}, err
	}
	packet, err := Packet(s.PacketID)
	if err != nil {
		return PacketDoc{}, err
	}
	b, err := LoadBook(tx)
	if err != nil {
		return PacketDoc{}, err
	}
	zone, _ := time.LoadLocation(settings.Timezone)
	return PacketDoc{Practice: settings.Name, Packet: packet, Forms: packetForms(b.Seen(s), packet), Language: s.Language,
		Zone: zone, Patient: pt.Identity, Submission: s}, nil
}

// packetForms are the packet's forms, in the packet's order.
func packetForms(all []practice.Form, packet practice.Packet) []practice.Form {
	var out []practice.Form
	for _, id := range packet.FormIDs {
		for _, f := range all {
			if f.ID == id {
				out = append(out, f)
			}
		}
	}
	return out
}

// ExportPDF writes a submission's sealed packet PDF to w, for the
// patient's clinician and the owner, and audits it. Errors: ENotFound,
// EForbidden, EDamaged.
func ExportPDF(tx Store, by practice.Actor, id string, w io.Writer) error {
	s, err := tx.SubmissionSummary(id)
	if err != nil {
		return err
	}
	if err := mayOpen(tx, by, s.PatientID); err != nil {
		return err
	}
	docs, err := tx.Documents("intake_submissions", id)
	if err != nil {
		return err
	}
	if len(docs) == 0 { // filed by FileAt: made now, from the forms as the patient saw them
		full, err := tx.Submission(id)
		if err != nil {
			return err
		}
		made, err := savePacketPDF(tx, &full)
		if err != nil {
			return err
		}
		docs = append(docs, made)
	}
	if err := tx.Audit(by.AccountID, "intake.export", "intake_submissions", id); err != nil {
		return err
	}
	_, err = tx.WriteDocument(docs[len(docs)-1].ID, w)
	return err
}

// WriteBlankPacket writes a packet's forms with nothing filled in, for a
// patient who prefers paper.
func WriteBlankPacket(tx Store, packetID string, lang practice.Language, w io.Writer) error {
	packet, err := Packet(packetID)
	if err != nil {
		return err
	}
	settings, err := tx.Settings()
	if err != nil {
		return err
	}
	forms, err := CurrentForms(tx)
	if err != nil {
		return err
	}
	return WritePacketPDF(w, PacketDoc{Practice: settings.Name, Packet: packet, Forms: packetForms(forms, packet), Language: lang})
}

// check validates a submission against the packet and the current forms.
func check(tx Store, s *practice.Submission) error {
	p := practice.Problems{}
	if _, err := uuid.Parse(s.ID); err != nil || len(s.ID) != 36 {
		p.Add("id", "This submission has no valid id.")
	}
	packet, err := Packet(s.PacketID)
	if err != nil {
		return err
	}
	pt, err := tx.Patient(s.PatientID)
	if err != nil {
		return err
	}
	if s.AppointmentID != "" {
		a, err := tx.AppointmentSlot(s.AppointmentID)
		if err != nil || a.PatientID != pt.ID {
			p.Add("appointmentId", "This appointment is not the patient's.")
		}
	}
	b, err := LoadBook(tx)
	if err != nil {
		return err
	}
	checkForms(p, b.All(), packet, s, tx.Now())
	return p.Err()
}

// CheckVisit checks, on a tablet, a submission against the visit it was
// given, as Submit will check it on the office computer: the patient is
// told what is missing before the answers are sealed, since a sealed
// submission the office refuses cannot be mended by anyone.
// Errors: EInvalid, as Submit's.
func CheckVisit(v Visit, s *practice.Submission, now time.Time) error {
	p := practice.Problems{}
	if s.ID != v.SubmissionID || s.PatientID != v.PatientID || s.AppointmentID != v.AppointmentID || s.PacketID != v.PacketID {
		p.Add("id", "These answers are not for the visit this tablet was given.")
	}
	packet, err := Packet(s.PacketID)
	if err != nil {
		return err
	}
	checkForms(p, v.Forms, packet, s, now)
	return p.Err()
}

// checkForms checks the answers against forms (every version the patient
// may have been shown) and the packet: a language Quietdesk speaks, every
// form once, in a version kept, answers and signatures as each question
// and signer requires.
func checkForms(p practice.Problems, forms []practice.Form, packet practice.Packet, s *practice.Submission, now time.Time) {
	if !slices.Contains(practice.Languages, s.Language) {
		p.Add("language", "Choose English or Spanish.")
	}
	given := map[string]bool{}
	for i := range s.Forms {
		r := &s.Forms[i]
		known := slices.ContainsFunc(forms, func(f practice.Form) bool { return f.ID == r.FormID })
		if !known || !slices.Contains(packet.FormIDs, r.FormID) || given[r.FormID] {
			p.Add(r.FormID+".form", "This form is not part of the packet, or was given twice.")
			continue
		}
		given[r.FormID] = true
		f, ok := seenVersion(forms, *r, s.Language)
		if !ok {
			p.Add(r.FormID+".form", "This form changed while it was being filled in; please fill in the new version.")
			continue
		}
		trimAnswers(r)
		practice.CheckAnswers(p, &f, r, packet.Signers, now)
	}
	for _, id := range packet.FormIDs {
		if !given[id] {
			p.Add(id+".form", "This form of the packet is missing.")
		}
	}
}

func trimAnswers(r *practice.FormResponse) {
	for id, values := range r.Answers {
		for i := range values {
			values[i] = strings.TrimSpace(values[i])
		}
		r.Answers[id] = values
	}
	for i := range r.Signatures {
		r.Signatures[i].Name = strings.TrimSpace(r.Signatures[i].Name)
	}
}

// Summary is a submission as a list of packets shows it: who and when,
// its status, whether a safety flag waits for acknowledgement; never an
// answer or a score, so the front desk may see it.
type Summary struct {
	ID          string                    `json:"id"`
	PatientID   string                    `json:"patientId"`
	PatientName string                    `json:"patientName"`
	PacketID    string                    `json:"packetId"`
	SubmittedAt time.Time                 `json:"submittedAt" ts_type:"string"`
	Status      practice.SubmissionStatus `json:"status"`
}

// List returns the submissions that arrived since since, newest first,
// for the patients by may open, and audits the patients it names.
func List(tx Store, by practice.Actor, since time.Time) ([]Summary, error) {
	access, err := patients.AccessFor(tx, by)
	if err != nil {
		return nil, err
	}
	list, err := tx.SubmissionsSince(since)
	if err != nil {
		return nil, err
	}
	out := []Summary{}
	var ids []string
	for _, s := range slices.Backward(list) {
		if !access.MayOpen(s.PatientID) {
			continue
		}
		pt, err := tx.Patient(s.PatientID)
		if err != nil {
			return nil, err
		}
		out = append(out, Summary{ID: s.ID, PatientID: s.PatientID, PatientName: pt.Identity.FirstName + " " + pt.Identity.LastName,
			PacketID: s.PacketID, SubmittedAt: s.SubmittedAt, Status: s.Status})
		ids = append(ids, s.PatientID)
	}
	slices.Sort(ids)
	return out, tx.Audit(by.AccountID, "intake.list", "patients", strings.Join(slices.Compact(ids), " "))
}

// Opened is a submission as staff read it: every answer and score, and
// each form's answers in words beside the questions the patient was shown.
type Opened struct {
	Submission practice.Submission `json:"submission"`
	Read       []ReadForm          `json:"read"`
}

// ReadForm is one form of a submission in words, in English.
type ReadForm struct {
	FormID  string       `json:"formId"`
	Title   string       `json:"title"`
	Version int          `json:"version"`
	Skipped bool         `json:"skipped"`
	Answers []ReadAnswer `json:"answers"`
}

// ReadAnswer is a question as shown and its answer in words.
type ReadAnswer struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// Get returns one submission with every answer and score: for the
// patient's clinician and the owner (the permission table keeps the front
// desk out). Errors: ENotFound, EForbidden.
func Get(tx Store, by practice.Actor, id string) (Opened, error) {
	s, err := view(tx, by, id)
	if err != nil {
		return Opened{}, err
	}
	b, err := LoadBook(tx)
	if err != nil {
		return Opened{}, err
	}
	responses := map[string]practice.FormResponse{} // a form is answered once (checkForms)
	for _, r := range s.Forms {
		responses[r.FormID] = r
	}
	o := Opened{Submission: s, Read: []ReadForm{}}
	for _, f := range b.Seen(&s) {
		r := responses[f.ID]
		rf := ReadForm{FormID: f.ID, Title: f.Title.EN, Version: f.Version, Skipped: r.Skipped, Answers: []ReadAnswer{}}
		for _, q := range f.Questions {
			if !r.Skipped {
				rf.Answers = append(rf.Answers, ReadAnswer{Question: q.Text.EN, Answer: answerWords(q, r.Answers[q.ID], practice.English)})
			}
		}
		o.Read = append(o.Read, rf)
	}
	return o, nil
}

// view opens a submission for by, who must be allowed to see the
// patient, and audits it.
func view(tx Store, by practice.Actor, id string) (practice.Submission, error) {
	s, err := tx.Submission(id)
	if err != nil {
		return s, err
	}
	if err := mayOpen(tx, by, s.PatientID); err != nil {
		return practice.Submission{}, err
	}
	return s, tx.Audit(by.AccountID, "intake.view", "intake_submissions", s.ID)
}

func mayOpen(tx Store, by practice.Actor, patientID string) error {
	access, err := patients.AccessFor(tx, by)
	if err != nil {
		return err
	}
	return access.Check(patientID)
}

// Acknowledge records that by has seen a submission's safety flag and
// taken it on: the alert ends on every machine, and the review is finished
// when no change to the record waits for a decision. Errors: ENotFound,
// EForbidden, EInvalid (no flag, or already acknowledged).
func Acknowledge(tx Store, by practice.Actor, id string) (practice.Submission, error) {
	s, err := view(tx, by, id)
	if err != nil {
		return s, err
	}
	if !s.Flagged() {
		return s, practice.Errorf(practice.EInvalid, "This submission raised no safety flag.")
	}
	if s.Review.FlagAckBy != "" {
		return s, practice.Errorf(practice.EInvalid, "This safety flag was already acknowledged.")
	}
	s.Review.FlagAckBy, s.Review.FlagAckAt = by.AccountID, tx.Now()
	// The flag may have been all the review waited for.
	p, err := tx.Patient(s.PatientID)
	if err != nil {
		return s, err
	}
	if r, err := reviewOf(tx, s, p); err != nil {
		return s, err
	} else if r.Waiting == "" {
		s.Status, s.Review.ReviewedBy, s.Review.ReviewedAt = practice.Reviewed, by.AccountID, tx.Now()
	}
	if err := tx.SaveSubmissionReview(&s); err != nil {
		return s, err
	}
	return s, tx.Audit(by.AccountID, "intake.flag.acknowledge", "intake_submissions", s.ID)
}

// ScorePoint is one questionnaire's score on one day.
type ScorePoint struct {
	SubmissionID string         `json:"submissionId"`
	At           time.Time      `json:"at" ts_type:"string"`
	Score        practice.Score `json:"score"`
}

// Trend returns a patient's questionnaire scores over time, oldest first,
// for a small chart. Errors: ENotFound, EForbidden.
func Trend(tx Store, by practice.Actor, patientID string) ([]ScorePoint, error) {
	if _, err := tx.Patient(patientID); err != nil {
		return nil, err
	}
	if err := mayOpen(tx, by, patientID); err != nil {
		return nil, err
	}
	list, err := tx.PatientSubmissions(patientID)
	if err != nil {
		return nil, err
	}
	out := []ScorePoint{}
	for _, s := range list {
		for _, sc := range s.Scores {
			out = append(out, ScorePoint{SubmissionID: s.ID, At: s.SubmittedAt, Score: sc})
		}
	}
	return out, tx.Audit(by.AccountID, "intake.trend", "patients", patientID)
}
