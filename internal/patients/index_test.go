package patients_test

import (
	"testing"

	"quietdesk/internal/patients"
	"quietdesk/internal/practice"
)

func patient(id, first, last, preferred, dob, phone string) practice.Patient {
	return practice.Patient{ID: id, Active: true,
		Identity: practice.PatientIdentity{FirstName: first, LastName: last, PreferredName: preferred, DOB: dob},
		Contact:  practice.PatientContact{Phone: phone}}
}

func ids(list []patients.Entry) []string {
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = e.ID
	}
	return out
}

func TestSearch(t *testing.T) {
	ix := patients.NewIndex([]practice.Patient{
		patient("zoe", "Zoë", "Nguyễn", "", "1988-02-29", "(503) 555-0142"),
		patient("jose", "José", "García-López", "Pepe", "1975-11-03", "503.555.0199"),
		patient("sean", "Seán", "O'Brien", "", "2010-06-15", ""),
		patient("ana", "Ana", "Nguyen", "", "1990-01-01", "(360) 555-0101"),
	})
	cases := []struct {
		query string
		want  []string
	}{
		{"", []string{"jose", "ana", "zoe", "sean"}}, // everyone, by folded last name then first name
		{"nguyen", []string{"ana", "zoe"}},           // accents folded, sorted by last then first name
		{"zoe nguy", []string{"zoe"}},                // every word must match
		{"lopez", []string{"jose"}},                  // second part of a hyphenated name
		{"pepe", []string{"jose"}},                   // preferred name
		{"brien", []string{"sean"}},                  // after the apostrophe
		{"jose garcia-lopez", []string{"jose"}},      // the hyphenated name typed whole
		{"garcía-lóp", []string{"jose"}},             // typed whole, the last part begun
		{"o'brien", []string{"sean"}},                // the apostrophed name typed whole
		{"garcia-nguyen", nil},                       // each part must be of the same patient
		{"555-0142", []string{"zoe"}},                // phone fragment, any punctuation
		{"5030199", nil},                             // digits must be contiguous in the stored number
		{"5035550199", []string{"jose"}},
		{"1975-11-03", []string{"jose"}}, // ISO date of birth
		{"2/29/1988", []string{"zoe"}},   // US date of birth
		{"1988", nil},                    // a bare year is not a date
		{"xavier", nil},
	}
	for _, tc := range cases {
		found, total := ix.Search(tc.query, 10)
		got := ids(found)
		if total != len(found) {
			t.Errorf("Search(%q): total %d, %d returned", tc.query, total, len(found))
		}
		if len(got) != len(tc.want) {
			t.Errorf("Search(%q) = %v, want %v", tc.query, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("Search(%q) = %v, want %v", tc.query, got, tc.want)
				break
			}
		}
	}
}

func TestPutAndLimit(t *testing.T) {
	ix := patients.NewIndex(nil)
	for _, id := range []string{"a", "b", "c"} {
		p := patient(id, "Kim", "Lee", "", "2000-01-01", "")
		ix.Put(&p)
	}
	if got, total := ix.Search("kim", 2); len(got) != 2 || total != 3 {
		t.Fatalf("limit 2 gave %d of %d, want 2 of 3", len(got), total)
	}
	renamed := patient("b", "Kim", "Park", "", "2000-01-01", "")
	ix.Put(&renamed)
	if found, _ := ix.Search("park", 10); len(found) != 1 || found[0].ID != "b" {
		t.Fatalf("after rename: %v", ids(found))
	}
	if ix.Len() != 3 {
		t.Fatalf("Len = %d", ix.Len())
	}
}
