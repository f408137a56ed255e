package intake

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"quietdesk/internal/pdf"
	"quietdesk/internal/practice"
)

// PacketDoc is what the intake packet PDF shows. A blank packet (for a
// patient who prefers paper) has no Submission answers and no patient.
type PacketDoc struct {
	Practice string
	Packet   practice.Packet
	Forms    []practice.Form // the packet's forms, in order
	Language practice.Language
	Zone     *time.Location
	// Patient is the record's identity as it was when the packet was made.
	Patient    practice.PatientIdentity
	Submission *practice.Submission // nil: a blank packet
}

// ContentHash is the SHA-256 of a submission's content (every answer,
// signature and score): printed on every page, so a printout can be
// matched to the record it came from.
func ContentHash(s *practice.Submission) string {
	b, _ := json.Marshal(struct {
		ID     string
		Forms  []practice.FormResponse
		Scores []practice.Score
	}{s.ID, s.Forms, s.Scores}) // plain data: cannot fail
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

var bandWords = map[string]string{
	practice.BandMinimal: "minimal", practice.BandMild: "mild", practice.BandModerate: "moderate",
	practice.BandModeratelySevere: "moderately severe", practice.BandSevere: "severe",
}

// WritePacketPDF writes the intake packet: the patient, every form's
// answers, each consent's text as signed with its signatures (images,
// typed names, times), questionnaire scores with their bands and the
// safety flag, and on every page the packet id, the form versions, the
// content's SHA-256 and a confidentiality footer.
func WritePacketPDF(w io.Writer, d PacketDoc) error {
	f := pdf.New()
	zone := d.Zone
	if zone == nil {
		zone = time.UTC
	}
	lang := d.Language
	blank := d.Submission == nil
	packetID, hash := "blank", ""
	if !blank {
		packetID, hash = d.Submission.ID, ContentHash(d.Submission)
	}
	f.SetTitle("Intake packet", true)
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(func() {
		f.SetY(-16)
		f.SetFont(pdf.Sans, "", 7)
		f.SetTextColor(90, 90, 90)
		f.CellFormat(0, 3.5, "Confidential — contains patient information · Packet "+packetID, "", 1, "L", false, 0, "")
		if hash != "" {
			f.CellFormat(120, 3.5, "SHA-256 "+hash, "", 0, "L", false, 0, "")
		}
		f.CellFormat(0, 3.5, "Page "+strconv.Itoa(f.PageNo())+" of {nb}", "", 0, "R", false, 0, "")
	})
	f.AddPage()
	f.SetFont(pdf.Sans, "", 10)
	f.SetTextColor(90, 90, 90)
	f.CellFormat(0, 6, d.Practice, "", 1, "L", false, 0, "")
	f.SetFont(pdf.Sans, "B", 18)
	f.SetTextColor(0, 0, 0)
	f.CellFormat(0, 10, "Intake packet: "+d.Packet.Name.In(lang), "", 1, "L", false, 0, "")
	f.SetFont(pdf.Sans, "", 11)
	if blank {
		line(f, "Name", "")
		line(f, "Date of birth", "")
	} else {
		s := d.Submission
		line(f, "Patient", d.Patient.FirstName+" "+d.Patient.LastName)
		line(f, "Date of birth", d.Patient.DOB)
		line(f, "Submitted", s.SubmittedAt.In(zone).Format("2006-01-02 15:04 MST"))
		line(f, "Language", map[practice.Language]string{practice.English: "English", practice.Spanish: "Spanish"}[s.Language])
		scores(f, s.Scores)
	}
	for _, form := range d.Forms {
		var r *practice.FormResponse
		if !blank {
			for i := range d.Submission.Forms {
				if d.Submission.Forms[i].FormID == form.ID {
					r = &d.Submission.Forms[i]
				}
			}
		}
		if err := writeForm(f, form, r, lang, zone, blank); err != nil {
			return err
		}
	}
	out, err := pdf.Bytes(f)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

func line(f *pdf.Doc, label, value string) {
	f.SetFont(pdf.Sans, "B", 10)
	f.CellFormat(40, 6, label+":", "", 0, "L", false, 0, "")
	f.SetFont(pdf.Sans, "", 10)
	if value == "" {
		value = "______________________________"
	}
	f.MultiCell(0, 6, value, "", "L", false)
}

func scores(f *pdf.Doc, list []practice.Score) {
	if len(list) == 0 {
		return
	}
	f.Ln(3)
	f.SetFont(pdf.Sans, "B", 13)
	f.CellFormat(0, 8, "Questionnaire scores", "", 1, "L", false, 0, "")
	for _, s := range list {
		name := map[string]string{"phq9": "PHQ-9", "gad7": "GAD-7"}[s.FormID]
		f.SetFont(pdf.Sans, "", 11)
		text := fmt.Sprintf("%s: %d of %d (%s)", name, s.Total, s.Max, bandWords[s.Band])
		if s.Difficulty != "" {
			text += ", difficulty: " + s.Difficulty
		}
		f.MultiCell(0, 6, text, "", "L", false)
		if s.SafetyFlag {
			f.SetFont(pdf.Sans, "B", 11)
			f.SetTextColor(160, 0, 0)
			f.MultiCell(0, 6, "SAFETY FLAG: item 9 (thoughts of being better off dead or of self-harm) answered above 0.", "", "L", false)
			f.SetTextColor(0, 0, 0)
		}
	}
}

// writeForm writes one form: its title and version, its text, each
// question with the answer (the option's words, not its code), and a
// consent's signatures.
func writeForm(f *pdf.Doc, form practice.Form, r *practice.FormResponse, lang practice.Language, zone *time.Location, blank bool) error {
	f.Ln(4)
	f.SetFont(pdf.Sans, "B", 13)
	f.MultiCell(0, 7, form.Title.In(lang), "", "L", false)
	f.SetFont(pdf.Sans, "", 8)
	f.SetTextColor(90, 90, 90)
	meta := "Form " + form.ID + ", version " + strconv.Itoa(form.Version)
	if r != nil {
		meta += ", text SHA-256 " + r.TextHash
	}
	f.MultiCell(0, 4, meta, "", "L", false)
	f.SetTextColor(0, 0, 0)
	if body := form.Body.In(lang); body != "" {
		f.SetFont(pdf.Sans, "", 10)
		f.MultiCell(0, 5, body, "", "L", false)
	}
	if r != nil && r.Skipped {
		f.SetFont(pdf.Sans, "", 10)
		f.MultiCell(0, 6, "Not filled in (optional).", "", "L", false)
		return nil
	}
	for _, q := range form.Questions {
		f.SetFont(pdf.Sans, "B", 10)
		f.MultiCell(0, 5, q.Text.In(lang), "", "L", false)
		f.SetFont(pdf.Sans, "", 10)
		switch {
		case blank && (q.Kind == practice.Single || q.Kind == practice.Multiple):
			for _, o := range q.Options {
				f.MultiCell(0, 5, "☐ "+o.Label.In(lang), "", "L", false)
			}
		case blank:
			f.MultiCell(0, 6, "______________________________________________", "", "L", false)
		default:
			f.MultiCell(0, 5, "→ "+answerWords(q, r.Answers[q.ID], lang), "", "L", false)
		}
	}
	if form.Kind != practice.Consent {
		return nil
	}
	if blank {
		f.Ln(2)
		f.MultiCell(0, 8, "Signature: ______________________  Name: ______________________  Date: __________", "", "L", false)
		return nil
	}
	for i, s := range r.Signatures {
		if f.GetY() > 220 {
			f.AddPage()
		}
		f.Ln(2)
		name := fmt.Sprintf("signature-%s-%d", form.ID, i)
		info := f.RegisterImageOptionsReader(name, gofpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(s.Image))
		if f.Err() {
			return fmt.Errorf("intake: a signature image of %s: %w", form.ID, f.Error())
		}
		width := 60.0
		height := width * info.Height() / info.Width()
		if height > 25 {
			height, width = 25, 25*info.Width()/info.Height()
		}
		y := f.GetY()
		f.ImageOptions(name, f.GetX(), y, width, height, false, gofpdf.ImageOptions{ImageType: "PNG"}, 0, "")
		f.SetY(y + height + 1)
		f.SetFont(pdf.Sans, "", 9)
		role := map[practice.SignerRole]string{practice.SignerPatient: "Patient", practice.SignerGuardian: "Guardian", practice.SignerPartner: "Partner"}[s.Role]
		f.MultiCell(0, 5, fmt.Sprintf("%s: %s, signed %s", role, s.Name, s.SignedAt.In(zone).Format("2006-01-02 15:04 MST")), "", "L", false)
	}
	return nil
}

// answerWords is an answer as the patient saw it: an option's label,
// yes/no in words, text as typed.
func answerWords(q practice.Question, values []string, lang practice.Language) string {
	if len(values) == 0 {
		return "(no answer)"
	}
	var out []string
	for _, v := range values {
		switch q.Kind {
		case practice.Single, practice.Multiple:
			for _, o := range q.Options {
				if o.Value == v {
					v = o.Label.In(lang)
				}
			}
		case practice.YesNo:
			v = map[string]practice.Localized{"yes": l("Yes", "Sí"), "no": l("No", "No")}[v].In(lang)
		}
		out = append(out, v)
	}
	return strings.Join(out, "; ")
}
