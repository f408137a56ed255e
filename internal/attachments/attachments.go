// Package attachments keeps the files a person attaches to a record — a
// payer's authorization letter, a licence scan — as sealed documents
// (store/documents.go), and audits each one kept and each copy made.
// Whether the person may reach the record is the owning area's rule: the
// area checks it, then calls here.
package attachments

import (
	"io"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Store is what attaching uses; *store.Tx satisfies it.
type Store interface {
	Audit(accountID, action, table, recordID string) error
	SaveDocument(d *store.Document, r io.Reader) error
	Documents(ownerTable, ownerID string) ([]store.Document, error)
	WriteDocument(id string, w io.Writer) (store.Document, error)
}

var _ Store = (*store.Tx)(nil)

// Owner is the record files are attached to.
type Owner struct {
	Table, ID string
}

// Attach keeps content, named name, with owner, audited. Errors: EInvalid
// (a name too long or with control characters; not a PDF, PNG or JPEG;
// empty; too large), against the field "file"; nothing is written.
func Attach(tx Store, by practice.Actor, o Owner, name string, content io.Reader) (store.Document, error) {
	if err := practice.CheckFileName("file", name); err != nil {
		return store.Document{}, err
	}
	d := store.Document{OwnerTable: o.Table, OwnerID: o.ID, Name: name}
	if err := tx.SaveDocument(&d, content); err != nil {
		return store.Document{}, err
	}
	return d, tx.Audit(by.AccountID, "document.attach", "documents", d.ID)
}

// List is what is attached to owner, oldest first.
func List(tx Store, o Owner) ([]store.Document, error) {
	docs, err := tx.Documents(o.Table, o.ID)
	if docs == nil {
		docs = []store.Document{}
	}
	return docs, err
}

// Copy writes the attached document id to w, audited; the document must be
// owner's. Errors: ENotFound (not one of owner's), EDamaged.
func Copy(tx Store, by practice.Actor, o Owner, id string, w io.Writer) (store.Document, error) {
	docs, err := tx.Documents(o.Table, o.ID)
	if err != nil {
		return store.Document{}, err
	}
	for _, d := range docs {
		if d.ID == id {
			if _, err := tx.WriteDocument(id, w); err != nil {
				return store.Document{}, err
			}
			return d, tx.Audit(by.AccountID, "document.copy", "documents", id)
		}
	}
	return store.Document{}, practice.Errorf(practice.ENotFound, "That file is not attached here.")
}
