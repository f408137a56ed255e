package billing

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"quietdesk/internal/export"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// ExportClaim is one claim with every record its 837P loops, its CMS-1500
// copy and its superbill line need.
type ExportClaim struct {
	Claim     practice.Claim           `json:"claim"` // Content is what is (or was) sent
	Patient   practice.Patient         `json:"patient"`
	Policy    practice.InsurancePolicy `json:"policy"`
	Payer     practice.Payer           `json:"payer"`
	Rules     practice.PayerBilling    `json:"rules"`
	Clinician practice.Clinician       `json:"clinician"`
}

// ExportBatch is one 837P interchange: the practice as submitter and
// billing provider, the clearinghouse as receiver, and the claims.
type ExportBatch struct {
	Control  string                   // ISA13/GS06/ST02 base: nine digits, unique per interchange
	Created  time.Time                // the practice's local time
	Practice practice.Settings        //
	Billing  practice.BillingSettings //
	Claims   []ExportClaim            //
	Test     bool                     // ISA15 T instead of P
}

// Exported is the file an export made and what it contained.
type Exported struct {
	Data     []byte   `json:"-"`
	Control  string   `json:"control"`
	ClaimIDs []string `json:"claimIds"`
	Resent   int      `json:"resent"` // claims sent before, sent again as they were
}

// newControl is a nine-digit interchange control number: random, so two
// office computers exporting the same minute never share one.
func newControl() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return strconv.FormatUint(100000000+binary.BigEndian.Uint64(b[:])%900000000, 10)
}

// Export837 writes an 837P interchange for claims: ones not sent yet are
// scrubbed (any error refuses the whole export, naming how many claims
// need fixing), then frozen as sent (claim_submissions), moved to
// exported and their charges posted to the ledger, all in the caller's
// transaction: the file is handed out only after it commits. Claims
// already sent go out again exactly as they were sent, with nothing posted
// (a file lost on its way). One audit entry names the claims exported,
// another those sent again. Errors: EInvalid, ENotFound.
func (s *Service) Export837(tx Store, by practice.Actor, ids []string) (Exported, error) {
	out := Exported{Control: newControl(), ClaimIDs: []string{}}
	if len(ids) == 0 {
		return out, practice.FieldProblem("claimIds", "Choose the claims to export.")
	}
	// Claims not sent yet are read with their content; those sent go again
	// as they were sent, so only their last submission is opened.
	claims, err := tx.ClaimHeads(store.ClaimFilter{IDs: dedupe(ids)})
	if err != nil {
		return out, err
	}
	if len(claims) != len(dedupe(ids)) {
		return out, practice.Errorf(practice.ENotFound, "A chosen claim no longer exists; reload the list.")
	}
	var drafts, sent []string
	for _, c := range claims {
		if c.Status.Sent() {
			sent = append(sent, c.ID)
		} else {
			drafts = append(drafts, c.ID)
		}
	}
	var unsent []practice.Claim
	if len(drafts) > 0 {
		if unsent, err = tx.Claims(store.ClaimFilter{IDs: drafts}); err != nil {
			return out, err
		}
	}
	content := make(map[string]practice.ClaimContent, len(claims))
	for _, c := range unsent {
		content[c.ID] = c.Content
	}
	subs, err := tx.LatestSubmissions(sent)
	if err != nil {
		return out, err
	}
	for id, sub := range subs {
		content[id] = sub.Content
	}
	for i, c := range claims {
		x, ok := content[c.ID]
		if !ok && c.Status.Sent() {
			// Marked sent on another machine whose submission has not
			// arrived: what the claim says now.
			full, err := tx.Claim(c.ID)
			if err != nil {
				return out, err
			}
			x = full.Content
		}
		claims[i].Content = x
	}
	facts, err := s.loadScrubFacts(tx)
	if err != nil {
		return out, err
	}
	if err := facts.scrubbing(tx, unsent); err != nil {
		return out, err
	}
	if err := facts.readPatients(tx, claims); err != nil {
		return out, err
	}
	blocked := 0
	for _, c := range unsent {
		found, err := s.scrub(tx, facts, c)
		if err != nil {
			return out, err
		}
		for _, f := range found {
			if f.Severity == SevError {
				blocked++
				break
			}
		}
	}
	if blocked > 0 {
		return out, practice.Errorf(practice.EInvalid, "%d of the %d claims have errors the scrubber found; fix them (or leave those claims out), then export.", blocked, len(claims))
	}
	batch := ExportBatch{Control: out.Control, Created: tx.Now().In(facts.settings.Zone()), Practice: facts.settings, Billing: facts.billing}
	corrected, err := correctedLedgers(tx, unsent)
	if err != nil {
		return out, err
	}
	var exported, resent []string
	for _, c := range claims {
		ec, err := exportClaim(tx, facts, c)
		if err != nil {
			return out, err
		}
		batch.Claims = append(batch.Claims, ec)
		out.ClaimIDs = append(out.ClaimIDs, c.ID)
		if c.Status.Sent() {
			resent = append(resent, c.ID)
			continue
		}
		if err := s.markSent(tx, by, c, out.Control, facts.rules[c.PayerID], corrected); err != nil {
			return out, err
		}
		exported = append(exported, c.ID)
	}
	out.Resent = len(resent)
	// One audit entry for the claims exported and one for those sent again,
	// each naming every claim (the trail finds an entry by any of them).
	for _, a := range []struct {
		action string
		ids    []string
	}{{"claim.export", exported}, {"claim.resend", resent}} {
		if len(a.ids) > 0 {
			if err := tx.Audit(by.AccountID, a.action, "claims", strings.Join(a.ids, " ")); err != nil {
				return out, err
			}
		}
	}
	if out.Data, err = s.rules.Write837(batch); err != nil {
		return out, err
	}
	return out, nil
}

// markSent freezes what a claim says, moves it to exported and posts its
// charges (the caller audits the export). corrected holds the ledgers of
// the claims the export's replacements and voids correct.
func (s *Service) markSent(tx Store, by practice.Actor, c practice.Claim, control string, rules practice.PayerBilling, corrected claimLedgers) error {
	from, to := serviceSpan(c.Content)
	sub := store.ClaimSubmission{ClaimID: c.ID, AccountID: by.AccountID, Control: control, ChargeCents: c.Content.TotalCents(),
		From: from, To: to, Content: c.Content}
	if err := tx.AddClaimSubmission(&sub); err != nil {
		return err
	}
	if err := tx.SetClaimStatus(c.ID, practice.ClaimExported); err != nil {
		return err
	}
	if c.Frequency != practice.FreqVoid {
		// A replacement's charges replace the original's: the original's
		// are taken back by a correcting adjustment (group CR).
		if c.ReplacesID != "" {
			if err := reverseCharges(tx, by, c.ReplacesID, corrected); err != nil {
				return err
			}
		}
		for i, l := range c.Content.Lines {
			e := practice.Entry{Kind: practice.EntryCharge, Party: practice.PartyInsurance, ClaimID: c.ID, Line: i + 1, PatientID: c.PatientID,
				PayerID: c.PayerID, AppointmentID: l.AppointmentID, AmountCents: l.ChargeCents, On: l.ServiceOn, AccountID: by.AccountID,
				Remarks: []string{}, ExpectedCents: rules.Expected[l.Code] * max(l.Units, 1)}
			if err := tx.AddEntry(&e); err != nil {
				return err
			}
		}
	} else if err := reverseCharges(tx, by, c.ReplacesID, corrected); err != nil {
		return err
	}
	return nil
}

// claimLedgers are claims' ledger entries by claim id.
type claimLedgers map[string][]practice.Entry

// correctedLedgers reads, in one query, the ledgers of the claims that
// claims replace or void: an export of thousands of corrections would
// otherwise ask for each one's entries in turn.
func correctedLedgers(tx Store, claims []practice.Claim) (claimLedgers, error) {
	var ids []string
	for _, c := range claims {
		if c.ReplacesID != "" {
			ids = append(ids, c.ReplacesID)
		}
	}
	out := claimLedgers{}
	if len(ids) == 0 {
		return out, nil
	}
	entries, err := tx.Entries(store.EntryFilter{ClaimIDs: dedupe(ids), AnyOrder: true})
	for _, e := range entries {
		out[e.ClaimID] = append(out[e.ClaimID], e)
	}
	return out, err
}

// reverseCharges takes back what the payer still owes on a corrected
// claim, line by line, with a correction adjustment (CR-129: prior
// processing information appears incorrect). What it posts is added to
// ledgers, which then stay true for the rest of the export (the scrubber
// refuses two corrections of one claim in a file as duplicates; this does
// not count on it).
func reverseCharges(tx Store, by practice.Actor, claimID string, ledgers claimLedgers) error {
	byLine := map[int][]practice.Entry{}
	for _, e := range ledgers[claimID] {
		byLine[e.Line] = append(byLine[e.Line], e)
	}
	for _, line := range slices.Sorted(maps.Keys(byLine)) {
		list := byLine[line]
		b := BalanceOf(list)
		if b.InsuranceCents <= 0 {
			continue
		}
		e := practice.Entry{Kind: practice.EntryAdjustment, Party: practice.PartyInsurance, ClaimID: claimID, Line: line, PatientID: list[0].PatientID,
			PayerID: list[0].PayerID, AmountCents: b.InsuranceCents, On: tx.Now().Format(time.DateOnly), AccountID: by.AccountID,
			GroupCode: "CR", ReasonCode: "129", Remarks: []string{}, Note: "Corrected by a replacement or void claim."}
		if err := tx.AddEntry(&e); err != nil {
			return err
		}
		ledgers[claimID] = append(ledgers[claimID], e)
	}
	return nil
}

func exportClaim(tx Store, f *scrubFacts, c practice.Claim) (ExportClaim, error) {
	ec := ExportClaim{Claim: c, Payer: f.payers[c.PayerID], Rules: f.rules[c.PayerID], Clinician: f.clinicians[c.ClinicianID]}
	var err error
	if ec.Patient, err = f.patient(tx, c.PatientID); err != nil {
		return ec, err
	}
	pol, ok, err := f.policy(tx, c.PatientID, c.Content.PolicyID)
	if err != nil {
		return ec, err
	}
	if ok {
		ec.Policy = pol
	}
	// What the claim carries wins over the policy as it is today.
	ec.Policy.MemberID, ec.Policy.GroupNumber, ec.Policy.Subscriber.Relationship = c.Content.MemberID, c.Content.GroupNumber, c.Content.Relationship
	return ec, nil
}

// LedgerCSV writes the ledger from from to to (inclusive, "" for no
// bound) as a spreadsheet-safe CSV: one row per entry, the patient named,
// every amount in dollars. Audited by the caller before a byte leaves.
func LedgerCSV(w io.Writer, tx Store, from, to string) (int, error) {
	entries, err := tx.Entries(store.EntryFilter{From: from, To: to, Notes: true})
	if err != nil {
		return 0, err
	}
	claims, err := tx.ClaimHeads(storeAll)
	if err != nil {
		return 0, err
	}
	number := map[string]string{}
	for _, c := range claims {
		number[c.ID] = c.Number
	}
	payers, err := tx.Payers()
	if err != nil {
		return 0, err
	}
	payerName := map[string]string{}
	for _, p := range payers {
		payerName[p.ID] = p.Name
	}
	names := map[string]string{}
	out := export.NewCSV(w)
	if err := out.Write([]string{"date", "posted", "patient", "claim", "line", "kind", "party", "payer", "debit", "credit", "method",
		"group", "reason", "remarks", "reference", "refund reason", "note"}); err != nil {
		return 0, err
	}
	for _, e := range entries {
		if _, ok := names[e.PatientID]; !ok {
			p, err := tx.Patient(e.PatientID)
			if err != nil {
				return 0, err
			}
			names[e.PatientID] = p.Identity.LastName + ", " + p.Identity.FirstName
		}
		// Debits raise what is owed, credits lower it; both are written
		// positive, so the spreadsheet-safe writer never quotes a minus.
		debit, credit := "", ""
		switch e.Kind.Sign() {
		case 1:
			debit = decimal(e.AmountCents)
		case -1:
			credit = decimal(e.AmountCents)
		}
		line := ""
		if e.Line > 0 {
			line = strconv.Itoa(e.Line)
		}
		if err := out.Write([]string{e.On, e.Posted.Format(time.RFC3339), names[e.PatientID], number[e.ClaimID], line, string(e.Kind), string(e.Party),
			payerName[e.PayerID], debit, credit, e.Method, e.GroupCode, e.ReasonCode, strings.Join(e.Remarks, " "), e.Reference, e.RefundReason, e.Note}); err != nil {
			return 0, err
		}
	}
	return len(entries), out.Flush()
}

// ClaimsCSV writes claims (one row per line) as a spreadsheet-safe CSV.
func ClaimsCSV(w io.Writer, tx Store, from, to string) (int, error) {
	claims, err := tx.Claims(storeAll)
	if err != nil {
		return 0, err
	}
	payers, err := tx.Payers()
	if err != nil {
		return 0, err
	}
	payerName := map[string]string{}
	for _, p := range payers {
		payerName[p.ID] = p.Name
	}
	out := export.NewCSV(w)
	if err := out.Write([]string{"claim", "frequency", "status", "patient", "payer", "line", "date of service", "code", "modifiers", "units",
		"charge", "place of service", "diagnoses", "authorization"}); err != nil {
		return 0, err
	}
	n := 0
	for i := len(claims) - 1; i >= 0; i-- {
		c := claims[i]
		content, _, err := sentContent(tx, c)
		if err != nil {
			return 0, err
		}
		sf, st := serviceSpan(content)
		if (from != "" && st < from) || (to != "" && sf > to) {
			continue
		}
		p, err := tx.Patient(c.PatientID)
		if err != nil {
			return 0, err
		}
		var dx []string
		for _, d := range content.Diagnoses {
			dx = append(dx, d.Code)
		}
		for j, l := range content.Lines {
			if err := out.Write([]string{c.Number, c.Frequency, string(c.Status), p.Identity.LastName + ", " + p.Identity.FirstName, payerName[c.PayerID],
				strconv.Itoa(j + 1), l.ServiceOn, l.Code, strings.Join(l.Modifiers, " "), strconv.Itoa(l.Units), decimal(l.ChargeCents), l.POS,
				strings.Join(dx, " "), content.AuthNumber}); err != nil {
				return 0, err
			}
		}
		n++
	}
	return n, out.Flush()
}

// decimal writes cents (never negative) as a number a spreadsheet sums: 1234.50.
func decimal(cents int) string {
	var b bytes.Buffer
	b.WriteString(strconv.Itoa(cents / 100))
	b.WriteByte('.')
	if cents%100 < 10 {
		b.WriteByte('0')
	}
	b.WriteString(strconv.Itoa(cents % 100))
	return b.String()
}

// Exportable lists the claims not sent yet whose services fall from from to
// to (local dates, "" for no bound) and that the scrubber passes, and
// counts those its errors hold back; audited as one read of those claims.
func (s *Service) Exportable(tx Store, by practice.Actor, from, to string) ([]string, int, error) {
	claims, err := tx.Claims(store.ClaimFilter{Status: []practice.ClaimStatus{practice.ClaimDraft, practice.ClaimReady}})
	if err != nil {
		return nil, 0, err
	}
	facts, err := s.loadScrubFacts(tx)
	if err != nil {
		return nil, 0, err
	}
	if err := facts.scrubbing(tx, claims); err != nil {
		return nil, 0, err
	}
	var ids []string
	held := 0
	for _, c := range claims {
		sf, st := serviceSpan(c.Content)
		if (from != "" && st < from) || (to != "" && sf > to) {
			continue
		}
		found, err := s.scrub(tx, facts, c)
		if err != nil {
			return nil, 0, err
		}
		blocked := false
		for _, f := range found {
			blocked = blocked || f.Severity == SevError
		}
		if blocked {
			held++
			continue
		}
		ids = append(ids, c.ID)
	}
	return ids, held, tx.Audit(by.AccountID, "claim.scrub", "claims", strings.Join(ids, " "))
}
