// Package recoverykit renders the printable Recovery Kit: the one document
// that can open the practice's data when every staff password is lost.
package recoverykit

import (
	"time"

	"quietdesk/internal/pdf"
	"quietdesk/internal/vault"
)

// Render returns the Recovery Kit PDF for a practice; owner is the username
// of the owner who saved it, which the recovery screen asks for with the key.
func Render(practiceName, owner string, key vault.RecoveryKey, created time.Time) ([]byte, error) {
	f := pdf.New()
	f.SetTitle("Quietdesk Recovery Kit", true)
	f.AddPage()

	f.SetFont(pdf.Sans, "B", 20)
	f.CellFormat(0, 10, "Quietdesk Recovery Kit", "", 1, "L", false, 0, "")
	f.SetFont(pdf.Sans, "", 12)
	f.CellFormat(0, 7, practiceName, "", 1, "L", false, 0, "")
	f.SetTextColor(90, 90, 90)
	f.CellFormat(0, 6, "Created "+created.Format("January 2, 2006"), "", 1, "L", false, 0, "")
	f.SetTextColor(0, 0, 0)
	f.Ln(6)

	f.SetFont(pdf.Sans, "B", 12)
	f.CellFormat(0, 7, "Recovery key", "", 1, "L", false, 0, "")
	f.SetFillColor(242, 244, 247)
	f.SetDrawColor(120, 130, 140)
	f.SetFont(pdf.Mono, "", 17)
	f.CellFormat(0, 18, string(key), "1", 1, "C", true, 0, "")
	f.Ln(6)

	f.SetFont(pdf.Sans, "", 11)
	for _, para := range []string{
		"This key opens your practice's encrypted data if every staff password is forgotten. " +
			"Quietdesk cannot recover your data without it: there is no back door and no copy kept by anyone else.",
		"To use it: on the Quietdesk login screen choose \"Forgot every password? Use the Recovery Kit\", " +
			"type the key (dashes and spaces do not matter; O and 0, I and 1 are treated alike), the owner's username " +
			"(\"" + owner + "\" when this kit was made), and a new password for that owner.",
		"Keep this page somewhere safe and separate from the office computers: a locked drawer or a safe, " +
			"or a sealed envelope with the practice's lawyer or accountant. Anyone holding this page and one of the " +
			"practice's computers can read all practice data.",
		"Do not photograph it, e-mail it or store it in a shared folder. If it is lost or may have been seen, " +
			"the owner can create a new Recovery Kit in Settings; the old key then stops working.",
	} {
		f.MultiCell(0, 5.8, para, "", "L", false)
		f.Ln(3)
	}
	f.Ln(6)
	f.SetFont(pdf.Sans, "", 10)
	f.CellFormat(0, 6, "Stored by: ______________________________    Where: ______________________________", "", 1, "L", false, 0, "")
	return pdf.Bytes(f)
}
