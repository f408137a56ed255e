package app

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"os"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// The files attached to records (authorization letters, credential scans)
// go through these two helpers; which records a person may reach is each
// area's rule, in the functions passed in.

// attachFile keeps a file the window read (its bytes in base64) through
// keep, for the session's actor, in one write transaction.
func attachFile(c *Core, m, contentBase64 string, keep func(tx *store.Tx, by practice.Actor, content io.Reader) (store.Document, error)) (store.Document, error) {
	return withActor(c, m, func(tx *store.Tx, by practice.Actor) (store.Document, error) {
		data, err := base64.StdEncoding.DecodeString(contentBase64)
		if err != nil {
			return store.Document{}, practice.FieldProblem("file", "The file arrived damaged; choose it again.")
		}
		return keep(tx, by, bytes.NewReader(data))
	})
}

// attachedKinds is the file name ending for each kind of document kept.
var attachedKinds = map[string]string{"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}

// saveAttachedCopy asks where to save attached document id (listed by
// list) and streams it there through copy, audited; "" when the person
// cancelled. The suggested name is base and the kind's ending, never the
// name the file came with: that may name a person. A copy that fails part
// way is removed, not left half written.
func saveAttachedCopy(c *Core, m, base, id string,
	list func(tx *store.Tx, by practice.Actor) ([]store.Document, error),
	copy func(tx *store.Tx, by practice.Actor, w io.Writer) (store.Document, error),
) (string, error) {
	sess, err := c.begin(m)
	if err != nil {
		return "", c.fail(m, err)
	}
	var kind string
	err = c.view(func(tx *store.Tx) error {
		docs, err := list(tx, sess.actor())
		for _, d := range docs {
			if d.ID == id {
				kind = attachedKinds[d.ContentType]
			}
		}
		return err
	})
	if err == nil && kind == "" {
		err = practice.Errorf(practice.ENotFound, "That file is not attached here.")
	}
	if err != nil {
		return "", c.fail(m, err)
	}
	path, err := c.savePath(m, "Save a copy", base+kind, "Documents", "*"+kind)
	if err != nil || path == "" {
		return "", err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return "", c.fail(m, practice.Errorf(practice.EInvalid, "Could not write the file there: %v", errors.Unwrap(err)))
	}
	err = c.update(func(tx *store.Tx) error {
		_, err := copy(tx, sess.actor(), f)
		return err
	})
	if cerr := f.Close(); err == nil && cerr != nil {
		err = practice.Errorf(practice.EInvalid, "Could not write the file there: %v", errors.Unwrap(cerr))
	}
	if err != nil {
		os.Remove(path)
		return "", c.fail(m, err)
	}
	return path, nil
}
