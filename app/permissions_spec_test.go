package app_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"quietdesk/internal/practice"
)

// minimumNecessary is the role × method spec, written by hand from what
// each person in a small practice needs to do their job, independently of
// app/permissions.go: the role matrix checks the table against it, so a
// change to either that the other does not share fails, and a new bound
// method fails until it has a row here. Letters: O owner/manager, F front
// desk, C clinician, B biller. Clinicians' rows marked "own" are limited to
// their own caseload by the services (ownCaseloadOnly).
var minimumNecessary = map[string]string{
	// Everyone changes their own password and chooses their own staff
	// e-mail; the Recovery Kit wraps the practice key: the owner's alone.
	"Session.ChangePassword":  "OFCB",
	"Session.MyMail":          "OFCB",
	"Session.SaveMyMail":      "OFCB",
	"Session.SaveRecoveryKit": "O",
	"Session.NewRecoveryKey":  "O",

	// Patients: everyone who serves a patient finds and reads them (the
	// clinician their own); demographics are the front desk's to keep,
	// insurance the front desk's and the biller's.
	"Patients.Search":       "OFCB",
	"Patients.Get":          "OFCB",
	"Patients.Create":       "OF",
	"Patients.Update":       "OF",
	"Patients.SavePolicy":   "OFB",
	"Patients.DeletePolicy": "OFB",

	// The practice's reference data (no patient in it) is read by all;
	// the owner sets it up, the biller keeps payers.
	"Practice.Settings":      "OFCB",
	"Practice.SaveSettings":  "O",
	"Practice.Locations":     "OFCB",
	"Practice.SaveLocation":  "O",
	"Practice.Rooms":         "OFCB",
	"Practice.SaveRoom":      "O",
	"Practice.Clinicians":    "OFCB",
	"Practice.SaveClinician": "O",
	"Practice.Payers":        "OFCB",
	"Practice.SavePayer":     "OB",

	// Scheduling is the front desk's; clinicians see their own schedule,
	// billers the sessions they bill. Staff time off (whose reason may be
	// personal, e.g. medical leave) is listed for those who schedule
	// around it only.
	"Calendar.Setup":               "OFCB",
	"Calendar.Range":               "OFCB",
	"Calendar.Appointment":         "OFCB",
	"Calendar.PatientAppointments": "OFCB",
	"Calendar.CheckBooking":        "OF",
	"Calendar.Book":                "OF",
	"Calendar.CheckMove":           "OF",
	"Calendar.Move":                "OF",
	"Calendar.SetStatus":           "OF",
	"Calendar.RemoveBooking":       "OF",
	"Calendar.FirstAvailable":      "OF",
	"Calendar.MatchClinicians":     "OF",
	"Calendar.SaveType":            "O",
	"Calendar.SetHours":            "OF",
	"Calendar.TimeOff":             "OF",
	"Calendar.SaveTimeOff":         "OF",
	"Calendar.CheckTimeOff":        "OF",
	"Calendar.DeleteTimeOff":       "OF",
	"Calendar.Waitlist":            "OF",
	"Calendar.SaveWaitlist":        "OF",
	"Calendar.ExportFeed":          "OFC", // own schedule for a clinician
	"Calendar.PrintDay":            "OFC", // own day for a clinician

	"Staff.Accounts":      "O",
	"Staff.Create":        "O",
	"Staff.Update":        "O",
	"Staff.ResetPassword": "O", // writes a key slot

	// Sync state is shown to all (the indicator); double-bookings are
	// resolved by whoever schedules; membership is the owner's.
	"Devices.Status":          "OFCB",
	"Devices.Conflicts":       "OFCB",
	"Devices.ResolveConflict": "OF",
	"Devices.OpenPairing":     "O",
	"Devices.ClosePairing":    "O",
	"Devices.ConnectAddress":  "O",
	"Devices.Remove":          "O",
	"Devices.UnlockHub":       "O",

	"Backups.Backup":  "O",
	"Backups.Restore": "O",
	// The nightly backups: the folder is where the practice's data goes,
	// so choosing it and seeing the result are the owner's.
	"Backups.Nightly":      "O",
	"Backups.ChooseFolder": "O",
	"Backups.BackUpNow":    "O",

	"Audit.Query":  "O",
	"Audit.Export": "O",
	"Audit.Verify": "O",

	// Authorizations: the front desk checks them when booking, the biller
	// keeps them; clinicians see their own patients'.
	"Authorizations.List":           "OFCB",
	"Authorizations.Overview":       "OFCB",
	"Authorizations.Save":           "OFB",
	"Authorizations.Renew":          "OFB",
	"Authorizations.Choose":         "OFB",
	"Authorizations.ForBooking":     "OF",
	"Authorizations.PayerRules":     "OFCB",
	"Authorizations.SavePayerRules": "OB",
	"Authorizations.ExportReport":   "OB",
	// The payer's letter is kept by whoever keeps the authorization and
	// read by whoever reads it (the clinician: their own patients').
	"Authorizations.AttachLetter": "OFB",
	"Authorizations.Letters":      "OFCB",
	"Authorizations.SaveLetter":   "OFCB",

	// Credentialing is the owner's; clinicians see their own, the front
	// desk and billers whether a clinician is in network.
	"Credentialing.Overview":         "OFCB",
	"Credentialing.History":          "OFCB",
	"Credentialing.SaveCredential":   "O",
	"Credentialing.DeleteCredential": "O",
	"Credentialing.RecordEnrollment": "O",
	"Credentialing.SaveSettings":     "O",
	// Scans of licences and certificates: the owner keeps them; a
	// clinician may read their own; the front desk and billers need
	// standing, not the papers.
	"Credentialing.AttachScan": "O",
	"Credentialing.Scans":      "OC",
	"Credentialing.SaveScan":   "OC",

	// Intake: the front desk sees completion and hands the patient the
	// computer or tablet; answers and scores are the clinician's (own
	// patients) and the owner's. Billers need none of it.
	"Intake.Forms":         "OFC",
	"Intake.FormEditions":  "O", // the owner edits consent texts and adds questions
	"Intake.EditForm":      "O",
	"Intake.Submit":        "OFC",
	"Intake.List":          "OFC",
	"Intake.HandToPatient": "OFC",
	"Intake.BlankPacket":   "OFC",
	"Intake.SendToTablet":  "OF",
	// Check-in codes name today's patients: the front desk checks them in.
	"Intake.CheckinCodes":   "OF",
	"Intake.NewCheckinCode": "OF",
	"Intake.CheckIn":        "OF",
	"Intake.Submission":     "OC",
	"Intake.Acknowledge":    "OC",
	"Intake.Trend":          "OC",
	// Changes to the record are reviewed by who keeps records
	// (Patients.Update): the demographic answers only.
	"Intake.Changes":   "OF",
	"Intake.Decide":    "OF",
	"Intake.ExportPDF": "OC",

	// Billing: the biller and the owner bill; the front desk takes copays
	// and fees and sees a patient's balance, never diagnoses or claims;
	// clinicians enter diagnoses for their own patients.
	"Billing.Setup":            "OB",
	"Billing.SaveSettings":     "OB",
	"Billing.SavePayer":        "OB",
	"Billing.CommonDiagnoses":  "OCB",
	"Billing.Diagnoses":        "OCB",
	"Billing.SaveDiagnoses":    "OCB",
	"Billing.Unbilled":         "OB",
	"Billing.CreateBatch":      "OB",
	"Billing.Claims":           "OB",
	"Billing.Claim":            "OB",
	"Billing.EditClaim":        "OB",
	"Billing.RefreshDiagnoses": "OB",
	"Billing.Scrub":            "OB",
	"Billing.SetStatus":        "OB",
	"Billing.Correct":          "OB",
	"Billing.Post":             "OB",
	"Billing.TakeCopay":        "OFB",
	"Billing.Account":          "OFB",
	"Billing.PostFees":         "OFB",
	"Billing.Dashboard":        "OB",
	"Billing.Export837":        "OB",
	"Billing.ExportCSV":        "OB",
	"Billing.Document":         "OB",

	"Alerts.Mine": "OFCB", // each sees only what is addressed to them

	// E-mail: the relay (its password) and the sending machine are the
	// owner's; the front desk follows up on what did not go out.
	"Mail.Status":        "OFCB",
	"Mail.Settings":      "O",
	"Mail.SaveRelay":     "O",
	"Mail.TestRelay":     "O",
	"Mail.SaveReminders": "O",
	"Mail.Preview":       "O",
	"Mail.SetSender":     "O",
	"Mail.Outbox":        "OF",
	"Mail.Decide":        "OF",
}

// keyPairingDevice are the operations on the practice key, pairing and
// devices: owner-only whatever the table says (DESIGN.md "Roles and
// audit"; the issue's minimum-necessary rule).
var keyPairingDevice = []string{
	"Session.SaveRecoveryKit", "Session.NewRecoveryKey", "Staff.ResetPassword",
	"Devices.OpenPairing", "Devices.ClosePairing", "Devices.ConnectAddress", "Devices.Remove", "Devices.UnlockHub",
	"Backups.Backup", "Backups.Restore", "Backups.ChooseFolder", "Backups.BackUpNow", "Mail.SetSender",
}

var roleLetter = map[practice.Role]string{
	practice.RoleOwner: "O", practice.RoleFrontDesk: "F", practice.RoleClinician: "C", practice.RoleBiller: "B",
}

// specAllows says whether the spec grants method to role, and whether the
// method has a row at all.
func specAllows(method string, role practice.Role) (allowed, listed bool) {
	letters, ok := minimumNecessary[method]
	return ok && strings.Contains(letters, roleLetter[role]), ok
}

// TestSpecCoversTheBoundFacades: the facades the role matrix walks are the
// ones main.go binds, and every bound method is public or has a spec row;
// no row names a method that no longer exists.
func TestSpecCoversTheBoundFacades(t *testing.T) {
	src, err := os.ReadFile("../main.go")
	if err != nil {
		t.Fatal(err)
	}
	// Both windows (office and check-in tablet) bind app.Facades and the
	// tablet's facade, which needs no session (TestTabletWindow).
	binds := regexp.MustCompile(`window\(log, "[^"]*", (.*), func`).FindAllSubmatch(src, -1)
	tabletOnly := regexp.MustCompile(`^append\(app\.Facades\(core\), (tablet|app\.NewTablet\(nil, log, nil, nil\))\)$`)
	if len(binds) != 2 || !regexp.MustCompile(`Bind:\s*bind,`).Match(src) {
		t.Fatalf("main.go binds %q; the matrix walks app.Facades, so both windows must bind that and the tablet's facade", binds)
	}
	for _, b := range binds {
		if !tabletOnly.Match(b[1]) {
			t.Fatalf("main.go binds %q; the matrix walks app.Facades, so a window binds that and the tablet's facade only", b[1])
		}
	}
	e := openEnv(t, envOptions{})
	bound := map[string]bool{}
	for _, m := range e.facades() {
		bound[m.name] = true
		_, listed := specAllows(m.name, practice.RoleOwner)
		switch {
		case isPublic(m.name) && listed:
			t.Errorf("%s is public (no login) and has a spec row", m.name)
		case !isPublic(m.name) && !listed:
			t.Errorf("%s is bound but has no row in minimumNecessary (app/permissions_spec_test.go): decide who needs it", m.name)
		}
	}
	for m := range minimumNecessary {
		if !bound[m] {
			t.Errorf("spec row %s names no bound method", m)
		}
	}
	for _, m := range keyPairingDevice {
		if minimumNecessary[m] != "O" {
			t.Errorf("%s is a key, pairing or device operation; the spec must keep it owner-only, has %q", m, minimumNecessary[m])
		}
	}
	for m, letters := range minimumNecessary {
		if !strings.Contains(letters, "O") {
			t.Errorf("%s: the owner/manager may do everything", m)
		}
		if strings.Trim(letters, "OFCB") != "" {
			t.Errorf("%s: unknown role letters in %q", m, letters)
		}
	}
}
