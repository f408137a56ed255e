package kiosk_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/canary"
	"quietdesk/internal/intake"
	"quietdesk/internal/kiosk"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	lansync "quietdesk/internal/sync"
	"quietdesk/internal/testutil"
	"quietdesk/internal/wiring"
)

func TestMain(m *testing.M) {
	store.KDFTarget = 0 // Argon2id at its floor: real, and fast enough for tests
	os.Exit(m.Run())
}

// office is an office computer: a practice database, its wiring (the
// tablet desk) and LAN sync listening on loopback with real TLS.
type office struct {
	db      *store.DB
	program *wiring.Program
	svc     *lansync.Service
	owner   practice.Actor
}

func newOffice(t testing.TB) *office {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(dir, store.Options{AppVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	o := &office{db: db}
	err = db.Create(context.Background(), func(tx *store.Tx) error {
		if err := tx.SaveSettings(&practice.Settings{Name: "Kiosk Test", Timezone: "America/Chicago", LockMinutes: 10,
			Policy: practice.DefaultCalendarPolicy}); err != nil {
			return err
		}
		owner := practice.Account{Username: "owner", DisplayName: "Owner", Role: practice.RoleOwner}
		if err := tx.CreateAccount(&owner, "correct horse battery staple"); err != nil {
			return err
		}
		o.owner = practice.Actor{AccountID: owner.ID}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	id, err := lansync.LoadIdentity(dir)
	if err != nil {
		t.Fatal(err)
	}
	o.serve(t, id)
	return o
}

// serve starts the office's wiring (the tablet desk) and LAN sync.
func (o *office) serve(t testing.TB, id lansync.Identity) {
	t.Helper()
	o.program = wiring.New(wiring.Config{DB: o.db})
	o.svc = lansync.New(lansync.Config{DB: o.db, Identity: id, Name: "front desk", Listen: "127.0.0.1:0", Desk: o.program.Desk,
		AfterApply: o.program.AfterApply})
	if err := o.svc.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(o.svc.Stop)
}

// patient adds a patient whose every name is a marker.
func (o *office) patient(t testing.TB, mk *markers) practice.Patient {
	t.Helper()
	p := practice.Patient{Identity: practice.PatientIdentity{FirstName: mk.next("first"), LastName: mk.next("last"), DOB: "1988-04-09"},
		Guardian: practice.RelatedPerson{Name: mk.next("guardian")}, Active: true}
	if err := o.db.Update(context.Background(), func(tx *store.Tx) error { return tx.CreatePatient(&p) }); err != nil {
		t.Fatal(err)
	}
	return p
}

// send has the front desk send patientID to the tablet.
func (o *office) send(t testing.TB, patientID string) {
	t.Helper()
	var v intake.Visit
	if err := o.db.Update(context.Background(), func(tx *store.Tx) (err error) {
		v, err = intake.PrepareVisit(tx, o.owner, patientID, "", "new-adult")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := o.program.Desk.Send("", v); err != nil {
		t.Fatal(err)
	}
}

func (o *office) submissions(t testing.TB) []practice.Submission {
	t.Helper()
	var out []practice.Submission
	if err := o.db.View(context.Background(), func(tx *store.Tx) (err error) {
		out, err = tx.SubmissionsSince(time.Time{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// markers hands out unique canary values and remembers them.
type markers struct {
	t    testing.TB
	list []string
}

func (m *markers) next(what string) string {
	b := make([]byte, 8)
	rand.Read(b)
	v := "QDK" + what + "é" + hex.EncodeToString(b)
	m.list = append(m.list, v)
	return v
}

// pair pairs a tablet in a fresh folder with the office.
func pair(t testing.TB, o *office, dir string) *kiosk.Tablet {
	t.Helper()
	tab, err := kiosk.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err := o.svc.OpenPairing(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := tab.Pair(context.Background(), "check-in tablet", o.svc.Addr(), p.Code); err != nil {
		t.Fatalf("pairing the tablet: %v", err)
	}
	return tab
}

// answer fills in a visit as a patient would on the tablet, every typed
// answer and signature a marker; PHQ-9 all "1" (total 9, item 9 flagged).
func answer(t testing.TB, v intake.Visit, mk *markers) practice.Submission {
	t.Helper()
	s := practice.Submission{ID: v.SubmissionID, PatientID: v.PatientID, AppointmentID: v.AppointmentID, PacketID: v.PacketID, Language: practice.Spanish}
	for _, f := range v.Forms {
		r := practice.FormResponse{FormID: f.ID, Version: f.Version, TextHash: v.Hashes[f.ID][practice.Spanish], Answers: map[string][]string{}}
		for _, q := range f.Questions {
			switch q.Kind {
			case practice.Single:
				r.Answers[q.ID] = []string{q.Options[1].Value}
			case practice.YesNo:
				r.Answers[q.ID] = []string{"yes"}
			case practice.ShortText:
				if !strings.Contains(q.Field, "phone") && q.Field != "contact.email" && q.Field != "contact.address.state" && q.Field != "contact.address.zip" {
					r.Answers[q.ID] = []string{mk.next(f.ID + q.ID)}
				} else if q.Required {
					r.Answers[q.ID] = []string{"(503) 555-0199"}
				}
			}
		}
		if f.Kind == practice.Consent {
			for _, sg := range v.Signers {
				r.Signatures = append(r.Signatures, practice.Signature{Role: sg.Role, Index: sg.Index, Name: mk.next("signer"),
					Image: testutil.SignaturePNG(mk.next("ink")), SignedAt: time.Now()})
			}
		}
		s.Forms = append(s.Forms, r)
	}
	return s
}

// The tablet pairs over real TLS, receives one patient at a time, and
// delivers twenty packets the office files with scores; afterwards its
// data folder holds its identity, its link and an empty outbox — no key
// slot, no practice key, and no marker of any answer, name or signature
// in any encoding the canary test uses. What the tablet was handed for a
// visit names that patient alone.
func TestTabletDeliversTwentyPacketsAndKeepsNothingReadable(t *testing.T) {
	o := newOffice(t)
	mk := &markers{t: t}
	dir := t.TempDir()
	tab := pair(t, o, dir)
	var patients []practice.Patient
	var took []time.Duration // sealing to filed on the office, per submission
	for range 20 {
		patients = append(patients, o.patient(t, mk))
	}
	for i, p := range patients {
		o.send(t, p.ID)
		work, err := tab.Poll(context.Background())
		if err != nil || work == nil {
			t.Fatalf("visit %d: poll %q, %v", i, work, err)
		}
		for j, other := range patients {
			if j != i && (bytes.Contains(work, []byte(other.Identity.FirstName)) || bytes.Contains(work, []byte(other.Guardian.Name))) {
				t.Fatalf("visit %d was handed another patient's name", i)
			}
		}
		if bytes.Contains(work, []byte(p.Identity.DOB)) {
			t.Fatalf("visit %d carries the date of birth", i)
		}
		var v intake.Visit
		if err := json.Unmarshal(work, &v); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			// Sealed and waiting in the outbox: the bytes at rest hold
			// nothing readable either.
			if err := tab.Seal(answer(t, v, mk)); err != nil {
				t.Fatal(err)
			}
			scanFolder(t, dir, mk, 3)
			if err := tab.Flush(context.Background()); err != nil {
				t.Fatal(err)
			}
			continue
		}
		sub := answer(t, v, mk)
		start := time.Now()
		delivered, err := tab.Submit(context.Background(), sub)
		took = append(took, time.Since(start))
		if err != nil || !delivered {
			t.Fatalf("visit %d: delivered %v, %v", i, delivered, err)
		}
		clear(work)
	}
	slices.Sort(took)
	p50, p95 := took[len(took)/2], took[len(took)*95/100]
	t.Logf("submission from the tablet to the office's records over loopback TLS: p50 %v, p95 %v (%d)", p50, p95, len(took))
	// Target p95 < 1 s; a shared, loaded machine makes it no pass/fail line here.
	if again, _ := tab.Poll(context.Background()); again != nil {
		t.Fatal("a visit was handed out twice")
	}
	got := o.submissions(t)
	if len(got) != 20 {
		t.Fatalf("the office filed %d submissions, want 20", len(got))
	}
	var one practice.Submission
	if err := o.db.View(context.Background(), func(tx *store.Tx) (err error) { one, err = tx.Submission(got[0].ID); return err }); err != nil {
		t.Fatal(err)
	}
	// Hand-added: nine PHQ-9 items of 1 = 9, mild, item 9 flagged; seven GAD-7 items of 1 = 7, mild.
	if len(one.Scores) != 2 || one.Scores[0].Total != 9 || one.Scores[0].Band != "mild" || !one.Scores[0].SafetyFlag || one.Scores[1].Total != 7 {
		t.Fatalf("scores of a delivered submission: %+v", one.Scores)
	}

	files := scanFolder(t, dir, mk, 2)
	sort.Strings(files)
	if want := []string{lansync.IdentityFile, kiosk.LinkFile}; strings.Join(files, ",") != strings.Join(want, ",") {
		t.Fatalf("the tablet's folder holds %v, want only %v", files, want)
	}
	var link map[string]any
	b, _ := os.ReadFile(filepath.Join(dir, kiosk.LinkFile))
	if err := json.Unmarshal(b, &link); err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(link))
	for k := range link {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if strings.Join(keys, ",") != "address,hostId,intakeKey,keyId,practiceId" {
		t.Fatalf("the tablet's link holds %v", keys)
	}
}

// scanFolder searches every file under dir for every marker in every
// encoding the canary test uses, checks it holds wantFiles files, and
// returns their names.
func scanFolder(t *testing.T, dir string, mk *markers, wantFiles int) []string {
	t.Helper()
	var files []string
	var scanned int
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		files = append(files, rel)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		scanned += len(data)
		for _, m := range mk.list {
			for enc, needle := range canary.Encodings(m) {
				if bytes.Contains(data, needle) {
					t.Errorf("LEAK: a marker is in the tablet's %s as %s", rel, enc)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != wantFiles {
		t.Fatalf("the tablet's folder holds %v, want %d files", files, wantFiles)
	}
	t.Logf("scanned %d bytes in %d files for %d markers", scanned, len(files), len(mk.list))
	return files
}

// A submission sealed to the outbox by a tablet that is then killed with
// SIGKILL before delivering it is delivered exactly once after restart;
// delivering the same sealed bytes again (a replay) is accepted and
// files nothing new.
func TestKilledBetweenSealingAndDeliveryDeliversOnce(t *testing.T) {
	o := newOffice(t)
	mk := &markers{t: t}
	dir := t.TempDir()
	tab := pair(t, o, dir)
	p := o.patient(t, mk)
	o.send(t, p.ID)
	work, err := tab.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var v intake.Visit
	if err := json.Unmarshal(work, &v); err != nil {
		t.Fatal(err)
	}
	submission, _ := json.Marshal(answer(t, v, mk))
	record := filepath.Join(t.TempDir(), "where")
	cmd := testutil.Rerun("TestKioskChildSealsAndDies", "KIOSK_CHILD_DIR="+dir, "KIOSK_CHILD_RECORD="+record,
		"KIOSK_CHILD_SUBMISSION="+string(submission))
	if err := cmd.Run(); !testutil.DiedOfSIGKILL(err) {
		t.Fatalf("the tablet process did not die of SIGKILL: %v", err)
	}
	if where, _ := os.ReadFile(record); string(where) != "sealed, not delivered" {
		t.Fatalf("the child died at %q", where)
	}
	if n := len(o.submissions(t)); n != 0 {
		t.Fatalf("the office has %d submissions before the restart", n)
	}
	// Restart: the outbox holds it; delivering files it once.
	restarted, err := kiosk.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	pending, _ := restarted.Pending()
	if len(pending) != 1 || pending[0] != v.SubmissionID {
		t.Fatalf("outbox after the kill: %v", pending)
	}
	sealed, err := os.ReadFile(filepath.Join(dir, kiosk.OutboxDir, v.SubmissionID+".sealed"))
	if err != nil {
		t.Fatal(err)
	}
	if err := restarted.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := restarted.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := o.submissions(t); len(got) != 1 || got[0].ID != v.SubmissionID {
		t.Fatalf("after restart the office has %+v", got)
	}
	// A replay of the very same envelope: accepted, nothing new.
	before, _ := o.db.Digest(context.Background())
	if err := os.WriteFile(filepath.Join(dir, kiosk.OutboxDir, v.SubmissionID+".sealed"), sealed, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := restarted.Flush(context.Background()); err != nil {
		t.Fatalf("replay: %v", err)
	}
	if after, _ := o.db.Digest(context.Background()); after != before || len(o.submissions(t)) != 1 {
		t.Fatal("the replayed submission changed the office's data")
	}
}

// TestKioskChildSealsAndDies is the tablet process of the test above: it
// seals the submission into the outbox and is killed before delivering.
func TestKioskChildSealsAndDies(t *testing.T) {
	dir := os.Getenv("KIOSK_CHILD_DIR")
	if dir == "" {
		t.Skip("runs only as the child of TestKilledBetweenSealingAndDeliveryDeliversOnce")
	}
	tab, err := kiosk.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var s practice.Submission
	if err := json.Unmarshal([]byte(os.Getenv("KIOSK_CHILD_SUBMISSION")), &s); err != nil {
		t.Fatal(err)
	}
	if err := tab.Seal(s); err != nil {
		t.Fatal(err)
	}
	testutil.KillSelf(os.Getenv("KIOSK_CHILD_RECORD"), "sealed, not delivered")
}
