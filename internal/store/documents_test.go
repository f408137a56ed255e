package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"quietdesk/internal/canary"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// fakeFile is n bytes that start with a file type's magic bytes and go on
// with seeded random bytes, so two calls with one seed are equal.
func fakeFile(magic string, n int, seed uint64) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(seed, 7))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	copy(b, magic)
	return b
}

func saveDocument(db *store.DB, name string, content io.Reader) (store.Document, error) {
	d := store.Document{OwnerTable: "patients", OwnerID: "p-1", Name: name}
	err := db.Update(context.Background(), func(tx *store.Tx) error { return tx.SaveDocument(&d, content) })
	return d, err
}

func readDocument(db *store.DB, id string) ([]byte, error) {
	var buf bytes.Buffer
	err := db.View(context.Background(), func(tx *store.Tx) error {
		_, err := tx.WriteDocument(id, &buf)
		return err
	})
	return buf.Bytes(), err
}

func countRows(t *testing.T, dir, table string) int {
	t.Helper()
	var n int
	if err := rawDB(t, dir).QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestTwentyMegabytePDFRoundTripsInChunks(t *testing.T) {
	db, dir, _ := newPractice(t)
	const size = 20 << 20
	pdf := fakeFile("%PDF-1.7\n", size, 1)
	want := sha256.Sum256(pdf)
	d, err := saveDocument(db, "Authorization letter.pdf", bytes.NewReader(pdf))
	if err != nil {
		t.Fatal(err)
	}
	if d.ContentType != "application/pdf" || d.Size != size {
		t.Fatalf("saved %+v", d)
	}
	// 20 MiB in 256 KiB chunks is 80 chunks.
	if n := countRows(t, dir, "document_chunks"); n != 80 {
		t.Fatalf("%d chunks, want 80", n)
	}
	got, err := readDocument(db, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != size || sha256.Sum256(got) != want {
		t.Fatalf("read back %d bytes that differ from the %d saved", len(got), size)
	}
	var list []store.Document
	if err := db.View(context.Background(), func(tx *store.Tx) (err error) { list, err = tx.Documents("patients", "p-1"); return }); err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Name != "Authorization letter.pdf" || list[0].ID != d.ID {
		t.Fatalf("the patient's documents: %+v", list)
	}
}

// endless yields left bytes of a PNG without holding them.
type endless struct {
	left    int
	started bool
}

func (e *endless) Read(p []byte) (int, error) {
	if e.left == 0 {
		return 0, io.EOF
	}
	n := min(len(p), e.left)
	clear(p[:n])
	if !e.started {
		copy(p[:n], "\x89PNG\r\n\x1a\n")
		e.started = true
	}
	e.left -= n
	return n, nil
}

func TestAFileThatIsNotAPDFOrImageIsRefusedAndNothingIsWritten(t *testing.T) {
	db, dir, _ := newPractice(t)
	before := countChanges(t, dir)
	for _, c := range []struct {
		name    string
		content io.Reader
		want    string
	}{
		{"letter.pdf", bytes.NewReader(fakeFile("PK\x03\x04", 4096, 2)), "Only PDF, PNG and JPEG files can be kept as documents; this file is none of these."},
		{"card.gif", bytes.NewReader(fakeFile("GIF89a", 4096, 3)), "Only PDF, PNG and JPEG files can be kept as documents; this file is none of these."},
		{"notes.txt", strings.NewReader("Patient says hello"), "Only PDF, PNG and JPEG files can be kept as documents; this file is none of these."},
		{"empty.pdf", strings.NewReader(""), "The file is empty."},
		{"huge.png", &endless{left: 33<<20 + 1}, "A document can be at most 32 MB; this file is larger."},
	} {
		_, err := saveDocument(db, c.name, c.content)
		var perr *practice.Error
		if !errors.As(err, &perr) || perr.Code != practice.EInvalid || perr.Message != c.want {
			t.Errorf("%s: %v, want EInvalid %q", c.name, err, c.want)
		}
	}
	if n := countChanges(t, dir) - before; n != 0 {
		t.Fatalf("refused files logged %d changes", n)
	}
	if n := countRows(t, dir, "documents") + countRows(t, dir, "document_chunks"); n != 0 {
		t.Fatalf("refused files left %d rows", n)
	}
}

func TestSwappedOrMissingChunksAreFound(t *testing.T) {
	db, dir, _ := newPractice(t)
	// 700 000 bytes: chunks of 262 144, 262 144 and 175 712.
	jpeg := fakeFile("\xff\xd8\xff\xe0", 700000, 4)
	d, err := saveDocument(db, "card.jpg", bytes.NewReader(jpeg))
	if err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, dir, "document_chunks"); n != 3 {
		t.Fatalf("%d chunks, want 3", n)
	}
	raw := rawDB(t, dir)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := raw.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	chunk := func(i int) string { return fmt.Sprintf("%s/%d", d.ID, i) }
	damaged := func(what string) {
		t.Helper()
		if _, err := readDocument(db, d.ID); code(err) != practice.EDamaged {
			t.Fatalf("%s: %v, want EDamaged", what, err)
		}
	}
	// Swap chunks 0 and 1 by swapping their ids.
	exec("UPDATE document_chunks SET id = 'tmp' WHERE id = ?", chunk(0))
	exec("UPDATE document_chunks SET id = ? WHERE id = ?", chunk(0), chunk(1))
	exec("UPDATE document_chunks SET id = ? WHERE id = 'tmp'", chunk(1))
	damaged("chunks 0 and 1 swapped")
	exec("UPDATE document_chunks SET id = 'tmp' WHERE id = ?", chunk(0))
	exec("UPDATE document_chunks SET id = ? WHERE id = ?", chunk(0), chunk(1))
	exec("UPDATE document_chunks SET id = ? WHERE id = 'tmp'", chunk(1))
	if got, err := readDocument(db, d.ID); err != nil || !bytes.Equal(got, jpeg) {
		t.Fatalf("swapped back, the document does not read: %v", err)
	}
	// The last chunk missing.
	exec("UPDATE document_chunks SET id = 'gone' WHERE id = ?", chunk(2))
	damaged("the last chunk missing")
	exec("UPDATE document_chunks SET id = ? WHERE id = 'gone'", chunk(2))
	// A chunk of another document put in its place.
	other, err := saveDocument(db, "other.jpg", bytes.NewReader(fakeFile("\xff\xd8\xff\xe0", 1000, 5)))
	if err != nil {
		t.Fatal(err)
	}
	exec("UPDATE document_chunks SET data = (SELECT data FROM document_chunks WHERE id = ?) WHERE id = ?", other.ID+"/0", chunk(2))
	damaged("another document's chunk in its place")
}

func TestADocumentNeverAppearsReadableInTheDataFolder(t *testing.T) {
	db, dir, _ := newPractice(t)
	marker := "QDCANARYé" + fmt.Sprintf("%016x", rand.Uint64())
	// The marker at the start, inside, and across the first chunk boundary.
	pdf := fakeFile("%PDF-1.4\n", 600000, 6)
	for _, at := range []int{9, 1000, 256<<10 - 5, 599000} {
		copy(pdf[at:], marker)
	}
	if _, err := saveDocument(db, "intake "+marker+".pdf", bytes.NewReader(pdf)); err != nil {
		t.Fatal(err)
	}
	needles := canary.Encodings(marker)
	scan := func(folder string) []string {
		var found []string
		entries, err := os.ReadDir(folder)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(folder, e.Name()))
			if err != nil {
				continue // a directory
			}
			for enc, n := range needles {
				if bytes.Contains(b, n) {
					found = append(found, e.Name()+":"+enc)
				}
			}
		}
		return found
	}
	// The scanner finds the marker where it is (its positive control).
	control := t.TempDir()
	if err := os.WriteFile(filepath.Join(control, "export.pdf"), pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if found := scan(control); len(found) == 0 {
		t.Fatal("the scanner does not find the marker in the plain file")
	}
	var files []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		files = append(files, e.Name())
	}
	if !strings.Contains(strings.Join(files, " "), "-wal") {
		t.Fatalf("the data folder holds %v: the write-ahead log must be searched while it holds the save", files)
	}
	if found := scan(dir); len(found) > 0 {
		t.Fatalf("the marker is readable in the data folder: %v", found)
	}
	db.Close() // checkpoints the log into the database file
	if found := scan(dir); len(found) > 0 {
		t.Fatalf("after closing, the marker is readable in the data folder: %v", found)
	}
}

func TestDocumentsReplicateInSmallBatchesAndShowOnlyWhenWhole(t *testing.T) {
	ctx := context.Background()
	reps := newCluster(t, 2)
	a, b := reps[0], reps[1]
	png := fakeFile("\x89PNG\r\n\x1a\n", 5<<20, 8) // 20 chunks
	d, err := saveDocument(a.db, "licence.png", bytes.NewReader(png))
	if err != nil {
		t.Fatal(err)
	}
	listed := func(r *replica) int {
		var list []store.Document
		if err := r.db.View(ctx, func(tx *store.Tx) (err error) { list, err = tx.Documents("patients", "p-1"); return }); err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	// The first batch carries part of the chunks only: B does not show it yet.
	res, batch := syncOnce(t, a, b, 500, nil)
	size := 0
	for _, c := range batch {
		size += len(c.Value)
	}
	// A batch stops at 4 MiB of values, here 16 sealed chunks (16 × 256 KiB
	// plus their seals), well short of the 20.
	if res.New == 0 || size > 5<<20 || countRows(t, b.dir, "document_chunks") >= 20 {
		t.Fatalf("first batch: %d changes, %d bytes, B holds %d chunks", res.New, size, countRows(t, b.dir, "document_chunks"))
	}
	if n := listed(b); n != 0 {
		t.Fatalf("B lists %d documents before it holds all of one", n)
	}
	converge(t, reps)
	assertSame(t, reps)
	if n := listed(b); n != 1 {
		t.Fatalf("B lists %d documents after syncing", n)
	}
	got, err := readDocument(b.db, d.ID)
	if err != nil || !bytes.Equal(got, png) {
		t.Fatalf("B reads %d bytes, %v", len(got), err)
	}
}
