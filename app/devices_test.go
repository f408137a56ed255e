package app_test

import (
	"context"
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
		if len(st.Peers) == 1 && st.Peers[0].Connected && st.Peers[0].Name == "test machine" && a.Events.Has(app.EventStatusChanged) {
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

// joinedPair is a practice on A (owner logged in) and B joined to it, with
// the owner logged in on B too.
func joinedPair(t *testing.T) (a, b *env) {
	t.Helper()
	a = newEnv(t)
	st, err := a.Devices.Status()
	if err != nil {
		t.Fatal(err)
	}
	code, err := a.Devices.OpenPairing()
	if err != nil {
		t.Fatal(err)
	}
	b = openEnv(t, envOptions{})
	if _, err := b.Session.Join(st.Listen, code.Code); err != nil {
		t.Fatal(err)
	}
	b.login(t, ownerUser, ownerPassword)
	return a, b
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal(what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestConcurrentEditsShowAsOneConflictAndResolve: two machines offline
// change the same patient's phone; after they reconnect both list the same
// conflict, and keeping the version merging did not keep wins everywhere.
func TestConcurrentEditsShowAsOneConflictAndResolve(t *testing.T) {
	a, b := joinedPair(t)
	rec, err := a.Patients.Create(practice.Patient{Identity: practice.PatientIdentity{FirstName: "Ines", LastName: "Varga", DOB: "1985-02-03"}})
	if err != nil {
		t.Fatal(err)
	}
	id := rec.Patient.ID
	waitFor(t, "the patient did not reach B", func() bool { _, err := b.Patients.Get(id); return err == nil })
	b.Sync.Stop() // offline
	edit := func(e *env, phone string) {
		r, err := e.Patients.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		r.Patient.Contact.Phone = phone
		if _, err := e.Patients.Update(r.Patient); err != nil {
			t.Fatal(err)
		}
	}
	edit(a, "(503) 555-0101")
	edit(b, "(503) 555-0202")
	b.Core.StartSync(context.Background())
	var conflicts [2][]app.ConflictItem
	waitFor(t, "the machines did not both list one conflict", func() bool {
		for i, e := range []*env{a, b} {
			conflicts[i], _ = e.Devices.Conflicts()
		}
		return len(conflicts[0]) == 1 && len(conflicts[1]) == 1
	})
	c := conflicts[0][0]
	if c.ID != conflicts[1][0].ID || c.Kind != "concurrent-edit" || c.Group != "contact" || len(c.Versions) != 2 || c.State != "open" {
		t.Fatalf("conflicts: %+v / %+v", c, conflicts[1][0])
	}
	if err := b.Devices.ResolveConflict(c.ID, "not a version"); codeOf(t, err) != practice.EInvalid {
		t.Fatalf("resolving with a made-up version: %v", err)
	}
	// Which phone a version holds is the store's to know (it is tested
	// there); here both machines must agree on the outcome.
	other := c.Versions[0]
	if err := b.Devices.ResolveConflict(c.ID, other); err != nil {
		t.Fatal(err)
	}
	var want string
	waitFor(t, "the resolution did not reach A", func() bool {
		list, _ := a.Devices.Conflicts()
		return len(list) == 1 && list[0].State == "resolved" && list[0].Choice == other
	})
	waitFor(t, "the machines disagree on the phone", func() bool {
		ra, _ := a.Patients.Get(id)
		rb, _ := b.Patients.Get(id)
		want = ra.Patient.Contact.Phone
		return want == rb.Patient.Contact.Phone && (want == "(503) 555-0101" || want == "(503) 555-0202")
	})
	if open, _ := a.Devices.Status(); open.OpenConflicts != 0 {
		t.Fatalf("A still counts %d open conflicts", open.OpenConflicts)
	}
}
