package store_test

import (
	"context"
	"database/sql"
	"reflect"
	"testing"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// The derived tables of migration 15 as rows: a claim line, a patient, a
// month. A NULL date reads as "".
type (
	lineTotal struct {
		Claim               string
		Line                int
		Payer, Service      string
		Owed, Paid, Charged int
	}
	patientTotal struct {
		Patient string
		Owed    int
		Since   string
	}
	monthTotal struct {
		Month                                 string
		Entries, Charged, Expected, Collected int
		Fees, FeeCents                        int
	}
	ledgerTotals struct {
		Lines    []lineTotal
		Patients []patientTotal
		Months   []monthTotal
	}
)

// derivedTotals reads what the triggers keep.
func derivedTotals(t *testing.T, raw *sql.DB) ledgerTotals {
	t.Helper()
	return readTotals(t, raw,
		`SELECT claim_id, line, IFNULL(payer_id, ''), IFNULL(service_on, ''), owed_cents, paid_cents, charged_cents
			FROM derived_line_balances ORDER BY 1, 2`,
		`SELECT patient_id, owed_cents, IFNULL(since, '') FROM derived_patient_balances ORDER BY 1`,
		`SELECT month, entries, charged_cents, expected_cents, collected_cents, fees, fee_cents FROM derived_month_totals ORDER BY 1`)
}

// recomputedTotals sums the ledger from scratch, written here apart from
// the migration's views: a line owes its charges, fees and refunds less
// payments, adjustments, write-offs and amounts moved to the patient; a
// patient owes the same of their own entries plus what was moved to them.
func recomputedTotals(t *testing.T, raw *sql.DB) ledgerTotals {
	t.Helper()
	return readTotals(t, raw,
		`SELECT claim_id, line, IFNULL(MIN(payer_id), ''), IFNULL(MAX(IIF(kind = 'charge', on_date, NULL)), ''),
			SUM(IIF(kind IN ('charge', 'fee', 'refund'), amount_cents, IIF(kind IN ('payment', 'adjustment', 'write_off', 'patient_resp'), -amount_cents, 0))),
			SUM(IIF(kind = 'payment', amount_cents, 0)), SUM(IIF(kind IN ('charge', 'fee'), amount_cents, 0))
		FROM ledger WHERE deleted = 0 AND party = 'insurance' AND claim_id <> '' GROUP BY 1, 2 ORDER BY 1, 2`,
		`SELECT patient_id,
			SUM(IIF(kind IN ('charge', 'fee', 'refund', 'patient_resp'), amount_cents, IIF(kind IN ('payment', 'adjustment', 'write_off'), -amount_cents, 0))),
			IFNULL(MIN(IIF(kind IN ('charge', 'fee', 'refund', 'patient_resp'), on_date, NULL)), '')
		FROM ledger WHERE deleted = 0 AND (party = 'patient' OR kind = 'patient_resp') GROUP BY 1 ORDER BY 1`,
		`SELECT substr(on_date, 1, 7), COUNT(*), SUM(IIF(kind = 'charge', amount_cents, 0)), SUM(IIF(kind = 'charge', expected_cents, 0)),
			SUM(IIF(kind = 'payment', amount_cents, IIF(kind = 'refund', -amount_cents, 0))), SUM(kind = 'fee'), SUM(IIF(kind = 'fee', amount_cents, 0))
		FROM ledger WHERE deleted = 0 AND on_date IS NOT NULL GROUP BY 1 ORDER BY 1`)
}

func readTotals(t *testing.T, raw *sql.DB, lines, patients, months string) ledgerTotals {
	t.Helper()
	var out ledgerTotals
	each := func(q string, scan func(*sql.Rows) error) {
		rows, err := raw.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				t.Fatal(err)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	each(lines, func(rows *sql.Rows) error {
		var l lineTotal
		err := rows.Scan(&l.Claim, &l.Line, &l.Payer, &l.Service, &l.Owed, &l.Paid, &l.Charged)
		out.Lines = append(out.Lines, l)
		return err
	})
	each(patients, func(rows *sql.Rows) error {
		var p patientTotal
		err := rows.Scan(&p.Patient, &p.Owed, &p.Since)
		out.Patients = append(out.Patients, p)
		return err
	})
	each(months, func(rows *sql.Rows) error {
		var m monthTotal
		err := rows.Scan(&m.Month, &m.Entries, &m.Charged, &m.Expected, &m.Collected, &m.Fees, &m.FeeCents)
		out.Months = append(out.Months, m)
		return err
	})
	return out
}

// checkTotals compares the derived tables with the totals worked out by
// hand and with a recomputation from the entries.
func checkTotals(t *testing.T, r *replica, want ledgerTotals) {
	t.Helper()
	raw := rawDB(t, r.dir)
	got := derivedTotals(t, raw)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: derived tables\n got %+v\nwant %+v", r.name, got, want)
	}
	if again := recomputedTotals(t, raw); !reflect.DeepEqual(got, again) {
		t.Errorf("%s: derived tables\n got %+v\nfrom the entries %+v", r.name, got, again)
	}
}

func post(t *testing.T, r *replica, entries ...practice.Entry) []string {
	t.Helper()
	var ids []string
	err := r.db.Update(context.Background(), func(tx *store.Tx) error {
		for i := range entries {
			if err := tx.AddEntry(&entries[i]); err != nil {
				return err
			}
			ids = append(ids, entries[i].ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestDerivedLedgerTotalsFollowTheLedger checks migration 15's local,
// derived tables (claim lines, patients, months) against numbers worked
// out by hand after local writes, after entries merged from another
// machine (a payment merged before its line's charge among them), after a
// correcting entry, and after writes the app never makes but the tables
// must follow all the same (an entry arriving note first, a tombstone, a
// deletion); then that they are in no digest, and that the migration
// fills them from the entries an older database already holds.
func TestDerivedLedgerTotalsFollowTheLedger(t *testing.T) {
	reps := newCluster(t, 2)
	a, b := reps[0], reps[1]
	ins := func(kind practice.EntryKind, claim string, line, cents int, on string) practice.Entry {
		return practice.Entry{Kind: kind, Party: practice.PartyInsurance, ClaimID: claim, Line: line, PatientID: "maria", PayerID: "blue",
			AmountCents: cents, On: on}
	}
	charge := func(claim string, line, cents, expected int, on string) practice.Entry {
		e := ins(practice.EntryCharge, claim, line, cents, on)
		e.ExpectedCents = expected
		return e
	}
	pat := func(kind practice.EntryKind, cents int, on string) practice.Entry {
		return practice.Entry{Kind: kind, Party: practice.PartyPatient, PatientID: "maria", AppointmentID: "appt-1", AmountCents: cents, On: on}
	}

	// A: two lines charged on 10 January ($160 expecting $110, $120
	// expecting $80), $90 paid on line 1 on 3 February, María's $50
	// no-show fee of 20 January.
	post(t, a,
		charge("c1", 1, 16000, 11000, "2027-01-10"),
		ins(practice.EntryPayment, "c1", 1, 9000, "2027-02-03"),
		charge("c1", 2, 12000, 8000, "2027-01-10"),
		pat(practice.EntryFee, 5000, "2027-01-20"))
	// Line 1 owes 160 − 90 = $70; line 2 all of its $120.
	want := ledgerTotals{
		Lines: []lineTotal{
			{"c1", 1, "blue", "2027-01-10", 7000, 9000, 16000},
			{"c1", 2, "blue", "2027-01-10", 12000, 0, 12000},
		},
		Patients: []patientTotal{{"maria", 5000, "2027-01-20"}},
		Months: []monthTotal{
			{"2027-01", 3, 28000, 19000, 0, 1, 5000},
			{"2027-02", 1, 0, 0, 9000, 0, 0},
		},
	}
	checkTotals(t, a, want)

	// A charges c2's line on 15 December ($100 expecting $70); B, which
	// has not heard of it, posts the payer's $60 on it on 5 January, and
	// on c1's line 1 a CO-45 adjustment of $35 and $25 moved to María
	// (3 February); María pays $20 on 1 March.
	post(t, a, charge("c2", 1, 10000, 7000, "2026-12-15"))
	paid := post(t, b,
		ins(practice.EntryPayment, "c2", 1, 6000, "2027-01-05"),
		ins(practice.EntryAdjustment, "c1", 1, 3500, "2027-02-03"),
		ins(practice.EntryPatientResp, "c1", 1, 2500, "2027-02-03"),
		pat(practice.EntryPayment, 2000, "2027-03-01"))
	// B alone holds no charge yet: its lines are owed less than nothing
	// and have no date of service.
	checkTotals(t, b, ledgerTotals{
		Lines:    []lineTotal{{"c1", 1, "blue", "", -6000, 0, 0}, {"c2", 1, "blue", "", -6000, 6000, 0}},
		Patients: []patientTotal{{"maria", 2500 - 2000, "2027-02-03"}},
		Months: []monthTotal{
			{"2027-01", 1, 0, 0, 6000, 0, 0},
			{"2027-02", 2, 0, 0, 0, 0, 0},
			{"2027-03", 1, 0, 0, 2000, 0, 0},
		},
	})
	converge(t, reps)
	assertSame(t, reps)
	// Both: line c1/1 owes 160 − 90 − 35 − 25 = $10; c2/1 owes
	// 100 − 60 = $40, dated by A's charge. María owes the $50 fee and
	// the $25 moved to her less her $20: $55, since 20 January.
	want = ledgerTotals{
		Lines: []lineTotal{
			{"c1", 1, "blue", "2027-01-10", 1000, 9000, 16000},
			{"c1", 2, "blue", "2027-01-10", 12000, 0, 12000},
			{"c2", 1, "blue", "2026-12-15", 4000, 6000, 10000},
		},
		Patients: []patientTotal{{"maria", 5500, "2027-01-20"}},
		Months: []monthTotal{
			{"2026-12", 1, 10000, 7000, 0, 0, 0},
			{"2027-01", 4, 28000, 19000, 6000, 1, 5000},
			{"2027-02", 3, 0, 0, 9000, 0, 0},
			{"2027-03", 1, 0, 0, 2000, 0, 0},
		},
	}
	checkTotals(t, a, want)
	checkTotals(t, b, want)

	// A correction is a new entry (the ledger refuses edits): $10 of the
	// payer's $90 on c1/1 was too much and goes back to it on 10 March.
	post(t, a, ins(practice.EntryRefund, "c1", 1, 1000, "2027-03-10"))
	converge(t, reps)
	want.Lines[0].Owed = 2000                                   // 10 + 10
	want.Months[3] = monthTotal{"2027-03", 2, 0, 0, 1000, 0, 0} // 20 − 10
	checkTotals(t, a, want)
	checkTotals(t, b, want)

	// Writes the app does not make, straight into A's file: whatever
	// writes the ledger, the tables follow it.
	raw := rawDB(t, a.dir)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := raw.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	// An entry whose sealed note arrives first is a row of NULLs: nothing.
	exec("INSERT INTO ledger (id, note) VALUES ('late', x'00')")
	checkTotals(t, a, want)
	// Its plain columns then make it a $50 charge on c3 for Lee (Aetna).
	exec(`UPDATE ledger SET kind = 'charge', party = 'insurance', claim_id = 'c3', line = 1, patient_id = 'lee', payer_id = 'aetna',
		amount_cents = 5000, expected_cents = 3000, on_date = '2027-03-02' WHERE id = 'late'`)
	withLate := want
	withLate.Lines = append(append([]lineTotal{}, want.Lines...), lineTotal{"c3", 1, "aetna", "2027-03-02", 5000, 0, 5000})
	withLate.Months = append(append([]monthTotal{}, want.Months[:3]...), monthTotal{"2027-03", 3, 5000, 3000, 1000, 0, 0})
	checkTotals(t, a, withLate)
	// A tombstone on María's $20 payment: she owes $75, March collects −$10.
	exec("UPDATE ledger SET deleted = 1 WHERE id = ?", paid[3])
	withLate.Patients = []patientTotal{{"maria", 7500, "2027-01-20"}}
	withLate.Months[3] = monthTotal{"2027-03", 2, 5000, 3000, -1000, 0, 0}
	checkTotals(t, a, withLate)
	// Deleting the late charge removes its line and its part of March.
	exec("DELETE FROM ledger WHERE id = 'late'")
	withLate.Lines = withLate.Lines[:3]
	withLate.Months[3] = monthTotal{"2027-03", 1, 0, 0, -1000, 0, 0}
	checkTotals(t, a, withLate)

	// Not replicated: B's tables altered by hand leave its digest as is.
	before := digest(t, b)
	if _, err := rawDB(t, b.dir).Exec("UPDATE derived_line_balances SET owed_cents = 0; DELETE FROM derived_month_totals"); err != nil {
		t.Fatal(err)
	}
	if after := digest(t, b); after != before {
		t.Errorf("B's digest changed with its derived tables: %s → %s", before[:12], after[:12])
	}

	// An older database: B as migration 14 left it (migration 15's
	// tables, views, triggers and indexes gone, 14's month index back, 15
	// unrecorded) gets the tables filled on opening.
	b.db.Close()
	braw := rawDB(t, b.dir)
	if _, err := braw.Exec(`DROP INDEX ledger_denials; DROP INDEX claims_sessions; DROP INDEX claims_status; DROP INDEX appointments_completed;
		CREATE INDEX ledger_months ON ledger (on_date, kind, amount_cents, expected_cents) WHERE deleted = 0`); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"trigger", "view", "table"} {
		rows, err := braw.Query("SELECT name FROM sqlite_schema WHERE type = ? AND name LIKE 'derived%'", kind)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			names = append(names, n)
		}
		rows.Close()
		for _, n := range names {
			if _, err := braw.Exec("DROP " + kind + " " + n); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := braw.Exec("DELETE FROM schema_migrations WHERE version = 15"); err != nil {
		t.Fatal(err)
	}
	braw.Close()
	b.open(t)
	checkTotals(t, b, want)
}

// ClaimsOwed sums each kind of entry with its rule: one claim per kind, one
// entry of $1.00 each (the rules written out here, not read from the code).
func TestClaimsOwedSignsEachKindAsTheRulesSay(t *testing.T) {
	db, _, _ := newPractice(t)
	want := map[string]int{
		"charge": 100, "fee": 100, "refund": 100, "payment": -100, "adjustment": -100, "write_off": -100,
		"patient_resp": 0, "denial": 0,
	}
	var claims []string
	err := db.Update(context.Background(), func(tx *store.Tx) error {
		for _, k := range practice.EntryKinds {
			e := practice.Entry{Kind: k, Party: practice.PartyInsurance, ClaimID: "claim-" + string(k), Line: 1, PatientID: "p", AmountCents: 100, On: "2027-01-04"}
			claims = append(claims, e.ClaimID)
			if err := tx.AddEntry(&e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var owed map[string]int
	if err := db.View(context.Background(), func(tx *store.Tx) (err error) { owed, err = tx.ClaimsOwed(claims); return err }); err != nil {
		t.Fatal(err)
	}
	if len(want) != len(practice.EntryKinds) {
		t.Fatalf("the table names %d kinds, the ledger has %d", len(want), len(practice.EntryKinds))
	}
	for _, k := range practice.EntryKinds {
		if got := owed["claim-"+string(k)]; got != want[string(k)] {
			t.Errorf("%s: owed %d, want %d", k, got, want[string(k)])
		}
	}
}
