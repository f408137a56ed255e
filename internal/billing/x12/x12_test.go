package x12_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/billing/x12"
)

func batch() x12.Batch {
	addr := x12.Address{Line1: "12 Elm St", City: "Portland", State: "OR", Zip: "97201"}
	return x12.Batch{
		InterchangeControl: 42, GroupControl: 7, TransactionControl: 3,
		Created:  time.Date(2026, 12, 1, 9, 5, 0, 0, time.UTC),
		SenderID: "QD0001", ReceiverID: "CLEARHOUSE",
		Reference:    "B-0001",
		Submitter:    x12.Submitter{Name: "Willow Counseling", ID: "QD0001", Contact: "Ana Biller", Phone: "5035550100"},
		ReceiverName: "Clear House",
		BillingProvider: x12.BillingProvider{Name: "Willow Counseling LLC", NPI: "2000000002", TaxID: "93-1234567", Taxonomy: "261QM0801X",
			Address: x12.Address{Line1: "100 Main St", Line2: "Suite 2", City: "Portland", State: "OR", Zip: "97201-1234"}},
		Claims: []x12.Claim{
			{ // the subscriber is the patient; two lines, one with 90785
				ID: "Q1-000123", Frequency: "1", POS: "10", PriorAuth: "AUTH77",
				Diagnoses:    []string{"F43.10", "F41.1"},
				Relationship: "18",
				Subscriber:   x12.Person{Last: "Ramírez", First: "Jun", MemberID: "XYZ123456", DOB: "1990-04-02", Gender: "F", Address: addr},
				GroupNumber:  "G-500",
				Payer:        x12.Payer{Name: "Acme Health", ID: "60054", FilingIndicator: "CI"},
				Rendering:    &x12.Rendering{Last: "Okafor", First: "Chidi", NPI: "1234567893", Taxonomy: "1041C0700X"},
				Lines: []x12.Line{
					{Code: "90834", Modifiers: []string{"95"}, ChargeCents: 13000, Units: 1, Date: "2026-11-20", Pointers: []int{1, 2}},
					{Code: "90785", Modifiers: []string{"95"}, ChargeCents: 2550, Units: 1, Date: "2026-11-20", Pointers: []int{1}, PriorAuth: "AUTH77"},
				},
			},
			{ // a child on a parent's plan: patient loop
				ID: "Q1-000124", Frequency: "1", POS: "11",
				Diagnoses:    []string{"F90.2"},
				Relationship: "19",
				Subscriber:   x12.Person{Last: "Park", First: "June", MemberID: "M998877", DOB: "1980-01-01", Gender: "F", Address: addr},
				Patient:      &x12.Person{Last: "Park", First: "Leo", DOB: "2014-02-03", Gender: "M", Address: addr},
				Payer:        x12.Payer{Name: "State Medicaid", ID: "SKOR0", FilingIndicator: "MC"},
				Rendering:    &x12.Rendering{Last: "Lee", First: "Sam", NPI: "1003000126", Taxonomy: "101YP2500X"},
				Lines:        []x12.Line{{Code: "90837", Modifiers: []string{"HO"}, ChargeCents: 16000, Units: 1, Date: "2026-11-21", Pointers: []int{1}}},
			},
			{ // a replacement of an earlier claim
				ID: "Q1-000125", Frequency: "7", OriginalRef: "PAYER-CCN-1", POS: "11",
				Diagnoses:    []string{"F32.1"},
				Relationship: "18",
				Subscriber:   x12.Person{Last: "Nguyen", First: "Bao", MemberID: "A1", DOB: "1975-12-31", Gender: "M", Address: addr},
				Payer:        x12.Payer{Name: "Acme Health", ID: "60054", FilingIndicator: "CI"},
				Lines: []x12.Line{
					{Code: "90839", ChargeCents: 20000, Units: 1, Date: "2026-11-22", Pointers: []int{1}},
					{Code: "90840", ChargeCents: 9000, Units: 2, Date: "2026-11-22", Pointers: []int{1}},
				},
			},
			{ // a void
				ID: "Q1-000126", Frequency: "8", OriginalRef: "PAYER-CCN-2", POS: "02",
				Diagnoses:    []string{"Z63.0", "F43.23"},
				Relationship: "18",
				Subscriber:   x12.Person{Last: "Smith", First: "Al", MemberID: "S1", DOB: "1970-06-15", Gender: "U", Address: addr},
				Payer:        x12.Payer{Name: "Acme EAP", ID: "EAP01", FilingIndicator: "CI"},
				Lines:        []x12.Line{{Code: "99404", Modifiers: []string{"HJ", "95"}, ChargeCents: 9999, Units: 1, Date: "2026-11-23", Pointers: []int{2, 1}}},
			},
		},
	}
}

func TestWriteValidatesAgainstTheGuide(t *testing.T) {
	out, err := x12.Write(batch())
	if err != nil {
		t.Fatal(err)
	}
	got, err := validate837(string(out))
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.claims != 4 || got.lines != 6 || got.interchange != "000000042" {
		t.Errorf("validator read %+v, want 4 claims, 6 lines, interchange 000000042", got)
	}
	// Key segments, written by hand from the guide and the batch above.
	for _, want := range []string{
		"ISA*00*          *00*          *ZZ*QD0001         *ZZ*CLEARHOUSE     *261201*0905*^*00501*000000042*0*P*:~",
		"GS*HC*QD0001*CLEARHOUSE*20261201*0905*7*X*005010X222A1~",
		"ST*837*0003*005010X222A1~",
		"BHT*0019*00*B-0001*20261201*0905*CH~",
		"NM1*41*2*Willow Counseling*****46*QD0001~",
		"PER*IC*Ana Biller*TE*5035550100~",
		"NM1*40*2*Clear House*****46*CLEARHOUSE~",
		"HL*1**20*1~",
		"PRV*BI*PXC*261QM0801X~",
		"NM1*85*2*Willow Counseling LLC*****XX*2000000002~",
		"N3*100 Main St*Suite 2~",
		"N4*Portland*OR*972011234~",
		"REF*EI*931234567~",
		"HL*2*1*22*0~",
		"SBR*P*18*G-500******CI~",
		"NM1*IL*1*Ramirez*Jun****MI*XYZ123456~", // the accent folded
		"DMG*D8*19900402*F~",
		"NM1*PR*2*Acme Health*****PI*60054~",
		"CLM*Q1-000123*155.5***10:B:1*Y*A*Y*Y~", // 130.00 + 25.50
		"REF*G1*AUTH77~",
		"HI*ABK:F4310*ABF:F411~",
		"NM1*82*1*Okafor*Chidi****XX*1234567893~",
		"PRV*PE*PXC*1041C0700X~",
		"LX*1~",
		"SV1*HC:90834:95*130*UN*1***1:2~",
		"DTP*472*D8*20261120~",
		"SV1*HC:90785:95*25.5*UN*1***1~",
		"HL*3*1*22*1~",
		"SBR*P********MC~",
		"HL*4*3*23*0~",
		"PAT*19~",
		"NM1*QC*1*Park*Leo~",
		"DMG*D8*20140203*M~",
		"SV1*HC:90837:HO*160*UN*1***1~",
		"CLM*Q1-000125*290***11:B:7*Y*A*Y*Y~", // 200 + 90 (two 90840 units charged 90 together)
		"REF*F8*PAYER-CCN-1~",
		"SV1*HC:90840*90*UN*2***1~",
		"CLM*Q1-000126*99.99***02:B:8*Y*A*Y*Y~",
		"HI*ABK:Z630*ABF:F4323~",
		"SV1*HC:99404:HJ:95*99.99*UN*1***2:1~",
		"GE*1*7~",
		"IEA*1*000000042~",
	} {
		if !strings.Contains(string(out), want+"\n") {
			t.Errorf("the file lacks %s", want)
		}
	}
	// SE counted by hand: header ST BHT NM1 PER NM1 (5), 2000A HL PRV NM1 N3 N4
	// REF (6); claim 1: HL SBR NM1 N3 N4 DMG NM1 CLM REF HI NM1 PRV (12) + LX SV1
	// DTP + LX SV1 DTP REF (7) = 19; claim 2: HL SBR NM1 NM1 HL PAT NM1 N3 N4 DMG
	// CLM HI NM1 PRV (14) + 3 = 17; claim 3: HL SBR NM1 N3 N4 DMG NM1 CLM REF HI
	// (10) + 6 = 16; claim 4: 10 + 3 = 13; SE 1. 5+6+19+17+16+13+1 = 77.
	if !strings.Contains(string(out), "SE*77*0003~") {
		t.Errorf("SE is not SE*77*0003:\n%s", out)
	}
}

// The validator is worth something only if it fails: each change to a
// good file must be caught.
func TestValidatorCatchesBrokenFiles(t *testing.T) {
	good, err := x12.Write(batch())
	if err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(string) string{
		"SE count":        func(s string) string { return strings.Replace(s, "SE*77*", "SE*76*", 1) },
		"SE control":      func(s string) string { return strings.Replace(s, "SE*77*0003", "SE*77*0004", 1) },
		"GE control":      func(s string) string { return strings.Replace(s, "GE*1*7", "GE*1*8", 1) },
		"IEA control":     func(s string) string { return strings.Replace(s, "IEA*1*000000042", "IEA*1*000000043", 1) },
		"CLM02 vs lines":  func(s string) string { return strings.Replace(s, "CLM*Q1-000123*155.5", "CLM*Q1-000123*155", 1) },
		"bad NPI":         func(s string) string { return strings.Replace(s, "XX*1234567893", "XX*1234567894", 1) },
		"HI qualifier":    func(s string) string { return strings.Replace(s, "HI*ABK:F4310", "HI*ABF:F4310", 1) },
		"pointer past HI": func(s string) string { return strings.Replace(s, "UN*1***1:2", "UN*1***1:3", 1) },
		"void without F8": func(s string) string { return strings.Replace(s, "REF*F8*PAYER-CCN-2~\n", "", 1) },
		"F8 before G1": func(s string) string {
			return strings.Replace(s, "REF*G1*AUTH77~\nHI", "REF*F8*X~\nREF*G1*AUTH77~\nHI", 1)
		},
		"loop order":        func(s string) string { return strings.Replace(s, "PRV*PE*PXC*1041C0700X~\n", "", 1) },
		"HL numbering":      func(s string) string { return strings.Replace(s, "HL*4*3*23*0", "HL*5*3*23*0", 1) },
		"HL child flag":     func(s string) string { return strings.Replace(s, "HL*3*1*22*1", "HL*3*1*22*0", 1) },
		"frequency code":    func(s string) string { return strings.Replace(s, "11:B:7", "11:B:5", 1) },
		"missing DTP*472":   func(s string) string { return strings.Replace(s, "DTP*472*D8*20261121~\n", "", 1) },
		"separator in data": func(s string) string { return strings.Replace(s, "Clear House", "Clear*House", 1) },
		"billing ZIP5":      func(s string) string { return strings.Replace(s, "972011234", "97201", 1) },
		"version": func(s string) string {
			return strings.Replace(s, "ST*837*0003*005010X222A1", "ST*837*0003*004010X098A1", 1)
		},
	} {
		bad := edit(string(good))
		if bad == string(good) {
			t.Errorf("%s: the edit did not apply", name)
			continue
		}
		if _, err := validate837(bad); err == nil {
			t.Errorf("%s: the validator accepted a broken file", name)
		}
	}
}

func TestWriteRefusesWhatWouldBreakTheFile(t *testing.T) {
	tests := map[string]struct {
		edit  func(*x12.Batch)
		field string
	}{
		"separator in a name":     {func(b *x12.Batch) { b.Claims[0].Subscriber.Last = "O*Brien" }, "subscriber last name"},
		"tilde in an address":     {func(b *x12.Batch) { b.Claims[1].Patient.Address.Line1 = "1 A~B St" }, "patient address line 1"},
		"colon in a member id":    {func(b *x12.Batch) { b.Claims[0].Subscriber.MemberID = "A:1" }, "subscriber member id"},
		"caret in a claim id":     {func(b *x12.Batch) { b.Claims[2].ID = "Q^1" }, "claim id"},
		"non-Latin name":          {func(b *x12.Batch) { b.Claims[0].Subscriber.First = "李" }, "subscriber first name"},
		"bad billing NPI":         {func(b *x12.Batch) { b.BillingProvider.NPI = "2000000003" }, "billing provider NPI"},
		"bad rendering NPI":       {func(b *x12.Batch) { b.Claims[1].Rendering.NPI = "1003000127" }, "rendering provider NPI"},
		"replacement without ref": {func(b *x12.Batch) { b.Claims[2].OriginalRef = "" }, "original claim"},
		"frequency 5":             {func(b *x12.Batch) { b.Claims[0].Frequency = "5" }, "frequency"},
		"pointer past diagnoses":  {func(b *x12.Batch) { b.Claims[0].Lines[0].Pointers = []int{3} }, "diagnosis pointers"},
		"13 diagnoses":            {func(b *x12.Batch) { b.Claims[0].Diagnoses = strings.Fields(strings.Repeat("F41.1 ", 13)) }, "diagnoses"},
		"five modifiers":          {func(b *x12.Batch) { b.Claims[0].Lines[0].Modifiers = []string{"95", "HJ", "U1", "U2", "U3"} }, "modifiers"},
		"negative charge":         {func(b *x12.Batch) { b.Claims[0].Lines[0].ChargeCents = -100 }, "charge"},
		"no lines":                {func(b *x12.Batch) { b.Claims[0].Lines = nil }, "lines"},
		"child with no patient":   {func(b *x12.Batch) { b.Claims[1].Patient = nil }, "patient"},
		"self with a patient":     {func(b *x12.Batch) { b.Claims[0].Patient = &x12.Person{Last: "X"} }, "patient"},
		"bad relationship":        {func(b *x12.Batch) { b.Claims[1].Relationship = "99" }, "relationship"},
		"bad date of service":     {func(b *x12.Batch) { b.Claims[0].Lines[0].Date = "2026-13-01" }, "service date"},
		"billing ZIP without +4":  {func(b *x12.Batch) { b.BillingProvider.Address.Zip = "97201" }, "billing provider address ZIP"},
		"bad tax id":              {func(b *x12.Batch) { b.BillingProvider.TaxID = "12345" }, "billing provider tax id"},
		"filing indicator":        {func(b *x12.Batch) { b.Claims[0].Payer.FilingIndicator = "XX" }, "payer filing indicator"},
		"gender":                  {func(b *x12.Batch) { b.Claims[0].Subscriber.Gender = "X" }, "subscriber gender"},
		"POS":                     {func(b *x12.Batch) { b.Claims[0].POS = "1" }, "place of service"},
		"claim id over 20":        {func(b *x12.Batch) { b.Claims[0].ID = strings.Repeat("9", 21) }, "claim id"},
		"no payer id":             {func(b *x12.Batch) { b.Claims[3].Payer.ID = "" }, "payer id"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			b := batch()
			tt.edit(&b)
			out, err := x12.Write(b)
			var e *x12.Error
			if !errors.As(err, &e) || out != nil {
				t.Fatalf("written: %v", err)
			}
			if e.Field != tt.field {
				t.Errorf("field %q (%v), want %q", e.Field, err, tt.field)
			}
		})
	}
	b := batch()
	b.InterchangeControl = 0
	if _, err := x12.Write(b); err == nil {
		t.Error("control number 0 accepted")
	}
}

func TestAmount(t *testing.T) {
	for c, want := range map[int64]string{15000: "150", 15050: "150.5", 15005: "150.05", 1: "0.01", 0: "0", 99999: "999.99", -2550: "-25.5"} {
		if got := x12.Amount(c); got != want {
			t.Errorf("Amount(%d) = %s, want %s", c, got, want)
		}
	}
}

// Claims for a whole large practice's month: the validator reads them all.
func bigBatch(n int) x12.Batch {
	b := batch()
	base := b.Claims
	b.Claims = make([]x12.Claim, n)
	for i := range b.Claims {
		c := base[i%len(base)]
		c.ID = fmt.Sprintf("Q1-%07d", i)
		b.Claims[i] = c
	}
	return b
}

func TestManyClaimsValidate(t *testing.T) {
	out, err := x12.Write(bigBatch(500))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := validate837(string(out)); err != nil || got.claims != 500 {
		t.Fatalf("%+v, %v", got, err)
	}
}

// BenchmarkWrite837P writes 5,000 claims (make bench; target < 1 s).
func BenchmarkWrite837P(b *testing.B) {
	batch := bigBatch(5000)
	for b.Loop() {
		if _, err := x12.Write(batch); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLatinLettersAreSpelledOut: letters with no accent to drop are spelled
// as payers' member files have them, so a Polish or Norwegian name exports.
func TestLatinLettersAreSpelledOut(t *testing.T) {
	b := batch()
	b.Claims[0].Subscriber.First, b.Claims[0].Subscriber.Last = "Łucja", "Søndergaard-Weiß"
	out, err := x12.Write(b)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "*Sondergaard-Weiss*Lucja") {
		t.Fatalf("names not spelled out:\n%s", out)
	}
}
