package billing

import (
	"sort"
	"time"

	"github.com/google/uuid"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Dashboard is the billing dashboards, each a table the screen charts and
// exports as CSV. Everything is derived from plain columns (amounts,
// dates, kinds, CARC codes, statuses): nothing sealed is opened, and no
// patient is named, so it is not audited as a patient read.
type Dashboard struct {
	AsOf     string         `json:"asOf"`
	Aging    []AgingRow     `json:"aging"`
	Unbilled []MonthCount   `json:"unbilled"`
	Statuses []StatusCount  `json:"statuses"`
	Denials  []DenialRow    `json:"denials"`
	Months   []MonthMoney   `json:"months"`
	Fees     []MonthFees    `json:"fees"`
	Totals   DashboardTotal `json:"totals"`
}

// AgingBuckets are the A/R aging columns, by days since the date of service.
var AgingBuckets = []string{"0–30", "31–60", "61–90", "91–120", "120+"}

// AgingRow is what one payer (or "Patients") still owes, by age.
type AgingRow struct {
	PayerID string `json:"payerId"` // "" for patients' balances
	Name    string `json:"name"`
	Cents   [5]int `json:"cents"`
	Total   int    `json:"total"`
}

// MonthCount is completed sessions on no claim, by month of service.
type MonthCount struct {
	Month    string `json:"month"` // YYYY-MM
	Sessions int    `json:"sessions"`
}

// StatusCount is how many claims are in a status, and what they charged.
type StatusCount struct {
	Status practice.ClaimStatus `json:"status"`
	Claims int                  `json:"claims"`
	Cents  int                  `json:"cents"`
}

// DenialRow is the denials of one reason by one payer.
type DenialRow struct {
	PayerID string `json:"payerId"`
	Payer   string `json:"payer"`
	Group   string `json:"group"`
	Reason  string `json:"reason"`
	Count   int    `json:"count"`
	Cents   int    `json:"cents"`
}

// MonthMoney is one month: what was charged and expected for its services,
// what was paid on them, and what was collected in it.
type MonthMoney struct {
	Month              string `json:"month"`
	ChargedCents       int    `json:"chargedCents"`
	ExpectedCents      int    `json:"expectedCents"`
	PaidOnServiceCents int    `json:"paidOnServiceCents"` // insurance payments on that month's services, whenever received
	CollectedCents     int    `json:"collectedCents"`     // received in the month, from anyone, less refunds
}

// MonthFees is one month's no-show and late-cancel fees and what of them is still owed.
type MonthFees struct {
	Month       string `json:"month"`
	Fees        int    `json:"fees"`
	FeeCents    int    `json:"feeCents"`
	UnpaidCents int    `json:"unpaidCents"`
}

// DashboardTotal sums the dashboards up.
type DashboardTotal struct {
	OutstandingCents int `json:"outstandingCents"`
	UnbilledSessions int `json:"unbilledSessions"`
	DeniedCents      int `json:"deniedCents"`
	FeesUnpaidCents  int `json:"feesUnpaidCents"`
}

// months is how far back the monthly tables reach.
const months = 24

// agingEdges are the upper ends, in days, of AgingBuckets but the last.
var agingEdges = []int{30, 60, 90, 120}

// Dashboard derives the dashboards as of today. SQLite sums the ledger
// (store.LedgerSums); no entry is read into memory.
func (s *Service) Dashboard(tx Store, _ practice.Actor) (Dashboard, error) {
	settings, err := tx.Settings()
	if err != nil {
		return Dashboard{}, err
	}
	zone := settings.Zone()
	now := tx.Now().In(zone)
	d := Dashboard{AsOf: now.Format(time.DateOnly), Aging: []AgingRow{}, Unbilled: []MonthCount{}, Statuses: []StatusCount{},
		Denials: []DenialRow{}, Months: []MonthMoney{}, Fees: []MonthFees{}}
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, zone).AddDate(0, -(months - 1), 0)
	sums, err := tx.LedgerSums(d.AsOf, first.Format("2006-01"), agingEdges)
	if err != nil {
		return d, err
	}
	payers, err := tx.Payers()
	if err != nil {
		return d, err
	}
	payerName := map[string]string{}
	for _, p := range payers {
		payerName[p.ID] = p.Name
	}
	// A/R aging: payers by name, then patients.
	aging := map[string]*AgingRow{}
	pr := &AgingRow{Name: "Patients"}
	for _, a := range sums.Aging {
		r := pr
		if a.PayerID != "" {
			if r = aging[a.PayerID]; r == nil {
				r = &AgingRow{PayerID: a.PayerID, Name: payerName[a.PayerID]}
				aging[a.PayerID] = r
			}
		}
		r.Cents[a.Bucket] += a.Cents
		r.Total += a.Cents
	}
	for _, r := range aging {
		d.Aging = append(d.Aging, *r)
	}
	sort.Slice(d.Aging, func(i, j int) bool {
		if d.Aging[i].Name != d.Aging[j].Name {
			return d.Aging[i].Name < d.Aging[j].Name
		}
		return d.Aging[i].PayerID < d.Aging[j].PayerID
	})
	if pr.Total > 0 {
		d.Aging = append(d.Aging, *pr)
	}
	for _, r := range d.Aging {
		d.Totals.OutstandingCents += r.Total
	}
	d.Totals.DeniedCents = sums.DeniedCents
	for _, x := range sums.Denials {
		d.Denials = append(d.Denials, DenialRow{PayerID: x.PayerID, Payer: payerName[x.PayerID], Group: x.Group, Reason: x.Reason, Count: x.Count, Cents: x.Cents})
	}
	sort.Slice(d.Denials, func(i, j int) bool {
		if d.Denials[i].Count != d.Denials[j].Count {
			return d.Denials[i].Count > d.Denials[j].Count
		}
		return d.Denials[i].Payer+d.Denials[i].Reason < d.Denials[j].Payer+d.Denials[j].Reason
	})
	// The monthly tables, every month of the window.
	for m := first; !m.After(now); m = m.AddDate(0, 1, 0) {
		key := m.Format("2006-01")
		x := sums.Months[key]
		if x == nil {
			x = &store.MonthSum{}
		}
		d.Months = append(d.Months, MonthMoney{Month: key, ChargedCents: x.ChargedCents, ExpectedCents: x.ExpectedCents,
			PaidOnServiceCents: x.PaidOnServiceCents, CollectedCents: x.CollectedCents})
		d.Fees = append(d.Fees, MonthFees{Month: key, Fees: x.Fees, FeeCents: x.FeeCents, UnpaidCents: x.FeesUnpaidCents})
	}
	d.Totals.FeesUnpaidCents = sums.FeesUnpaidCents
	for _, st := range practice.ClaimStatusOrder {
		x := sums.Statuses[st]
		d.Statuses = append(d.Statuses, StatusCount{Status: st, Claims: x.Claims, Cents: x.Cents})
	}
	// Unbilled completed sessions, by month of service, from the month the
	// practice's first charge was posted here: sessions before it were
	// billed elsewhere (a practice moving its billing in), not forgotten.
	from := first
	if sums.FirstCharge != "" {
		if t, err := time.ParseInLocation(time.DateOnly, sums.FirstCharge, zone); err == nil {
			if m := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, zone); m.After(from) {
				from = m
			}
		}
	}
	// Month by month from first; months before from count nothing, and the
	// current month reaches a day past now, as a session's day may.
	var keys []string
	var bounds []time.Time
	for m := first; !m.After(now); m = m.AddDate(0, 1, 0) {
		keys = append(keys, m.Format("2006-01"))
		bounds = append(bounds, later(m, from))
	}
	bounds = append(bounds, now.AddDate(0, 0, 1))
	counts, err := tx.UnbilledCompleted(bounds)
	if err != nil {
		return d, err
	}
	for i, key := range keys {
		d.Unbilled = append(d.Unbilled, MonthCount{Month: key, Sessions: counts[i]})
		d.Totals.UnbilledSessions += counts[i]
	}
	return d, nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// FeeEntryID is the ledger id of a session's no-show or late-cancel fee:
// name-based, so two machines posting the same fee offline write one entry.
func FeeEntryID(appointmentID string) string {
	return uuid.NewSHA1(uuid.NameSpaceOID, []byte("quietdesk/fee/"+appointmentID)).String()
}

// PostFees posts the no-show and late-cancel fees the calendar recorded on
// sessions from from to to (local dates) and the ledger does not hold yet,
// each audited; it returns how many it posted. Errors: EInvalid.
func (s *Service) PostFees(tx Store, by practice.Actor, from, to string) (int, error) {
	settings, err := tx.Settings()
	if err != nil {
		return 0, err
	}
	zone := settings.Zone()
	start, end, err := dayRange(zone, from, to)
	if err != nil {
		return 0, err
	}
	appts, err := tx.AppointmentsBetween(start, end, store.AppointmentFilter{})
	if err != nil {
		return 0, err
	}
	existing, err := tx.Entries(store.EntryFilter{From: from, To: to})
	if err != nil {
		return 0, err
	}
	posted := map[string]bool{}
	for _, e := range existing {
		posted[e.ID] = true
	}
	n := 0
	for _, a := range appts {
		if a.FeeCents <= 0 || (a.Status != practice.NoShow && a.Status != practice.Cancelled) {
			continue
		}
		id := FeeEntryID(a.ID)
		if posted[id] {
			continue
		}
		note := "No-show fee"
		if a.Status == practice.Cancelled {
			note = "Late-cancellation fee"
		}
		e := practice.Entry{ID: id, Kind: practice.EntryFee, Party: practice.PartyPatient, PatientID: a.PatientID, AppointmentID: a.ID,
			AmountCents: a.FeeCents, On: localDay(zone, a.Start), AccountID: by.AccountID, Remarks: []string{}, Note: note}
		if err := tx.AddEntry(&e); err != nil {
			return n, err
		}
		if err := tx.Audit(by.AccountID, "ledger.fee", "appointments", a.ID); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
