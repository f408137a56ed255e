package npi_test

import (
	"errors"
	"testing"

	"quietdesk/internal/billing/npi"
)

// Each check digit below is worked by hand from the CMS rule ("double the
// alternate digits beginning with the rightmost of the nine, add 24 for
// the 80840 prefix, subtract from the next multiple of ten"):
//
// 123456789_ (CMS's own example): doubled 1,3,5,7,9 → 2,6,10→1,14→5,18→9 = 23;
// undoubled 2+4+6+8 = 20; 23+20+24 = 67 → 70-67 = 3: 1234567893.
//
// 100300012_ : doubled 1,0,0,0,2 → 2+0+0+0+4 = 6; undoubled 0+3+0+1 = 4;
// 6+4+24 = 34 → 6: 1003000126 (a real individual NPI in NPPES).
//
// 199999999_ : doubled 1,9,9,9,9 → 2+9+9+9+9 = 38; undoubled 9·4 = 36;
// 38+36+24 = 98 → 2: 1999999992.
//
// 200000000_ : doubled 2,0,0,0,0 → 4; undoubled 0; 4+24 = 28 → 2: 2000000002.
//
// 111111111_ : doubled five 1s → 10; undoubled four 1s → 4; 10+4+24 = 38 → 2:
// 1111111112.
//
// 213456789_ (the first two of CMS's example swapped): doubled 2,3,5,7,9 →
// 4+6+1+5+9 = 25; undoubled 1+4+6+8 = 19; 25+19+24 = 68 → 2, so 2134567893
// is refused: Luhn catches the transposition.
//
// 104000000_ : doubled 1,4,0,0,0 → 2+8 = 10; undoubled 0; 10+24 = 34 → 6:
// 1040000006.
//
// 100000000_ : doubled 1 → 2; 2+24 = 26 → 4: 1000000004.
//
// 100000040_ : doubled 1 → 2; undoubled 4 (the eighth digit); 2+4+24 = 30,
// already a multiple of ten → 0: 1000000400.
func TestCheck(t *testing.T) {
	tests := []struct {
		npi  string
		want npi.Reason // "" = valid
	}{
		{"1234567893", ""},
		{"1003000126", ""},
		{"1999999992", ""},
		{"2000000002", ""},
		{"1111111112", ""},
		{"1040000006", ""},
		{"1000000004", ""},
		{"1000000400", ""},
		{"1000000401", npi.CheckDigit},
		{"1234567890", npi.CheckDigit},
		{"1234567894", npi.CheckDigit},
		{"1003000127", npi.CheckDigit},
		{"2134567893", npi.CheckDigit},
		{"1111111111", npi.CheckDigit},
		{"3234567893", npi.FirstDigit},
		{"0234567893", npi.FirstDigit},
		{"123456789", npi.Length},
		{"12345678933", npi.Length},
		{"", npi.Empty},
		{"12345678a3", npi.NotDigits},
		{"1234 67893", npi.NotDigits},
		{"１２３４５６７８９３", npi.Length}, // full-width digits are bytes, not ten characters
	}
	for _, tt := range tests {
		err := npi.Check(tt.npi)
		var e *npi.Error
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%q refused: %v", tt.npi, err)
		case tt.want != "" && (!errors.As(err, &e) || e.Reason != tt.want):
			t.Errorf("%q: %v, want %s", tt.npi, err, tt.want)
		}
		if npi.Valid(tt.npi) != (tt.want == "") {
			t.Errorf("Valid(%q) disagrees with Check", tt.npi)
		}
	}
}

func TestDigit(t *testing.T) {
	for first9, want := range map[string]byte{"123456789": '3', "100300012": '6', "199999999": '2', "200000000": '2', "104000000": '6', "100000000": '4', "100000040": '0'} {
		if got, err := npi.Digit(first9); err != nil || got != want {
			t.Errorf("Digit(%s) = %c, %v; want %c", first9, got, err, want)
		}
	}
	if _, err := npi.Digit("12345678"); err == nil {
		t.Error("8 digits accepted")
	}
	if _, err := npi.Digit("12345678x"); err == nil {
		t.Error("a letter accepted")
	}
}
