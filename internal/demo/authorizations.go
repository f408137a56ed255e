package demo

import (
	"context"
	"fmt"
	"time"

	"quietdesk/internal/authorizations"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// streamAuthorizations draws the demo's authorizations.
const streamAuthorizations uint64 = 0x51d3_0006

// authCaps is how many EAP cases and prior authorizations each size gets:
// the large demo holds an EAP with about 200 cases for the report's
// benchmark.
var authCaps = map[int]struct{ eap, prior int }{600: {eap: 14, prior: 12}, 10000: {eap: 420, prior: 300}}

// makeAuthorizations gives patients with sessions around today EAP cases
// (3–8 sessions) and insurance prior authorizations, in the states the
// guard and the alerts have work with: some near their limit, some
// expiring this week, one used up with sessions still booked, a weekly
// series booked past an end date, a request with no answer, a renewal
// chain. It sets the payers' rules: Lighthouse EAP counts missed sessions
// and refuses bookings past the limit without a reason; BrightPath does
// not count them; Medicaid requires an authorization for every session.
func makeAuthorizations(ctx context.Context, db *store.DB, g gen, ownerID string, patientIDs []string) error {
	caps := authCaps[len(patientIDs)]
	if caps.eap == 0 {
		caps = authCaps[600]
	}
	return db.Update(ctx, func(tx *store.Tx) error {
		settings, err := tx.Settings()
		if err != nil {
			return err
		}
		zone, now := settings.Zone(), tx.Now()
		day := func(t time.Time) string { return t.In(zone).Format(time.DateOnly) }
		today := now.In(zone)
		payers, err := tx.Payers()
		if err != nil {
			return err
		}
		kinds := map[string]practice.PayerKind{}
		for _, y := range payers {
			kinds[y.ID] = y.Kind
			r := practice.DefaultPayerAuthRules(y.ID)
			switch y.PayerID {
			case "LHEAP":
				r.Enforcement = practice.EnforceHard
			case "BPEAP":
				r.CountMissed = false
			case "CCMCD":
				r.RequiresAuth = true
			default:
				continue
			}
			if err := tx.SavePayerAuthRules(&r); err != nil {
				return fmt.Errorf("payer rules: %w", err)
			}
		}
		around, err := tx.AppointmentsBetween(now.AddDate(0, 0, -75), now.AddDate(0, 0, 150), store.AppointmentFilter{})
		if err != nil {
			return err
		}
		sessions := map[string][]practice.Appointment{}
		for _, a := range around {
			sessions[a.PatientID] = append(sessions[a.PatientID], a)
		}
		save := func(a *practice.Authorization) error {
			if err := tx.SaveAuthorization(a); err != nil {
				return fmt.Errorf("authorization: %w", err)
			}
			return tx.Audit(ownerID, "authorization.save", "authorizations", a.ID)
		}
		eapCases, priors := 0, 0
		for _, pid := range patientIDs {
			if err := ctx.Err(); err != nil {
				return err
			}
			list := sessions[pid]
			if len(list) < 3 || (eapCases >= caps.eap && priors >= caps.prior) {
				continue
			}
			policies, err := tx.Policies(pid)
			if err != nil {
				return err
			}
			var eap, ins string
			for _, p := range policies {
				if kinds[p.PayerID] == practice.PayerEAP && eap == "" {
					eap = p.PayerID
				} else if kinds[p.PayerID] == practice.PayerInsurance && ins == "" {
					ins = p.PayerID
				}
			}
			first := list[0].Start.In(zone)
			switch {
			case eap != "" && eapCases < caps.eap:
				a := practice.Authorization{PatientID: pid, PayerID: eap, Kind: practice.AuthEAP, Status: practice.AuthAuthorized,
					Unit: practice.UnitSessions, Authorized: 3 + g.r.IntN(6), Start: day(first), End: day(first.AddDate(0, 0, 90)),
					WarnRemaining: 1, WarnDays: 14, Number: "EAP-" + g.alnum(7), EAPCaseNumber: "C" + g.digits(8),
					EAPMemberID: "M" + g.digits(9), Employer: pick(g, employers), BenefitYear: fmt.Sprint(today.Year())}
				switch eapCases % 6 {
				case 1, 3: // near its limit, or used up: fitted to its usage below
					a.Authorized = practice.MaxAuthorized
				case 2: // expiring this week
					a.End = day(today.AddDate(0, 0, 1+g.r.IntN(6)))
				case 4: // a weekly series runs on past its end
					a.End = day(today.AddDate(0, 0, 10))
				case 5: // asked for, no answer yet
					a.Status, a.Authorized, a.Requested, a.RequestedOn = practice.AuthRequested, 0, 6, day(today.AddDate(0, 0, -10))
					a.Start, a.End = day(today), day(today.AddDate(0, 0, 90))
				}
				if a.Status == practice.AuthAuthorized {
					a.Requested = a.Authorized
				}
				if eapCases%12 == 0 { // a renewal chain: last period's case, used up
					prev := a
					prev.Start, prev.End = day(first.AddDate(0, 0, -90)), day(first.AddDate(0, 0, -1))
					prev.Number = "EAP-" + g.alnum(7)
					if err := save(&prev); err != nil {
						return err
					}
					a.RenewsID = prev.ID
				}
				if err := save(&a); err != nil {
					return err
				}
				// Which sessions count depends on the payer's rules, the window
				// and today's date, so the count is read back rather than
				// guessed from the session list.
				var fit func(authorizations.Usage) int
				switch left := g.r.IntN(2); eapCases % 6 {
				case 1: // one or none left
					fit = func(u authorizations.Usage) int { return u.Used + u.Scheduled + left }
				case 3: // used up, with sessions still booked
					fit = func(u authorizations.Usage) int { return u.Used }
				}
				if fit != nil {
					if err := fitToUsage(tx, ownerID, &a, fit); err != nil {
						return err
					}
				}
				eapCases++
			case ins != "" && priors < caps.prior && g.chance(0.5):
				a := practice.Authorization{PatientID: pid, PayerID: ins, Kind: practice.AuthPrior, Status: practice.AuthAuthorized,
					Unit: practice.UnitSessions, Authorized: 12 + g.r.IntN(9), Start: day(first), End: day(first.AddDate(0, 6, 0)),
					WarnRemaining: 2, WarnDays: 21, ServiceCodes: []string{"90834", "90837"}, Number: "PA" + g.digits(9),
					PayerContact: "Utilization review line", CallReference: "REF-" + g.alnum(6)}
				if priors%10 == 3 {
					a.Unit, a.Authorized, a.ServiceCodes = practice.Unit15Min, 40, nil
				}
				a.Requested = a.Authorized
				if err := save(&a); err != nil {
					return err
				}
				priors++
			}
		}
		return nil
	})
}

// fitToUsage sets a's authorized count to fit of its usage and saves it.
func fitToUsage(tx *store.Tx, ownerID string, a *practice.Authorization, fit func(authorizations.Usage) int) error {
	views, err := authorizations.NewService().List(tx, practice.Actor{AccountID: ownerID}, a.PatientID)
	if err != nil {
		return err
	}
	for _, v := range views {
		if v.Authorization.ID == a.ID {
			a.Authorized = min(practice.MaxAuthorized, max(1, fit(v.Usage)))
			a.Requested = a.Authorized
			if err := tx.SaveAuthorization(a); err != nil {
				return fmt.Errorf("authorization: %w", err)
			}
			return nil
		}
	}
	return fmt.Errorf("authorization %s not listed after saving", a.ID)
}

// employers sponsor the demo's EAP benefits.
var employers = []string{"Northwind Logistics", "Harbor City Schools", "Cascade Timber Co.", "Riverbend Hospital", "Summit Software"}
