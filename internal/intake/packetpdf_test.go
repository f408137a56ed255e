package intake_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"quietdesk/internal/intake"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/testutil"
)

// The packet PDF made when a minor's packet arrives, exported and parsed
// back with poppler's pdftotext, field by field, and pdfimages, which must
// find every signature (two signers on five consents).
func TestPacketPDFReadsBackFieldByField(t *testing.T) {
	for _, tool := range []string{"pdftotext", "pdfimages"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (apt install poppler-utils)", tool)
		}
	}
	f := newFixture(t)
	s := f.filled(f.leo.ID, "", "new-minor", practice.Spanish, item9)
	for i := range s.Forms {
		if s.Forms[i].FormID == "emergency" {
			s.Forms[i].Answers["name"] = []string{"Ñandú Pérez-Gómez 😀"}
		}
		for j := range s.Forms[i].Signatures {
			sg := &s.Forms[i].Signatures[j]
			sg.Image = testutil.SignaturePNG("")
			sg.Name = map[practice.SignerRole]string{practice.SignerPatient: "Leo Park", practice.SignerGuardian: "June Park"}[sg.Role]
		}
	}
	got, _, err := f.submit(s)
	if err != nil {
		t.Fatal(err)
	}
	var pdf bytes.Buffer
	if err := f.db.Update(context.Background(), func(tx *store.Tx) error { return intake.ExportPDF(tx, f.owner, s.ID, &pdf) }); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "packet.pdf")
	if err := os.WriteFile(path, pdf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("QUIETDESK_PDF_OUT"); dir != "" { // to look at it: pdftoppm -png
		os.WriteFile(filepath.Join(dir, "intake-packet.pdf"), pdf.Bytes(), 0o600)
	}
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Count(string(out), "\f")
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(string(out), "\f", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	// The header's fields: each label, then its value.
	field := func(label string) string {
		for i, l := range lines[:len(lines)-1] {
			if l == label {
				return lines[i+1]
			}
		}
		return ""
	}
	for label, want := range map[string]string{"Patient:": "Leo Park", "Date of birth:": "2014-02-03",
		"Submitted:": "2027-03-01 09:00 CST", "Language:": "Spanish"} {
		if got := field(label); got != want {
			t.Errorf("%s reads back %q, want %q", label, got, want)
		}
	}
	text := strings.Join(lines, " ")
	hash := intake.ContentHash(&got)
	policy := practice.CalendarPolicy{LateCancelHours: 48, LateCancelFeeCents: 5000, NoShowFeeCents: 7550}
	for _, want := range []string{
		"Intake packet: Paciente menor de edad nuevo",
		"PHQ-9: 2 of 27 (minimal), difficulty: not",
		"SAFETY FLAG: item 9",
		"GAD-7: 0 of 21 (minimal)",
		"Consentimiento para el tratamiento",
		"Acepto recibir consejería o terapia de esta práctica.",
		"Cancele por lo menos 48 horas antes de su cita. Una cancelación más tarde puede costar $50.00; una cita perdida sin aviso puede costar $75.50.",
		"Nombre → Ñandú Pérez-Gómez \uFFFD", // beyond the font's range: visibly replaced, not the packet lost
		"Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera → Varios días",
		"Patient: Leo Park, signed 2027-03-01 09:00 CST",
		"Guardian: June Park, signed 2027-03-01 09:00 CST",
		"Form consent-treatment, version 1, text SHA-256 " + intake.TextHash(intake.BookOf(policy, nil).Current()[3], practice.Spanish),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF does not read back %q", want)
		}
	}
	for _, each := range []string{"Confidential — contains patient information · Packet " + s.ID, "SHA-256 " + hash} {
		if n := strings.Count(string(out), each); n != pages || pages < 2 {
			t.Errorf("%q is on %d of %d pages", each, n, pages)
		}
	}
	images, err := exec.Command("pdfimages", "-list", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	// Header, rule, then one line per image (and one per soft mask, if any).
	var signatures int
	for _, l := range strings.Split(string(images), "\n")[2:] {
		if fields := strings.Fields(l); len(fields) > 4 && fields[2] == "image" && fields[3] == "120" && fields[4] == "40" {
			signatures++
		}
	}
	if signatures != 10 {
		t.Errorf("pdfimages found %d signature images, want 10 (two signers on five consents):\n%s", signatures, images)
	}
}

// BenchmarkPacketPDF makes a full new-patient packet's PDF (make bench;
// target 150 ms).
func BenchmarkPacketPDF(b *testing.B) {
	s := practice.Submission{ID: "00000000-0000-7000-8000-000000000000", Language: practice.English}
	for _, f := range intake.BookOf(practice.DefaultCalendarPolicy, nil).Current() {
		r := practice.FormResponse{FormID: f.ID, Version: f.Version, Answers: map[string][]string{}}
		for _, q := range f.Questions {
			r.Answers[q.ID] = []string{"1"}
		}
		if f.Kind == practice.Consent {
			r.Signatures = []practice.Signature{{Role: practice.SignerPatient, Name: "Maria Lopez", Image: testutil.SignaturePNG("")}}
		}
		s.Forms = append(s.Forms, r)
	}
	s.Scores = intake.Score(s.Forms)
	packet, _ := intake.Packet("new-adult")
	doc := intake.PacketDoc{Practice: "Test Practice", Packet: packet, Forms: intake.BookOf(practice.DefaultCalendarPolicy, nil).Current(),
		Language: practice.English, Submission: &s}
	for b.Loop() {
		var out bytes.Buffer
		if err := intake.WritePacketPDF(&out, doc); err != nil {
			b.Fatal(err)
		}
	}
}

// The blank packet for paper holds every question and choice to tick, a
// signature line per consent, and no one's details.
func TestBlankPacketHasEveryQuestionAndNoPatient(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed (apt install poppler-utils)")
	}
	f := newFixture(t)
	var pdf bytes.Buffer
	if err := f.db.View(context.Background(), func(tx *store.Tx) error {
		return intake.WriteBlankPacket(tx, "annual", practice.English, &pdf)
	}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "blank.pdf")
	if err := os.WriteFile(path, pdf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Intake packet: Returning patient, yearly update", "Name: ______", "Date of birth: ______",
		"Little interest or pleasure in doing things ☐ Not at all ☐ Several days ☐ More than half the days ☐ Nearly every day",
		"Signature: ______________________ Name: ______________________ Date: __________", "Packet blank"} {
		if !strings.Contains(text, want) {
			t.Errorf("the blank packet does not read %q", want)
		}
	}
	for _, never := range []string{"Maria", "Lopez", "1990-05-04", "→"} {
		if strings.Contains(text, never) {
			t.Errorf("the blank packet shows %q", never)
		}
	}
}
