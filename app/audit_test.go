package app_test

import (
	"testing"

	"quietdesk/app"
)

// The audit screen reads like a sentence: the action in words beside its
// code, the person by name and the computer by the name it reports (this
// one before its first report: "This computer").
func TestAuditRowsInWords(t *testing.T) {
	e := newEnv(t)
	p := newPatient(t, e, "Wren")
	if _, err := e.Patients.Get(p.ID); err != nil {
		t.Fatal(err)
	}
	rows, err := e.Audit.Query(app.AuditFilter{RecordID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"patient.create": "Added a patient", "patient.read": "Opened a patient's record"}
	for _, r := range rows {
		if w, ok := want[r.Action]; ok {
			if r.What != w || r.Who == "" || r.Computer != "This computer" {
				t.Errorf("%s reads %q by %q on %q", r.Action, r.What, r.Who, r.Computer)
			}
			delete(want, r.Action)
		}
	}
	if len(want) > 0 {
		t.Errorf("not in the trail: %v (rows %+v)", want, rows)
	}
}
