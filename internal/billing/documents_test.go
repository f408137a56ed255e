package billing_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"quietdesk/internal/billing"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// pdfText writes a PDF to a temp file and reads it back with pdftotext
// -layout (Poppler, installed by scripts/install-deps.sh).
func pdfText(t *testing.T, data []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// field is the value printed after "Label:" on its line.
func field(text, label string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), label+":") {
			return strings.TrimSpace(l[strings.Index(l, ":")+1:])
		}
	}
	return ""
}

// TestDocumentsReadBack renders the superbill, the statement and the
// CMS-1500 copy of an exported, partly paid claim and reads each back
// field by field.
func TestDocumentsReadBack(t *testing.T) {
	f := newFixture(t)
	v := f.exported("2027-03-01 09:00", "2027-03-02 09:00")
	f.update(func(tx *store.Tx) error {
		if _, err := f.svc.Post(tx, f.biller, practice.Entry{Kind: practice.EntryPayment, Party: practice.PartyInsurance, ClaimID: v.Claim.ID, PatientID: f.maria.ID, Line: 1,
			AmountCents: 9000, On: "2027-03-06", Remarks: []string{}}); err != nil {
			return err
		}
		_, err := f.svc.Post(tx, f.biller, practice.Entry{Kind: practice.EntryPatientResp, Party: practice.PartyInsurance, ClaimID: v.Claim.ID, PatientID: f.maria.ID, Line: 1,
			AmountCents: 2500, On: "2027-03-06", GroupCode: "PR", ReasonCode: "3", Remarks: []string{}})
		return err
	})
	doc := func(kind, id string) (string, string) {
		var data []byte
		var name string
		f.update(func(tx *store.Tx) (err error) {
			data, name, err = f.svc.Document(tx, f.biller, kind, id, "2027-03-01", "2027-03-07")
			return err
		})
		if !strings.HasPrefix(string(data), "%PDF-") {
			t.Fatalf("%s: not a PDF", kind)
		}
		return pdfText(t, data), name
	}

	t.Run("Superbill", func(t *testing.T) {
		text, name := doc("superbill", f.maria.ID)
		if name != "superbill-2027-03-01-2027-03-07.pdf" || strings.Contains(name, "Gonz") {
			t.Fatalf("file name %q", name)
		}
		for label, want := range map[string]string{"Practice": "Test Practice", "NPI": npi(t, "123456789"), "Tax ID": "12-3456789",
			"Taxonomy": "261QM0801X", "Name": "María González", "Date of birth": "05/01/1990", "Period": "03/01/2027 to 03/07/2027",
			"Total charges": "$320.00", "Paid by the patient": "$0.00", "Balance": "$320.00"} {
			if got := field(text, label); got != want {
				t.Errorf("%s: %q, want %q", label, got, want)
			}
		}
		rows := 0
		for _, l := range strings.Split(text, "\n") {
			cols := strings.Fields(l)
			if len(cols) > 0 && (cols[0] == "03/01/2027" || cols[0] == "03/02/2027") {
				rows++
				if want := []string{cols[0], "90837", "1", "11", "1", f.ana.NPI, "$160.00", "$0.00"}; strings.Join(cols, " ") != strings.Join(want, " ") {
					t.Errorf("service row %q, want %q", cols, want)
				}
			}
		}
		if rows != 2 {
			t.Fatalf("%d service rows:\n%s", rows, text)
		}
		if !strings.Contains(text, "1. F41.1") || !strings.Contains(text, "2. F43.10") || !strings.Contains(text, "Ana Ruiz, LCSW NPI "+f.ana.NPI) {
			t.Fatalf("diagnoses or clinician missing:\n%s", text)
		}
	})

	t.Run("Statement", func(t *testing.T) {
		text, _ := doc("statement", f.maria.ID)
		if !strings.Contains(text, "Copay (your insurance's answer)") || !strings.Contains(text, "Balance due: $25.00") {
			t.Fatalf("statement:\n%s", text)
		}
	})

	t.Run("CMS1500", func(t *testing.T) {
		text, name := doc("cms1500", v.Claim.ID)
		if name != "claim-"+v.Claim.Number+".pdf" {
			t.Fatalf("file name %q", name)
		}
		for label, want := range map[string]string{"1a Insured's ID number": "XYZ123456", "2 Patient's name": "González, María",
			"21 Diagnoses (ICD ind. 0)": "A. F41.1 B. F43.10", "23 Prior authorization number": "B-7781", "25 Federal tax ID (EIN)": "12-3456789",
			"28 Total charge": "$320.00", "33a Billing provider NPI": npi(t, "123456789"), "33b Taxonomy": "ZZ261QM0801X"} {
			if got := field(text, label); got != want {
				t.Errorf("%s: %q, want %q", label, got, want)
			}
		}
	})
}

// TestScrubberFindsNamesAn837PCannotCarry: accents and letters such as Ł are
// spelled out by the writer; a name in another script is found by the
// scrubber (naming the field and the fix) before the export would refuse it.
func TestScrubberFindsNamesAn837PCannotCarry(t *testing.T) {
	f := newFixture(t)
	a := f.session("2027-03-01 09:00", 53, false)
	v := f.batch(a.ID).Claims[0]
	if got := strings.Join(errorsOf(v), "\n"); strings.Contains(got, "Latin letters") {
		t.Fatalf("María González flagged:\n%s", got)
	}
	f.update(func(tx *store.Tx) error {
		p, err := tx.Patient(f.maria.ID)
		if err != nil {
			return err
		}
		p.Identity.LastName = "Łukasiewicz 李"
		return tx.UpdatePatient(&p)
	})
	f.update(func(tx *store.Tx) (err error) { v, err = f.svc.Claim(tx, f.biller, v.Claim.ID); return err })
	want := "patient.lastName: The patient's last name has “李”, which an 837P cannot carry (X12 files are in Latin letters)."
	if got := strings.Join(errorsOf(v), "\n"); !strings.Contains(got, want) {
		t.Fatalf("findings lack %q:\n%s", want, got)
	}
}

// TestUnbilledCountsFromWhenBillingBegan: sessions before the month of the
// first charge posted here were billed elsewhere (a practice moving its
// billing in); the dashboard counts the unbilled ones from that month on.
func TestUnbilledCountsFromWhenBillingBegan(t *testing.T) {
	f := newFixture(t)
	f.session("2027-01-15 09:00", 53, false) // before billing began here
	f.exported("2027-03-01 09:00")
	f.session("2027-03-03 09:00", 53, false) // after: waiting for a claim
	var d billing.Dashboard
	f.update(func(tx *store.Tx) (err error) { d, err = f.svc.Dashboard(tx, f.biller); return err })
	if d.Totals.UnbilledSessions != 1 {
		t.Fatalf("unbilled %d, want 1: %+v", d.Totals.UnbilledSessions, d.Unbilled)
	}
}

// A character beyond what the fonts print (an emoji a patient typed into
// their name, or the owner into the practice's) is printed replaced: the
// superbill is still made, not lost, and reads back with U+FFFD in its place.
func TestSuperbillPrintsAnEmojiReplaced(t *testing.T) {
	d := billing.SuperbillData{Practice: practice.Settings{Name: "Calm 🌿 Practice"}, From: "2027-03-01", To: "2027-03-07",
		Patient: practice.Patient{Identity: practice.PatientIdentity{FirstName: "Dana 😀", LastName: "Lee", DOB: "1990-05-01"}}}
	data, err := billing.DefaultRules().SuperbillPDF(d)
	if err != nil {
		t.Fatalf("the superbill was not made: %v", err)
	}
	text := pdfText(t, data)
	for label, want := range map[string]string{"Practice": "Calm \uFFFD Practice", "Name": "Dana \uFFFD Lee"} {
		if got := field(text, label); got != want {
			t.Errorf("%s: %q, want %q", label, got, want)
		}
	}
}
