package authorizations

import (
	"slices"
	"strings"

	"quietdesk/internal/alerts"
	"quietdesk/internal/patients"
	"quietdesk/internal/practice"
)

// Filter narrows the practice-wide list. Empty fields do not filter.
type Filter struct {
	PayerID     string `json:"payerId"`
	ClinicianID string `json:"clinicianId"` // a clinician who sees the patient
	State       State  `json:"state"`
	// NeedsAction keeps only the authorizations that raise an alert today.
	NeedsAction bool `json:"needsAction"`
	HideExpired bool `json:"hideExpired"`
}

// Row is one authorization in the practice-wide list.
type Row struct {
	View
	PatientName  string   `json:"patientName"`  // first name and last initial
	ClinicianIDs []string `json:"clinicianIds"` // who sees the patient in its window or from today
	// Alert is what needs action about it today (Key "" when nothing).
	Alert alerts.Alert `json:"alert"`
}

// Overview lists the practice's authorizations with their usage, the ones
// needing action first (most severe, then soonest due), for the
// Authorizations screen. A clinician sees their own patients' only. The
// listing is audited as one access naming the patients shown.
func (s *Service) Overview(tx Store, by practice.Actor, f Filter) ([]Row, error) {
	all, err := tx.AllAuthorizations()
	if err != nil {
		return nil, err
	}
	access, err := patients.AccessFor(tx, by)
	if err != nil {
		return nil, err
	}
	payers, err := payerMap(tx)
	if err != nil {
		return nil, err
	}
	sh, err := loadShared(tx)
	if err != nil {
		return nil, err
	}
	all = slices.DeleteFunc(all, func(a practice.Authorization) bool { return !access.MayOpen(a.PatientID) })
	everyone, err := sh.everyone(tx, all, tx.Now())
	if err != nil {
		return nil, err
	}
	var out []Row
	var shown []string
	for _, facts := range everyone {
		patientID := facts.Auths[0].PatientID
		today := facts.Day(tx.Now())
		for _, v := range views(facts, payers, today) {
			row := Row{View: v, Alert: alertOf(v, today), ClinicianIDs: []string{}}
			for _, r := range recipients(facts, v.Authorization, today) {
				if r.ClinicianID != "" {
					row.ClinicianIDs = append(row.ClinicianIDs, r.ClinicianID)
				}
			}
			if !f.keeps(row) {
				continue
			}
			if len(shown) == 0 || shown[len(shown)-1] != patientID {
				shown = append(shown, patientID)
			}
			out = append(out, row)
		}
	}
	names, err := shortNames(tx, shown)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].PatientName = names[out[i].Authorization.PatientID]
	}
	slices.SortStableFunc(out, func(a, b Row) int {
		if (a.Alert.Key == "") != (b.Alert.Key == "") {
			if a.Alert.Key != "" {
				return -1
			}
			return 1
		}
		if a.Alert.Severity != b.Alert.Severity {
			return int(b.Alert.Severity) - int(a.Alert.Severity)
		}
		return strings.Compare(a.Authorization.End, b.Authorization.End)
	})
	return out, tx.Audit(by.AccountID, "authorization.overview", "patients", strings.Join(shown, " "))
}

func (f Filter) keeps(r Row) bool {
	switch {
	case f.PayerID != "" && r.Authorization.PayerID != f.PayerID,
		f.ClinicianID != "" && !slices.Contains(r.ClinicianIDs, f.ClinicianID),
		f.State != "" && r.State != f.State,
		f.NeedsAction && r.Alert.Key == "",
		f.HideExpired && r.State == StateExpired && r.Alert.Key == "":
		return false
	}
	return true
}
