package authorizations

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"quietdesk/internal/export"
	"quietdesk/internal/patients"
	"quietdesk/internal/pdf"
	"quietdesk/internal/practice"
)

// The EAP utilization report: what an EAP vendor asks for, per payer or
// per case. Minimum necessary: who (name, EAP member ID, case number), the
// sessions by date with their status and code, what remains, and benefit
// year totals; never a diagnosis or a note.

// Report is one EAP payer's utilization.
type Report struct {
	PayerName string       `json:"payerName"`
	Generated string       `json:"generated"` // YYYY-MM-DD
	Cases     []ReportCase `json:"cases"`
	Years     []YearTotal  `json:"years"`
}

// ReportCase is one authorization (an EAP case) in the report.
type ReportCase struct {
	Patient     string          `json:"patient"` // "First Last"
	MemberID    string          `json:"memberId"`
	CaseNumber  string          `json:"caseNumber"`
	Employer    string          `json:"employer"`
	BenefitYear string          `json:"benefitYear"`
	Start       string          `json:"start"`
	End         string          `json:"end"`
	Authorized  int             `json:"authorized"`
	Used        int             `json:"used"`
	Scheduled   int             `json:"scheduled"`
	Remaining   int             `json:"remaining"`
	Sessions    []ReportSession `json:"sessions"`
}

// ReportSession is one session of a case.
type ReportSession struct {
	Date   string `json:"date"`   // YYYY-MM-DD
	Status string `json:"status"` // in words: "Completed", "No-show (counted)"
	Code   string `json:"code"`
}

// YearTotal sums a benefit year's cases.
type YearTotal struct {
	Year       string `json:"year"`
	Cases      int    `json:"cases"`
	Authorized int    `json:"authorized"`
	Used       int    `json:"used"`
}

var statusWords = map[practice.Status]string{
	practice.Scheduled: "Scheduled", practice.Confirmed: "Confirmed", practice.CheckedIn: "Checked in",
	practice.Completed: "Completed", practice.Cancelled: "Cancelled", practice.NoShow: "No-show",
}

// Utilization gathers the report of an EAP payer's cases, or of the one
// case authorizationID ("" for every case of the payer), audited as an
// access to each patient named. Errors: EInvalid (not an EAP payer),
// ENotFound.
func (s *Service) Utilization(tx Store, by practice.Actor, payerID, authorizationID string) (Report, error) {
	payers, err := payerMap(tx)
	if err != nil {
		return Report{}, err
	}
	payer, ok := payers[payerID]
	if !ok {
		return Report{}, practice.FieldProblem("payerId", "Choose an existing payer.")
	}
	if payer.Kind != practice.PayerEAP {
		return Report{}, practice.FieldProblem("payerId", payer.Name+" is not an EAP; utilization reports are for EAP benefits.")
	}
	access, err := patients.AccessFor(tx, by)
	if err != nil {
		return Report{}, err
	}
	all, err := tx.AllAuthorizations()
	if err != nil {
		return Report{}, err
	}
	rep := Report{PayerName: payer.Name, Generated: tx.Now().Format(time.DateOnly), Cases: []ReportCase{}, Years: []YearTotal{}}
	isCase := func(a practice.Authorization) bool {
		return a.PayerID == payerID && a.Status == practice.AuthAuthorized && (authorizationID == "" || a.ID == authorizationID) && access.MayOpen(a.PatientID)
	}
	// Every authorization of each patient with a case: which one a session
	// uses is decided among all of them. all is ordered by patient.
	var theirs []practice.Authorization
	for _, auths := range byPatient(all) {
		if slices.ContainsFunc(auths, isCase) {
			theirs = append(theirs, auths...)
		}
	}
	sh, err := loadShared(tx)
	if err != nil {
		return Report{}, err
	}
	everyone, err := sh.everyone(tx, theirs, tx.Now())
	if err != nil {
		return Report{}, err
	}
	ids := make([]string, len(everyone))
	for i, f := range everyone {
		ids[i] = f.Auths[0].PatientID
	}
	who, err := identities(tx, ids)
	if err != nil {
		return Report{}, err
	}
	for _, f := range everyone {
		patientID := f.Auths[0].PatientID
		p := who[patientID]
		if err := tx.Audit(by.AccountID, "authorization.report", "patients", patientID); err != nil {
			return Report{}, err
		}
		usage := Derive(f)
		for _, a := range f.Auths {
			if isCase(a) {
				rep.Cases = append(rep.Cases, reportCase(f, a, usage[a.ID], p.FullName()))
			}
		}
	}
	if authorizationID != "" && len(rep.Cases) == 0 {
		return Report{}, practice.Errorf(practice.ENotFound, "That EAP case does not exist (it may have been removed on another machine).")
	}
	slices.SortFunc(rep.Cases, func(a, b ReportCase) int {
		return cmp.Or(cmp.Compare(a.Patient, b.Patient), cmp.Compare(a.Start, b.Start))
	})
	rep.Years = yearTotals(rep.Cases)
	return rep, nil
}

// reportCase is one EAP case of the report: its figures and its sessions.
func reportCase(f *Facts, a practice.Authorization, u *Usage, patient string) ReportCase {
	c := ReportCase{Patient: patient, MemberID: a.EAPMemberID, CaseNumber: a.EAPCaseNumber, Employer: a.Employer,
		BenefitYear: a.BenefitYear, Start: a.Start, End: a.End, Authorized: a.Authorized, Used: u.Used, Scheduled: u.Scheduled,
		Remaining: u.Remaining, Sessions: []ReportSession{}}
	for _, su := range u.Sessions {
		words := statusWords[su.Status]
		switch su.Use {
		case UseNoShow, UseLateCancel:
			words += " (counted)"
		}
		if su.Status == practice.Cancelled && su.Use == UseLateCancel {
			words = "Late cancellation (counted)"
		}
		c.Sessions = append(c.Sessions, ReportSession{Date: f.Day(su.Start), Status: words, Code: su.ServiceCode})
	}
	return c
}

// yearTotals sums the cases by benefit year (the start's year when none).
func yearTotals(cases []ReportCase) []YearTotal {
	years := map[string]*YearTotal{}
	for _, c := range cases {
		y := c.BenefitYear
		if y == "" {
			y = c.Start[:4]
		}
		if years[y] == nil {
			years[y] = &YearTotal{Year: y}
		}
		years[y].Cases++
		years[y].Authorized += c.Authorized
		years[y].Used += c.Used
	}
	out := []YearTotal{}
	for _, y := range years {
		out = append(out, *y)
	}
	slices.SortFunc(out, func(a, b YearTotal) int { return cmp.Compare(a.Year, b.Year) })
	return out
}

// ReportCSV is the report as a spreadsheet: one row per session, the
// case's figures on each.
func ReportCSV(r Report) ([]byte, error) {
	var buf bytes.Buffer
	w := export.NewCSV(&buf)
	if err := w.Write([]string{"payer", "patient", "eap_member_id", "case_number", "employer", "benefit_year", "case_start", "case_end",
		"authorized", "used", "scheduled", "remaining", "session_date", "status", "service_code"}); err != nil {
		return nil, err
	}
	for _, c := range r.Cases {
		head := []string{r.PayerName, c.Patient, c.MemberID, c.CaseNumber, c.Employer, c.BenefitYear, c.Start, c.End,
			strconv.Itoa(c.Authorized), strconv.Itoa(c.Used), strconv.Itoa(c.Scheduled), strconv.Itoa(c.Remaining)}
		if len(c.Sessions) == 0 {
			if err := w.Write(append(head, "", "", "")); err != nil {
				return nil, err
			}
		}
		for _, s := range c.Sessions {
			if err := w.Write(append(slices.Clone(head), s.Date, s.Status, s.Code)); err != nil {
				return nil, err
			}
		}
	}
	if err := w.Flush(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ReportPDF renders the report: a header, benefit year totals, then each
// case with its sessions.
func ReportPDF(r Report) ([]byte, error) {
	f := pdf.New()
	f.SetTitle("EAP utilization report", true)
	f.AddPage()
	f.SetFont(pdf.Sans, "B", 16)
	f.CellFormat(0, 9, "EAP utilization report", "", 1, "L", false, 0, "")
	f.SetFont(pdf.Sans, "", 10)
	f.CellFormat(0, 6, "Payer: "+r.PayerName, "", 1, "L", false, 0, "")
	f.CellFormat(0, 6, "Generated: "+r.Generated+"   Cases: "+strconv.Itoa(len(r.Cases)), "", 1, "L", false, 0, "")
	f.Ln(3)
	f.SetFont(pdf.Sans, "B", 11)
	f.CellFormat(0, 7, "Benefit year totals", "", 1, "L", false, 0, "")
	f.SetFont(pdf.Sans, "", 10)
	for _, y := range r.Years {
		f.CellFormat(0, 6, fmt.Sprintf("Benefit year %s: %d cases, %d sessions authorized, %d used", y.Year, y.Cases, y.Authorized, y.Used),
			"", 1, "L", false, 0, "")
	}
	for _, c := range r.Cases {
		f.Ln(4)
		f.SetFont(pdf.Sans, "B", 11)
		f.CellFormat(0, 7, c.Patient+" | Case "+c.CaseNumber, "", 1, "L", false, 0, "")
		f.SetFont(pdf.Sans, "", 9)
		f.CellFormat(0, 5, strings.Join([]string{"Member ID " + orNone(c.MemberID), "Employer " + orNone(c.Employer),
			"Benefit year " + orNone(c.BenefitYear)}, " | "), "", 1, "L", false, 0, "")
		f.CellFormat(0, 5, fmt.Sprintf("Period %s to %s | Authorized %d | Used %d | Scheduled %d | Remaining %d",
			c.Start, c.End, c.Authorized, c.Used, c.Scheduled, c.Remaining), "", 1, "L", false, 0, "")
		for _, s := range c.Sessions {
			f.CellFormat(30, 5, s.Date, "", 0, "L", false, 0, "")
			f.CellFormat(60, 5, s.Status, "", 0, "L", false, 0, "")
			f.CellFormat(0, 5, orNone(s.Code), "", 1, "L", false, 0, "")
		}
	}
	return pdf.Bytes(f)
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
