package store

// Sealed documents: PDFs and images (licence scans, authorization letters,
// signed intake packets, insurance card photos) kept inside the database,
// sealed in chunks and replicated through the change log like any row.
// They are read and written as streams, so a document is never whole in
// memory, and never written to disk outside the database: a user who
// exports one chooses where it goes.

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"quietdesk/internal/practice"
)

// MaxDocumentSize is the largest document kept: a scanned packet of a few
// dozen pages, not a video.
const MaxDocumentSize = 32 << 20

// documentChunk is how much of a document one sealed chunk holds. Each
// chunk travels as a transaction of its own, so one sync batch never has to
// carry a whole document.
const documentChunk = 256 << 10

// Document describes a sealed document; its content is read and written
// with WriteDocument and SaveDocument.
type Document struct {
	ID          string `json:"id"`
	OwnerTable  string `json:"ownerTable"` // the record it belongs to: "patients", ...
	OwnerID     string `json:"ownerId"`
	Name        string `json:"name"`        // the file name it came with (sealed: it may name a person)
	ContentType string `json:"contentType"` // from its magic bytes: application/pdf, image/png, image/jpeg
	Size        int64  `json:"size"`        // bytes
}

// documentInfo is a document's sealed group.
type documentInfo struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"` // of the whole content, checked on every read
}

// documentTypes are the kinds of file kept, by the bytes they start with.
var documentTypes = []struct {
	magic       string
	contentType string
}{
	{"%PDF-", "application/pdf"},
	{"\x89PNG\r\n\x1a\n", "image/png"},
	{"\xff\xd8\xff", "image/jpeg"},
}

func sniffDocument(head []byte) string {
	for _, t := range documentTypes {
		if bytes.HasPrefix(head, []byte(t.magic)) {
			return t.contentType
		}
	}
	return ""
}

// fileProblem is a refusal of the file given, said in the message itself
// and against the form's file field.
func fileProblem(msg string) error {
	return &practice.Error{Code: practice.EInvalid, Message: msg, Fields: map[string]string{"file": msg}}
}

// chunkID names a document's chunk; the chunk is sealed bound to it.
func chunkID(docID string, i int) string { return docID + "/" + strconv.Itoa(i) }

// SaveDocument reads a new document from r and keeps it sealed, in
// chunks, as belonging to d.OwnerTable/d.OwnerID; it sets d.ID,
// d.ContentType and d.Size. The content type comes from the content's first
// bytes, never from the name. Each chunk is its own transaction in the
// change log and the document's row comes last, so another machine shows
// the document only once it holds all of it.
//
// Errors: EInvalid (not a PDF, PNG or JPEG; empty; larger than
// MaxDocumentSize; no owner), or r's read error. On any error the caller's
// transaction rolls back and nothing is written.
func (tx *Tx) SaveDocument(d *Document, r io.Reader) error {
	d.Name = strings.TrimSpace(d.Name)
	if _, ok := schema[d.OwnerTable]; !ok || d.OwnerID == "" {
		return practice.Errorf(practice.EInvalid, "A document must belong to a record.")
	}
	d.ID = newID()
	buf := make([]byte, documentChunk)
	defer clear(buf)
	sum := sha256.New()
	var size int64
	chunks := 0
	for {
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			if chunks == 0 {
				if d.ContentType = sniffDocument(buf[:n]); d.ContentType == "" {
					return fileProblem("Only PDF, PNG and JPEG files can be kept as documents; this file is none of these.")
				}
			}
			if size += int64(n); size > MaxDocumentSize {
				return fileProblem(fmt.Sprintf("A document can be at most %d MB; this file is larger.", MaxDocumentSize>>20))
			}
			sum.Write(buf[:n])
			tx.logAlone()
			if err := tx.create("document_chunks", chunkID(d.ID, chunks), []write{{grp: "data", sealed: rawBytes(buf[:n])}}); err != nil {
				return err
			}
			chunks++
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("store: reading the document: %w", err)
		}
	}
	if chunks == 0 {
		return fileProblem("The file is empty.")
	}
	d.Size = size
	tx.logAlone()
	return tx.create("documents", d.ID, []write{
		{grp: "file", plain: []any{d.OwnerTable, d.OwnerID, d.ContentType, size, chunks}},
		{grp: "info", sealed: documentInfo{Name: d.Name, SHA256: hex.EncodeToString(sum.Sum(nil))}},
	})
}

// storedDocument is a document's row.
type storedDocument struct {
	Document
	chunks int
	sha256 string
}

func (tx *Tx) documents(where string, args ...any) ([]storedDocument, error) {
	var out []storedDocument
	err := tx.rowsOf("SELECT id, owner_tbl, owner_id, content_type, size, chunks, info FROM documents WHERE deleted = 0 "+where+" ORDER BY id", args,
		func(rows *sql.Rows) error {
			var d storedDocument
			var blob []byte
			if err := rows.Scan(&d.ID, &d.OwnerTable, &d.OwnerID, &d.ContentType, &d.Size, &d.chunks, &blob); err != nil {
				return err
			}
			var info documentInfo
			if err := tx.open("documents", "info", d.ID, blob, &info); err != nil {
				return err
			}
			d.Name, d.sha256 = info.Name, info.SHA256
			out = append(out, d)
			return nil
		})
	return out, err
}

// Documents lists the documents of one record. Errors: EDamaged.
func (tx *Tx) Documents(ownerTable, ownerID string) ([]Document, error) {
	list, err := tx.documents("AND owner_tbl = ? AND owner_id = ?", ownerTable, ownerID)
	out := make([]Document, len(list))
	for i, d := range list {
		out[i] = d.Document
	}
	return out, err
}

// errDocumentDamaged is what reading a document that was altered, or that
// lacks a part, returns.
var errDocumentDamaged = practice.Errorf(practice.EDamaged,
	"This document is damaged: part of it is missing or was altered outside Quietdesk.")

// WriteDocument streams a document's content to w, opening one chunk at a
// time and checking each (bound to its document and place, so a chunk
// moved, swapped or altered fails), then the whole (size and SHA-256). A
// damaged document may have written part of itself to w before it is
// found out; the caller discards what w holds on an error.
//
// Errors: ENotFound, EDamaged, or w's write error.
func (tx *Tx) WriteDocument(id string, w io.Writer) (Document, error) {
	d, err := one(tx.documents("AND id = ?", id))
	if err != nil {
		return Document{}, err
	}
	if tx.sealer == nil {
		return Document{}, errNoKey
	}
	sum := sha256.New()
	var size int64
	for i := range d.chunks {
		cid := chunkID(d.ID, i)
		var sealed []byte
		err := tx.sql.QueryRow("SELECT data FROM document_chunks WHERE id = ? AND deleted = 0", cid).Scan(&sealed)
		if errors.Is(err, sql.ErrNoRows) || sealed == nil {
			tx.db.log.Error("document chunk missing", "document", d.ID, "chunk", i)
			return Document{}, errDocumentDamaged
		} else if err != nil {
			return Document{}, fmt.Errorf("store: document: %w", err)
		}
		pt, err := tx.sealer.Open(sealed, "document_chunks", "data", cid)
		tx.db.opened.Add(1)
		if err != nil {
			tx.db.log.Error("document chunk failed to open", "document", d.ID, "chunk", i)
			return Document{}, errDocumentDamaged
		}
		size += int64(len(pt))
		sum.Write(pt)
		_, err = w.Write(pt)
		clear(pt)
		if err != nil {
			return Document{}, fmt.Errorf("store: writing the document out: %w", err)
		}
	}
	if size != d.Size || hex.EncodeToString(sum.Sum(nil)) != d.sha256 {
		tx.db.log.Error("document does not match its digest", "document", d.ID)
		return Document{}, errDocumentDamaged
	}
	return d.Document, nil
}
