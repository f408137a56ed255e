// Package x12 writes health care claims as ASC X12 837P files, version
// 005010X222A1 (the professional claim HIPAA names), from plain structs.
//
// One Write is one interchange (ISA…IEA) to one receiver (a payer or a
// clearinghouse) holding one functional group and one transaction set with
// every claim. The caller supplies the control numbers, because only the
// billing service knows which numbers it has used; this package counts the
// segments and writes the trailers.
//
// Separators are fixed: * between elements, : between components, ^ for
// repetition and ~ ending a segment. A value containing any of them would
// silently split a field at the receiver, so it is refused with an error
// naming the field; accented letters are folded to ASCII (X12's character
// sets are ASCII), and anything that cannot be folded is refused.
package x12

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"quietdesk/internal/billing/npi"
)

// Batch is one interchange.
type Batch struct {
	// Control numbers: ISA13 (1–999999999), GS06 and ST02, each unique per
	// sender; the service keeps the counter.
	InterchangeControl int
	GroupControl       int
	TransactionControl int
	Created            time.Time // written as is: pass the practice's local time
	Test               bool      // ISA15 T instead of P
	// SenderID and ReceiverID go in ISA06/ISA08 and GS02/GS03, as the
	// clearinghouse assigned them (qualifier ZZ, mutually defined).
	SenderID   string
	ReceiverID string
	// Reference is BHT03, the batch's own id (kept by the service).
	Reference       string
	Submitter       Submitter
	ReceiverName    string
	BillingProvider BillingProvider
	Claims          []Claim
}

// Submitter is loop 1000A: who sent the file and whom to call about it.
type Submitter struct {
	Name    string // the practice
	ID      string // the submitter id the receiver gave
	Contact string
	Phone   string // digits
}

// Address is a postal address (N3/N4).
type Address struct {
	Line1, Line2, City, State, Zip string
}

// BillingProvider is loop 2000A/2010AA: the practice as a group.
type BillingProvider struct {
	Name     string
	NPI      string // type 2 (organization) NPI
	TaxID    string // EIN, nine digits
	Taxonomy string // NUCC code, e.g. 261QM0801X
	Address  Address
}

// Person is a subscriber or a patient.
type Person struct {
	Last, First, Middle string
	MemberID            string // subscriber only: the payer's member id
	DOB                 string // YYYY-MM-DD
	Gender              string // F, M or U
	Address             Address
}

// Payer is loop 2010BB.
type Payer struct {
	Name string
	ID   string // the payer id the clearinghouse lists
	// FilingIndicator is SBR09: CI commercial, MB Medicare Part B, MC
	// Medicaid, BL Blue Cross/Blue Shield, HM HMO, 11 other non-federal…
	FilingIndicator string
}

// Rendering is loop 2310B: the clinician who saw the patient, when not the
// billing provider.
type Rendering struct {
	Last, First string
	NPI         string
	Taxonomy    string
}

// Claim is one CLM with its subscriber, patient and lines.
type Claim struct {
	ID string // CLM01, the practice's claim number (at most 20 characters)
	// Frequency is CLM05-3: "1" original, "7" replacement, "8" void; 7 and
	// 8 need OriginalRef, the payer's claim control number (REF*F8).
	Frequency   string
	OriginalRef string
	POS         string // CLM05-1, e.g. 11, 10, 02
	PriorAuth   string // REF*G1 at the claim
	// Diagnoses are ICD-10-CM codes, principal first, at most 12 (dotted
	// or not: the dot is removed).
	Diagnoses  []string
	Subscriber Person
	// Relationship is the patient's to the subscriber: "18" self (no
	// patient loop), or the PAT01 code (01 spouse, 19 child, 20 employee,
	// 21 unknown, 39 organ donor, 40 cadaver donor, 53 life partner, G8
	// other) with Patient set.
	Relationship string
	Patient      *Person
	GroupNumber  string // SBR03
	Payer        Payer
	Rendering    *Rendering
	Lines        []Line
}

// Line is one service line (loop 2400).
type Line struct {
	Code        string
	Modifiers   []string // at most four
	ChargeCents int64
	Units       int
	Date        string // YYYY-MM-DD
	Pointers    []int  // 1-based into Claim.Diagnoses, at most four
	PriorAuth   string // REF*G1 on the line, where the payer wants it
}

// Error is a batch that cannot be written, naming the claim and field.
type Error struct {
	Claim   string // "" for the batch
	Field   string
	Message string
}

func (e *Error) Error() string {
	if e.Claim != "" {
		return "claim " + e.Claim + ", " + e.Field + ": " + e.Message
	}
	return e.Field + ": " + e.Message
}

// writer builds the file; the first problem is kept and ends the work.
type writer struct {
	b        strings.Builder
	segments int // from ST on, for SE01
	claim    string
	err      *Error
}

func (w *writer) fail(field, format string, args ...any) {
	if w.err == nil {
		w.err = &Error{Claim: w.claim, Field: field, Message: fmt.Sprintf(format, args...)}
	}
}

// latin spells the Latin letters that do not decompose into a base letter
// and an accent as payers' member files do, and typographic punctuation.
var latin = map[rune]string{'Ł': "L", 'ł': "l", 'Ø': "O", 'ø': "o", 'Đ': "D", 'đ': "d", 'Ħ': "H", 'ħ': "h", 'ı': "i",
	'ß': "ss", 'Æ': "AE", 'æ': "ae", 'Œ': "OE", 'œ': "oe", 'Þ': "TH", 'þ': "th", 'Ð': "D", 'ð': "d",
	'‘': "'", '’': "'", 'ʻ': "'", '“': "\"", '”': "\"", '–': "-", '—': "-", '\u00a0': " "}

// Unwritable returns the first character of v that a file cannot carry even
// spelled out (a script other than Latin), or 0 when v can be written. The
// scrubber asks it so that what the writer would refuse is found first.
func Unwritable(v string) rune {
	for _, r := range norm.NFD.String(v) {
		if !(r >= 0x20 && r < 0x80) && !unicode.Is(unicode.Mn, r) && latin[r] == "" && !unicode.IsSpace(r) {
			return r
		}
	}
	return 0
}

// clean makes a value safe for the file: folded to ASCII, spaces joined,
// refused if it holds a separator.
func (w *writer) clean(field, v string) string {
	v = strings.Join(strings.Fields(v), " ")
	ascii := true
	for i := 0; i < len(v); i++ {
		if v[i] >= 0x80 || v[i] < 0x20 {
			ascii = false
			break
		}
	}
	if !ascii {
		var out strings.Builder
		for _, r := range norm.NFD.String(v) {
			switch {
			case unicode.Is(unicode.Mn, r):
				// a combining accent: dropped (é → e)
			case r < 0x80 && r >= 0x20:
				out.WriteRune(r)
			case latin[r] != "":
				out.WriteString(latin[r]) // a letter with no accent to drop (Ł → L)
			default:
				w.fail(field, "%q cannot be written in an X12 file (ASCII only); spell it in Latin letters.", r)
				return ""
			}
		}
		v = out.String()
	}
	if strings.ContainsAny(v, "*~:^") {
		w.fail(field, "contains one of * ~ : ^, which separate X12 fields; remove it.")
		return ""
	}
	return v
}

// seg writes one segment from its id and elements, trailing empty
// elements dropped (X12 forbids them).
func (w *writer) seg(id string, elems ...string) {
	for len(elems) > 0 && elems[len(elems)-1] == "" {
		elems = elems[:len(elems)-1]
	}
	w.b.WriteString(id)
	for _, e := range elems {
		w.b.WriteByte('*')
		w.b.WriteString(e)
	}
	w.b.WriteString("~\n")
	w.segments++
}

func (w *writer) required(field, v string) string {
	v = w.clean(field, v)
	if v == "" {
		w.fail(field, "is required.")
	}
	return v
}

func pad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return s + strings.Repeat(" ", n-len(s))
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// date turns YYYY-MM-DD into CCYYMMDD.
func (w *writer) date(field, s string) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		w.fail(field, "%q is not a date (YYYY-MM-DD).", s)
		return ""
	}
	return d.Format("20060102")
}

// Amount writes cents as X12 writes money: no trailing zeros, no point
// for whole dollars (15000 → 150, 15050 → 150.5).
func Amount(cents int64) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	s := strconv.FormatInt(cents/100, 10)
	if c := cents % 100; c != 0 {
		s += "." + strings.TrimRight(fmt.Sprintf("%02d", c), "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Write returns the 837P interchange for b, or an *Error naming the
// first field that cannot be written.
func Write(b Batch) ([]byte, error) {
	w := &writer{}
	w.b.Grow(512 + 700*len(b.Claims))
	if b.InterchangeControl < 1 || b.InterchangeControl > 999999999 || b.GroupControl < 1 || b.GroupControl > 999999999 ||
		b.TransactionControl < 1 || b.TransactionControl > 999999999 {
		return nil, &Error{Field: "control numbers", Message: "each must be between 1 and 999999999."}
	}
	if len(b.Claims) == 0 {
		return nil, &Error{Field: "claims", Message: "a batch needs at least one claim."}
	}
	sender, receiver := w.required("sender id", b.SenderID), w.required("receiver id", b.ReceiverID)
	if len(sender) > 15 || len(receiver) > 15 {
		w.fail("sender/receiver id", "at most 15 characters.")
	}
	usage := "P"
	if b.Test {
		usage = "T"
	}
	isa := fmt.Sprintf("%09d", b.InterchangeControl)
	// ISA is fixed width; it is not counted in SE.
	w.b.WriteString("ISA*00*" + pad("", 10) + "*00*" + pad("", 10) + "*ZZ*" + pad(sender, 15) + "*ZZ*" + pad(receiver, 15) +
		"*" + b.Created.Format("060102") + "*" + b.Created.Format("1504") + "*^*00501*" + isa + "*0*" + usage + "*:~\n")
	gs := strconv.Itoa(b.GroupControl)
	w.b.WriteString("GS*HC*" + sender + "*" + receiver + "*" + b.Created.Format("20060102") + "*" + b.Created.Format("1504") + "*" + gs + "*X*005010X222A1~\n")
	st := fmt.Sprintf("%04d", b.TransactionControl)
	w.segments = 0
	w.seg("ST", "837", st, "005010X222A1")
	w.seg("BHT", "0019", "00", w.required("reference", b.Reference), b.Created.Format("20060102"), b.Created.Format("1504"), "CH")
	// 1000A submitter, 1000B receiver
	sub := b.Submitter
	w.seg("NM1", "41", "2", w.required("submitter name", sub.Name), "", "", "", "", "46", w.required("submitter id", sub.ID))
	phone := w.clean("submitter phone", sub.Phone)
	if !digits(phone) {
		w.fail("submitter phone", "the contact's phone, digits only, is required.")
	}
	w.seg("PER", "IC", w.required("submitter contact", sub.Contact), "TE", phone)
	w.seg("NM1", "40", "2", w.required("receiver name", b.ReceiverName), "", "", "", "", "46", receiver)
	// 2000A billing provider
	bp := b.BillingProvider
	w.seg("HL", "1", "", "20", "1")
	w.seg("PRV", "BI", "PXC", w.required("billing provider taxonomy", bp.Taxonomy))
	if !validNPI(bp.NPI) {
		w.fail("billing provider NPI", "%q is not a valid NPI.", bp.NPI)
	}
	w.seg("NM1", "85", "2", w.required("billing provider name", bp.Name), "", "", "", "", "XX", bp.NPI)
	w.address("billing provider address", bp.Address, true)
	if tax := strings.ReplaceAll(bp.TaxID, "-", ""); len(tax) != 9 || !digits(tax) {
		w.fail("billing provider tax id", "an EIN is nine digits.")
	} else {
		w.seg("REF", "EI", tax)
	}
	hl := 1
	for i := range b.Claims {
		if w.err != nil {
			break
		}
		w.claim = b.Claims[i].ID
		hl = w.writeClaim(&b.Claims[i], hl)
	}
	w.claim = ""
	if w.err != nil {
		return nil, w.err
	}
	w.seg("SE", strconv.Itoa(w.segments+1), st)
	w.b.WriteString("GE*1*" + gs + "~\n")
	w.b.WriteString("IEA*1*" + isa + "~\n")
	return []byte(w.b.String()), nil
}

// address writes N3 and N4; a billing provider's must be a street address
// with a nine-digit ZIP.
func (w *writer) address(field string, a Address, billing bool) {
	w.seg("N3", w.required(field+" line 1", a.Line1), w.clean(field+" line 2", a.Line2))
	zip := strings.ReplaceAll(a.Zip, "-", "")
	if !digits(zip) || (len(zip) != 5 && len(zip) != 9) || (billing && len(zip) != 9) {
		if billing {
			w.fail(field+" ZIP", "the billing provider's ZIP code needs all nine digits (ZIP+4).")
		} else {
			w.fail(field+" ZIP", "a ZIP code is 5 or 9 digits.")
		}
	}
	state := w.required(field+" state", a.State)
	if len(state) != 2 {
		w.fail(field+" state", "use the two-letter state code.")
	}
	w.seg("N4", w.required(field+" city", a.City), state, zip)
}

func (w *writer) person(field, qualifier string, p Person, withID bool) {
	id, idq := "", ""
	if withID {
		id, idq = w.required(field+" member id", p.MemberID), "MI"
	}
	w.seg("NM1", qualifier, "1", w.required(field+" last name", p.Last), w.required(field+" first name", p.First), w.clean(field+" middle name", p.Middle), "", "", idq, id)
}

func (w *writer) demographics(field string, p Person) {
	g := p.Gender
	if g != "F" && g != "M" && g != "U" {
		w.fail(field+" gender", "F, M or U.")
	}
	w.seg("DMG", "D8", w.date(field+" date of birth", p.DOB), g)
}

// writeClaim writes loops 2000B to 2400 for one claim, after HL number hl.
func (w *writer) writeClaim(c *Claim, hl int) int {
	w.required("claim id", c.ID)
	if len(c.ID) > 20 {
		w.fail("claim id", "at most 20 characters.")
	}
	self := c.Relationship == "18"
	if !self && c.Patient == nil {
		w.fail("patient", "the patient is not the subscriber (relationship %q): their name, address and date of birth are needed.", c.Relationship)
		return hl
	}
	if self && c.Patient != nil {
		w.fail("patient", "the patient is the subscriber (18), so no separate patient is written.")
		return hl
	}
	if !self && !validPAT01[c.Relationship] {
		w.fail("relationship", "%q is not a patient relationship code (01, 19, 20, 21, 39, 40, 53, G8).", c.Relationship)
	}
	sbr := hl + 1
	child := "0"
	if !self {
		child = "1"
	}
	w.seg("HL", strconv.Itoa(sbr), "1", "22", child)
	rel := ""
	if self {
		rel = "18"
	}
	if !validFiling[c.Payer.FilingIndicator] {
		w.fail("payer filing indicator", "%q is not a claim filing indicator code (e.g. CI, MB, MC, BL).", c.Payer.FilingIndicator)
	}
	w.seg("SBR", "P", rel, w.clean("group number", c.GroupNumber), "", "", "", "", "", c.Payer.FilingIndicator)
	w.person("subscriber", "IL", c.Subscriber, true)
	if self {
		w.address("subscriber address", c.Subscriber.Address, false)
		w.demographics("subscriber", c.Subscriber)
	}
	w.seg("NM1", "PR", "2", w.required("payer name", c.Payer.Name), "", "", "", "", "PI", w.required("payer id", c.Payer.ID))
	last := sbr
	if !self {
		last = sbr + 1
		w.seg("HL", strconv.Itoa(last), strconv.Itoa(sbr), "23", "0")
		w.seg("PAT", c.Relationship)
		w.person("patient", "QC", *c.Patient, false)
		w.address("patient address", c.Patient.Address, false)
		w.demographics("patient", *c.Patient)
	}
	// 2300
	var total int64
	for _, l := range c.Lines {
		total += l.ChargeCents
	}
	if len(c.Lines) == 0 || len(c.Lines) > 50 {
		w.fail("lines", "a claim has 1 to 50 service lines.")
	}
	switch c.Frequency {
	case "1":
	case "7", "8":
		if c.OriginalRef == "" {
			w.fail("original claim", "a replacement or void (frequency %s) needs the payer's claim number of the original.", c.Frequency)
		}
	default:
		w.fail("frequency", "%q is not 1 (original), 7 (replacement) or 8 (void).", c.Frequency)
	}
	pos := c.POS
	if len(pos) != 2 || !digits(pos) {
		w.fail("place of service", "%q is not a two-digit place of service.", pos)
	}
	w.seg("CLM", w.clean("claim id", c.ID), Amount(total), "", "", pos+":B:"+c.Frequency, "Y", "A", "Y", "Y")
	if c.PriorAuth != "" {
		w.seg("REF", "G1", w.clean("prior authorization", c.PriorAuth))
	}
	if c.Frequency != "1" {
		w.seg("REF", "F8", w.clean("original claim", c.OriginalRef))
	}
	if len(c.Diagnoses) == 0 || len(c.Diagnoses) > 12 {
		w.fail("diagnoses", "a claim needs 1 to 12 diagnoses.")
	}
	hi := make([]string, len(c.Diagnoses))
	for i, d := range c.Diagnoses {
		q := "ABF"
		if i == 0 {
			q = "ABK"
		}
		code := strings.Replace(w.clean("diagnosis", d), ".", "", 1)
		if len(code) < 3 || len(code) > 7 {
			w.fail("diagnosis", "%q is not an ICD-10-CM code.", d)
		}
		hi[i] = q + ":" + code
	}
	w.seg("HI", hi...)
	if r := c.Rendering; r != nil {
		if !validNPI(r.NPI) {
			w.fail("rendering provider NPI", "%q is not a valid NPI.", r.NPI)
		}
		w.seg("NM1", "82", "1", w.required("rendering last name", r.Last), w.required("rendering first name", r.First), "", "", "", "XX", r.NPI)
		w.seg("PRV", "PE", "PXC", w.required("rendering taxonomy", r.Taxonomy))
	}
	for i, l := range c.Lines {
		w.seg("LX", strconv.Itoa(i+1))
		proc := "HC:" + w.required("procedure code", l.Code)
		if len(l.Modifiers) > 4 {
			w.fail("modifiers", "a line holds at most four modifiers.")
		}
		for _, m := range l.Modifiers {
			proc += ":" + w.clean("modifier", m)
		}
		if l.Units < 1 {
			w.fail("units", "a line needs at least one unit.")
		}
		if l.ChargeCents <= 0 {
			w.fail("charge", "a line's charge must be more than zero.")
		}
		if len(l.Pointers) == 0 || len(l.Pointers) > 4 {
			w.fail("diagnosis pointers", "a line points to 1 to 4 diagnoses.")
		}
		ptr := make([]string, len(l.Pointers))
		for j, p := range l.Pointers {
			if p < 1 || p > len(c.Diagnoses) {
				w.fail("diagnosis pointers", "pointer %d does not name one of the claim's %d diagnoses.", p, len(c.Diagnoses))
			}
			ptr[j] = strconv.Itoa(p)
		}
		w.seg("SV1", proc, Amount(l.ChargeCents), "UN", strconv.Itoa(l.Units), "", "", strings.Join(ptr, ":"))
		w.seg("DTP", "472", "D8", w.date("service date", l.Date))
		if l.PriorAuth != "" {
			w.seg("REF", "G1", w.clean("line prior authorization", l.PriorAuth))
		}
	}
	return last
}

var validPAT01 = map[string]bool{"01": true, "19": true, "20": true, "21": true, "39": true, "40": true, "53": true, "G8": true}

// validFiling are SBR09's codes in 005010X222A1.
var validFiling = map[string]bool{"11": true, "12": true, "13": true, "14": true, "15": true, "16": true, "17": true,
	"AM": true, "BL": true, "CH": true, "CI": true, "DS": true, "FI": true, "HM": true, "LM": true, "MA": true,
	"MB": true, "MC": true, "OF": true, "TV": true, "VA": true, "WC": true, "ZZ": true}

// validNPI asks the npi package: a claim with a mistyped NPI is rejected
// whole by the clearinghouse.
func validNPI(s string) bool { return npi.Valid(s) }
