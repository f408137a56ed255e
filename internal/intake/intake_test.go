package intake_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"quietdesk/internal/alerts"
	"quietdesk/internal/intake"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/testutil"
)

func TestMain(m *testing.M) {
	store.KDFTarget = 0 // Argon2id at its floor: real, and fast enough for tests
	os.Exit(m.Run())
}

// fixture is a real practice database: an owner, a front desk, clinician
// Ana with her account, adult patient Maria with an appointment with Ana,
// and Leo, a minor whose guardian is on file.
type fixture struct {
	t                     *testing.T
	db                    *store.DB
	now                   time.Time
	owner, desk, ana, ben practice.Actor
	anaID                 string
	maria, leo            practice.Patient
	visit                 practice.Appointment
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, now: time.Date(2027, 3, 1, 15, 0, 0, 0, time.UTC)}
	db, err := store.Open(t.TempDir(), store.Options{Now: func() time.Time { return f.now }, AppVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f.db = db
	err = db.Create(context.Background(), func(tx *store.Tx) error {
		settings := practice.Settings{Name: "Test Practice", Timezone: "America/Chicago", LockMinutes: 10,
			Policy: practice.CalendarPolicy{LateCancelHours: 48, LateCancelFeeCents: 5000, NoShowFeeCents: 7550}}
		if err := tx.SaveSettings(&settings); err != nil {
			return err
		}
		ana := practice.Clinician{FirstName: "Ana", LastName: "Ruiz", Active: true}
		ben := practice.Clinician{FirstName: "Ben", LastName: "Cole", Active: true}
		for _, c := range []*practice.Clinician{&ana, &ben} {
			if err := tx.SaveClinician(c); err != nil {
				return err
			}
		}
		f.anaID = ana.ID
		for _, a := range []struct {
			acct *practice.Actor
			a    practice.Account
		}{
			{&f.owner, practice.Account{Username: "owner", DisplayName: "Owner", Role: practice.RoleOwner}},
			{&f.desk, practice.Account{Username: "desk", DisplayName: "Desk", Role: practice.RoleFrontDesk}},
			{&f.ana, practice.Account{Username: "ana", DisplayName: "Ana", Role: practice.RoleClinician, ClinicianID: ana.ID}},
			{&f.ben, practice.Account{Username: "ben", DisplayName: "Ben", Role: practice.RoleClinician, ClinicianID: ben.ID}},
		} {
			acct := a.a
			if err := tx.CreateAccount(&acct, "correct horse battery staple"); err != nil {
				return err
			}
			*a.acct = practice.Actor{AccountID: acct.ID, ClinicianID: acct.ClinicianID, OwnCaseload: acct.Role == practice.RoleClinician}
		}
		office := practice.Location{Name: "Main Street", Active: true}
		if err := tx.SaveLocation(&office); err != nil {
			return err
		}
		typ := practice.AppointmentType{Name: "Intake", DurationMin: 60, ServiceCode: "90791", Active: true}
		if err := tx.SaveAppointmentType(&typ); err != nil {
			return err
		}
		f.maria = practice.Patient{Identity: practice.PatientIdentity{FirstName: "Maria", LastName: "Lopez", DOB: "1990-05-04"},
			Contact: practice.PatientContact{Phone: "(503) 555-0101"}, Active: true}
		f.leo = practice.Patient{Identity: practice.PatientIdentity{FirstName: "Leo", LastName: "Park", DOB: "2014-02-03"},
			Guardian: practice.RelatedPerson{Name: "June Park", Relationship: "mother"}, Active: true}
		for _, p := range []*practice.Patient{&f.maria, &f.leo} {
			if err := tx.CreatePatient(p); err != nil {
				return err
			}
		}
		f.visit = practice.Appointment{PatientID: f.maria.ID, ClinicianID: ana.ID, TypeID: typ.ID, LocationID: office.ID,
			Start: f.now.Add(time.Hour), End: f.now.Add(2 * time.Hour), Status: practice.Scheduled}
		return tx.SaveAppointment(&f.visit)
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// signature is a small drawn PNG.
func signature(*testing.T) []byte { return testutil.SignaturePNG("") }

// filled is a complete, valid submission of packet for patientID in lang:
// every required question answered (choices: the first option), every
// consent signed by the packet's signers, PHQ-9 items set from phq.
func (f *fixture) filled(patientID, appointmentID, packetID string, lang practice.Language, phq []int) practice.Submission {
	f.t.Helper()
	packet, err := intake.Packet(packetID)
	if err != nil {
		f.t.Fatal(err)
	}
	var forms []practice.Form
	if err := f.db.View(context.Background(), func(tx *store.Tx) (err error) {
		forms, err = intake.CurrentForms(tx)
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	s := practice.Submission{ID: uuid.NewString(), PatientID: patientID, AppointmentID: appointmentID, PacketID: packetID, Language: lang}
	for _, form := range forms {
		if !contains(packet.FormIDs, form.ID) {
			continue
		}
		r := practice.FormResponse{FormID: form.ID, Version: form.Version, TextHash: intake.TextHash(form, lang), Answers: map[string][]string{}}
		for _, q := range form.Questions {
			switch {
			case form.ID == "phq9" && q.ID != "difficulty":
				r.Answers[q.ID] = []string{string(rune('0' + phq[q.ID[0]-'1']))}
			case q.Kind == practice.Single:
				r.Answers[q.ID] = []string{q.Options[0].Value}
			case q.Kind == practice.YesNo:
				r.Answers[q.ID] = []string{"no"}
			case q.Field == "emergency.phone":
				r.Answers[q.ID] = []string{"(503) 555-0142"}
			case q.Required:
				r.Answers[q.ID] = []string{"Someone"}
			}
		}
		if form.Kind == practice.Consent {
			for _, s := range packet.Signers {
				r.Signatures = append(r.Signatures, practice.Signature{Role: s.Role, Index: s.Index, Name: "Signer " + string(s.Role), Image: signature(f.t), SignedAt: f.now})
			}
		}
		s.Forms = append(s.Forms, r)
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (f *fixture) submit(s practice.Submission) (practice.Submission, bool, error) {
	var out practice.Submission
	var created bool
	err := f.db.Update(context.Background(), func(tx *store.Tx) (err error) {
		out, created, err = intake.Submit(tx, practice.Actor{}, s, nil)
		return err
	})
	return out, created, err
}

func (f *fixture) alertsFor(w alerts.Who) []alerts.Alert {
	f.t.Helper()
	var r alerts.Registry
	r.Add(intake.SafetyAlerts)
	var out []alerts.Alert
	if err := f.db.View(context.Background(), func(tx *store.Tx) (err error) {
		out, err = r.For(context.Background(), tx, f.now, w)
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	return out
}

var calm = []int{1, 1, 0, 0, 0, 0, 0, 0, 0}
var item9 = []int{0, 1, 0, 0, 0, 0, 0, 0, 1}

func TestSubmitScoresAndKeepsTheSubmission(t *testing.T) {
	f := newFixture(t)
	s := f.filled(f.maria.ID, f.visit.ID, "new-adult", practice.Spanish, []int{3, 3, 3, 1, 0, 0, 0, 0, 0})
	got, created, err := f.submit(s)
	if err != nil || !created {
		t.Fatalf("submit: %v, created %v", err, created)
	}
	// Hand-added: PHQ-9 3+3+3+1 = 10, moderate; GAD-7 all "0" = 0, minimal.
	want := []practice.Score{{FormID: "phq9", Total: 10, Max: 27, Band: "moderate", Difficulty: "not"}, {FormID: "gad7", Total: 0, Max: 21, Band: "minimal"}}
	if len(got.Scores) != 2 || got.Scores[0] != want[0] || got.Scores[1] != want[1] {
		t.Fatalf("scores %+v, want %+v", got.Scores, want)
	}
	var opened intake.Opened
	if err := f.db.Update(context.Background(), func(tx *store.Tx) (err error) {
		opened, err = intake.Get(tx, f.ana, s.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	back := opened.Submission
	// In words, as the patient saw them (Spanish) but read in English:
	// the PHQ-9's first item, answered "3", is "Nearly every day".
	if r := opened.Read; len(r) != 10 || r[8].Title != "PHQ-9" || r[8].Answers[0] !=
		(intake.ReadAnswer{Question: "Little interest or pleasure in doing things", Answer: "Nearly every day"}) {
		t.Fatalf("the answers in words: %+v", r)
	}
	if back.Language != practice.Spanish || back.Status != practice.NeedsReview || len(back.Forms) != 10 || !back.SubmittedAt.Equal(f.now) {
		t.Fatalf("read back: %+v", back)
	}
	if sig := back.Forms[3].Signatures; len(sig) != 1 || !bytes.Equal(sig[0].Image, signature(t)) {
		t.Fatalf("consent signatures read back: %+v", sig)
	}
	if len(f.alertsFor(alerts.Who{Role: practice.RoleOwner, AccountID: f.owner.AccountID})) != 0 {
		t.Fatal("a submission without a safety answer raised an alert")
	}
	// Ben is not Maria's clinician: he cannot open it.
	err = f.db.Update(context.Background(), func(tx *store.Tx) error { _, err := intake.Get(tx, f.ben, s.ID); return err })
	if practice.ErrorCode(err) != practice.EForbidden {
		t.Fatalf("another clinician opening the submission: %v", err)
	}
}

func TestAReplayedSubmissionIsAcceptedOnce(t *testing.T) {
	f := newFixture(t)
	s := f.filled(f.maria.ID, f.visit.ID, "new-adult", practice.English, calm)
	if _, created, err := f.submit(s); err != nil || !created {
		t.Fatalf("first: %v %v", created, err)
	}
	before, _ := f.db.Digest(context.Background())
	f.now = f.now.Add(time.Minute)
	if _, created, err := f.submit(s); err != nil || created {
		t.Fatalf("replay: created %v, %v; want accepted, not created", created, err)
	}
	if after, _ := f.db.Digest(context.Background()); after != before {
		t.Fatal("the replay changed the database")
	}
}

func TestSafetyFlagReachesClinicianOwnerAndFrontDeskUntilAcknowledged(t *testing.T) {
	f := newFixture(t)
	s := f.filled(f.maria.ID, f.visit.ID, "new-adult", practice.English, item9)
	got, _, err := f.submit(s)
	if err != nil {
		t.Fatal(err)
	}
	// Hand-added: 1 + 1 = 2, minimal, and flagged by item 9.
	if got.Scores[0].Total != 2 || got.Scores[0].Band != "minimal" || !got.Scores[0].SafetyFlag {
		t.Fatalf("PHQ-9 score %+v", got.Scores[0])
	}
	clinician := alerts.Who{Role: practice.RoleClinician, AccountID: f.ana.AccountID, ClinicianID: f.anaID}
	owner := alerts.Who{Role: practice.RoleOwner, AccountID: f.owner.AccountID}
	desk := alerts.Who{Role: practice.RoleFrontDesk, AccountID: f.desk.AccountID}
	ben := alerts.Who{Role: practice.RoleClinician, AccountID: f.ben.AccountID, ClinicianID: f.ben.ClinicianID}
	for _, w := range []alerts.Who{clinician, owner} {
		a := f.alertsFor(w)
		if len(a) != 1 || a[0].Key != "intake/"+s.ID+"/safety" || a[0].Severity != alerts.Urgent || !strings.Contains(a[0].Title, "Maria Lopez") {
			t.Fatalf("%s alerts: %+v", w.Role, a)
		}
	}
	d := f.alertsFor(desk)
	if len(d) != 1 || d[0].Title != "Tell Ana Ruiz now that Maria needs them (intake)." {
		t.Fatalf("front desk alerts: %+v", d)
	}
	if len(f.alertsFor(ben)) != 0 {
		t.Fatal("another clinician got the alert")
	}
	// The front desk cannot acknowledge through the service's access rule
	// either way; Ben, not her clinician, is refused.
	err = f.db.Update(context.Background(), func(tx *store.Tx) error { _, err := intake.Acknowledge(tx, f.ben, s.ID); return err })
	if practice.ErrorCode(err) != practice.EForbidden {
		t.Fatalf("Ben acknowledging: %v", err)
	}
	f.now = f.now.Add(3 * time.Minute)
	var acked practice.Submission
	if err := f.db.Update(context.Background(), func(tx *store.Tx) (err error) {
		acked, err = intake.Acknowledge(tx, f.ana, s.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if acked.Review.FlagAckBy != f.ana.AccountID || !acked.Review.FlagAckAt.Equal(f.now) {
		t.Fatalf("acknowledgement: %+v", acked.Review)
	}
	for _, w := range []alerts.Who{clinician, owner, desk} {
		if a := f.alertsFor(w); len(a) != 0 {
			t.Fatalf("%s still has alerts after the acknowledgement: %+v", w.Role, a)
		}
	}
	err = f.db.Update(context.Background(), func(tx *store.Tx) error { _, err := intake.Acknowledge(tx, f.owner, s.ID); return err })
	if practice.ErrorCode(err) != practice.EInvalid {
		t.Fatalf("acknowledging twice: %v", err)
	}
	var entries []store.AuditEntry
	if err := f.db.View(context.Background(), func(tx *store.Tx) (err error) {
		entries, err = tx.AuditEntries(store.AuditQuery{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range entries {
		found = found || (e.Action == "intake.flag.acknowledge" && e.AccountID == f.ana.AccountID && e.RecordID == s.ID)
	}
	if !found {
		t.Fatal("the acknowledgement is not in the audit trail")
	}
}

func TestTrendListsScoresOverTime(t *testing.T) {
	f := newFixture(t)
	for _, phq := range [][]int{{3, 3, 3, 3, 3, 3, 0, 0, 0}, {2, 2, 2, 0, 0, 0, 0, 0, 0}} {
		if _, _, err := f.submit(f.filled(f.maria.ID, "", "annual", practice.English, phq)); err != nil {
			t.Fatal(err)
		}
		f.now = f.now.AddDate(0, 1, 0)
	}
	var points []intake.ScorePoint
	if err := f.db.Update(context.Background(), func(tx *store.Tx) (err error) {
		points, err = intake.Trend(tx, f.owner, f.maria.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// PHQ-9 18 then 6; GAD-7 0 both times.
	var phq []int
	for _, p := range points {
		if p.Score.FormID == "phq9" {
			phq = append(phq, p.Score.Total)
		}
	}
	if len(points) != 4 || len(phq) != 2 || phq[0] != 18 || phq[1] != 6 {
		t.Fatalf("trend %+v", points)
	}
}
