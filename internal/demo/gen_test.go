package demo

import (
	"testing"

	"quietdesk/internal/practice"
)

// Every name folds to a usable username part, so any clinician the
// generator could draw gets a valid first.last login and e-mail.
func TestASCIIFoldsEveryName(t *testing.T) {
	for _, list := range [][]string{femaleFirst, maleFirst, neutralFirst, lastNames} {
		for _, n := range list {
			f := ascii(n)
			if f == "" || len(f) > 19 {
				t.Errorf("ascii(%q) = %q", n, f)
			}
			for _, r := range f {
				if !(r >= 'a' && r <= 'z' || r == '-' || r == '.') {
					t.Errorf("ascii(%q) = %q keeps %q", n, f, r)
				}
			}
			a := practice.Account{Username: f + "." + f, DisplayName: n, Role: practice.RoleClinician}
			if err := a.Validate(); err != nil {
				t.Errorf("%s: %v", n, err)
			}
		}
	}
	for in, want := range map[string]string{"Nguyễn": "nguyen", "O'Brien": "obrien", "Łukasz": "lukasz", "Søren": "soren",
		"Ó Súilleabháin": "osuilleabhain", "St. John": "st.john", "Weiß": "weiss", "Đặng": "dang", "Ji-woo": "ji-woo"} {
		if got := ascii(in); got != want {
			t.Errorf("ascii(%q) = %q, want %q", in, got, want)
		}
	}
}

// Many patients from many seeds all validate; the store would refuse any
// that did not, halfway through making a demo.
func TestGeneratedPatientsValidate(t *testing.T) {
	payers := payers()
	for seed := range int64(20) {
		g := newGen(seed, streamPatients)
		for range 500 {
			pp := g.patient(payers)
			p := pp.Patient
			p.Normalize()
			if err := p.Validate(refDate); err != nil {
				t.Fatalf("seed %d: %+v: %v", seed, p, err)
			}
			for _, pol := range pp.Policies {
				ip := pol.Policy
				ip.PayerID = "x"
				ip.Normalize()
				if err := ip.Validate(refDate); err != nil {
					t.Fatalf("seed %d: %+v: %v", seed, ip, err)
				}
			}
		}
	}
	for seed := range int64(50) {
		pl := makePlan(newGen(seed, streamPractice), sizes[Large])
		for _, c := range pl.Clinicians {
			c.Normalize()
			if err := c.Validate(); err != nil {
				t.Fatalf("seed %d: %+v: %v", seed, c, err)
			}
		}
	}
}
