package credentialing_test

import (
	"testing"
	"time"

	"quietdesk/internal/credentialing"
	"quietdesk/internal/practice"
)

func date(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Every expected date and day count below was counted by hand on a
// calendar (the comments show the count), not computed by the code.
func TestCAQHDue(t *testing.T) {
	tests := []struct {
		name, attested string
		cycle          int
		want           string
	}{
		// Jan 15 → Feb 15 (31) → Mar 15 (+28 = 59) → Apr 15 (+31 = 90) → May 15 (+30 = 120)
		{"120 days, mid-month", "2027-01-15", 120, "2027-05-15"},
		// May 15 is 120; → Jun 15 (+31 = 151) → Jul 14 (+29 = 180)
		{"180 days (Illinois)", "2027-01-15", 180, "2027-07-14"},
		// Jan 1 → Feb 1 (31) → Mar 1 (+29 = 60) → Apr 1 (+31 = 91) → Apr 30 (+29 = 120)
		{"120 days across a leap February", "2024-01-01", 120, "2024-04-30"},
		// the same in a common year: → Mar 1 (+28 = 59) → Apr 1 (90) → May 1 (+30 = 120)
		{"120 days across a common February", "2023-01-01", 120, "2023-05-01"},
		// Oct 31 → Nov 30 (30) → Dec 31 (+31 = 61) → Jan 31 (+31 = 92) → Feb 28 (+28 = 120)
		{"from a month end", "2027-10-31", 120, "2028-02-28"},
		// Nov 1 → Dec 1 (30) → Jan 1 (61) → Feb 1 (92) → Feb 29 (+28 = 120)
		{"onto a leap day", "2027-11-01", 120, "2028-02-29"},
		// Sep 1 → Mar 1 is 181 days (30+31+30+31+31+28); one fewer
		{"180 days over New Year", "2026-09-01", 180, "2027-02-28"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := credentialing.CAQHDue(date(t, tt.attested), tt.cycle).Format(time.DateOnly); got != tt.want {
				t.Errorf("CAQH attested %s, %d-day cycle: due %s, want %s", tt.attested, tt.cycle, got, tt.want)
			}
		})
	}
}

func TestCAQHCycleSetting(t *testing.T) {
	for _, tt := range []struct {
		days  int
		state string
		want  int
	}{{0, "OR", 120}, {0, "IL", 180}, {0, "", 120}, {150, "IL", 150}, {120, "IL", 120}} {
		if got := (practice.CredentialingSettings{CAQHDays: tt.days}).CAQHCycle(tt.state); got != tt.want {
			t.Errorf("setting %d in %q: cycle %d, want %d", tt.days, tt.state, got, tt.want)
		}
	}
}

func TestDeadlineBands(t *testing.T) {
	licence := practice.Credential{ID: "lic", ClinicianID: "ana", Kind: practice.CredLicence, State: "OR", Type: "LCSW", Expires: "2027-06-30"}
	leapLicence := licence
	leapLicence.Expires = "2028-02-29"
	caqh := practice.Credential{ID: "caqh", ClinicianID: "ana", Kind: practice.CredCAQH, Issued: "2027-01-15"} // due 2027-05-15 at 120 days
	tests := []struct {
		name, today string
		cred        practice.Credential
		cycle       int
		left        int
		band        credentialing.Band
	}{
		// Expiry 2027-06-30. Apr 1 → Apr 30 (29) → May 31 (+31 = 60) → Jun 30 (+30 = 90)
		{"91 days: no band yet", "2027-03-31", licence, 120, 91, credentialing.BandNone},
		{"90 days: on the 90 boundary", "2027-04-01", licence, 120, 90, credentialing.Band90},
		{"61 days: still 90", "2027-04-30", licence, 120, 61, credentialing.Band90},
		{"60 days: on the 60 boundary", "2027-05-01", licence, 120, 60, credentialing.Band60},
		{"31 days: still 60", "2027-05-30", licence, 120, 31, credentialing.Band60},
		{"30 days: on the 30 boundary", "2027-05-31", licence, 120, 30, credentialing.Band30},
		{"expires today: 30, not expired", "2027-06-30", licence, 120, 0, credentialing.Band30},
		{"the day after: expired", "2027-07-01", licence, 120, -1, credentialing.BandExpired},
		// Jun 30 → Jul 31 (31) → Aug 15 (+15 = 46)
		{"long expired: still noticed", "2027-08-15", licence, 120, -46, credentialing.BandExpired},
		// Leap day expiry. Dec 1 → Dec 31 (30) → Jan 31 (61) → Feb 29 (90)
		{"leap-day expiry, 90 days", "2027-12-01", leapLicence, 120, 90, credentialing.Band90},
		// Jan 30 → Jan 31 (1) → Feb 29 (30)
		{"leap-day expiry, 30 days", "2028-01-30", leapLicence, 120, 30, credentialing.Band30},
		{"leap-day expiry, on the day", "2028-02-29", leapLicence, 120, 0, credentialing.Band30},
		{"leap-day expiry, 1 March", "2028-03-01", leapLicence, 120, -1, credentialing.BandExpired},
		// CAQH due 2027-05-15. Apr 29 → Apr 30 (1) → May 15 (16)
		{"CAQH 16 days: no band", "2027-04-29", caqh, 120, 16, credentialing.BandNone},
		{"CAQH 15 days: boundary", "2027-04-30", caqh, 120, 15, credentialing.Band15},
		{"CAQH 11 days", "2027-05-04", caqh, 120, 11, credentialing.Band15},
		{"CAQH 10 days: boundary", "2027-05-05", caqh, 120, 10, credentialing.Band10},
		{"CAQH 6 days", "2027-05-09", caqh, 120, 6, credentialing.Band10},
		{"CAQH 5 days: boundary", "2027-05-10", caqh, 120, 5, credentialing.Band5},
		{"CAQH due today", "2027-05-15", caqh, 120, 0, credentialing.Band5},
		{"CAQH overdue", "2027-05-16", caqh, 120, -1, credentialing.BandExpired},
		// At 180 days the same attestation is due 2027-07-14: May 16 → May 31 (15) → Jun 30 (45) → Jul 14 (59)
		{"CAQH 180-day cycle, not due", "2027-05-16", caqh, 180, 59, credentialing.BandNone},
		// Jun 29 → Jun 30 (1) → Jul 14 (15)
		{"CAQH 180-day cycle, 15 days", "2027-06-29", caqh, 180, 15, credentialing.Band15},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := credentialing.Deadlines([]practice.Credential{tt.cred}, nil, tt.cycle, date(t, tt.today))
			if len(got) != 1 {
				t.Fatalf("%d deadlines, want 1: %+v", len(got), got)
			}
			if got[0].DaysLeft != tt.left || got[0].Band != tt.band {
				t.Errorf("today %s: %d days left, band %q; want %d, %q", tt.today, got[0].DaysLeft, got[0].Band, tt.left, tt.band)
			}
		})
	}
}

func TestFollowUpsThatSlip(t *testing.T) {
	e := practice.Enrollment{ID: "e1", ClinicianID: "ana", PayerID: "aetna", Status: practice.EnrollInProcess, FollowUpOn: "2027-03-10", AssigneeID: "sam"}
	for _, tt := range []struct {
		today string
		left  int
		band  credentialing.Band
	}{
		{"2027-03-09", 1, credentialing.BandNone},
		{"2027-03-10", 0, credentialing.BandDue},
		{"2027-03-11", -1, credentialing.BandOverdue},
		// Mar 10 → Mar 31 (21) → Apr 2 (23)
		{"2027-04-02", -23, credentialing.BandOverdue},
	} {
		got := credentialing.Deadlines(nil, []practice.Enrollment{e}, 120, date(t, tt.today))
		if len(got) != 1 || got[0].DaysLeft != tt.left || got[0].Band != tt.band || got[0].AssigneeID != "sam" || got[0].Kind != credentialing.KindFollowUp {
			t.Errorf("today %s: %+v; want %d days, band %q, assigned to sam", tt.today, got, tt.left, tt.band)
		}
	}
	done := e
	done.Status = practice.EnrollTerminated
	if got := credentialing.Deadlines(nil, []practice.Enrollment{done}, 120, date(t, "2027-04-02")); len(got) != 0 {
		t.Errorf("a terminated enrollment's follow-up still makes deadlines: %+v", got)
	}
	none := e
	none.FollowUpOn = ""
	if got := credentialing.Deadlines(nil, []practice.Enrollment{none}, 120, date(t, "2027-04-02")); len(got) != 0 {
		t.Errorf("an enrollment without a follow-up date makes deadlines: %+v", got)
	}
}

func TestRenewalEndsTheOldNotices(t *testing.T) {
	old := practice.Credential{ID: "old", ClinicianID: "ana", Kind: practice.CredLicence, State: "OR", Type: "LCSW", Issued: "2025-02-01", Expires: "2027-01-31"}
	renewed := old
	renewed.ID, renewed.Issued, renewed.Expires = "new", "2027-01-20", "2029-01-31"
	other := old
	other.ID, other.State = "wa", "WA" // a licence in another state is its own item
	got := credentialing.Deadlines([]practice.Credential{old, renewed, other}, nil, 120, date(t, "2027-02-10"))
	if len(got) != 2 || got[0].ID != "wa" || got[0].Band != credentialing.BandExpired || got[1].ID != "new" || got[1].Band != credentialing.BandNone {
		t.Fatalf("deadlines %+v: want the expired WA licence, then the renewed OR one (not the old OR one)", got)
	}
	if got[0].Key != "credentials/wa/expired" {
		t.Errorf("key %q, want credentials/wa/expired", got[0].Key)
	}
}

func TestStandingOn(t *testing.T) {
	names := credentialing.Names{Clinician: "Ana Ruiz", Payer: "Aetna"}
	licence := practice.Credential{Kind: practice.CredLicence, State: "OR", Type: "LCSW", Issued: "2025-02-01", Expires: "2027-01-31"}
	malpractice := practice.Credential{Kind: practice.CredMalpractice, Carrier: "CPH", Expires: "2027-12-31"}
	enrol := func(status practice.EnrollmentStatus, effective string) *practice.Enrollment {
		return &practice.Enrollment{PayerID: "aetna", Status: status, EffectiveOn: effective}
	}
	tests := []struct {
		name       string
		creds      []practice.Credential
		payer      string
		enrollment *practice.Enrollment
		on         string
		want       []string
	}{
		{"approved and effective", nil, "aetna", enrol(practice.EnrollApproved, "2027-03-01"), "2027-03-01", nil},
		{"approved, effective tomorrow", nil, "aetna", enrol(practice.EnrollApproved, "2027-03-01"), "2027-02-28",
			[]string{"Ana Ruiz is not in network with Aetna until 1 Mar 2027; approved."}},
		{"in process with an expected date", nil, "aetna", enrol(practice.EnrollInProcess, "2027-03-01"), "2027-02-10",
			[]string{"Ana Ruiz is not in network with Aetna until 1 Mar 2027; application in process."}},
		{"in process past its expected date", nil, "aetna", enrol(practice.EnrollInProcess, "2027-03-01"), "2027-03-02",
			[]string{"Ana Ruiz is not in network with Aetna; application in process."}},
		{"recredentialing due is still in network", nil, "aetna", enrol(practice.EnrollRecredentialing, "2025-01-01"), "2027-03-02", nil},
		{"denied", nil, "aetna", enrol(practice.EnrollDenied, "2027-06-01"), "2027-03-02",
			[]string{"Ana Ruiz is not in network with Aetna; application denied."}},
		{"terminated", nil, "aetna", enrol(practice.EnrollTerminated, ""), "2027-03-02",
			[]string{"Ana Ruiz is not in network with Aetna; terminated."}},
		{"not enrolled", nil, "aetna", nil, "2027-03-02", []string{"Ana Ruiz is not enrolled with Aetna."}},
		{"licence valid on its last day", []practice.Credential{licence}, "", nil, "2027-01-31", nil},
		{"licence expired", []practice.Credential{licence, malpractice}, "", nil, "2027-02-01",
			[]string{"Ana Ruiz's licence expired on 31 Jan 2027."}},
		{"licence not yet valid", []practice.Credential{licence}, "", nil, "2025-01-15",
			[]string{"Ana Ruiz's licence is not valid until 1 Feb 2025."}},
		{"malpractice lapsed and not in network", []practice.Credential{malpractice}, "aetna", enrol(practice.EnrollSent, ""), "2028-01-01",
			[]string{"Ana Ruiz's malpractice policy expired on 31 Dec 2027.", "Ana Ruiz is not in network with Aetna; application sent."}},
		{"self-pay with valid credentials", []practice.Credential{licence, malpractice}, "", nil, "2026-06-01", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := credentialing.StandingOn(names, tt.creds, tt.payer, tt.enrollment, date(t, tt.on))
			var got []string
			for _, r := range s.Reasons {
				got = append(got, r.Message)
			}
			if s.InNetwork != (len(tt.want) == 0) || len(got) != len(tt.want) {
				t.Fatalf("in network %v, reasons %q; want %q", s.InNetwork, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("reason %d: %q, want %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestDEACheckDigit(t *testing.T) {
	for _, tt := range []struct {
		number, want string
	}{
		// 1+3+5 = 9; 2·(2+4+6) = 24; 9+24 = 33 → check digit 3
		{"AB1234563", ""},
		{"AB1234564", "This DEA number's check digit is wrong; please check for a typo."},
		// digits 0 1 2 0 0 1: (0+2+0) + 2·(1+0+1) = 6 → check digit 6
		{"FM0120016", ""},
		{"M91234563", ""}, // a business ('9' second) registered as a mid-level practitioner
		{"AB123456", "A DEA number is two letters and seven digits, e.g. AB1234563."},
		{"ZB1234563", "A DEA number starts with a registrant type letter (A, B, C, D, E, F, G, H, J, K, L, M, P, R, S, T, U or X)."},
	} {
		if got := practice.DEAProblem(tt.number); got != tt.want {
			t.Errorf("DEAProblem(%q) = %q, want %q", tt.number, got, tt.want)
		}
	}
}
