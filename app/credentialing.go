package app

import (
	"io"

	"quietdesk/internal/credentialing"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Credentialing is the facade for clinicians' credentials and payer
// enrollments: the manager's dashboard, and a clinician's own view of
// their credentials and deadlines (credentialing.Dashboard filters by the
// session's actor).
type Credentialing struct{ c *Core }

// NewCredentialing binds the credentialing facade to core.
func NewCredentialing(c *Core) *Credentialing { return &Credentialing{c: c} }

// Overview is the dashboard: credentials, enrollments, deadlines and the
// lapse-cost estimate; a clinician gets their own only.
func (k *Credentialing) Overview() (credentialing.Overview, error) {
	const m = "Credentialing.Overview"
	sess, err := k.c.begin(m)
	if err != nil {
		return credentialing.Overview{}, k.c.fail(m, err)
	}
	var o credentialing.Overview
	err = k.c.view(func(tx *store.Tx) error {
		o, err = credentialing.Dashboard(tx, sess.actor())
		return err
	})
	o.Clinicians, _ = nonNil(o.Clinicians, nil)
	o.Payers, _ = nonNil(o.Payers, nil)
	o.Credentials, _ = nonNil(o.Credentials, nil)
	o.Enrollments, _ = nonNil(o.Enrollments, nil)
	o.Deadlines, _ = nonNil(o.Deadlines, nil)
	o.Lapses, _ = nonNil(o.Lapses, nil)
	return o, k.c.fail(m, err)
}

// SaveCredential creates (empty id) or updates a credential, audited.
func (k *Credentialing) SaveCredential(c practice.Credential) (practice.Credential, error) {
	return act(k.c, "Credentialing.SaveCredential", &c, func(tx *store.Tx, by practice.Actor) error {
		return credentialing.SaveCredential(tx, by, &c)
	})
}

// DeleteCredential removes a credential, audited.
func (k *Credentialing) DeleteCredential(id string) error {
	_, err := act(k.c, "Credentialing.DeleteCredential", &id, func(tx *store.Tx, by practice.Actor) error {
		return credentialing.DeleteCredential(tx, by, id)
	})
	return err
}

// RecordEnrollment saves a clinician's enrollment with a payer and adds
// the change (and its note) to the enrollment's history.
func (k *Credentialing) RecordEnrollment(ch credentialing.EnrollmentChange) (practice.Enrollment, error) {
	var out practice.Enrollment
	_, err := act(k.c, "Credentialing.RecordEnrollment", &ch, func(tx *store.Tx, by practice.Actor) (err error) {
		out, err = credentialing.RecordEnrollment(tx, by, ch)
		return err
	})
	return out, err
}

// History is an enrollment's history, oldest first.
func (k *Credentialing) History(enrollmentID string) ([]practice.EnrollmentEvent, error) {
	const m = "Credentialing.History"
	sess, err := k.c.begin(m)
	if err != nil {
		return nil, k.c.fail(m, err)
	}
	var out []practice.EnrollmentEvent
	err = k.c.view(func(tx *store.Tx) error {
		out, err = credentialing.History(tx, sess.actor(), enrollmentID)
		return err
	})
	out, _ = nonNil(out, nil)
	return out, k.c.fail(m, err)
}

// SaveSettings stores the practice's credentialing rules (CAQH cycle,
// guard mode, expected payment per payer), audited.
func (k *Credentialing) SaveSettings(s practice.CredentialingSettings) (practice.CredentialingSettings, error) {
	return act(k.c, "Credentialing.SaveSettings", &s, func(tx *store.Tx, by practice.Actor) error {
		return credentialing.SaveSettings(tx, by, &s)
	})
}

// act runs a gated write for the session's actor and returns *rec as it
// stands after it.
func act[T any](c *Core, m string, rec *T, fn func(tx *store.Tx, by practice.Actor) error) (T, error) {
	sess, err := c.begin(m)
	if err != nil {
		return *rec, c.fail(m, err)
	}
	err = c.update(func(tx *store.Tx) error { return fn(tx, sess.actor()) })
	return *rec, c.fail(m, err)
}

// AttachScan keeps a scan of a credential (PDF, PNG or JPEG; its bytes in
// base64), sealed.
func (k *Credentialing) AttachScan(credentialID, name, contentBase64 string) (store.Document, error) {
	return attachFile(k.c, "Credentialing.AttachScan", contentBase64, func(tx *store.Tx, by practice.Actor, r io.Reader) (store.Document, error) {
		return credentialing.AttachScan(tx, by, credentialID, name, r)
	})
}

// Scans lists a credential's scans; a clinician reaches their own only.
func (k *Credentialing) Scans(credentialID string) ([]store.Document, error) {
	return withActor(k.c, "Credentialing.Scans", func(tx *store.Tx, by practice.Actor) ([]store.Document, error) {
		return credentialing.Scans(tx, by, credentialID)
	})
}

// SaveScan saves a copy of one of a credential's scans where the person
// chooses; "" when they cancelled.
func (k *Credentialing) SaveScan(credentialID, documentID string) (string, error) {
	return saveAttachedCopy(k.c, "Credentialing.SaveScan", "credential-scan", documentID,
		func(tx *store.Tx, by practice.Actor) ([]store.Document, error) {
			return credentialing.Scans(tx, by, credentialID)
		},
		func(tx *store.Tx, by practice.Actor, w io.Writer) (store.Document, error) {
			return credentialing.CopyScan(tx, by, credentialID, documentID, w)
		})
}
