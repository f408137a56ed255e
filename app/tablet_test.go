package app_test

import (
	"strings"
	"testing"

	"quietdesk/app"
	"quietdesk/internal/kiosk"
	"quietdesk/internal/practice"
)

// TestTabletWindow drives the check-in tablet's facade against a real
// office (its LAN sync on loopback TLS): the office's own window says it
// is no tablet; a new tablet pairs with the code the office shows; the
// patient the front desk sends arrives; answers that do not pass the
// visit's checks are refused and nothing is sealed; the full-screen
// window closes only for an office login.
func TestTabletWindow(t *testing.T) {
	office := newEnv(t)

	inOffice := app.NewTablet(nil, nil, nil, nil)
	if st, err := inOffice.Status(); err != nil || st.Tablet {
		t.Fatalf("the office window's tablet status: %+v, %v", st, err)
	}
	if err := inOffice.Pair("", office.Sync.Addr(), "X"); codeOf(t, err) != practice.EForbidden {
		t.Errorf("pairing from an office window: %v", err)
	}
	if !inOffice.MayClose() {
		t.Error("an office window may not close")
	}

	k, err := kiosk.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	closed := 0
	tab := app.NewTablet(k, nil, func() { closed++ }, nil)
	if st, err := tab.Status(); err != nil || !st.Tablet || st.Paired {
		t.Fatalf("a new tablet's status: %+v, %v", st, err)
	}
	if _, err := tab.Next(); codeOf(t, err) != practice.EUnavailable {
		t.Errorf("asking for a patient before pairing: %v", err)
	}
	if err := tab.Pair("", "", ""); codeOf(t, err) != practice.EInvalid {
		t.Errorf("pairing with nothing typed: %v", err)
	} else if fields := uiError(t, err).Fields; fields["address"] == "" || fields["code"] == "" {
		t.Errorf("pairing with nothing typed names %v, want address and code", fields)
	}
	if err := tab.Pair("Tablet 1", office.Sync.Addr(), "WRONG-CODE0-00000"); codeOf(t, err) != practice.EUnavailable ||
		!strings.Contains(uiError(t, err).Message, "Pair a new computer") {
		t.Errorf("pairing before the office opened pairing: %v", err)
	}
	code, err := office.Devices.OpenPairing()
	if err != nil {
		t.Fatal(err)
	}
	if err := tab.Pair("Tablet 1", office.Sync.Addr(), "WRONG-CODE0-00000"); codeOf(t, err) != practice.EWrongPassword {
		t.Errorf("pairing with a wrong code: %v", err)
	}
	if err := tab.Pair("Tablet 1", office.Sync.Addr(), code.Code); err != nil {
		t.Fatalf("pairing: %v", err)
	}
	if st, err := tab.Status(); err != nil || !st.Paired || st.Waiting != 0 {
		t.Fatalf("a paired tablet's status: %+v, %v", st, err)
	}

	if v, err := tab.Next(); err != nil || v != nil {
		t.Fatalf("nobody sent yet: %+v, %v", v, err)
	}
	if _, err := tab.Submit(practice.Submission{}); codeOf(t, err) != practice.EConflict {
		t.Errorf("submitting with no visit open: %v", err)
	}
	p := newPatient(t, office, "Marisol")
	if err := office.Intake.SendToTablet(app.VisitRequest{PatientID: p.ID, PacketID: "new-adult"}); err != nil {
		t.Fatal(err)
	}
	v, err := tab.Next()
	if err != nil || v == nil || v.PatientID != p.ID || v.FirstName != "Marisol" || len(v.Forms) == 0 {
		t.Fatalf("the patient sent: %+v, %v", v, err)
	}
	empty := practice.Submission{ID: v.SubmissionID, PatientID: v.PatientID, PacketID: v.PacketID, Language: practice.English}
	if _, err := tab.Submit(empty); codeOf(t, err) != practice.EInvalid {
		t.Errorf("submitting no answers: %v", err)
	}
	if st, _ := tab.Status(); st.Waiting != 0 {
		t.Errorf("refused answers left %d sealed submissions", st.Waiting)
	}
	tab.End()
	if _, err := tab.Submit(empty); codeOf(t, err) != practice.EConflict {
		t.Errorf("submitting after the visit ended: %v", err)
	}

	if err := tab.Leave(ownerUser, "not the password"); codeOf(t, err) != practice.EWrongPassword || closed != 0 || tab.MayClose() {
		t.Errorf("leaving with a wrong password: %v (closed %d times)", err, closed)
	}
	if err := tab.Leave(ownerUser, ownerPassword); err != nil || closed != 1 || !tab.MayClose() {
		t.Errorf("leaving with the owner's login: %v (closed %d times)", err, closed)
	}
}
