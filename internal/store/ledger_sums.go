package store

import (
	"database/sql"
	"strconv"
	"strings"
	"time"

	"quietdesk/internal/practice"
)

// The billing dashboards' sums, computed by SQLite over the ledger's plain
// columns (amounts, dates, kinds, parties, CARC codes, payer ids) and the
// claims' statuses: nothing sealed is read, and no row leaves SQLite, only
// totals. The claim lines', patients' and months' sums are kept up to date
// by triggers as entries arrive (migration 15's local, derived tables);
// the rest read covering indexes (migrations 14 and 15).

// LedgerSums are the ledger's totals behind the billing dashboards.
type LedgerSums struct {
	// Aging is what is still owed by age bucket: per claim line for payers
	// (aged from the line's charge), per patient for patients (PayerID "",
	// aged from their oldest charge, fee, refund or amount moved to them);
	// only lines and patients that owe something count.
	Aging []AgingSum
	// DeniedCents is every denial on a claim line (by the payer).
	DeniedCents int
	// Months are the ledger's months from the first asked for (YYYY-MM).
	Months  map[string]*MonthSum
	Denials []DenialSum
	// Statuses counts live claims per status with their lines' charges.
	Statuses map[practice.ClaimStatus]StatusSum
	// FeesUnpaidCents is what the fees of the months asked for still lack,
	// each fee less the patient's payments for its session.
	FeesUnpaidCents int
	// FirstCharge is the earliest charge's date ("" for none).
	FirstCharge string
}

// AgingSum is what one payer ("" for patients) owes in one age bucket.
type AgingSum struct {
	PayerID string
	Bucket  int
	Cents   int
}

// MonthSum is one month of the ledger.
type MonthSum struct {
	ChargedCents, ExpectedCents int // charges dated in the month
	PaidOnServiceCents          int // insurance payments on lines whose charge is dated in the month
	CollectedCents              int // payments dated in the month, less refunds
	Fees, FeeCents              int // fees dated in the month
	FeesUnpaidCents             int // what those fees still lack
}

// DenialSum is the denials of one payer for one group and reason code.
type DenialSum struct {
	PayerID, Group, Reason string
	Count, Cents           int
}

// StatusSum is the claims in one status and their lines' charges.
type StatusSum struct {
	Claims, Cents int
}

// bucketSQL ages a date column against today (?1) in days: bucket 0 up to
// edges[0] days (and for a date missing or in the future), i+1 up to
// edges[i+1], the last beyond the last edge.
func bucketSQL(col string, edges []int) string {
	var b strings.Builder
	b.WriteString("CASE")
	for i := len(edges) - 1; i >= 0; i-- {
		b.WriteString(" WHEN julianday(?1) - julianday(" + col + ") > " + strconv.Itoa(edges[i]) + " THEN " + strconv.Itoa(i+1))
	}
	b.WriteString(" ELSE 0 END")
	return b.String()
}

// LedgerSums sums the ledger as of today (YYYY-MM-DD), aging by edges
// (days, ascending), with months from firstMonth (YYYY-MM) on.
func (tx *Tx) LedgerSums(today, firstMonth string, edges []int) (LedgerSums, error) {
	s := LedgerSums{Months: map[string]*MonthSum{}, Statuses: map[practice.ClaimStatus]StatusSum{}}
	month := func(m string) *MonthSum {
		x := s.Months[m]
		if x == nil {
			x = &MonthSum{}
			s.Months[m] = x
		}
		return x
	}
	// Claim lines (the payer's side, derived_line_balances): what each
	// still owes, aged from its charge, and its payments by the month of
	// that charge.
	err := tx.rowsOf(`SELECT 'aging', payer_id, `+bucketSQL("service_on", edges)+`, SUM(owed_cents) FROM derived_line_balances
			WHERE owed_cents > 0 GROUP BY 2, 3
		UNION ALL SELECT 'paid', substr(service_on, 1, 7), 0, SUM(paid_cents) FROM derived_line_balances WHERE service_on >= ?2 GROUP BY 2`,
		[]any{today, firstMonth}, func(rows *sql.Rows) error {
			var tag, key string
			var n, cents int
			if err := rows.Scan(&tag, &key, &n, &cents); err != nil {
				return err
			}
			if tag == "aging" {
				s.Aging = append(s.Aging, AgingSum{PayerID: key, Bucket: n, Cents: cents})
			} else {
				month(key).PaidOnServiceCents += cents
			}
			return nil
		})
	if err != nil {
		return s, err
	}
	// Claims by status, each with its lines' charges.
	err = tx.rowsOf(`SELECT c.status, COUNT(*), COALESCE(SUM((SELECT SUM(l.charged_cents) FROM derived_line_balances AS l WHERE l.claim_id = c.id)), 0)
		FROM claims AS c WHERE c.deleted = 0 GROUP BY c.status`, nil, func(rows *sql.Rows) error {
		var st string
		var x StatusSum
		if err := rows.Scan(&st, &x.Claims, &x.Cents); err != nil {
			return err
		}
		s.Statuses[practice.ClaimStatus(st)] = x
		return nil
	})
	if err != nil {
		return s, err
	}
	// Denied on claim lines. INDEXED BY here, for the denials below and in
	// UnbilledCompleted: without statistics SQLite prefers a narrower index
	// (ledger_kind, appointments_start, claims_patient) and reads every row
	// it finds, sealed columns and all; migration 15's covering indexes
	// hold all these queries read.
	if err := tx.sql.QueryRow(`SELECT COALESCE(SUM(amount_cents), 0) FROM ledger INDEXED BY ledger_denials
		WHERE deleted = 0 AND kind = 'denial' AND party = 'insurance' AND claim_id <> ''`).Scan(&s.DeniedCents); err != nil {
		return s, err
	}
	// Patients (derived_patient_balances): what each owes, aged from their
	// oldest debit.
	err = tx.rowsOf(`SELECT `+bucketSQL("since", edges)+`, SUM(owed_cents) FROM derived_patient_balances
		WHERE owed_cents > 0 GROUP BY 1`, []any{today}, func(rows *sql.Rows) error {
		var a AgingSum
		if err := rows.Scan(&a.Bucket, &a.Cents); err != nil {
			return err
		}
		s.Aging = append(s.Aging, a)
		return nil
	})
	if err != nil {
		return s, err
	}
	// Months (derived_month_totals): charges, collections and fees dated
	// in each.
	err = tx.rowsOf(`SELECT month, charged_cents, expected_cents, collected_cents, fees, fee_cents
		FROM derived_month_totals WHERE month >= ?`, []any{firstMonth}, func(rows *sql.Rows) error {
		var key string
		var m MonthSum
		if err := rows.Scan(&key, &m.ChargedCents, &m.ExpectedCents, &m.CollectedCents, &m.Fees, &m.FeeCents); err != nil {
			return err
		}
		x := month(key)
		x.ChargedCents, x.ExpectedCents, x.CollectedCents, x.Fees, x.FeeCents = m.ChargedCents, m.ExpectedCents, m.CollectedCents, m.Fees, m.FeeCents
		return nil
	})
	if err != nil {
		return s, err
	}
	// Fees still owed: each session's fees (of any date) less the patient's
	// payments for that session, in the month of its fee. Both read only
	// migration 20's covering indexes (named: without statistics SQLite
	// takes ledger_kind and reads every fee's row).
	err = tx.rowsOf(`SELECT f.m, SUM(MAX(f.cents - COALESCE((SELECT SUM(p.amount_cents) FROM ledger AS p INDEXED BY ledger_patient_payments
			WHERE p.deleted = 0 AND p.appointment_id = f.appointment_id AND f.appointment_id <> '' AND p.kind = 'payment' AND p.party = 'patient'), 0), 0))
		FROM (SELECT appointment_id, MAX(CASE WHEN on_date >= ?1 THEN substr(on_date, 1, 7) END) AS m, SUM(amount_cents) AS cents
			FROM ledger INDEXED BY ledger_fees WHERE deleted = 0 AND kind = 'fee' GROUP BY appointment_id) AS f
		WHERE f.m IS NOT NULL GROUP BY f.m`, []any{firstMonth}, func(rows *sql.Rows) error {
		var key string
		var cents int
		if err := rows.Scan(&key, &cents); err != nil {
			return err
		}
		month(key).FeesUnpaidCents = cents
		s.FeesUnpaidCents += cents
		return nil
	})
	if err != nil {
		return s, err
	}
	err = tx.rowsOf(`SELECT payer_id, group_code, reason_code, COUNT(*), SUM(amount_cents) FROM ledger INDEXED BY ledger_denials
		WHERE deleted = 0 AND kind = 'denial' GROUP BY 1, 2, 3`, nil, func(rows *sql.Rows) error {
		var d DenialSum
		if err := rows.Scan(&d.PayerID, &d.Group, &d.Reason, &d.Count, &d.Cents); err != nil {
			return err
		}
		s.Denials = append(s.Denials, d)
		return nil
	})
	if err != nil {
		return s, err
	}
	var first sql.NullString
	if err := tx.sql.QueryRow("SELECT MIN(on_date) FROM ledger WHERE deleted = 0 AND kind = 'charge'").Scan(&first); err != nil {
		return s, err
	}
	s.FirstCharge = first.String
	return s, nil
}

// UnbilledCompleted counts completed sessions on no claim but voids,
// starting in each [bounds[i], bounds[i+1]) (plain columns only).
func (tx *Tx) UnbilledCompleted(bounds []time.Time) ([]int, error) {
	out := make([]int, max(len(bounds)-1, 0))
	if len(out) == 0 {
		return out, nil
	}
	// The month of each unbilled session by a CASE over the bounds, which
	// SQLite evaluates only for the sessions left after the filters.
	var month strings.Builder
	var args []any
	month.WriteString("CASE")
	for i := range out {
		month.WriteString(" WHEN a.start_at < ? THEN " + strconv.Itoa(i))
		args = append(args, unix(bounds[i+1]))
	}
	month.WriteString(" END")
	args = append(args, unix(bounds[0]), unix(bounds[len(bounds)-1]), practice.FreqVoid)
	err := tx.rowsOf(`SELECT `+month.String()+`, COUNT(*) FROM appointments AS a INDEXED BY appointments_completed
		WHERE a.deleted = 0 AND a.start_at >= ? AND a.start_at < ? AND a.status = 'completed'
			AND a.id NOT IN (SELECT j.value FROM claims AS c INDEXED BY claims_sessions, json_each(c.appointment_ids) AS j WHERE c.deleted = 0 AND c.frequency <> ? AND j.value IS NOT NULL)
		GROUP BY 1`, args, func(rows *sql.Rows) error {
		var i, n int
		if err := rows.Scan(&i, &n); err != nil {
			return err
		}
		out[i] = n
		return nil
	})
	return out, err
}

// owedSQL is an entry's amount signed by practice.EntryKind.OwedSign, as
// an SQL expression over the ledger's plain columns.
var owedSQL = func() string {
	q := "CASE kind"
	for _, k := range practice.EntryKinds {
		if sign := k.OwedSign(); sign != 0 {
			q += " WHEN '" + string(k) + "' THEN " + strconv.Itoa(sign) + " * amount_cents"
		}
	}
	return q + " ELSE 0 END"
}()

// ClaimsOwed is what is still owed on each of the claims, by anyone: the
// sum Balance.TotalCents makes of a claim's entries (practice.EntryKind.OwedSign),
// summed by SQLite from plain columns. A claim without entries is absent
// (owes nothing).
func (tx *Tx) ClaimsOwed(claimIDs []string) (map[string]int, error) {
	out := map[string]int{}
	err := inChunks(claimIDs, func(in string, args []any) error {
		return tx.rowsOf(`SELECT claim_id, SUM(`+owedSQL+`)
			FROM ledger INDEXED BY ledger_claim WHERE deleted = 0 AND claim_id IN `+in+` GROUP BY claim_id`, args,
			func(rows *sql.Rows) error {
				var id string
				var owed int
				if err := rows.Scan(&id, &owed); err != nil {
					return err
				}
				out[id] = owed
				return nil
			})
	})
	return out, err
}
