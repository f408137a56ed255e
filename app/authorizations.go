package app

import (
	"io"
	"time"

	"quietdesk/internal/authorizations"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Authorizations is the facade for prior authorizations, EAP benefits and
// visit limits: a patient's list with usage, saving and renewing, the
// booking dialog's line, the practice-wide list and the payers' rules.
type Authorizations struct {
	c   *Core
	svc *authorizations.Service
}

// NewAuthorizations binds the authorizations facade to core.
func NewAuthorizations(c *Core) *Authorizations {
	return &Authorizations{c: c, svc: authorizations.NewService()}
}

// BookingQuery asks which authorization a session would use.
type BookingQuery struct {
	PatientID string    `json:"patientId"`
	TypeID    string    `json:"typeId"`
	Start     time.Time `json:"start" ts_type:"string"`
	End       time.Time `json:"end" ts_type:"string"`
}

// withActor gates m and runs one service call for the session's actor in a
// write transaction (reads of a patient's authorizations are audited).
func withActor[T any](c *Core, m string, run func(tx *store.Tx, by practice.Actor) (T, error)) (T, error) {
	var out T
	sess, err := c.begin(m)
	if err != nil {
		return out, c.fail(m, err)
	}
	err = c.update(func(tx *store.Tx) (err error) {
		out, err = run(tx, sess.actor())
		return err
	})
	return out, c.fail(m, err)
}

// List returns a patient's authorizations with their usage.
func (a *Authorizations) List(patientID string) ([]authorizations.View, error) {
	return withActor(a.c, "Authorizations.List", func(tx *store.Tx, by practice.Actor) ([]authorizations.View, error) {
		return nonNil(a.svc.List(tx, by, patientID))
	})
}

// Save creates or updates an authorization.
func (a *Authorizations) Save(auth practice.Authorization) (authorizations.View, error) {
	return withActor(a.c, "Authorizations.Save", func(tx *store.Tx, by practice.Actor) (authorizations.View, error) {
		return a.svc.Save(tx, by, auth)
	})
}

// Renew returns the next period of an authorization, filled in, to edit and save.
func (a *Authorizations) Renew(id string) (practice.Authorization, error) {
	return withActor(a.c, "Authorizations.Renew", func(tx *store.Tx, by practice.Actor) (practice.Authorization, error) {
		return a.svc.Renew(tx, by, id)
	})
}

// Choose sets which authorization an appointment uses when two apply
// ("" lets the rules decide).
func (a *Authorizations) Choose(appointmentID, authorizationID string) (authorizations.Coverage, error) {
	return withActor(a.c, "Authorizations.Choose", func(tx *store.Tx, by practice.Actor) (authorizations.Coverage, error) {
		if err := a.svc.Choose(tx, by, appointmentID, authorizationID); err != nil {
			return authorizations.Coverage{}, err
		}
		return a.svc.Covering(tx, appointmentID)
	})
}

// ForBooking is the booking dialog's line: "Acme EAP: session 7 of 8, expires 14 Mar 2027".
func (a *Authorizations) ForBooking(q BookingQuery) (authorizations.BookingLine, error) {
	return withActor(a.c, "Authorizations.ForBooking", func(tx *store.Tx, by practice.Actor) (authorizations.BookingLine, error) {
		return a.svc.Preview(tx, by, q.PatientID, q.TypeID, q.Start, q.End)
	})
}

// Overview lists the practice's authorizations, the ones needing action first.
func (a *Authorizations) Overview(f authorizations.Filter) ([]authorizations.Row, error) {
	return withActor(a.c, "Authorizations.Overview", func(tx *store.Tx, by practice.Actor) ([]authorizations.Row, error) {
		return nonNil(a.svc.Overview(tx, by, f))
	})
}

// PayerRules returns a payer's authorization rules.
func (a *Authorizations) PayerRules(payerID string) (practice.PayerAuthRules, error) {
	return read(a.c, "Authorizations.PayerRules", func(tx *store.Tx) (practice.PayerAuthRules, error) {
		return a.svc.PayerRules(tx, payerID)
	})
}

// SavePayerRules stores a payer's authorization rules.
func (a *Authorizations) SavePayerRules(r practice.PayerAuthRules) (practice.PayerAuthRules, error) {
	return withActor(a.c, "Authorizations.SavePayerRules", func(tx *store.Tx, by practice.Actor) (practice.PayerAuthRules, error) {
		return a.svc.SavePayerRules(tx, by, r)
	})
}

// ExportReport saves an EAP payer's utilization report (every case, or the
// one authorizationID) as "pdf" or "csv" through the save dialog.
func (a *Authorizations) ExportReport(payerID, authorizationID, format string) (string, error) {
	const m = "Authorizations.ExportReport"
	sess, err := a.c.begin(m)
	if err != nil {
		return "", a.c.fail(m, err)
	}
	if format != "pdf" && format != "csv" {
		return "", a.c.fail(m, practice.FieldProblem("format", "Choose PDF or CSV."))
	}
	var data []byte
	err = a.c.update(func(tx *store.Tx) error {
		rep, err := a.svc.Utilization(tx, sess.actor(), payerID, authorizationID)
		if err != nil {
			return err
		}
		if format == "csv" {
			data, err = authorizations.ReportCSV(rep)
		} else {
			data, err = authorizations.ReportPDF(rep)
		}
		return err
	})
	if err != nil {
		return "", a.c.fail(m, err)
	}
	if format == "csv" {
		return a.c.saveExport(m, sess, "Save utilization report", "eap-utilization.csv", "CSV", "*.csv", data, "authorization.export")
	}
	return a.c.saveExport(m, sess, "Save utilization report", "eap-utilization.pdf", "PDF", "*.pdf", data, "authorization.export")
}

// AttachLetter keeps the payer's letter (PDF, PNG or JPEG; its bytes in
// base64) with an authorization, sealed.
func (a *Authorizations) AttachLetter(authorizationID, name, contentBase64 string) (store.Document, error) {
	return attachFile(a.c, "Authorizations.AttachLetter", contentBase64, func(tx *store.Tx, by practice.Actor, r io.Reader) (store.Document, error) {
		return a.svc.AttachLetter(tx, by, authorizationID, name, r)
	})
}

// Letters lists an authorization's letters.
func (a *Authorizations) Letters(authorizationID string) ([]store.Document, error) {
	return withActor(a.c, "Authorizations.Letters", func(tx *store.Tx, by practice.Actor) ([]store.Document, error) {
		return a.svc.Letters(tx, by, authorizationID)
	})
}

// SaveLetter saves a copy of one of an authorization's letters where the
// person chooses; "" when they cancelled.
func (a *Authorizations) SaveLetter(authorizationID, documentID string) (string, error) {
	return saveAttachedCopy(a.c, "Authorizations.SaveLetter", "authorization-letter", documentID,
		func(tx *store.Tx, by practice.Actor) ([]store.Document, error) {
			return a.svc.Letters(tx, by, authorizationID)
		},
		func(tx *store.Tx, by practice.Actor, w io.Writer) (store.Document, error) {
			return a.svc.CopyLetter(tx, by, authorizationID, documentID, w)
		})
}
