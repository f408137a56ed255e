package bench_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"quietdesk/app"
	"quietdesk/internal/billing"
	"quietdesk/internal/pdf"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Billing on the large practice, through the facade a person's click
// reaches (role gate, one transaction, the audit entries), each against a
// baseline measured in the same run:
//
//   - scrubbing 5,000 draft claims (Billing.Scrub; target < 500 ms) against
//     reading and decrypting the same claims;
//   - exporting them as one 837P file (Billing.Export837: scrub, freeze,
//     submission, charges posted, audit, file written; target < 1 s)
//     against the same read;
//   - the billing dashboards on four years of ledger (Billing.Dashboard,
//     all six tables in one call; target < 200 ms) against reading the
//     ledger's plain columns;
//   - a superbill PDF (Billing.Document; target < 150 ms) against a PDF of
//     one line with the same embedded fonts.
//
// The large demo bills its whole history (four years of claims, charges,
// payments, contractual adjustments, copays and denials) but last week:
// the setup makes the 5,000 drafts as replacements of the newest claims
// sent (Billing.Correct, as the biller corrects a claim), on a copy made
// once per run.
const billingClaims = 5000

type billingPrep struct {
	dir     string
	drafts  []string // the 5,000 drafts' ids
	clean   []string // those of them the scrubber finds no error on
	resend  []string // claims sent before that fill the 5,000 (the 837P writer takes them)
	entries int      // ledger entries in the practice
	years   float64  // how far back the ledger reaches
	err     error
	kept    bool // dir is $QUIETDESK_BENCH_BILLING_KEEP: not removed at the end
}

// billingKeepEnv names a folder where the prepared practice is kept and
// reused by later runs (a minute of setup saved while measuring changes
// to billing; scripts/bench.sh leaves it unset and prepares afresh).
const billingKeepEnv = "QUIETDESK_BENCH_BILLING_KEEP"

// billingKept is what billingKeepEnv's folder records beside the practice.
type billingKept struct {
	Drafts  []string `json:"drafts"`
	Clean   []string `json:"clean"`
	Resend  []string `json:"resend"`
	Entries int      `json:"entries"`
	Years   float64  `json:"years"`
}

var (
	billingOnce sync.Once
	billingData billingPrep
)

// TestMain removes this process's copies of the practice: the demo's and
// the billing benchmarks' prepared one.
func TestMain(m *testing.M) {
	code := m.Run()
	if !billingData.kept && billingData.dir != "" {
		os.RemoveAll(billingData.dir)
	}
	if demoDir != "" {
		os.RemoveAll(demoDir)
	}
	os.Exit(code)
}

// savingDialogs answers the save dialog with a file in a folder.
type savingDialogs struct{ dir string }

func (d savingDialogs) SaveFile(_, name, _, _ string) (string, error) {
	return filepath.Join(d.dir, name), nil
}
func (savingDialogs) OpenFile(string, string, string) (string, error) { return "", nil }

// billingSession opens a copy of the prepared practice logged in as the
// owner, with the facade's save dialog writing into a temp folder.
func billingSession(b *testing.B) (*app.Billing, *store.DB, *billingPrep) {
	b.Helper()
	src, login := largeDemo(b)
	billingOnce.Do(func() { billingData = keptBilling(src, login.Username, login.Password) })
	if billingData.err != nil {
		b.Fatal(billingData.err)
	}
	dir := copyDemo(b, billingData.dir)
	db, err := store.Open(dir, opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	core := app.NewCore(app.Config{DB: db, Logger: opts.Logger, Dialogs: savingDialogs{b.TempDir()}})
	if _, err := app.NewSession(core).Login(login.Username, login.Password); err != nil {
		b.Fatal(err)
	}
	return app.NewBilling(core), db, &billingData
}

// keptBilling prepares the practice, or reuses the one kept in
// $QUIETDESK_BENCH_BILLING_KEEP.
func keptBilling(src, user, password string) billingPrep {
	keep := os.Getenv(billingKeepEnv)
	if keep == "" {
		return prepareBilling(src, user, password)
	}
	record := filepath.Join(keep, "prepared.json")
	var k billingKept
	if raw, err := os.ReadFile(record); err == nil && json.Unmarshal(raw, &k) == nil && len(k.Drafts) > 0 {
		return billingPrep{dir: keep, kept: true, drafts: k.Drafts, clean: k.Clean, resend: k.Resend, entries: k.Entries, years: k.Years}
	}
	p := prepareBilling(src, user, password)
	if p.err != nil {
		return p
	}
	if err := os.RemoveAll(keep); err != nil {
		p.err = err
		return p
	}
	if err := os.Rename(p.dir, keep); err != nil {
		p.err = err
		return p
	}
	p.dir, p.kept = keep, true
	raw, err := json.Marshal(billingKept{p.drafts, p.clean, p.resend, p.entries, p.years})
	if err == nil {
		err = os.WriteFile(record, raw, 0o600)
	}
	p.err = err
	return p
}

// prepareBilling copies the large demo once and adds the drafts.
func prepareBilling(src, user, password string) (p billingPrep) {
	start := time.Now()
	dir, err := os.MkdirTemp("", "quietdesk-bench-billing-")
	if err != nil {
		return billingPrep{err: err}
	}
	p.dir = dir
	for _, name := range []string{store.FileName, store.FileName + "-wal"} {
		data, err := os.ReadFile(filepath.Join(src, name))
		if os.IsNotExist(err) {
			continue
		}
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, name), data, 0o600)
		}
		if err != nil {
			p.err = err
			return p
		}
	}
	db, err := store.Open(dir, opts)
	if err != nil {
		p.err = err
		return p
	}
	defer db.Close()
	saved, err := os.MkdirTemp("", "quietdesk-bench-837-")
	if err != nil {
		p.err = err
		return p
	}
	defer os.RemoveAll(saved)
	core := app.NewCore(app.Config{DB: db, Logger: opts.Logger, Dialogs: savingDialogs{saved}})
	if _, err := app.NewSession(core).Login(user, password); err != nil {
		p.err = err
		return p
	}
	bill := app.NewBilling(core)
	ctx := context.Background()
	// The 5,000 drafts: replacements of the newest claims sent (a biller
	// correcting what was sent; the demo bills its whole history, so no
	// old sessions are left unbilled), made as the biller makes them.
	var originals []practice.Claim
	if err := db.View(ctx, func(tx *store.Tx) (err error) {
		originals, err = tx.ClaimHeads(store.ClaimFilter{Status: []practice.ClaimStatus{practice.ClaimPaid, practice.ClaimPartiallyPaid,
			practice.ClaimDenied, practice.ClaimExported}})
		return err
	}); err != nil {
		p.err = err
		return p
	}
	originals = slices.DeleteFunc(originals, func(c practice.Claim) bool { return c.Frequency != practice.FreqOriginal })
	if len(originals) < 2*billingClaims {
		p.err = fmt.Errorf("the large demo has %d claims sent (made before it billed its whole history?): delete %s/%s to make it again",
			len(originals), filepath.Dir(src), metaFile)
		return p
	}
	// Newest first: the demo numbers its claims in the order of their sessions.
	seq := func(c practice.Claim) int {
		n, _ := strconv.Atoi(c.Number[strings.LastIndex(c.Number, "-")+1:])
		return n
	}
	sort.Slice(originals, func(i, j int) bool { return seq(originals[i]) > seq(originals[j]) })
	// Written as Billing.Correct writes each (the claim as it was sent,
	// referencing it, audited) and the biller completes it, five hundred to
	// a transaction: through the
	// facade, each would also be scrubbed and shown, a quarter of an hour
	// for the 5,000 (the scrub is what the benchmark measures).
	replaced := map[string]bool{}
	var owner, prefix string
	todo := originals[:billingClaims]
	for start := 0; start < len(todo); start += 500 {
		ids := make([]string, 0, 500)
		for _, c := range todo[start:min(start+500, len(todo))] {
			ids = append(ids, c.ID)
		}
		if p.err = db.Update(ctx, func(tx *store.Tx) error {
			if owner == "" {
				accounts, err := tx.Accounts()
				if err != nil {
					return err
				}
				for _, a := range accounts {
					if a.Username == user {
						owner = a.ID
					}
				}
				bs, err := tx.BillingSettings()
				if err != nil {
					return err
				}
				prefix = bs.ClaimPrefix
			}
			list, err := tx.Claims(store.ClaimFilter{IDs: ids})
			if err != nil {
				return err
			}
			for _, c := range list {
				n := practice.Claim{PatientID: c.PatientID, PayerID: c.PayerID, ClinicianID: c.ClinicianID, Frequency: practice.FreqReplacement,
					ReplacesID: c.ID, Content: c.Content, AppointmentIDs: c.AppointmentIDs}
				// The payer's number for the original, as the biller types
				// it from the remittance (the demo records none).
				n.Content.OriginalRef = "ICN" + strings.NewReplacer("-", "").Replace(c.Number)
				if err := tx.CreateClaim(&n, prefix); err != nil {
					return err
				}
				if err := tx.Audit(owner, "claim.replace", "claims", n.ID); err != nil {
					return err
				}
				replaced[c.ID] = true
				p.drafts = append(p.drafts, n.ID)
			}
			return nil
		}); p.err != nil {
			return p
		}
	}
	found, err := bill.Scrub(p.drafts)
	if err != nil {
		p.err = err
		return p
	}
	refused := map[string]bool{}
	for _, f := range found {
		if f.Severity == billing.SevError {
			refused[f.ClaimID] = true
		}
	}
	for _, id := range p.drafts {
		if !refused[id] {
			p.clean = append(p.clean, id)
		}
	}
	if os.Getenv("QUIETDESK_BENCH_BILLING_FINDINGS") != "" {
		found, err := bill.Scrub(p.drafts)
		if err != nil {
			p.err = err
			return p
		}
		byField := map[string]int{}
		for _, f := range found {
			if f.Severity == billing.SevError {
				byField[f.Field+" "+f.Message[:min(60, len(f.Message))]]++
			}
		}
		for k, n := range byField {
			fmt.Fprintf(os.Stderr, "bench: %5d %s\n", n, k)
		}
	}
	if p.err = pickResends(db, bill, &p, replaced); p.err != nil {
		return p
	}
	p.err = db.View(ctx, func(tx *store.Tx) error {
		e, err := tx.Entries(store.EntryFilter{})
		p.entries = len(e)
		if len(e) > 0 {
			first, _ := time.Parse(time.DateOnly, e[0].On)
			p.years = time.Since(first).Hours() / 24 / 365.25
		}
		return err
	})
	fmt.Fprintf(os.Stderr, "bench: billing practice prepared in %.1f s: %d drafts (%d without errors), %d claims to re-send, %d ledger entries over %.1f years\n",
		time.Since(start).Seconds(), len(p.drafts), len(p.clean), len(p.resend), p.entries, p.years)
	return p
}

// pickResends chooses the claims sent before that fill the export of
// 5,000 beside the drafts the scrubber passes (replacements of claims
// months old are past some payers' timely filing, or before a credential's
// date): claims not replaced whose patient's address is complete,
// then a trial export, dropping any the 837P writer refuses (the demo's
// history was never written through it).
func pickResends(db *store.DB, bill *app.Billing, p *billingPrep, replaced map[string]bool) error {
	need := billingClaims - len(p.clean)
	sent, err := bill.Claims(billing.ClaimFilter{Status: []practice.ClaimStatus{practice.ClaimPaid, practice.ClaimPartiallyPaid,
		practice.ClaimDenied, practice.ClaimExported}})
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(sent))
	for _, c := range sent {
		if !replaced[c.ID] {
			ids = append(ids, c.ID)
		}
	}
	number := map[string]string{}
	err = db.View(context.Background(), func(tx *store.Tx) error {
		// A thousand at a time: the whole history's claims are more than
		// one query may name.
		for start := 0; start < len(ids) && len(p.resend) < need+need/10; start += 1000 {
			list, err := tx.Claims(store.ClaimFilter{IDs: ids[start:min(start+1000, len(ids))]})
			if err != nil {
				return err
			}
			for _, c := range list {
				if len(p.resend) == need+need/10 {
					break
				}
				pt, err := tx.Patient(c.PatientID)
				if err != nil {
					return err
				}
				if a := pt.Contact.Address; a.Line1 != "" && a.City != "" && len(a.State) == 2 && a.Zip != "" && c.Frequency == practice.FreqOriginal {
					p.resend = append(p.resend, c.ID)
					number[c.Number] = c.ID
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	refused := regexp.MustCompile(`claim (\S+), `)
	for tries := 0; ; tries++ {
		if len(p.resend) < need {
			return fmt.Errorf("only %d sent claims to fill the 5,000", len(p.resend))
		}
		_, err := bill.Export837(p.resend[:need])
		if err == nil {
			p.resend = p.resend[:need]
			return nil
		}
		m := refused.FindStringSubmatch(practice.ErrorMessage(err))
		if m == nil || tries == 100 {
			return fmt.Errorf("trial export: %w", err)
		}
		p.resend = slices.DeleteFunc(p.resend, func(id string) bool { return id == number[m[1]] })
	}
}

// readClaims is the baseline of scrubbing and exporting: the same claims
// read and decrypted in one transaction.
func readClaims(b *testing.B, db *store.DB, ids []string) time.Duration {
	b.Helper()
	t := time.Now()
	err := db.View(context.Background(), func(tx *store.Tx) error {
		list, err := tx.Claims(store.ClaimFilter{IDs: ids})
		if err == nil && len(list) != len(ids) {
			err = fmt.Errorf("read %d of %d claims", len(list), len(ids))
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return time.Since(t)
}

func ratioMetrics(b *testing.B, took, base []time.Duration) {
	report(b, "", took)
	sort.Slice(base, func(i, j int) bool { return base[i] < base[j] })
	b.ReportMetric(ms(percentile(base, 50)), "baseline-p50-ms")
	b.ReportMetric(ms(percentile(took, 50))/ms(percentile(base, 50)), "x-baseline")
}

// BenchmarkBillingScrub scrubs the 5,000 drafts as Billing.Scrub does.
func BenchmarkBillingScrub(b *testing.B) {
	bill, db, p := billingSession(b)
	var took, base []time.Duration
	findings := 0
	b.ResetTimer()
	for range b.N {
		for range 3 {
			base = append(base, readClaims(b, db, p.drafts))
			t := time.Now()
			f, err := bill.Scrub(p.drafts)
			took = append(took, time.Since(t))
			if err != nil {
				b.Fatal(err)
			}
			findings = len(f)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(len(p.drafts)), "claims")
	b.ReportMetric(float64(findings), "findings")
	ratioMetrics(b, took, base)
}

// BenchmarkBillingExport837 exports 5,000 claims in one 837P file as
// Billing.Export837 does: the drafts the scrubber finds no error on (first
// exports: frozen, submitted, charges posted) and, to fill the 5,000,
// claims sent before, which go again as they were (pickResends). Each run starts from its own copy, so every draft is a first
// export.
func BenchmarkBillingExport837(b *testing.B) {
	var took, base []time.Duration
	var size int
	var clean int
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		bill, db, p := billingSession(b)
		ids := append(append([]string{}, p.clean...), p.resend...)
		clean = len(p.clean)
		base = append(base, readClaims(b, db, ids))
		b.StartTimer()
		t := time.Now()
		path, err := bill.Export837(ids)
		took = append(took, time.Since(t))
		if err != nil {
			b.Fatal(err)
		}
		st, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		size = int(st.Size())
	}
	b.StopTimer()
	b.ReportMetric(billingClaims, "claims")
	b.ReportMetric(float64(clean), "first-exports")
	b.ReportMetric(float64(size)/1024, "file-KiB")
	ratioMetrics(b, took, base)
}

// BenchmarkBillingClaimsList lists the claims as the Billing screen does at
// every refresh (Billing.Claims: every draft and the newest 200 others,
// with what each still owes and its patient's name, audited) on four
// years of claims, against reading every claim's plain columns.
func BenchmarkBillingClaimsList(b *testing.B) {
	bill, db, p := billingSession(b)
	var took, base []time.Duration
	var rows int
	b.ResetTimer()
	for range b.N {
		for range 5 {
			t := time.Now()
			if err := db.View(context.Background(), func(tx *store.Tx) error {
				_, err := tx.ClaimHeads(store.ClaimFilter{})
				return err
			}); err != nil {
				b.Fatal(err)
			}
			base = append(base, time.Since(t))
			t = time.Now()
			list, err := bill.Claims(billing.ClaimFilter{Newest: 200})
			took = append(took, time.Since(t))
			if err != nil || len(list) < len(p.drafts) {
				b.Fatalf("claims: %v (%d rows, %d drafts)", err, len(list), len(p.drafts))
			}
			rows = len(list)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(rows), "rows")
	ratioMetrics(b, took, base)
}

// BenchmarkBillingDashboard derives the six dashboards (Billing.Dashboard)
// on the four years of ledger.
func BenchmarkBillingDashboard(b *testing.B) {
	bill, db, p := billingSession(b)
	var took, base []time.Duration
	b.ResetTimer()
	for range b.N {
		for range 5 {
			t := time.Now()
			if err := db.View(context.Background(), func(tx *store.Tx) error {
				_, err := tx.Entries(store.EntryFilter{})
				return err
			}); err != nil {
				b.Fatal(err)
			}
			base = append(base, time.Since(t))
			t = time.Now()
			d, err := bill.Dashboard()
			took = append(took, time.Since(t))
			if err != nil || len(d.Aging) == 0 {
				b.Fatalf("dashboard: %v (%d aging rows)", err, len(d.Aging))
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(p.entries), "entries")
	b.ReportMetric(p.years, "years")
	ratioMetrics(b, took, base)
}

// BenchmarkBillingSuperbill makes the superbill PDF (Billing.Document) of
// the patient with the most sessions in the drafts' six months.
func BenchmarkBillingSuperbill(b *testing.B) {
	bill, db, p := billingSession(b)
	count := map[string]int{}
	var first, last string
	if err := db.View(context.Background(), func(tx *store.Tx) error {
		list, err := tx.Claims(store.ClaimFilter{IDs: p.drafts})
		for _, c := range list {
			count[c.PatientID] += len(c.Content.Lines)
			for _, l := range c.Content.Lines {
				if first == "" || l.ServiceOn < first {
					first = l.ServiceOn
				}
				last = max(last, l.ServiceOn)
			}
		}
		return err
	}); err != nil {
		b.Fatal(err)
	}
	patient := ""
	for id, n := range count {
		if patient == "" || n > count[patient] || (n == count[patient] && id < patient) {
			patient = id
		}
	}
	var took, base []time.Duration
	size := 0
	b.ResetTimer()
	for range b.N {
		for range 10 {
			t := time.Now()
			f := pdf.New()
			f.AddPage()
			f.SetFont(pdf.Sans, "B", 16)
			f.CellFormat(0, 9, "Superbill", "", 1, "L", false, 0, "")
			f.SetFont(pdf.Sans, "", 10)
			f.CellFormat(0, 6, "Baseline: one line in the same fonts", "", 1, "L", false, 0, "")
			if _, err := pdf.Bytes(f); err != nil {
				b.Fatal(err)
			}
			base = append(base, time.Since(t))
			t = time.Now()
			path, err := bill.Document("superbill", patient, first, last)
			took = append(took, time.Since(t))
			if err != nil {
				b.Fatal(err)
			}
			st, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			size = int(st.Size())
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(count[patient]), "lines")
	b.ReportMetric(float64(size)/1024, "pdf-KiB")
	ratioMetrics(b, took, base)
}
