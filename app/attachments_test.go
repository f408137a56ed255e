package app_test

import (
	"bytes"
	"encoding/base64"
	"os"
	"strings"
	"testing"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// letterPDF is a small PDF as a scanner would write one; the words inside
// are what a copy must give back byte for byte.
var letterPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% BrightPath approves 6 sessions\n%%EOF\n")

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// TestAuthorizationLetters: a letter attached to an authorization is
// listed with its name, kind and size, and a copy saved from it is the
// same bytes, under a suggested name that does not carry the original
// (which named the patient). A clinician reaches the letters of their own
// patients only; bad files are refused on the file field and write nothing.
func TestAuthorizationLetters(t *testing.T) {
	e := newEnv(t)
	payer, err := e.Practice.SavePayer(practice.Payer{Name: "BrightPath EAP", Kind: practice.PayerEAP, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	cleo, err := e.Practice.SaveClinician(practice.Clinician{FirstName: "Cleo", LastName: "Park", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	pat, err := e.Patients.Create(practice.Patient{Identity: practice.PatientIdentity{FirstName: "Ana", LastName: "Ruiz", DOB: "1990-05-01"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Patients.SavePolicy(practice.InsurancePolicy{PatientID: pat.Patient.ID, PayerID: payer.ID, Rank: practice.RankPrimary, MemberID: "M1"}); err != nil {
		t.Fatal(err)
	}
	view, err := e.Authorizations.Save(practice.Authorization{PatientID: pat.Patient.ID, PayerID: payer.ID, Kind: practice.AuthEAP,
		Status: practice.AuthAuthorized, Unit: practice.UnitSessions, Requested: 6, Authorized: 6, Start: "2026-03-01", End: "2026-06-30"})
	if err != nil {
		t.Fatal(err)
	}
	id := view.Authorization.ID

	// Bad files: each refused against "file", and nothing written.
	before := changeCount(t, e.Dir)
	for _, c := range []struct{ what, name, content, says string }{
		{"a Word document", "letter.docx", b64([]byte("PK\x03\x04 word")), "Only PDF, PNG and JPEG"},
		{"an empty file", "letter.pdf", "", "empty"},
		{"a damaged upload", "letter.pdf", "%%not base64%%", "arrived damaged"},
		{"a 10,000-character name", strings.Repeat("é", 10000) + ".pdf", b64(letterPDF), "Too long"},
		{"a name with control characters", "letter\x07.pdf", b64(letterPDF), "control characters"},
	} {
		_, err := e.Authorizations.AttachLetter(id, c.name, c.content)
		ue := uiError(t, err)
		if ue.Code != practice.EInvalid || !strings.Contains(ue.Fields["file"], c.says) {
			t.Errorf("%s: %+v; want invalid, the file field saying %q", c.what, ue, c.says)
		}
	}
	if after := changeCount(t, e.Dir); after != before {
		t.Fatalf("refused files wrote %d changes", after-before)
	}

	doc, err := e.Authorizations.AttachLetter(id, "Ana Ruiz approval letter.pdf", b64(letterPDF))
	if err != nil {
		t.Fatal(err)
	}
	want := store.Document{ID: doc.ID, OwnerTable: "authorizations", OwnerID: id, Name: "Ana Ruiz approval letter.pdf",
		ContentType: "application/pdf", Size: int64(len(letterPDF))}
	list, err := e.Authorizations.Letters(id)
	if err != nil || len(list) != 1 || list[0] != want {
		t.Fatalf("Letters: %+v, %v; want [%+v]", list, err, want)
	}
	path, err := e.Authorizations.SaveLetter(id, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, letterPDF) {
		t.Fatalf("the saved copy: %q, %v; want the letter's bytes", got, err)
	}
	if name := e.Dialogs.names[len(e.Dialogs.names)-1]; name != "authorization-letter.pdf" {
		t.Errorf("suggested name %q; want authorization-letter.pdf (never the name it came with)", name)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the copy's mode: %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	if _, err := e.Authorizations.SaveLetter(id, "no-such-document"); codeOf(t, err) != practice.ENotFound {
		t.Errorf("saving a document not attached here: %v, want not found", err)
	}

	// A clinician with none of Ana's sessions reaches none of her letters.
	e.signInAsClinician(t, "cleo", cleo.ID)
	if _, err := e.Authorizations.Letters(id); codeOf(t, err) != practice.EForbidden {
		t.Errorf("Cleo listing the letters of a patient not hers: %v, want forbidden", err)
	}
	if _, err := e.Authorizations.SaveLetter(id, doc.ID); codeOf(t, err) != practice.EForbidden {
		t.Errorf("Cleo saving a letter of a patient not hers: %v, want forbidden", err)
	}
}

// TestCredentialScans: the owner keeps a scan of a clinician's licence;
// that clinician lists and copies it; another clinician cannot.
func TestCredentialScans(t *testing.T) {
	e := newEnv(t)
	cleo, dev := e.twoClinicians(t)
	lic, err := e.Credentialing.SaveCredential(practice.Credential{ClinicianID: cleo.ID, Kind: practice.CredLicence, State: "OR",
		Type: "LPC", Number: "L-1", Issued: "2024-04-01", Expires: "2027-04-01"})
	if err != nil {
		t.Fatal(err)
	}
	png := []byte("\x89PNG\r\n\x1a\n licence scan")
	doc, err := e.Credentialing.AttachScan(lic.ID, "licence.png", b64(png))
	if err != nil {
		t.Fatal(err)
	}
	if doc.ContentType != "image/png" || doc.Size != int64(len(png)) {
		t.Errorf("attached %+v; want a PNG of %d bytes", doc, len(png))
	}
	passwords := map[string]string{"cleo": e.addClinicianLogin(t, "cleo", cleo.ID), "dev": e.addClinicianLogin(t, "dev", dev.ID)}
	for _, who := range []struct {
		user    string
		reaches bool
	}{{"cleo", true}, {"dev", false}} {
		e.signInAs(t, who.user, passwords[who.user])
		list, err := e.Credentialing.Scans(lic.ID)
		path, serr := e.Credentialing.SaveScan(lic.ID, doc.ID)
		if who.reaches {
			got, _ := os.ReadFile(path)
			if err != nil || len(list) != 1 || serr != nil || !bytes.Equal(got, png) {
				t.Errorf("%s's own scan: %+v, %v; copy %q, %v", who.user, list, err, got, serr)
			}
			continue
		}
		if codeOf(t, err) != practice.EForbidden || codeOf(t, serr) != practice.EForbidden {
			t.Errorf("%s reading another's scan: %v, %v; want forbidden", who.user, err, serr)
		}
	}
}
