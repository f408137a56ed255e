package app_test

import (
	"slices"
	"testing"
	"time"

	"quietdesk/app"
	"quietdesk/internal/practice"
)

// TestJoinThroughTheFacades pairs a second machine with the first through
// the facades the UI calls, over loopback TLS, and logs in there.
func TestJoinThroughTheFacades(t *testing.T) {
	a := newEnv(t)
	st, err := a.Devices.Status()
	if err != nil || !st.Running || st.Listen == "" || st.DeviceID == "" {
		t.Fatalf("status of a new practice: %+v, %v", st, err)
	}
	code, err := a.Devices.OpenPairing()
	if err != nil || code.Code == "" || code.Expires == "" {
		t.Fatalf("OpenPairing: %+v, %v", code, err)
	}
	b := openEnv(t, envOptions{})
	if _, err := b.Session.Join(st.Listen, "WRONG-CODE0-00000"); codeOf(t, err) != practice.EWrongPassword {
		t.Fatalf("wrong code: %v", err)
	}
	joined, err := b.Session.Join(st.Listen, code.Code)
	if err != nil || !joined.PracticeExists || joined.LoggedIn {
		t.Fatalf("Join: %+v, %v", joined, err)
	}
	n, last := b.Events.Last()
	if p, ok := last.(app.JoinProgress); n == 0 || !ok || p.Done != p.Total {
		t.Fatalf("progress events: %d, last %+v", n, last)
	}
	b.login(t, ownerUser, ownerPassword)
	if _, err := b.Session.Join(st.Listen, code.Code); codeOf(t, err) != practice.EConflict {
		t.Fatalf("joining twice: %v", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, _ := a.Devices.Status()
		if len(st.Peers) == 1 && st.Peers[0].Connected && st.Peers[0].Name == "test machine" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("A never showed B connected: %+v", st)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// A patient saved on A shows in B's search, and B's window is told.
	if _, err := a.Patients.Create(practice.Patient{Identity: practice.PatientIdentity{FirstName: "Remy", LastName: "Okafor", DOB: "1990-05-01"}}); err != nil {
		t.Fatal(err)
	}
	for {
		found, err := b.Patients.Search("okafor")
		_, last := b.Events.Last()
		dc, ok := last.(app.DataChanged)
		if err == nil && found.Total == 1 && ok && slices.Contains(dc.Tables, "patients") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("B never showed A's new patient: search %+v %v, last event %+v", found, err, last)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if list, err := a.Devices.Conflicts(); err != nil || len(list) != 0 {
		t.Fatalf("Conflicts: %+v, %v", list, err)
	}
	bStatus, _ := b.Devices.Status()
	if err := a.Devices.Remove(bStatus.DeviceID); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	st, _ = a.Devices.Status()
	if len(st.Peers) != 1 || !st.Peers[0].Removed {
		t.Fatalf("after removal: %+v", st.Peers)
	}
}
