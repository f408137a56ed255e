package store_test

// Benchmarks of the sealed store against plain SQLite on the same rows, in
// the same run (scripts/bench.sh turns them into ratios). They run only
// with -bench; every database is made inside the benchmark functions.
//
//	go test -run='^$' -bench='^BenchmarkPatients' -benchmem -count=5 ./internal/store
//
// Every op writes or reads benchRows patients, benchBatch per transaction,
// on a database with the store's own connection settings (WAL,
// synchronous=FULL, foreign keys, secure_delete, immediate transactions).
//
//   - Insert/sealed: tx.CreatePatient, which seals four field groups and
//     writes the row and, per group, a change-log record.
//   - Insert/plain: one INSERT per patient of the same columns, the groups as
//     plain JSON text, statements prepared once per transaction; no change
//     log.
//   - Insert/plain+changelog: as plain, plus the change-log
//     record the store writes for each of the five groups, so the ratio against it
//     is the cost of sealing and of the store's code alone.
//   - Read/sealed: tx.Patients(), opening every sealed group.
//   - Read/plain: SELECT of the same columns and json.Unmarshal of each group.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

const (
	benchRows  = 2000
	benchBatch = 500
)

// plainDSN is the store's connection string (store.dsn) for a plain file.
func plainDSN(path string) string {
	return "file:" + path + "?mode=rwc" +
		"&_journal_mode=WAL&_synchronous=FULL&_foreign_keys=on&_secure_delete=on" +
		"&_txlock=immediate&_busy_timeout=5000"
}

// plainSchema holds the store's patients table with the field groups as
// JSON text, and the store's change-log table.
const plainSchema = `
CREATE TABLE patients (
    id         TEXT PRIMARY KEY,
    active     INTEGER NOT NULL DEFAULT 1,
    identity   TEXT,
    contact    TEXT,
    emergency  TEXT,
    guardian   TEXT,
    deleted    INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE changes (
    origin TEXT    NOT NULL,
    epoch  TEXT    NOT NULL,
    seq    INTEGER NOT NULL,
    hlc    INTEGER NOT NULL,
    tx     TEXT    NOT NULL,
    tbl    TEXT    NOT NULL,
    row_id TEXT    NOT NULL,
    grp    TEXT    NOT NULL,
    value  BLOB,
    heads  TEXT    NOT NULL,
    PRIMARY KEY (origin, epoch, seq)
) WITHOUT ROWID;
CREATE INDEX changes_group ON changes (tbl, row_id, grp, hlc);`

var (
	benchFirst = []string{"Ava", "Noah", "Zoë", "Mateo", "Priya", "Liam", "Sofía", "Ethan", "Mei", "Omar",
		"Chloe", "Jamal", "Ingrid", "Diego", "Hana", "Lucas", "Amara", "Tomás", "Grace", "Yusuf"}
	benchLast = []string{"Nguyễn", "Smith", "García", "Okafor", "Johansson", "Patel", "Kim", "O'Brien",
		"Müller", "Rossi", "Haddad", "Novak", "Tanaka", "Silva", "Cohen", "Martin", "Kowalski", "Ali"}
	benchCities = []string{"Portland", "Salem", "Eugene", "Bend", "Corvallis", "Medford"}
)

// benchPatients makes n valid, varied patients, the same every run.
func benchPatients(n int) []practice.Patient {
	r := rand.New(rand.NewPCG(2026, 1))
	digits := func(k int) string {
		b := make([]byte, k)
		for i := range b {
			b[i] = byte('0' + r.IntN(10))
		}
		return string(b)
	}
	out := make([]practice.Patient, n)
	for i := range out {
		first, last := benchFirst[r.IntN(len(benchFirst))], benchLast[r.IntN(len(benchLast))]
		dob := time.Date(1940+r.IntN(80), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
		p := practice.Patient{
			Identity: practice.PatientIdentity{FirstName: first, LastName: last, DOB: dob.Format(time.DateOnly),
				Sex: []string{"F", "M", "U"}[r.IntN(3)], Pronouns: "they/them"},
			Contact: practice.PatientContact{
				Phone: "(" + digits(3) + ") 555-" + digits(4),
				Email: fmt.Sprintf("patient%d@example.com", i),
				Address: practice.Address{Line1: strconv.Itoa(100+r.IntN(9000)) + " SE Alder St", City: benchCities[r.IntN(len(benchCities))],
					State: "OR", Zip: "97" + digits(3)},
			},
			Emergency: practice.RelatedPerson{Name: benchFirst[r.IntN(len(benchFirst))] + " " + last, Relationship: "Partner",
				Phone: "(" + digits(3) + ") 555-" + digits(4)},
			Active: r.IntN(10) > 0,
		}
		if dob.Year() > 2008 {
			p.Guardian = practice.RelatedPerson{Name: benchFirst[r.IntN(len(benchFirst))] + " " + last, Relationship: "Parent",
				Phone: p.Contact.Phone, Email: fmt.Sprintf("guardian%d@example.com", i)}
		}
		out[i] = p
	}
	return out
}

// newSealed creates an empty practice (no account: no key derivation).
func newSealed(b *testing.B, dir string) *store.DB {
	b.Helper()
	db, err := store.Open(dir, store.Options{AppVersion: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	if err := db.Create(context.Background(), func(*store.Tx) error { return nil }); err != nil {
		db.Close()
		b.Fatal(err)
	}
	return db
}

func insertSealed(b *testing.B, db *store.DB, list []practice.Patient) {
	for start := 0; start < len(list); start += benchBatch {
		err := db.Update(context.Background(), func(tx *store.Tx) error {
			for i := start; i < min(start+benchBatch, len(list)); i++ {
				if err := tx.CreatePatient(&list[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func newPlain(b *testing.B, dir string) *sql.DB {
	b.Helper()
	db, err := sql.Open("sqlite3", plainDSN(filepath.Join(dir, "plain.db")))
	if err != nil {
		b.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(plainSchema); err != nil {
		db.Close()
		b.Fatal(err)
	}
	return db
}

const (
	qPlainRow    = "INSERT INTO patients (id, active, identity, contact, emergency, guardian) VALUES (?, ?, ?, ?, ?, ?)"
	qPlainChange = `INSERT INTO changes (origin, epoch, seq, hlc, tx, tbl, row_id, grp, value, heads)
		VALUES (?, ?, ?, ?, ?, 'patients', ?, ?, ?, '')`
)

// prepare prepares a statement in tx; it is closed with the transaction.
func prepare(b *testing.B, tx *sql.Tx, q string) *sql.Stmt {
	st, err := tx.Prepare(q)
	if err != nil {
		b.Fatal(err)
	}
	return st
}

// insertPlain writes list as plain rows with prepared statements; with
// changeLog it also writes a change record per field group, as the store
// does.
func insertPlain(b *testing.B, db *sql.DB, list []practice.Patient, changeLog bool) {
	now := time.Now()
	device, epoch := uuid.Must(uuid.NewV7()).String(), uuid.Must(uuid.NewV7()).String()
	seq, hlc := int64(0), uint64(now.UnixMilli())<<16
	for start := 0; start < len(list); start += benchBatch {
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		txID := uuid.Must(uuid.NewV7()).String()
		insRow, insChange := prepare(b, tx, qPlainRow), prepare(b, tx, qPlainChange)
		for i := start; i < min(start+benchBatch, len(list)); i++ {
			p := &list[i]
			p.Normalize()
			if err := p.Validate(now); err != nil {
				b.Fatal(err)
			}
			p.ID = uuid.Must(uuid.NewV7()).String()
			groups := make([][]byte, 4)
			for g, v := range []any{p.Identity, p.Contact, p.Emergency, p.Guardian} {
				if groups[g], err = json.Marshal(v); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := insRow.Exec(p.ID, p.Active, string(groups[0]), string(groups[1]), string(groups[2]), string(groups[3])); err != nil {
				b.Fatal(err)
			}
			if !changeLog {
				continue
			}
			active, _ := json.Marshal([]any{p.Active})
			for g, name := range []string{"identity", "contact", "emergency", "guardian", "status"} {
				value := active
				if g < 4 {
					value = groups[g]
				}
				seq++
				hlc++
				if _, err := insChange.Exec(device, epoch, seq, int64(hlc), txID, p.ID, name, value); err != nil {
					b.Fatal(err)
				}
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

func readPlain(db *sql.DB) ([]practice.Patient, error) {
	tx, err := db.BeginTx(context.Background(), &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.Query("SELECT id, active, identity, contact, emergency, guardian FROM patients WHERE deleted = 0")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []practice.Patient
	for rows.Next() {
		var p practice.Patient
		var identity, contact, emergency, guardian []byte
		if err := rows.Scan(&p.ID, &p.Active, &identity, &contact, &emergency, &guardian); err != nil {
			return nil, err
		}
		for _, g := range []struct {
			js  []byte
			dst any
		}{{identity, &p.Identity}, {contact, &p.Contact}, {emergency, &p.Emergency}, {guardian, &p.Guardian}} {
			if err := json.Unmarshal(g.js, g.dst); err != nil {
				return nil, err
			}
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func BenchmarkPatientsInsert(b *testing.B) {
	src := benchPatients(benchRows)
	list := make([]practice.Patient, len(src))
	// Each op writes into a fresh database, made and closed with the timer
	// stopped: setup returns the insert to time and the close.
	run := func(b *testing.B, setup func(dir string) (insert, close func())) {
		for range b.N {
			b.StopTimer()
			copy(list, src)
			insert, closeDB := setup(b.TempDir())
			b.StartTimer()
			insert()
			b.StopTimer()
			closeDB()
			b.StartTimer()
		}
		b.ReportMetric(benchRows, "rows/op")
	}
	b.Run("sealed", func(b *testing.B) {
		run(b, func(dir string) (func(), func()) {
			db := newSealed(b, dir)
			return func() { insertSealed(b, db, list) }, func() { db.Close() }
		})
	})
	for _, changeLog := range []bool{false, true} {
		name := "plain"
		if changeLog {
			name = "plain+changelog"
		}
		b.Run(name, func(b *testing.B) {
			run(b, func(dir string) (func(), func()) {
				db := newPlain(b, dir)
				return func() { insertPlain(b, db, list, changeLog) }, func() { db.Close() }
			})
		})
	}
}

func BenchmarkPatientsRead(b *testing.B) {
	b.Run("sealed", func(b *testing.B) {
		db := newSealed(b, b.TempDir())
		defer db.Close()
		insertSealed(b, db, benchPatients(benchRows))
		b.ResetTimer()
		for range b.N {
			err := db.View(context.Background(), func(tx *store.Tx) error {
				list, err := tx.Patients()
				if err == nil && len(list) != benchRows {
					err = fmt.Errorf("read %d patients, want %d", len(list), benchRows)
				}
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(benchRows, "rows/op")
	})
	b.Run("plain", func(b *testing.B) {
		db := newPlain(b, b.TempDir())
		defer db.Close()
		insertPlain(b, db, benchPatients(benchRows), false)
		b.ResetTimer()
		for range b.N {
			list, err := readPlain(db)
			if err == nil && len(list) != benchRows {
				err = fmt.Errorf("read %d patients, want %d", len(list), benchRows)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(benchRows, "rows/op")
	})
}

// BenchmarkPatientSave is one patient save the way the patients screen
// makes it: in one transaction, UpdatePatient with one group changed
// (it reads the stored record to find what changed) and the read-back of
// the saved record with its policies. decrypts/op counts the sealed
// groups opened per save.
func BenchmarkPatientSave(b *testing.B) {
	db := newSealed(b, b.TempDir())
	defer db.Close()
	p := benchPatients(1)[0]
	insertSealed(b, db, []practice.Patient{p})
	var list []practice.Patient
	if err := db.View(context.Background(), func(tx *store.Tx) (err error) { list, err = tx.Patients(); return }); err != nil {
		b.Fatal(err)
	}
	p = list[0]
	opened := db.Decryptions()
	b.ResetTimer()
	for i := range b.N {
		p.Contact.Phone = fmt.Sprintf("(503) 555-%04d", i%10000)
		err := db.Update(context.Background(), func(tx *store.Tx) error {
			if err := tx.UpdatePatient(&p); err != nil {
				return err
			}
			if _, err := tx.Patient(p.ID); err != nil {
				return err
			}
			_, err := tx.Policies(p.ID)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(db.Decryptions()-opened)/float64(b.N), "decrypts/op")
}
