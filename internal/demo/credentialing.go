package demo

import (
	"context"
	"fmt"
	"time"

	"quietdesk/internal/credentialing"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// streamCredentialing is the random stream of the demo's credentialing.
const streamCredentialing uint64 = 0x51d3_0010

// Demo credentialing: every clinician has an Oregon licence (and some a
// Washington one, for the Vancouver office), a CAQH profile, malpractice
// cover, and prescribers a DEA registration and a board certification;
// enrollments with most payers. Clinician 1's licence and clinician 2's
// malpractice expire within 30 days, clinician 3's CAQH attestation is
// overdue, and the last clinician was newly hired: every application is
// in process with the front desk following up, so the sessions already
// booked with them are the ones the booking guard warns about.
const (
	expiringLicence     = 1
	expiringMalpractice = 2
	overdueCAQH         = 3
)

// expectedCents is the demo's expected payment per session, by payer
// (plan.Payers order): what the lapse estimate multiplies by.
var expectedCents = []int{11800, 12500, 10900, 11500, 8400, 9600, 7500, 7000}

func makeCredentialing(ctx context.Context, db *store.DB, g gen, p *plan, payerIDs []string) error {
	owner, frontDesk := p.Staff[0].Account.ID, p.Staff[1].Account.ID
	return db.Update(ctx, func(tx *store.Tx) error {
		settings, err := tx.Settings()
		if err != nil {
			return err
		}
		today := credentialing.Today(tx.Now(), settings.Zone())
		day := func(days int) string { return today.AddDate(0, 0, days).Format(time.DateOnly) }
		rates := map[string]int{}
		for i, id := range payerIDs {
			rates[id] = expectedCents[i%len(expectedCents)]
		}
		by := practice.Actor{AccountID: owner}
		if err := credentialing.SaveSettings(tx, by, &practice.CredentialingSettings{ExpectedCents: rates}); err != nil {
			return err
		}
		newHire := len(p.Clinicians) - 1
		for i, c := range p.Clinicians {
			for _, cr := range g.credentials(c, i, newHire, day) {
				cr.ClinicianID = c.ID
				if err := credentialing.SaveCredential(tx, by, &cr); err != nil {
					return fmt.Errorf("clinician %d %s: %w", i, cr.Kind, err)
				}
			}
			for j, payerID := range payerIDs {
				for _, ch := range g.enrollment(i == newHire, j, day) {
					ch.Enrollment.ClinicianID, ch.Enrollment.PayerID = c.ID, payerID
					if ch.Enrollment.FollowUpOn != "" {
						ch.Enrollment.AssigneeID = frontDesk
					}
					if _, err := credentialing.RecordEnrollment(tx, by, ch); err != nil {
						return fmt.Errorf("clinician %d payer %d: %w", i, j, err)
					}
				}
			}
		}
		return nil
	})
}

// credentials are one clinician's dated credentials; day(n) is the date n
// days from today.
func (g gen) credentials(c practice.Clinician, i, newHire int, day func(int) string) []practice.Credential {
	licenceType := c.Credentials
	expires := 120 + g.r.IntN(600)
	if i == expiringLicence {
		expires = 18
	}
	issued := expires - 730
	if i == newHire {
		issued = -40
	}
	out := []practice.Credential{{Kind: practice.CredLicence, State: "OR", Type: licenceType, Number: g.alnum(2) + g.digits(5),
		Issued: day(issued), Expires: day(expires)}}
	if g.chance(0.3) {
		out = append(out, practice.Credential{Kind: practice.CredLicence, State: "WA", Type: licenceType, Number: "LH" + g.digits(8),
			Issued: day(-200 - g.r.IntN(300)), Expires: day(90 + g.r.IntN(500))})
	}
	attested := -g.r.IntN(100)
	if i == overdueCAQH {
		attested = -131 // due 11 days ago
	}
	out = append(out, practice.Credential{Kind: practice.CredCAQH, Number: g.digits(8), Issued: day(attested)})
	malpractice := 60 + g.r.IntN(300)
	if i == expiringMalpractice {
		malpractice = 12
	}
	out = append(out, practice.Credential{Kind: practice.CredMalpractice, Carrier: pick(g, []string{"CPH & Associates", "American Professional Agency", "The Trust"}),
		Number: "PL-" + g.digits(7), Limits: "$1M / $3M", Issued: day(malpractice - 365), Expires: day(malpractice)})
	if c.Prescriber {
		out = append(out,
			practice.Credential{Kind: practice.CredDEA, State: "OR", Number: g.dea(c.LastName), Issued: day(-400), Expires: day(300 + g.r.IntN(700))},
			practice.Credential{Kind: practice.CredBoard, Type: "ABPN Psychiatry", Number: g.digits(6), Issued: day(-2000), Expires: day(1500)})
	}
	return out
}

// dea is a well-formed DEA number for a practitioner named last: type
// letter A or B, the name's initial, six digits and the check digit.
func (g gen) dea(last string) string {
	initial := byte('X')
	if a := ascii(last); a != "" && a[0] >= 'A' && a[0] <= 'Z' {
		initial = a[0]
	}
	d := g.digits(6)
	n := func(k int) int { return int(d[k] - '0') }
	check := (n(0) + n(2) + n(4) + 2*(n(1)+n(3)+n(5))) % 10
	return string([]byte{pick(g, []byte("AB")), initial}) + d + string(rune('0'+check))
}

// enrollment is a clinician's enrollment with payer j as the saves that
// made it, oldest first (each adds to its history); none where there is
// no enrollment.
func (g gen) enrollment(newHire bool, j int, day func(int) string) []credentialing.EnrollmentChange {
	if newHire {
		e := practice.Enrollment{Status: practice.EnrollSent, EffectiveOn: day(30 + 15*j), FollowUpOn: day(-3 + 4*j),
			Reference: "APP-" + g.digits(6), Contact: "Provider relations, ext. " + g.digits(3)}
		inProcess := e
		inProcess.Status = practice.EnrollInProcess
		return []credentialing.EnrollmentChange{{Enrollment: e, Note: "Application submitted with CAQH authorization"},
			{Enrollment: inProcess, Note: "Payer confirmed receipt; in review"}}
	}
	var e practice.Enrollment
	var note string
	switch r := g.r.IntN(20); {
	case r == 0:
		return nil
	case r == 1:
		e, note = practice.Enrollment{Status: practice.EnrollDenied, Reference: "APP-" + g.digits(6)}, "Panel closed for this specialty; reapply in six months"
	case r == 2:
		e, note = practice.Enrollment{Status: practice.EnrollRecredentialing, EffectiveOn: day(-1100), FollowUpOn: day(g.r.IntN(20) - 5),
			ProviderID: g.digits(9)}, "Recredentialing packet requested"
	default:
		e, note = practice.Enrollment{Status: practice.EnrollApproved, EffectiveOn: day(-200 - g.r.IntN(1500)), ProviderID: g.digits(9),
			ContractID: "C" + g.digits(6)}, "Approved; provider ID on file"
	}
	return []credentialing.EnrollmentChange{{Enrollment: e, Note: note}}
}
