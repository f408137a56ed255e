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

// Dashboard derives the dashboards as of today.
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
	firstMonth := first.Format("2006-01")
	entries, err := tx.Entries(store.EntryFilter{})
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
	today, _ := time.Parse(time.DateOnly, d.AsOf)
	bucket := func(on string) int {
		t, err := time.Parse(time.DateOnly, on)
		if err != nil {
			return 0
		}
		switch days := int(today.Sub(t).Hours() / 24); {
		case days <= 30:
			return 0
		case days <= 60:
			return 1
		case days <= 90:
			return 2
		case days <= 120:
			return 3
		}
		return 4
	}
	// One pass: per claim line (insurance) and per patient (what they owe).
	type lineKey struct {
		claim string
		line  int
	}
	type lineAcc struct {
		payer, dos string
		b          Balance
	}
	lines := map[lineKey]*lineAcc{}
	patients := map[string]*lineAcc{}
	monthIdx := map[string]*MonthMoney{}
	feeIdx := map[string]*MonthFees{}
	feeByAppt := map[string]string{} // appointment → month of its fee
	feePaid := map[string]int{}
	denials := map[[3]string]*DenialRow{}
	month := func(on string) *MonthMoney {
		if len(on) < 7 || on[:7] < firstMonth {
			return nil
		}
		m := monthIdx[on[:7]]
		if m == nil {
			m = &MonthMoney{Month: on[:7]}
			monthIdx[on[:7]] = m
		}
		return m
	}
	for _, e := range entries {
		if e.ClaimID != "" && e.Party == practice.PartyInsurance {
			k := lineKey{e.ClaimID, e.Line}
			acc := lines[k]
			if acc == nil {
				acc = &lineAcc{payer: e.PayerID}
				lines[k] = acc
			}
			if e.Kind == practice.EntryCharge {
				acc.dos = e.On
			}
			acc.b.Add(e)
		}
		if e.Party == practice.PartyPatient || e.Kind == practice.EntryPatientResp {
			acc := patients[e.PatientID]
			if acc == nil {
				acc = &lineAcc{}
				patients[e.PatientID] = acc
			}
			if e.Kind.Sign() > 0 || e.Kind == practice.EntryPatientResp {
				if acc.dos == "" || e.On < acc.dos {
					acc.dos = e.On
				}
			}
			acc.b.Add(e)
		}
		switch e.Kind {
		case practice.EntryCharge:
			if m := month(e.On); m != nil {
				m.ChargedCents += e.AmountCents
				m.ExpectedCents += e.ExpectedCents
			}
		case practice.EntryPayment:
			if m := month(e.On); m != nil {
				m.CollectedCents += e.AmountCents
			}
			if e.AppointmentID != "" && e.Party == practice.PartyPatient {
				feePaid[e.AppointmentID] += e.AmountCents
			}
		case practice.EntryRefund:
			if m := month(e.On); m != nil {
				m.CollectedCents -= e.AmountCents
			}
		case practice.EntryDenial:
			k := [3]string{e.PayerID, e.GroupCode, e.ReasonCode}
			r := denials[k]
			if r == nil {
				r = &DenialRow{PayerID: e.PayerID, Payer: payerName[e.PayerID], Group: e.GroupCode, Reason: e.ReasonCode}
				denials[k] = r
			}
			r.Count++
			r.Cents += e.AmountCents
		case practice.EntryFee:
			if len(e.On) >= 7 && e.On[:7] >= firstMonth {
				f := feeIdx[e.On[:7]]
				if f == nil {
					f = &MonthFees{Month: e.On[:7]}
					feeIdx[e.On[:7]] = f
				}
				f.Fees++
				f.FeeCents += e.AmountCents
				feeByAppt[e.AppointmentID] = e.On[:7]
			}
		}
	}
	// Insurance payments count toward the month of the service they pay for.
	dosOf := map[lineKey]string{}
	for k, acc := range lines {
		dosOf[k] = acc.dos
	}
	for _, e := range entries {
		if e.Kind == practice.EntryPayment && e.Party == practice.PartyInsurance {
			if m := month(dosOf[lineKey{e.ClaimID, e.Line}]); m != nil {
				m.PaidOnServiceCents += e.AmountCents
			}
		}
	}
	aging := map[string]*AgingRow{}
	for _, acc := range lines {
		if owed := acc.b.InsuranceCents; owed > 0 {
			r := aging[acc.payer]
			if r == nil {
				r = &AgingRow{PayerID: acc.payer, Name: payerName[acc.payer]}
				aging[acc.payer] = r
			}
			r.Cents[bucket(acc.dos)] += owed
			r.Total += owed
		}
		d.Totals.DeniedCents += acc.b.DeniedCents
	}
	pr := &AgingRow{Name: "Patients"}
	for _, acc := range patients {
		if owed := acc.b.PatientCents; owed > 0 {
			pr.Cents[bucket(acc.dos)] += owed
			pr.Total += owed
		}
	}
	for _, r := range aging {
		d.Aging = append(d.Aging, *r)
	}
	sort.Slice(d.Aging, func(i, j int) bool { return d.Aging[i].Name < d.Aging[j].Name })
	if pr.Total > 0 {
		d.Aging = append(d.Aging, *pr)
	}
	for _, r := range d.Aging {
		d.Totals.OutstandingCents += r.Total
	}
	for _, r := range denials {
		d.Denials = append(d.Denials, *r)
	}
	sort.Slice(d.Denials, func(i, j int) bool {
		if d.Denials[i].Count != d.Denials[j].Count {
			return d.Denials[i].Count > d.Denials[j].Count
		}
		return d.Denials[i].Payer+d.Denials[i].Reason < d.Denials[j].Payer+d.Denials[j].Reason
	})
	for m := first; !m.After(now); m = m.AddDate(0, 1, 0) {
		key := m.Format("2006-01")
		if x := monthIdx[key]; x != nil {
			d.Months = append(d.Months, *x)
		} else {
			d.Months = append(d.Months, MonthMoney{Month: key})
		}
		f := MonthFees{Month: key}
		if x := feeIdx[key]; x != nil {
			f = *x
		}
		d.Fees = append(d.Fees, f)
	}
	// A fee is unpaid by what the patient's payments for that session left of it.
	feeCents := map[string]int{}
	for _, e := range entries {
		if e.Kind == practice.EntryFee {
			feeCents[e.AppointmentID] += e.AmountCents
		}
	}
	for appt, m := range feeByAppt {
		unpaid := max(feeCents[appt]-feePaid[appt], 0)
		for i := range d.Fees {
			if d.Fees[i].Month == m {
				d.Fees[i].UnpaidCents += unpaid
			}
		}
		d.Totals.FeesUnpaidCents += unpaid
	}
	// Claims by status, charged amounts from their charges.
	heads, err := tx.ClaimHeads(storeAll)
	if err != nil {
		return d, err
	}
	charged := map[string]int{}
	for k, acc := range lines {
		charged[k.claim] += acc.b.ChargedCents
	}
	byStatus := map[practice.ClaimStatus]*StatusCount{}
	for _, c := range heads {
		r := byStatus[c.Status]
		if r == nil {
			r = &StatusCount{Status: c.Status}
			byStatus[c.Status] = r
		}
		r.Claims++
		r.Cents += charged[c.ID]
	}
	for _, st := range practice.ClaimStatusOrder {
		if r := byStatus[st]; r != nil {
			d.Statuses = append(d.Statuses, *r)
		} else {
			d.Statuses = append(d.Statuses, StatusCount{Status: st})
		}
	}
	// Unbilled completed sessions, by month of service.
	counts, err := s.unbilledByMonth(tx, zone, first, now)
	if err != nil {
		return d, err
	}
	for m := first; !m.After(now); m = m.AddDate(0, 1, 0) {
		key := m.Format("2006-01")
		d.Unbilled = append(d.Unbilled, MonthCount{Month: key, Sessions: counts[key]})
		d.Totals.UnbilledSessions += counts[key]
	}
	return d, nil
}

func (s *Service) unbilledByMonth(tx Store, zone *time.Location, from, to time.Time) (map[string]int, error) {
	appts, err := tx.AppointmentsBetween(from, to.AddDate(0, 0, 1), store.AppointmentFilter{})
	if err != nil {
		return nil, err
	}
	billed, err := tx.BilledAppointments()
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, a := range appts {
		if a.Status == practice.Completed && billed[a.ID] == "" {
			out[a.Start.In(zone).Format("2006-01")]++
		}
	}
	return out, nil
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
