package billing

import (
	"errors"
	"strconv"
	"strings"

	"quietdesk/internal/billing/icd10"
	"quietdesk/internal/billing/npi"
	"quietdesk/internal/billing/x12"
	"quietdesk/internal/practice"
)

func (defaultRules) ValidNPI(n string) bool { return npi.Valid(n) }

func (defaultRules) ICD10Check(code string) (ICD10Result, error) {
	r, err := icd10.Check(code)
	if err != nil {
		var e *icd10.Error
		if errors.As(err, &e) {
			return ICD10Result{}, practice.Errorf(practice.EInvalid, "%s", e.Message)
		}
		return ICD10Result{}, err
	}
	return ICD10Result{Code: r.Code, Description: r.Description, Warning: r.Warning}, nil
}

func (defaultRules) ICD10Common() []practice.Diagnosis {
	list := icd10.Common()
	out := make([]practice.Diagnosis, 0, len(list))
	for _, c := range list {
		out = append(out, practice.Diagnosis{Code: c.Code, Description: c.Description})
	}
	return out
}

// relationshipCodes are PAT01's codes for the patient's relationship to
// the subscriber ("self" has no patient loop).
var relationshipCodes = map[string]string{"self": "18", "spouse": "01", "child": "19", "other": "G8"}

func address(a practice.Address) x12.Address {
	return x12.Address{Line1: a.Line1, Line2: a.Line2, City: a.City, State: a.State, Zip: strings.ReplaceAll(a.Zip, "-", "")}
}

func sexOf(s string) string {
	if s == "F" || s == "M" {
		return s
	}
	return "U"
}

// Write837 maps an export batch onto billing-rules' 837P writer.
func (defaultRules) Write837(b ExportBatch) ([]byte, error) {
	control, err := strconv.Atoi(b.Control)
	if err != nil {
		return nil, err
	}
	digits := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
	}
	sender := b.Billing.SubmitterID
	if sender == "" {
		sender = b.Practice.NPI
	}
	receiver, receiverName := b.Billing.ReceiverID, b.Billing.ReceiverName
	if receiver == "" {
		receiver = "CLEARINGHOUSE"
	}
	if receiverName == "" {
		receiverName = "CLEARINGHOUSE"
	}
	contact := b.Billing.ContactName
	if contact == "" {
		contact = b.Practice.Name
	}
	phone := digits(b.Billing.ContactPhone)
	if phone == "" {
		phone = digits(b.Practice.Phone)
	}
	out := x12.Batch{InterchangeControl: control, GroupControl: control, TransactionControl: control % 10000, Created: b.Created, Test: b.Test,
		SenderID: sender, ReceiverID: receiver, Reference: b.Control, ReceiverName: receiverName,
		Submitter: x12.Submitter{Name: b.Practice.Name, ID: sender, Contact: contact, Phone: phone},
		BillingProvider: x12.BillingProvider{Name: b.Practice.Name, NPI: b.Practice.NPI, TaxID: digits(b.Practice.TaxID), Taxonomy: b.Billing.Taxonomy,
			Address: address(b.Practice.Address)}}
	if out.TransactionControl == 0 {
		out.TransactionControl = 1
	}
	for _, ec := range b.Claims {
		c := ec.Claim
		p := ec.Patient.Identity
		patient := x12.Person{Last: p.LastName, First: p.FirstName, DOB: p.DOB, Gender: sexOf(p.Sex), Address: address(ec.Patient.Contact.Address)}
		cl := x12.Claim{ID: c.Number, Frequency: c.Frequency, OriginalRef: c.Content.OriginalRef, PriorAuth: c.Content.AuthNumber,
			GroupNumber: c.Content.GroupNumber, Relationship: relationshipCodes[c.Content.Relationship],
			Payer:     x12.Payer{Name: ec.Payer.Name, ID: ec.Payer.PayerID, FilingIndicator: ec.Rules.FilingIndicator},
			Rendering: &x12.Rendering{Last: ec.Clinician.LastName, First: ec.Clinician.FirstName, NPI: ec.Clinician.NPI, Taxonomy: ec.Clinician.Taxonomy}}
		if cl.Relationship == "" {
			cl.Relationship = "18"
		}
		if cl.Relationship == "18" {
			cl.Subscriber = patient
		} else {
			first, last, _ := strings.Cut(ec.Policy.Subscriber.Name, " ")
			if last == "" {
				first, last = "", first
			}
			cl.Subscriber = x12.Person{Last: last, First: first, DOB: ec.Policy.Subscriber.DOB, Gender: "U", Address: patient.Address}
			cl.Patient = &patient
		}
		cl.Subscriber.MemberID = c.Content.MemberID
		for _, d := range c.Content.Diagnoses {
			cl.Diagnoses = append(cl.Diagnoses, d.Code)
		}
		for _, l := range c.Content.Lines {
			if cl.POS == "" {
				cl.POS = l.POS
			}
			xl := x12.Line{Code: l.Code, Modifiers: l.Modifiers, ChargeCents: int64(l.ChargeCents), Units: max(l.Units, 1), Date: l.ServiceOn, Pointers: l.Pointers}
			if ec.Rules.LineAuth {
				xl.PriorAuth = c.Content.AuthNumber
			}
			cl.Lines = append(cl.Lines, xl)
		}
		out.Claims = append(out.Claims, cl)
	}
	data, err := x12.Write(out)
	if err != nil {
		var e *x12.Error
		if errors.As(err, &e) {
			return nil, practice.Errorf(practice.EInvalid, "%s", e.Error())
		}
		return nil, err
	}
	return data, nil
}

func (defaultRules) Unwritable(v string) rune { return x12.Unwritable(v) }
