// Package export writes practice data out in standard formats for people
// and other programs. Every export is decrypted on the way out, so callers
// gate it by role and audit it.
package export

import (
	"io"
	"sort"
	"strings"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// PatientColumns is the header row of the patient CSV.
var PatientColumns = []string{
	"id", "first_name", "last_name", "preferred_name", "dob", "sex", "gender", "pronouns",
	"phone", "email", "address_line1", "address_line2", "city", "state", "zip",
	"emergency_name", "emergency_relationship", "emergency_phone", "emergency_email",
	"guardian_name", "guardian_relationship", "guardian_phone", "guardian_email",
	"primary_payer", "primary_member_id", "primary_group_number", "primary_subscriber_name", "primary_subscriber_dob",
	"active",
}

// PatientsCSV writes every patient, sorted by name, with their primary
// insurance policy.
func PatientsCSV(w io.Writer, tx *store.Tx) (int, error) {
	list, err := tx.Patients()
	if err != nil {
		return 0, err
	}
	payers, err := tx.Payers()
	if err != nil {
		return 0, err
	}
	payerName := map[string]string{}
	for _, y := range payers {
		payerName[y.ID] = y.Name
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i].Identity, list[j].Identity
		return strings.ToLower(a.LastName+"\x00"+a.FirstName) < strings.ToLower(b.LastName+"\x00"+b.FirstName)
	})
	cw := NewCSV(w)
	if err := cw.Write(PatientColumns); err != nil {
		return 0, err
	}
	for _, p := range list {
		pols, err := tx.Policies(p.ID)
		if err != nil {
			return 0, err
		}
		var primary practice.InsurancePolicy
		for _, ip := range pols {
			if ip.Rank == practice.RankPrimary {
				primary = ip
				break
			}
		}
		i, c, e, g, a := p.Identity, p.Contact, p.Emergency, p.Guardian, p.Contact.Address
		active := "yes"
		if !p.Active {
			active = "no"
		}
		if err := cw.Write([]string{
			p.ID, i.FirstName, i.LastName, i.PreferredName, i.DOB, i.Sex, i.Gender, i.Pronouns,
			c.Phone, c.Email, a.Line1, a.Line2, a.City, a.State, a.Zip,
			e.Name, e.Relationship, e.Phone, e.Email,
			g.Name, g.Relationship, g.Phone, g.Email,
			payerName[primary.PayerID], primary.MemberID, primary.GroupNumber, primary.Subscriber.Name, primary.Subscriber.DOB,
			active,
		}); err != nil {
			return 0, err
		}
	}
	return len(list), cw.Flush()
}
