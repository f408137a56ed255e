package authorizations

import (
	"time"

	"quietdesk/internal/alerts"
	"quietdesk/internal/store"
)

// AlertsUnfiltered is Alerts without what it leaves out, as it was before:
// every authorization read whole, every patient's sessions after their
// windows counted, every patient's alerts derived once from all of it. The
// equivalence test compares Alerts with it.
func (s *Service) AlertsUnfiltered(tx *store.Tx, now time.Time) ([]alerts.Alert, error) {
	all, err := tx.AllAuthorizations()
	if err != nil {
		return nil, err
	}
	sh, err := loadShared(tx)
	if err != nil {
		return nil, err
	}
	everyone, err := sh.everyone(tx, all, now)
	if err != nil {
		return nil, err
	}
	return named(tx, everyone, now)
}

// AlertsOneByOne derives each patient's alerts from their own facts as a
// single patient's screen reads them (load: every session from the
// earliest window on, one by one, none as counts). tx.Now() must be now.
func (s *Service) AlertsOneByOne(tx *store.Tx, now time.Time) ([]alerts.Alert, error) {
	all, err := tx.AllAuthorizations()
	if err != nil {
		return nil, err
	}
	var each []*Facts
	for _, auths := range byPatient(all) {
		f, err := load(tx, auths[0].PatientID)
		if err != nil {
			return nil, err
		}
		each = append(each, f)
	}
	return named(tx, each, now)
}

func named(tx *store.Tx, facts []*Facts, now time.Time) ([]alerts.Alert, error) {
	payers, err := payerMap(tx)
	if err != nil {
		return nil, err
	}
	var out []alerts.Alert
	var ids []string
	for _, f := range facts {
		list := patientAlerts(f, f.Auths[0].PatientID, payers, now)
		if len(list) > 0 {
			ids = append(ids, f.Auths[0].PatientID)
		}
		out = append(out, list...)
	}
	names, err := shortNames(tx, ids)
	for i := range out {
		out[i].Title = names[out[i].PatientID] + " — " + out[i].Title
	}
	return out, err
}
