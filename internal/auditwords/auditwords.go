// Package auditwords says what an audit entry's action means, in the words
// the owner reads on the audit screen and in its export ("Opened a
// patient's record" for patient.read). The trail itself keeps the short
// codes: they are what the hash chain covers and what a filter matches.
package auditwords

import "strings"

// exact holds the actions written as constants.
var exact = map[string]string{
	"practice.create":             "Created the practice",
	"login":                       "Signed in",
	"login.failed":                "Tried to sign in with a wrong password",
	"logout":                      "Signed out",
	"unlock":                      "Unlocked the screen",
	"hub.unlock":                  "Unlocked the hub",
	"account.password":            "Changed their password",
	"account.recover":             "Set a new password with the Recovery Kit",
	"account.mail":                "Changed their staff e-mail choices",
	"accounts.save":               "Saved a staff account",
	"recoverykey.replace":         "Replaced the Recovery Kit",
	"settings.save":               "Saved the practice settings",
	"locations.save":              "Saved a location",
	"rooms.save":                  "Saved a room",
	"clinicians.save":             "Saved a clinician",
	"payers.save":                 "Saved a payer",
	"payer.billing":               "Saved a payer's billing settings",
	"payer.authrules":             "Saved a payer's authorization rules",
	"patient.create":              "Added a patient",
	"patient.read":                "Opened a patient's record",
	"patient.save":                "Saved a patient's record",
	"patient.search":              "Searched the patients",
	"patient.export":              "Exported the patient list",
	"patient.appointments":        "Viewed a patient's appointments",
	"policy.save":                 "Saved a patient's insurance",
	"calendar.view":               "Viewed the calendar",
	"appointment.read":            "Opened an appointment",
	"appointment.override":        "Booked over a conflict, with a reason",
	"conflict.resolve":            "Settled a sync conflict",
	"alerts.view":                 "Viewed their alerts",
	"outbox.view":                 "Viewed the e-mail outbox",
	"document.attach":             "Attached a document",
	"document.copy":               "Saved a copy of a document",
	"authorization.save":          "Saved an authorization",
	"authorization.view":          "Viewed authorizations",
	"authorization.report":        "Made an authorization's utilization report",
	"authorization.overview":      "Viewed the authorizations overview",
	"authorization.choose":        "Chose the authorization a session uses",
	"credentials.save":            "Saved a clinician's credential",
	"credentials.delete":          "Deleted a clinician's credential",
	"enrollments.save":            "Saved a payer enrollment",
	"credentialing_settings.save": "Saved the credentialing settings",
	"intake.prepare":              "Prepared an intake packet",
	"intake.form.edit":            "Saved a new version of an intake form",
	"intake.submit":               "Received an intake submission",
	"intake.view":                 "Opened an intake submission",
	"intake.list":                 "Listed intake packets",
	"intake.trend":                "Viewed a patient's questionnaire scores",
	"intake.review":               "Reviewed an intake submission",
	"intake.changes":              "Viewed a submission's changes to the record",
	"intake.flag.acknowledge":     "Acknowledged an intake safety flag",
	"intake.export":               "Exported an intake packet",
	"intake.checkin.codes":        "Viewed today's check-in codes",
	"intake.checkin.newcode":      "Issued a new check-in code",
	"intake.checkin":              "A patient checked in with a code",
	"intake.checkin.wrong":        "A check-in code was tried with a wrong date of birth",
	"intake.checkin.locked":       "A check-in code was locked after too many wrong tries",
	"intake.tablet-exit":          "Left a check-in tablet's full-screen window with a staff login",
	"intake.checkin.refused":      "A check-in code was refused",
	"diagnosis.view":              "Viewed a patient's diagnoses",
	"diagnosis.save":              "Saved a patient's diagnoses",
	"claim.create":                "Created a claim",
	"claim.edit":                  "Edited a claim",
	"claim.view":                  "Opened a claim",
	"claim.list":                  "Listed claims",
	"claim.print":                 "Printed a claim form",
	"claim.scrub":                 "Checked claims before sending",
	"claim.code-override":         "Overrode a session's billing code",
	"claim.export":                "Exported claims for the first time",
	"claim.resend":                "Exported claims again",
	"ledger.view":                 "Viewed a patient's ledger",
	"billing.unbilled":            "Listed unbilled sessions",
	"billing.superbill":           "Made a superbill",
	"billing.statement":           "Made a patient statement",
	"billing.settings":            "Saved the billing settings",
	"backup.create":               "Made a backup",
	"backup.restore":              "Restored a backup",
	"backup.folder":               "Chose the backup folder",
	"audit.export":                "Exported the audit trail",
	"appointment_types.save":      "Saved an appointment type",
	"working_hours.save":          "Saved working hours",
	"time_off.save":               "Saved time off",
	"waitlist.save":               "Saved a waitlist entry",
	"patient.update":              "Changed a patient's record",
	"policy.delete":               "Removed a patient's insurance",
	"appointment.book":            "Booked an appointment",
	"appointment.move":            "Moved an appointment",
	"appointment.status":          "Changed an appointment's status",
	"calendar.feed":               "Exported a calendar feed",
	"calendar.print":              "Printed a day's schedule",
	"recoverykit.export":          "Saved the Recovery Kit",
	"authorization.export":        "Saved an authorization's utilization report",
	"intake.export.saved":         "Saved an intake packet to a file",
	"intake.blank":                "Saved a blank intake packet",
	"device.pairing-open":         "Opened pairing for a new computer",
	"device.remove":               "Removed a computer from the practice",
	"device.hub-unlock":           "Unlocked the hub from this computer",
	"claim.void":                  "Voided a claim",
	"claim.replace":               "Replaced a claim",
}

// prefixed holds the actions whose last part is a value: a claim's new
// status, a ledger entry's kind, an export's format.
var prefixed = []struct{ prefix, words string }{
	{"claim.status.", "Set a claim's status to "},
	{"appointment.remove.", "Removed a booking made in error: "},
	{"ledger.", "Posted to the ledger: "},
	{"billing.export.", "Exported as a spreadsheet (CSV): the "},
}

// Describe returns the words for action, and whether it knows them; an
// action it does not know comes back as it is.
func Describe(action string) (string, bool) {
	if w, ok := exact[action]; ok {
		return w, true
	}
	for _, p := range prefixed {
		if rest, ok := strings.CutPrefix(action, p.prefix); ok && rest != "" {
			return p.words + strings.ReplaceAll(rest, "-", " "), true
		}
	}
	return action, false
}
