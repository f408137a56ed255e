package billing

import (
	"strconv"
	"strings"
	"time"

	"quietdesk/internal/pdf"
	"quietdesk/internal/practice"
)

// The PDF renderers of Rules: the superbill, the patient statement and the
// CMS-1500-layout copy of a claim. Each prints its values one per line or
// row, labelled, so pdftotext reads them back field by field (the tests
// and the browser end-to-end do).

// SuperbillPDF renders what a patient needs to claim out-of-network
// reimbursement: the practice as billing provider (name, address, tax ID,
// group NPI, taxonomy), the patient, the diagnoses, and each service with
// its date, CPT code, modifiers, units, place of service, diagnosis
// pointers, rendering clinician's NPI, charge and what the patient paid.
func (defaultRules) SuperbillPDF(d SuperbillData) ([]byte, error) {
	f := pdf.New()
	f.SetTitle("Superbill", true)
	f.AddPage()
	heading(f, "Superbill", "Statement of services for insurance reimbursement")
	providerBlock(f, d.Practice, d.Billing)
	f.Ln(2)
	section(f, "Patient")
	field(f, "Name", patientName(d.Patient))
	field(f, "Date of birth", usDate(d.Patient.Identity.DOB))
	field(f, "Address", oneLine(d.Patient.Contact.Address))
	field(f, "Period", usDate(d.From)+" to "+usDate(d.To))
	f.Ln(2)
	section(f, "Diagnoses (ICD-10-CM)")
	if len(d.Diagnoses) == 0 {
		line(f, "None recorded.")
	}
	for i, x := range d.Diagnoses {
		line(f, strconv.Itoa(i+1)+". "+x.Code+"  "+x.Description)
	}
	f.Ln(2)
	section(f, "Services")
	cols := []float64{24, 16, 22, 12, 11, 10, 27, 25, 25}
	row(f, cols, true, "Date", "CPT", "Modifiers", "Units", "POS", "Dx", "Rendering NPI", "Charge", "Paid")
	var charged, paid int
	clinicians := map[string]practice.Clinician{}
	var order []string
	for _, l := range d.Lines {
		row(f, cols, false, usDate(l.ServiceOn), l.Code, strings.Join(l.Modifiers, " "), strconv.Itoa(l.Units), l.POS,
			pointers(l.Pointers), l.Clinician.NPI, dollars(l.ChargeCents), dollars(l.PaidCents))
		charged += l.ChargeCents
		paid += l.PaidCents
		if _, ok := clinicians[l.Clinician.ID]; !ok {
			clinicians[l.Clinician.ID] = l.Clinician
			order = append(order, l.Clinician.ID)
		}
	}
	if len(d.Lines) == 0 {
		line(f, "No completed session in this period.")
	}
	f.Ln(2)
	field(f, "Total charges", dollars(charged))
	field(f, "Paid by the patient", dollars(paid))
	field(f, "Balance", dollars(charged-paid))
	f.Ln(2)
	section(f, "Rendering clinicians")
	for _, id := range order {
		c := clinicians[id]
		line(f, clinicianName(c)+"  NPI "+c.NPI+"  Taxonomy "+orDash(c.Taxonomy))
	}
	f.Ln(4)
	line(f, "Place of service: 11 office, 02 telehealth other than home, 10 telehealth in the patient's home, 53 community mental health center.")
	line(f, "Prepared "+d.Created.Format("01/02/2006")+" by "+d.Practice.Name+".")
	return pdf.Bytes(f)
}

// StatementPDF renders a patient statement: the period's charges and
// payments on the patient's side and the balance due.
func (defaultRules) StatementPDF(d StatementData) ([]byte, error) {
	f := pdf.New()
	f.SetTitle("Statement", true)
	f.AddPage()
	heading(f, "Statement", "Statement date "+d.Created.Format("01/02/2006"))
	providerBlock(f, d.Practice, d.Billing)
	f.Ln(2)
	section(f, "Patient")
	field(f, "Name", patientName(d.Patient))
	field(f, "Address", oneLine(d.Patient.Contact.Address))
	field(f, "Period", usDate(d.From)+" to "+usDate(d.To))
	f.Ln(2)
	cols := []float64{26, 90, 30, 30}
	row(f, cols, true, "Date", "Description", "Charges", "Credits")
	row(f, cols, false, usDate(d.From), "Previous balance", dollars(d.PreviousDue), "")
	for _, l := range d.Lines {
		debit, credit := "", ""
		if l.DebitCents != 0 {
			debit = dollars(l.DebitCents)
		}
		if l.CreditCents != 0 {
			credit = dollars(l.CreditCents)
		}
		row(f, cols, false, usDate(l.On), l.Description, debit, credit)
	}
	f.Ln(3)
	f.SetFont(pdf.Sans, "B", 12)
	f.CellFormat(0, 7, "Balance due: "+dollars(max(d.BalanceCents, 0)), "", 1, "L", false, 0, "")
	if d.BalanceCents < 0 {
		field(f, "Credit on your account", dollars(-d.BalanceCents))
	}
	if d.Billing.StatementNote != "" {
		f.Ln(2)
		line(f, d.Billing.StatementNote)
	}
	return pdf.Bytes(f)
}

// CMS1500PDF renders a claim as the CMS-1500 (02/12) form's items, each
// labelled with its item number: a copy for the practice's files or a
// payer that wants paper, not a form to print onto red-ink stock.
func (defaultRules) CMS1500PDF(s practice.Settings, b practice.BillingSettings, c ExportClaim) ([]byte, error) {
	f := pdf.New()
	f.SetTitle("CMS-1500 copy", true)
	f.AddPage()
	freq := map[string]string{"7": " (replacement of " + c.Claim.Content.OriginalRef + ")", "8": " (void of " + c.Claim.Content.OriginalRef + ")"}[c.Claim.Frequency]
	heading(f, "Health insurance claim form (CMS-1500 layout)", "Claim "+c.Claim.Number+freq)
	cc := c.Claim.Content
	p := c.Patient.Identity
	field(f, "Payer", c.Payer.Name+"  (payer ID "+c.Payer.PayerID+")")
	field(f, "1a Insured's ID number", cc.MemberID)
	field(f, "2 Patient's name", p.LastName+", "+p.FirstName)
	field(f, "3 Patient's birth date, sex", usDate(p.DOB)+"  "+p.Sex)
	field(f, "5 Patient's address", oneLine(c.Patient.Contact.Address))
	field(f, "6 Relationship to insured", cc.Relationship)
	field(f, "11 Insured's group number", orDash(cc.GroupNumber))
	field(f, "19 Claim note", orDash(cc.Note))
	dx := make([]string, 0, len(cc.Diagnoses))
	for i, d := range cc.Diagnoses {
		dx = append(dx, string(rune('A'+i))+". "+d.Code)
	}
	field(f, "21 Diagnoses (ICD ind. 0)", strings.Join(dx, "   "))
	field(f, "22 Resubmission code, original ref.", orDash(strings.TrimSpace(map[string]string{"7": "7", "8": "8"}[c.Claim.Frequency]+" "+cc.OriginalRef)))
	field(f, "23 Prior authorization number", orDash(cc.AuthNumber))
	f.Ln(2)
	section(f, "24 Services")
	cols := []float64{24, 12, 16, 22, 14, 24, 12, 30}
	row(f, cols, true, "A Date", "B POS", "D CPT", "Modifiers", "E Dx", "F Charges", "G Units", "J Rendering NPI")
	for _, l := range cc.Lines {
		row(f, cols, false, usDate(l.ServiceOn), l.POS, l.Code, strings.Join(l.Modifiers, " "), letters(l.Pointers),
			dollars(l.ChargeCents), strconv.Itoa(max(l.Units, 1)), c.Clinician.NPI)
	}
	f.Ln(2)
	field(f, "25 Federal tax ID (EIN)", s.TaxID)
	field(f, "26 Patient's account no.", c.Claim.Number)
	field(f, "28 Total charge", dollars(cc.TotalCents()))
	field(f, "31 Rendering clinician", clinicianName(c.Clinician))
	field(f, "32 Service facility", s.Name+", "+oneLine(s.Address))
	field(f, "33 Billing provider", s.Name+", "+oneLine(s.Address)+"  "+s.Phone)
	field(f, "33a Billing provider NPI", s.NPI)
	field(f, "33b Taxonomy", "ZZ"+b.Taxonomy)
	return pdf.Bytes(f)
}

func heading(f *pdf.Doc, title, sub string) {
	f.SetFont(pdf.Sans, "B", 16)
	f.CellFormat(0, 9, title, "", 1, "L", false, 0, "")
	f.SetFont(pdf.Sans, "", 10)
	f.CellFormat(0, 6, sub, "", 1, "L", false, 0, "")
	f.Ln(2)
}

func providerBlock(f *pdf.Doc, s practice.Settings, b practice.BillingSettings) {
	section(f, "Provider")
	field(f, "Practice", s.Name)
	field(f, "Address", oneLine(s.Address))
	field(f, "Phone", s.Phone)
	field(f, "Tax ID", s.TaxID)
	field(f, "NPI", s.NPI)
	field(f, "Taxonomy", orDash(b.Taxonomy))
}

func section(f *pdf.Doc, title string) {
	f.SetFont(pdf.Sans, "B", 11)
	f.CellFormat(0, 7, title, "", 1, "L", false, 0, "")
	f.SetFont(pdf.Sans, "", 10)
}

func field(f *pdf.Doc, label, value string) {
	f.SetFont(pdf.Sans, "", 10)
	f.CellFormat(60, 5.5, label+":", "", 0, "L", false, 0, "")
	f.MultiCell(0, 5.5, value, "", "L", false)
}

func line(f *pdf.Doc, text string) {
	f.SetFont(pdf.Sans, "", 9)
	f.MultiCell(0, 5, text, "", "L", false)
}

func row(f *pdf.Doc, widths []float64, head bool, cells ...string) {
	style, border := "", ""
	if head {
		style, border = "B", "B"
	}
	f.SetFont(pdf.Sans, style, 9)
	for i, c := range cells {
		f.CellFormat(widths[i], 6, c, border, 0, "L", false, 0, "")
	}
	f.Ln(-1)
}

func patientName(p practice.Patient) string {
	return strings.TrimSpace(p.Identity.FirstName + " " + p.Identity.LastName)
}

func clinicianName(c practice.Clinician) string {
	n := strings.TrimSpace(c.FirstName + " " + c.LastName)
	if c.Credentials != "" {
		n += ", " + c.Credentials
	}
	return n
}

func oneLine(a practice.Address) string {
	parts := []string{}
	for _, s := range []string{a.Line1, a.Line2, a.City} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	out := strings.Join(parts, ", ")
	if st := strings.TrimSpace(a.State + " " + a.Zip); st != "" {
		out += " " + st
	}
	return orDash(strings.TrimSpace(out))
}

// usDate turns YYYY-MM-DD into MM/DD/YYYY, as US forms print dates.
func usDate(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.Format("01/02/2006")
}

func pointers(ps []int) string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, strconv.Itoa(p))
	}
	return strings.Join(out, ",")
}

func letters(ps []int) string {
	var b strings.Builder
	for _, p := range ps {
		if p >= 1 && p <= 12 {
			b.WriteRune(rune('A' + p - 1))
		}
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
