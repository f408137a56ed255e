package authorizations_test

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"quietdesk/internal/authorizations"
	"quietdesk/internal/calendar"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// TestUtilizationReport: Maria's Acme EAP case (6 sessions, March 2027):
// two completed, one no-show (counted), one booked. The PDF, read back
// with pdftotext, and the CSV carry every figure, counted by hand:
// used 2 + 1 = 3, booked 1, remaining 6 − 3 − 1 = 2. No notes reach it.
func TestUtilizationReport(t *testing.T) {
	f := newFixture(t)
	a := f.eapAuth(6)
	a.EAPMemberID, a.BenefitYear, a.Notes = "EM-4471", "2027", "private note never reported"
	auth := f.save(a).Authorization
	var ids []string
	for _, day := range []string{"2027-03-02", "2027-03-09", "2027-03-16", "2027-03-23"} {
		res, err := f.book(calendar.Booking{Appointment: f.session(f.ana, day+" 10:00")})
		f.must(err)
		ids = append(ids, res.Appointments[0].ID)
	}
	f.clock.Set(f.at("2027-03-20 12:00"))
	f.must(f.update(func(tx *store.Tx) error {
		for i, to := range []practice.Status{practice.Completed, practice.Completed, practice.NoShow} {
			ch := calendar.Change{To: to, Reason: "did not come"}
			if to == practice.Completed {
				ap, err := tx.Appointment(ids[i])
				if err != nil {
					return err
				}
				ch.Reason, ch.ActualStart, ch.ActualEnd = "", ap.Start, ap.End
			}
			if _, err := f.cal.SetStatus(tx, f.owner, calendar.StatusChange{ID: ids[i], Change: ch}); err != nil {
				return err
			}
		}
		return nil
	}))
	var rep authorizations.Report
	f.must(f.update(func(tx *store.Tx) (err error) { rep, err = f.auths.Utilization(tx, f.biller, f.eap.ID, ""); return err }))
	if len(rep.Cases) != 1 || rep.Cases[0].Used != 3 || rep.Cases[0].Scheduled != 1 || rep.Cases[0].Remaining != 2 {
		t.Fatalf("report %+v", rep)
	}

	doc, err := authorizations.ReportPDF(rep)
	f.must(err)
	path := filepath.Join(t.TempDir(), "report.pdf")
	f.must(os.WriteFile(path, doc, 0o600))
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v (run scripts/install-deps.sh)", err)
	}
	text := string(out)
	for _, want := range []string{"EAP utilization report", "Payer: Acme EAP", "Cases: 1",
		"Benefit year 2027: 1 cases, 6 sessions authorized, 3 used",
		"María González | Case CASE-9", "Member ID EM-4471 | Employer Acme Corp | Benefit year 2027",
		"Period 2027-03-01 to 2027-03-31 | Authorized 6 | Used 3 | Scheduled 1 | Remaining 2"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF lacks %q:\n%s", want, text)
		}
	}
	for i, want := range [][]string{{"2027-03-02", "Completed", "90837"}, {"2027-03-09", "Completed", "90837"},
		{"2027-03-16", "No-show (counted)", "90837"}, {"2027-03-23", "Scheduled", "90837"}} {
		if !containsLine(text, want) {
			t.Errorf("PDF lacks session %d %v:\n%s", i+1, want, text)
		}
	}
	if strings.Contains(text, "private note") || strings.Contains(text, "AUTH-1") {
		t.Errorf("the report carries a note or the claim number:\n%s", text)
	}

	raw, err := authorizations.ReportCSV(rep)
	f.must(err)
	rows, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	f.must(err)
	if len(rows) != 5 || rows[3][12] != "2027-03-16" || rows[3][13] != "No-show (counted)" || rows[1][1] != "María González" ||
		rows[1][2] != "EM-4471" || rows[1][9] != "3" || rows[1][11] != "2" {
		t.Fatalf("CSV rows %q", rows)
	}

	// One case alone, and a payer that is not an EAP.
	f.must(f.update(func(tx *store.Tx) (err error) {
		rep, err = f.auths.Utilization(tx, f.biller, f.eap.ID, auth.ID)
		return err
	}))
	if len(rep.Cases) != 1 {
		t.Fatalf("one case: %+v", rep)
	}
	err = f.update(func(tx *store.Tx) error { _, err := f.auths.Utilization(tx, f.biller, f.blue.ID, ""); return err })
	if practice.ErrorCode(err) != practice.EInvalid {
		t.Fatalf("report for an insurer: %v", err)
	}
}

// containsLine reports whether one line of text holds every part, in order.
func containsLine(text string, parts []string) bool {
	for _, line := range strings.Split(text, "\n") {
		rest, ok := line, true
		for _, p := range parts {
			i := strings.Index(rest, p)
			if i < 0 {
				ok = false
				break
			}
			rest = rest[i+len(p):]
		}
		if ok {
			return true
		}
	}
	return false
}
