package app

import (
	"bytes"
	"errors"
	"os"

	"quietdesk/internal/authorizations"
	"quietdesk/internal/billing"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Billing is the facade for the billing area: setup, diagnoses, claims
// made from completed sessions, the scrubber, exports, the ledger and the
// dashboards. The rules are billing.Service's; each method gates, runs one
// service call for the session's actor and maps errors.
type Billing struct {
	c   *Core
	svc *billing.Service
}

// NewBilling binds the billing facade to core.
func NewBilling(c *Core) *Billing {
	return &Billing{c: c, svc: billing.NewService(authorizations.NewService(), billing.DefaultRules())}
}

// Setup returns the practice as billing provider, each payer's claim rules
// and the clinicians as rendering providers.
func (b *Billing) Setup() (billing.Setup, error) {
	return read(b.c, "Billing.Setup", func(tx *store.Tx) (billing.Setup, error) { return b.svc.Setup(tx) })
}

// SaveSettings stores the billing setup and fee schedule.
func (b *Billing) SaveSettings(s practice.BillingSettings) (practice.BillingSettings, error) {
	return withActor(b.c, "Billing.SaveSettings", func(tx *store.Tx, by practice.Actor) (practice.BillingSettings, error) {
		return b.svc.SaveSettings(tx, by, s)
	})
}

// SavePayer stores a payer's claim rules.
func (b *Billing) SavePayer(p practice.PayerBilling) (practice.PayerBilling, error) {
	return withActor(b.c, "Billing.SavePayer", func(tx *store.Tx, by practice.Actor) (practice.PayerBilling, error) {
		return b.svc.SavePayer(tx, by, p)
	})
}

// CommonDiagnoses is the list of common mental-health ICD-10-CM codes.
func (b *Billing) CommonDiagnoses() ([]practice.Diagnosis, error) {
	return read(b.c, "Billing.CommonDiagnoses", func(*store.Tx) ([]practice.Diagnosis, error) { return nonNil(b.svc.CommonDiagnoses(), nil) })
}

// Diagnoses returns a patient's diagnoses (clinicians: their own patients).
func (b *Billing) Diagnoses(patientID string) (billing.DiagnosesView, error) {
	return withActor(b.c, "Billing.Diagnoses", func(tx *store.Tx, by practice.Actor) (billing.DiagnosesView, error) {
		return b.svc.Diagnoses(tx, by, patientID)
	})
}

// SaveDiagnoses replaces a patient's ordered diagnoses.
func (b *Billing) SaveDiagnoses(d practice.Diagnoses) (billing.DiagnosesView, error) {
	return withActor(b.c, "Billing.SaveDiagnoses", func(tx *store.Tx, by practice.Actor) (billing.DiagnosesView, error) {
		return b.svc.SaveDiagnoses(tx, by, d)
	})
}

// Unbilled lists completed sessions on no claim, from from to to (local dates).
func (b *Billing) Unbilled(from, to string) ([]billing.Unbilled, error) {
	return withActor(b.c, "Billing.Unbilled", func(tx *store.Tx, by practice.Actor) ([]billing.Unbilled, error) {
		return nonNil(b.svc.Unbilled(tx, by, from, to))
	})
}

// CreateBatch makes draft claims from completed sessions.
func (b *Billing) CreateBatch(appointmentIDs []string) (billing.BatchResult, error) {
	return withActor(b.c, "Billing.CreateBatch", func(tx *store.Tx, by practice.Actor) (billing.BatchResult, error) {
		return b.svc.CreateBatch(tx, by, appointmentIDs)
	})
}

// Claims lists claims, newest first.
func (b *Billing) Claims(f billing.ClaimFilter) ([]billing.ClaimRow, error) {
	return withActor(b.c, "Billing.Claims", func(tx *store.Tx, by practice.Actor) ([]billing.ClaimRow, error) {
		return nonNil(b.svc.Claims(tx, by, f))
	})
}

// Claim returns one claim with its findings, balance and ledger.
func (b *Billing) Claim(id string) (billing.ClaimView, error) {
	return withActor(b.c, "Billing.Claim", func(tx *store.Tx, by practice.Actor) (billing.ClaimView, error) {
		return b.svc.Claim(tx, by, id)
	})
}

// EditClaim changes a claim that has not been exported.
func (b *Billing) EditClaim(e practice.ClaimEdit) (billing.ClaimView, error) {
	return withActor(b.c, "Billing.EditClaim", func(tx *store.Tx, by practice.Actor) (billing.ClaimView, error) {
		return b.svc.Edit(tx, by, e)
	})
}

// RefreshDiagnoses copies the patient's current diagnoses onto a draft claim.
func (b *Billing) RefreshDiagnoses(claimID string) (billing.ClaimView, error) {
	return withActor(b.c, "Billing.RefreshDiagnoses", func(tx *store.Tx, by practice.Actor) (billing.ClaimView, error) {
		return b.svc.RefreshDiagnoses(tx, by, claimID)
	})
}

// Scrub checks claims (every unsent one when ids is empty).
func (b *Billing) Scrub(ids []string) ([]billing.Finding, error) {
	return withActor(b.c, "Billing.Scrub", func(tx *store.Tx, by practice.Actor) ([]billing.Finding, error) {
		return nonNil(b.svc.ScrubMany(tx, by, ids))
	})
}

// SetStatus records accepted, rejected or appealed.
func (b *Billing) SetStatus(claimID string, status practice.ClaimStatus) (billing.ClaimView, error) {
	return withActor(b.c, "Billing.SetStatus", func(tx *store.Tx, by practice.Actor) (billing.ClaimView, error) {
		return b.svc.SetStatus(tx, by, claimID, status)
	})
}

// Correct makes a replacement ("7") or void ("8") of an exported claim.
func (b *Billing) Correct(claimID, frequency string) (billing.ClaimView, error) {
	return withActor(b.c, "Billing.Correct", func(tx *store.Tx, by practice.Actor) (billing.ClaimView, error) {
		return b.svc.Correct(tx, by, claimID, frequency)
	})
}

// Post appends a payment, adjustment, denial, write-off or refund.
func (b *Billing) Post(e practice.Entry) (practice.Entry, error) {
	return withActor(b.c, "Billing.Post", func(tx *store.Tx, by practice.Actor) (practice.Entry, error) {
		return b.svc.Post(tx, by, e)
	})
}

// TakeCopay records money a patient pays at the desk.
func (b *Billing) TakeCopay(c billing.Copay) (practice.Entry, error) {
	return withActor(b.c, "Billing.TakeCopay", func(tx *store.Tx, by practice.Actor) (practice.Entry, error) {
		return b.svc.TakeCopay(tx, by, c)
	})
}

// Account is a patient's ledger and balance (no diagnoses).
func (b *Billing) Account(patientID string) (billing.Account, error) {
	return withActor(b.c, "Billing.Account", func(tx *store.Tx, by practice.Actor) (billing.Account, error) {
		return b.svc.Account(tx, by, patientID)
	})
}

// PostFees posts the calendar's no-show and late-cancel fees from from to
// to (local dates) that are not in the ledger yet.
func (b *Billing) PostFees(from, to string) (int, error) {
	return withActor(b.c, "Billing.PostFees", func(tx *store.Tx, by practice.Actor) (int, error) {
		return b.svc.PostFees(tx, by, from, to)
	})
}

// Dashboard returns the billing dashboards as of today.
func (b *Billing) Dashboard() (billing.Dashboard, error) {
	return withActor(b.c, "Billing.Dashboard", func(tx *store.Tx, by practice.Actor) (billing.Dashboard, error) {
		return b.svc.Dashboard(tx, by)
	})
}

// Export837 writes an 837P file of claims through the save dialog. The
// dialog comes first; the claims are frozen, moved to exported, their
// charges posted and the export audited in one transaction that commits
// before a byte is written, so no file leaves without its audit entry.
func (b *Billing) Export837(claimIDs []string) (string, error) {
	const m = "Billing.Export837"
	sess, err := b.c.begin(m)
	if err != nil {
		return "", b.c.fail(m, err)
	}
	path, err := b.c.savePath(m, "Save the claim file (837P)", "claims.837", "X12 837P", "*.837;*.txt")
	if err != nil || path == "" {
		return "", err
	}
	var out billing.Exported
	err = b.c.update(func(tx *store.Tx) error {
		out, err = b.svc.Export837(tx, sess.actor(), claimIDs)
		return err
	})
	if err != nil {
		return "", b.c.fail(m, err)
	}
	return path, b.c.fail(m, writeExport(path, out.Data))
}

// ExportCSV writes the ledger ("ledger") or the claims ("claims") from
// from to to (local dates, "" for no bound) as CSV through the save dialog,
// audited before a byte is written.
func (b *Billing) ExportCSV(kind, from, to string) (string, error) {
	const m = "Billing.ExportCSV"
	sess, err := b.c.begin(m)
	if err != nil {
		return "", b.c.fail(m, err)
	}
	if kind != "ledger" && kind != "claims" {
		return "", b.c.fail(m, practice.FieldProblem("kind", "Choose the ledger or the claims."))
	}
	path, err := b.c.savePath(m, "Save the "+kind+" as CSV", kind+".csv", "CSV", "*.csv")
	if err != nil || path == "" {
		return "", err
	}
	var buf bytes.Buffer
	err = b.c.update(func(tx *store.Tx) error {
		if err := tx.Audit(sess.account.ID, "billing.export."+kind, "", ""); err != nil {
			return err
		}
		if kind == "ledger" {
			_, err = billing.LedgerCSV(&buf, tx, from, to)
		} else {
			_, err = billing.ClaimsCSV(&buf, tx, from, to)
		}
		return err
	})
	if err != nil {
		return "", b.c.fail(m, err)
	}
	return path, b.c.fail(m, writeExport(path, buf.Bytes()))
}

// Document writes a PDF through the save dialog: a patient's "superbill"
// or "statement" for from–to (local dates), or a claim's "cms1500" copy
// (id is the patient's or the claim's), audited before a byte is written.
func (b *Billing) Document(kind, id, from, to string) (string, error) {
	const m = "Billing.Document"
	sess, err := b.c.begin(m)
	if err != nil {
		return "", b.c.fail(m, err)
	}
	var data []byte
	var name string
	err = b.c.update(func(tx *store.Tx) error {
		var err error
		data, name, err = b.svc.Document(tx, sess.actor(), kind, id, from, to)
		return err
	})
	if err != nil {
		return "", b.c.fail(m, err)
	}
	path, err := b.c.savePath(m, "Save the PDF", name, "PDF", "*.pdf")
	if err != nil || path == "" {
		return "", err
	}
	return path, b.c.fail(m, writeExport(path, data))
}

// savePath asks where to save; "" when the person cancelled.
func (c *Core) savePath(m, title, name, filter, pattern string) (string, error) {
	if c.dialogs == nil {
		return "", c.fail(m, errors.New("no dialog provider"))
	}
	path, err := c.dialogs.SaveFile(title, name, filter, pattern)
	if err != nil {
		return "", c.fail(m, err)
	}
	return path, nil
}

func writeExport(path string, data []byte) error {
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return practice.Errorf(practice.EInvalid, "Could not write the file there: %v", errors.Unwrap(err))
	}
	return nil
}
