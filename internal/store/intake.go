package store

import (
	"database/sql"
	"time"

	"quietdesk/internal/practice"
)

// intakeAnswers is a submission's sealed answers group.
type intakeAnswers struct {
	Language practice.Language       `json:"language"`
	Forms    []practice.FormResponse `json:"forms"`
}

func submissionReviewWrites(s *practice.Submission) []write {
	return []write{
		{grp: "review", sealed: s.Review},
		{grp: "status", plain: []any{string(s.Status)}},
	}
}

// AddSubmission keeps a new intake submission under the id it came with,
// and reports false, writing nothing, when that id is already kept: a
// submission delivered twice (a replay, a retry after a lost answer) is
// one submission. The caller has validated and scored it.
func (tx *Tx) AddSubmission(s *practice.Submission) (bool, error) {
	var n int
	if err := tx.sql.QueryRow("SELECT COUNT(*) FROM intake_submissions WHERE id = ?", s.ID).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	return true, tx.create("intake_submissions", s.ID, append([]write{
		{grp: "link", plain: []any{s.PatientID, s.AppointmentID, s.PacketID, unix(s.SubmittedAt)}},
		{grp: "answers", sealed: intakeAnswers{Language: s.Language, Forms: s.Forms}},
		{grp: "scores", sealed: s.Scores},
	}, submissionReviewWrites(s)...))
}

// SaveSubmissionReview writes what staff did with a submission (the flag
// acknowledged, fields accepted or declined, the review finished).
// Errors: ENotFound, EInvalid (the status moving back).
func (tx *Tx) SaveSubmissionReview(s *practice.Submission) error {
	old, err := tx.SubmissionSummary(s.ID)
	if err != nil {
		return err
	}
	return tx.save("intake_submissions", s.ID, submissionReviewWrites(s), submissionReviewWrites(&old))
}

// How much of a submission a reader opens: each sealed group opened costs
// a decryption, and a list shows none of them.
type submissionParts int

const (
	summaryOnly submissionParts = iota // plain columns and the review
	withScores                         // and the scores
	withAnswers                        // and the answers
)

func (tx *Tx) submissions(parts submissionParts, where string, args ...any) ([]practice.Submission, error) {
	var out []practice.Submission
	err := tx.rowsOf("SELECT id, patient_id, appointment_id, packet_id, submitted_at, status, review, scores, answers FROM intake_submissions WHERE deleted = 0 "+where+" ORDER BY submitted_at, id", args,
		func(rows *sql.Rows) error {
			var s practice.Submission
			var at int64
			var review, scores, answers []byte
			if err := rows.Scan(&s.ID, &s.PatientID, &s.AppointmentID, &s.PacketID, &at, &s.Status, &review, &scores, &answers); err != nil {
				return err
			}
			s.SubmittedAt = fromUnix(at)
			if err := tx.open("intake_submissions", "review", s.ID, review, &s.Review); err != nil {
				return err
			}
			if parts >= withScores {
				if err := tx.open("intake_submissions", "scores", s.ID, scores, &s.Scores); err != nil {
					return err
				}
			}
			if parts >= withAnswers {
				var a intakeAnswers
				if err := tx.open("intake_submissions", "answers", s.ID, answers, &a); err != nil {
					return err
				}
				s.Language, s.Forms = a.Language, a.Forms
			}
			out = append(out, s)
			return nil
		})
	return out, err
}

// Submission returns one submission with its answers and scores.
// Errors: ENotFound, EDamaged.
func (tx *Tx) Submission(id string) (practice.Submission, error) {
	return one(tx.submissions(withAnswers, "AND id = ?", id))
}

// SubmissionSummary returns one submission without its answers and
// scores (its review only). Errors: ENotFound, EDamaged.
func (tx *Tx) SubmissionSummary(id string) (practice.Submission, error) {
	return one(tx.submissions(summaryOnly, "AND id = ?", id))
}

// PatientSubmissions returns a patient's submissions, oldest first, with
// answers and scores (the trend of their scores over time).
func (tx *Tx) PatientSubmissions(patientID string) ([]practice.Submission, error) {
	return tx.submissions(withAnswers, "AND patient_id = ?", patientID)
}

// SubmissionsSince lists the submissions that arrived at or after since,
// without answers or scores: what a list of packets shows.
func (tx *Tx) SubmissionsSince(since time.Time) ([]practice.Submission, error) {
	return tx.submissions(summaryOnly, "AND submitted_at >= ?", unix(since))
}

// SubmissionScores lists every submission with its scores but not its
// answers: what the safety alerts are derived from.
func (tx *Tx) SubmissionScores() ([]practice.Submission, error) {
	return tx.submissions(withScores, "")
}

// AddFormVersion keeps a new version of a form the owner edited.
func (tx *Tx) AddFormVersion(v *practice.FormVersion) error {
	id := newID()
	return tx.create("intake_forms", id, []write{
		{grp: "version", plain: []any{v.Form.ID, v.Form.Version, v.EditedAt.UnixMilli(), v.EditedBy}},
		{grp: "content", sealed: v.Form},
	})
}

// FormVersions is every version of every form the owner edited, by form,
// then version, then time and id, so every machine lists merged rows alike.
func (tx *Tx) FormVersions() ([]practice.FormVersion, error) {
	var out []practice.FormVersion
	err := tx.rowsOf(`SELECT id, edited_at, account_id, content FROM intake_forms
		WHERE deleted = 0 ORDER BY form_id, version, edited_at, id`, nil, func(rows *sql.Rows) error {
		var id string
		var at int64
		var blob []byte
		var v practice.FormVersion
		if err := rows.Scan(&id, &at, &v.EditedBy, &blob); err != nil {
			return err
		}
		if err := tx.open("intake_forms", "content", id, blob, &v.Form); err != nil {
			return err
		}
		v.EditedAt = time.UnixMilli(at).UTC()
		out = append(out, v)
		return nil
	})
	return out, err
}
