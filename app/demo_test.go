package app_test

import (
	"testing"

	"quietdesk/internal/practice"
)

// TestOpenDemo: the welcome screen's demo button fills an empty data
// folder with the small demo practice and hands back a login that works.
func TestOpenDemo(t *testing.T) {
	e := openEnv(t, envOptions{})
	login, err := e.Session.OpenDemo()
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := e.Session.Status(); !st.PracticeExists || st.LoggedIn {
		t.Fatalf("after OpenDemo: %+v; want a practice and nobody logged in yet", st)
	}
	st := e.login(t, login.Username, login.Password)
	if st.Account.Role != practice.RoleOwner || st.PracticeName == "" {
		t.Fatalf("demo login: %+v", st)
	}
	found, err := e.Patients.Search("")
	list := found.Patients
	if err != nil || len(list) != 200 || found.Total != 600 {
		t.Fatalf("demo patient list: %d rows of %d, %v; want the first 200 of 600", len(list), found.Total, err)
	}
	rec, err := e.Patients.Get(list[0].ID)
	if err != nil || rec.Patient.Identity.LastName != list[0].LastName {
		t.Fatalf("open a demo patient: %v", err)
	}
	if _, err := e.Session.OpenDemo(); codeOf(t, err) != practice.EConflict {
		t.Fatalf("second OpenDemo: %v; want conflict", err)
	}
}
