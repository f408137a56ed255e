package app_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"quietdesk/app"
	"quietdesk/internal/auditwords"
	"quietdesk/internal/authorizations"
	"quietdesk/internal/calendar"
	"quietdesk/internal/canary"
	"quietdesk/internal/cli"
	"quietdesk/internal/credentialing"
	"quietdesk/internal/export"
	"quietdesk/internal/practice"
)

// marker is a unique value written into one sensitive field.
type marker struct {
	field string // where it was written, e.g. "patientA.identity.firstName"
	value string
	token string // the random part, scanned on its own too ("" for digit markers)
}

// markers hands out unique values and remembers them for the scan.
type markers struct {
	t    *testing.T
	list []marker
	n    int
}

// nonASCII is mixed into text markers so every encoding path sees
// two-byte, three-byte and four-byte (surrogate pair) UTF-8.
var nonASCII = []string{"", "ø", "é", "Ñ", "ü", "名", "😀"}

func randHex(t *testing.T, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func randDigits(t *testing.T, n int) string {
	var sb strings.Builder
	for i := range n {
		lo := int64(0)
		if i == 0 {
			lo = 2 // no leading 0 or 1 (phone area codes)
		}
		d, err := rand.Int(rand.Reader, big.NewInt(10-lo))
		if err != nil {
			t.Fatal(err)
		}
		sb.WriteByte(byte('0' + lo + d.Int64()))
	}
	return sb.String()
}

func (m *markers) add(field, value, token string) string {
	for _, x := range m.list {
		if x.field == field {
			m.t.Fatalf("marker field %s used twice", field)
		}
	}
	m.list = append(m.list, marker{field: field, value: value, token: token})
	return value
}

// text is a free-text marker: "QDCANARY" + a non-ASCII letter + 16 hex digits.
func (m *markers) text(field string) string {
	tok := randHex(m.t, 8)
	m.n++
	return m.add(field, "QDCANARY"+nonASCII[m.n%len(nonASCII)]+tok, tok)
}

// digits is an all-digit marker (phones, tax IDs) of n digits.
func (m *markers) digits(field string, n int) string { return m.add(field, randDigits(m.t, n), "") }

func (m *markers) email(field string) string {
	tok := randHex(m.t, 8)
	return m.add(field, "qdcanary"+tok+"@example.com", tok)
}

// url is a video link marker.
func (m *markers) url(field string) string {
	tok := randHex(m.t, 8)
	return m.add(field, "https://video.example.com/qdcanary"+tok, tok)
}

func (m *markers) username(field string) string {
	tok := randHex(m.t, 8)
	return m.add(field, "qdcanary."+tok, tok)
}

func (m *markers) password(field string) string {
	tok := randHex(m.t, 8)
	return m.add(field, "QDPW-"+tok+" lantern Meadow", tok)
}

// zip is a ZIP+4 (a 5-digit ZIP is too short to be a unique marker).
func (m *markers) zip(field string) string {
	d := randDigits(m.t, 9)
	m.add(field+".digits", d, "")
	return m.add(field, d[:5]+"-"+d[5:], "")
}

// date is a date of birth in the 20th century.
func (m *markers) date(field string) string {
	y, _ := rand.Int(rand.Reader, big.NewInt(98))
	mo, _ := rand.Int(rand.Reader, big.NewInt(12))
	d, _ := rand.Int(rand.Reader, big.NewInt(28))
	return m.add(field, fmt.Sprintf("%04d-%02d-%02d", 1901+y.Int64(), 1+mo.Int64(), 1+d.Int64()), "")
}

func (m *markers) npi(field string) string {
	for {
		base := randDigits(m.t, 9)
		for c := '0'; c <= '9'; c++ {
			if npi := base + string(c); practice.ValidNPI(npi) {
				return m.add(field, npi, "")
			}
		}
	}
}

func (m *markers) taxonomy(field string) string {
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := []byte("Q00000000X")
	for i := 1; i < 9; i++ {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alnum))))
		b[i] = alnum[n.Int64()]
	}
	return m.add(field, string(b), "")
}

// needle is one byte pattern the scan looks for.
type needle struct {
	field, enc string
	b          []byte
}

func encodings(field, s string) []needle {
	var out []needle
	for enc, b := range canary.Encodings(s) {
		out = append(out, needle{field, enc, b})
	}
	return out
}

func (m *markers) needles() []needle {
	var out []needle
	for _, x := range m.list {
		out = append(out, encodings(x.field, x.value)...)
		if x.token != "" {
			out = append(out, encodings(x.field+"(token)", x.token)...)
		}
	}
	return out
}

// scanner finds needles in files.
type scanner struct {
	t       *testing.T
	needles []needle
	scanned int // bytes
	files   []string
}

// scan reports every needle found in data, except for fields in allowed.
func (s *scanner) scan(name string, data []byte, allowed ...string) {
	s.t.Helper()
	s.scanned += len(data)
	s.files = append(s.files, fmt.Sprintf("%s (%d bytes)", name, len(data)))
	for _, h := range find(s.needles, data) {
		if !allowedField(h.field, allowed) {
			s.t.Errorf("LEAK: %s found in %s as %s at offset %d", h.field, name, h.enc, h.at)
		}
	}
}

type hit struct {
	field, enc string
	at         int
}

func find(needles []needle, data []byte) []hit {
	var out []hit
	for _, n := range needles {
		if i := bytes.Index(data, n.b); i >= 0 {
			out = append(out, hit{n.field, n.enc, i})
		}
	}
	return out
}

func allowedField(field string, allowed []string) bool {
	for _, a := range allowed {
		if field == a || strings.HasPrefix(field, a+"(") || strings.HasPrefix(field, a+".") {
			return true
		}
	}
	return false
}

// scanTree scans every regular file under root except those under skip.
func (s *scanner) scanTree(root string, skip ...string) {
	s.t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) { // a file SQLite removed while we walked
				return nil
			}
			return err
		}
		for _, sk := range skip {
			if path == sk {
				return filepath.SkipDir
			}
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if os.IsNotExist(err) {
			return nil
		}
		if err != nil {
			return err
		}
		s.scan(path, data)
		return nil
	})
	if err != nil {
		s.t.Fatal(err)
	}
}

// inflatePDFStreams returns the concatenated, decompressed content of every
// Flate stream of a PDF.
func inflatePDFStreams(t *testing.T, pdf []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	rest := pdf
	n := 0
	for {
		i := bytes.Index(rest, []byte("stream"))
		if i < 0 {
			break
		}
		body := rest[i+len("stream"):]
		if bytes.HasPrefix(body, []byte("\r\n")) {
			body = body[2:]
		} else if bytes.HasPrefix(body, []byte("\n")) {
			body = body[1:]
		} else { // "endstream" itself
			rest = body
			continue
		}
		end := bytes.Index(body, []byte("endstream"))
		if end < 0 {
			break
		}
		if zr, err := zlib.NewReader(bytes.NewReader(body[:end])); err == nil {
			if b, err := io.ReadAll(zr); err == nil || errors.Is(err, io.ErrUnexpectedEOF) {
				out.Write(b)
				out.WriteByte(0)
				n++
			}
		}
		rest = body[end+len("endstream"):]
	}
	if n == 0 {
		t.Fatal("no compressed stream found in the PDF")
	}
	// Text strings escape ( ) and \ with a backslash; undo it.
	b := out.Bytes()
	b = bytes.ReplaceAll(b, []byte("\\("), []byte("("))
	b = bytes.ReplaceAll(b, []byte("\\)"), []byte(")"))
	return b
}

// canaryPractice is everything the canary test wrote, as the app should
// return it.
type canaryPractice struct {
	settings   practice.Settings
	location   practice.Location
	room       practice.Room
	clinician  practice.Clinician
	payers     []practice.Payer
	accounts   map[string]practice.Account // by ID
	passwords  map[string]string           // username → password
	patients   []practice.Patient          // A, B
	policies   map[string][]practice.InsurancePolicy
	ownerUser  string
	ownerPW    string
	staffNames []string // marker fields of staff display names (shown in the audit export)
	calendar   canaryCalendar
	cred       canaryCredentialing
}

// canaryCredentialing is the credentialing data the canary wrote.
type canaryCredentialing struct {
	credentials []practice.Credential
	enrollment  practice.Enrollment
	note        string
}

// canaryCalendar is the calendar data the canary wrote.
type canaryCalendar struct {
	typ         practice.AppointmentType
	timeOff     practice.TimeOff
	appointment practice.Appointment // booked over a conflict, then cancelled
	waitlist    practice.WaitlistEntry
}

func TestCanary(t *testing.T) {
	ctx := context.Background()
	mk := &markers{t: t}
	data, exports := t.TempDir(), t.TempDir()
	logPath := filepath.Join(t.TempDir(), "quietdesk.log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	// SQLite took TMPDIR from TestMain; Go code reads it on each use.
	t.Setenv("TMPDIR", testTmp)

	e := openEnv(t, envOptions{dir: data, exports: exports, logOut: logFile})
	want := writeCanaryPractice(t, e, mk)

	// The practice as the facades return it, while the WAL is live.
	checkRoundTrip(t, e, want)
	// Every text field of what was written carried a marker, or is
	// reviewed as revealing no one: a field added to a record fails here.
	written := map[string]any{"Settings": want.settings, "Location": want.location, "Room": want.room,
		"Clinician": want.clinician, "Payer": want.payers, "Account": want.accounts, "Patient": want.patients,
		"Policy": want.policies, "AppointmentType": want.calendar.typ, "TimeOff": want.calendar.timeOff,
		"Appointment": want.calendar.appointment, "Waitlist": want.calendar.waitlist,
		"Credential": want.cred.credentials, "Enrollment": want.cred.enrollment}
	for _, path := range unmarkedFields(mk, written) {
		t.Errorf("%s holds no canary marker: write one into it in writeCanaryPractice, or add it to unmarkedReviewed with the reason it reveals no one", path)
	}

	sc := &scanner{t: t, needles: mk.needles()}

	// Scan the live files: the WAL and shared memory hold the most recent
	// pages until the next checkpoint.
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(filepath.Join(data, "practice.db"+suffix))
		if err != nil {
			if suffix != "" && os.IsNotExist(err) {
				continue
			}
			t.Fatal(err)
		}
		sc.scan("live practice.db"+suffix, b)
	}
	if _, err := os.Stat(filepath.Join(data, "practice.db-wal")); err != nil {
		t.Errorf("expected a live WAL file while the practice is open: %v", err)
	}

	// The exported files, with what they may show: the practice's name and
	// the recovery key on the Recovery Kit, the place in the calendar feed,
	// staff names in the audit trail.
	if len(e.Dialogs.saved) != 3 {
		t.Fatalf("expected three saved files (Recovery Kit, calendar feed, audit trail), got %v", e.Dialogs.saved)
	}
	for _, name := range e.Dialogs.names {
		sc.scan("suggested file name "+name, []byte(name))
	}
	kit, err := os.ReadFile(e.Dialogs.saved[0])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(kit, []byte("%PDF-")) {
		t.Fatalf("the Recovery Kit is not a PDF: %q", kit[:min(len(kit), 20)])
	}
	// The kit names the practice, the key and the username of the owner who
	// saved it (the recovery screen asks for both): printed on purpose, for
	// the owner's safe, and nothing else of the practice.
	sc.scan("Recovery Kit PDF", kit, "settings.name", "recoveryKey", "owner.username")
	// PDF streams are compressed: scan them inflated too. The page shows
	// the practice name, the key and the owner's username (gofpdf writes
	// text as UTF-16BE), which also proves the scan sees inside the document.
	streams := inflatePDFStreams(t, kit)
	sc.scan("Recovery Kit PDF, inflated streams", streams, "settings.name", "recoveryKey", "owner.username")
	for _, f := range []string{"settings.name", "recoveryKey", "owner.username"} {
		var m marker
		for _, x := range mk.list {
			if x.field == f {
				m = x
			}
		}
		if len(find(encodings(f, m.value), streams)) == 0 {
			t.Errorf("the inflated Recovery Kit does not show %s: the PDF scan sees nothing", f)
		}
	}
	auditCSV, err := os.ReadFile(e.Dialogs.saved[2])
	if err != nil {
		t.Fatal(err)
	}
	sc.scan("audit trail CSV", auditCSV, want.staffNames...)
	// The calendar feed names its clinician and the place (practice data,
	// not patients') and nothing else.
	feed, err := os.ReadFile(e.Dialogs.saved[1])
	if err != nil {
		t.Fatal(err)
	}
	sc.scan("calendar feed", feed, "clinician.firstName", "clinician.lastName", "location.name", "room.name")
	if !bytes.Contains(feed, []byte("BEGIN:VEVENT")) {
		t.Error("the calendar feed holds no event: its scan proves nothing")
	}
	if !bytes.Contains(auditCSV, []byte(want.accounts[clinicianAccountID(want)].DisplayName)) {
		t.Error("the audit trail export does not name the staff who acted: the scan of it proves nothing")
	}

	// The clinician's printed day schedule: the clinician (name and
	// credentials) and the place, first names and last initials of the
	// day's patients, nothing else of theirs.
	day := want.calendar.appointment.Start.In(time.UTC).Format(time.DateOnly)
	sheetPath, err := e.Calendar.PrintDay(want.calendar.appointment.ClinicianID, day)
	if err != nil {
		t.Fatal(err)
	}
	sheet, err := os.ReadFile(sheetPath)
	if err != nil || !bytes.HasPrefix(sheet, []byte("%PDF-")) {
		t.Fatalf("the day schedule is not a PDF: %v", err)
	}
	sheetAllowed := []string{"clinician.firstName", "clinician.lastName", "clinician.credentials", "location.name", "room.name", "settings.name"}
	sc.scan("printed day schedule", sheet, sheetAllowed...)
	sc.scan("printed day schedule, inflated streams", inflatePDFStreams(t, sheet), sheetAllowed...)

	// A backup, and a restore from it: the backup file and the replaced
	// database kept beside the new one (.before-restore) are scanned with
	// the data folder below.
	backupPath, err := e.Backups.Backup()
	if err != nil {
		t.Fatal(err)
	}
	backup, err := os.ReadFile(backupPath)
	if err != nil || len(backup) < 4096 {
		t.Fatalf("backup %s: %d bytes, %v", backupPath, len(backup), err)
	}
	sc.scan("backup "+filepath.Base(backupPath), backup)
	e.Dialogs.open = backupPath
	if res, err := e.Backups.Restore(); err != nil || !res.Restored {
		t.Fatalf("restore: %+v %v", res, err)
	}
	kept, _ := filepath.Glob(filepath.Join(data, "practice.db.before-restore*"))
	if len(kept) == 0 {
		t.Fatal("the restore kept no .before-restore copy: its scan proves nothing")
	}

	// Close, reopen, log in again: everything comes back from disk.
	e.Session.Logout() // the restore signed everyone out
	e.close(t)
	e2 := openEnv(t, envOptions{dir: data, exports: exports, logOut: logFile})
	e2.login(t, want.ownerUser, want.ownerPW)
	checkRoundTrip(t, e2, want)
	if err := e2.Session.Logout(); err != nil {
		t.Fatal(err)
	}
	e2.close(t)
	for _, suffix := range []string{"-wal", "-shm"} {
		if b, err := os.ReadFile(filepath.Join(data, "practice.db"+suffix)); err == nil && len(b) > 0 {
			sc.scan("closed practice.db"+suffix, b)
		}
	}

	// Everything under TMPDIR: the data directory, anything SQLite or Go
	// put in the temp folder, and the log file.
	logFile.Sync()
	sc.scanTree(testTmp, exports)
	if sc.scanned == 0 {
		t.Fatal("scanned nothing")
	}
	t.Logf("scanned %d bytes in %d files for %d markers (%d byte patterns):\n%s", sc.scanned, len(sc.files), len(mk.list), len(sc.needles),
		strings.Join(sc.files, "\n"))

	// The decrypted export holds every patient and primary policy value,
	// field by field.
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte(want.ownerPW+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	rc := cli.Run(ctx, []string{"export", "patients", "--data-dir", data, "--user", want.ownerUser, "--password-file", pwFile, "--format", "csv"},
		"test", &stdout, &stderr)
	os.Remove(pwFile)
	if rc != 0 {
		t.Fatalf("export exited %d: %s", rc, stderr.String())
	}
	sc.scan("export stderr", stderr.Bytes())
	checkExportCSV(t, stdout.Bytes(), want)

	// The claims export from the command line: authorized, audited, and
	// holding the claim's authorization number.
	if err := os.WriteFile(pwFile, []byte(want.ownerPW+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	claimsOut := filepath.Join(exports, "claims.csv")
	stdout.Reset()
	stderr.Reset()
	rc = cli.Run(ctx, []string{"export", "claims", "--data-dir", data, "--user", want.ownerUser, "--password-file", pwFile, "--format", "csv",
		"--out", claimsOut}, "test", &stdout, &stderr)
	os.Remove(pwFile)
	if rc != 0 {
		t.Fatalf("export claims exited %d: %s", rc, stderr.String())
	}
	sc.scan("export claims stdout and stderr", append(stdout.Bytes(), stderr.Bytes()...))
	claimsCSV, err := os.ReadFile(claimsOut)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mk.list {
		if m.field == "claim.authNumber" && !bytes.Contains(claimsCSV, []byte(m.value)) {
			t.Errorf("the claims CSV lacks the claim's authorization number")
		}
	}
	// The export audited itself; the database is still clean.
	sc.scanTree(data)
}

// writeCanaryPractice creates a practice through the facades and writes a
// marker into every sensitive field of every entity.
func writeCanaryPractice(t *testing.T, e *env, mk *markers) canaryPractice {
	var w canaryPractice
	w.accounts = map[string]practice.Account{}
	w.passwords = map[string]string{}
	w.policies = map[string][]practice.InsurancePolicy{}

	// Practice and owner.
	name := mk.text("settings.name")
	w.ownerUser = mk.username("owner.username")
	firstPW := mk.password("owner.password.first")
	ownerName := mk.text("owner.displayName")
	e.createPractice(t, app.PracticeSetup{PracticeName: name, OwnerName: ownerName, Username: w.ownerUser, Password: firstPW})
	mk.add("recoveryKey", e.RecoveryKey, "")
	w.staffNames = append(w.staffNames, "owner.displayName")

	// A rejected form and a search leave nothing behind either.
	_, err := e.Patients.Create(practice.Patient{Identity: practice.PatientIdentity{
		FirstName: mk.text("rejected.firstName"), LastName: mk.text("rejected.lastName"), DOB: "1970-01-01"},
		Contact: practice.PatientContact{Email: mk.text("rejected.email")}})
	if codeOf(t, err) != practice.EInvalid {
		t.Fatalf("invalid patient: %v", err)
	}
	if _, err := e.Patients.Search(mk.text("search.query")); err != nil {
		t.Fatal(err)
	}

	// Settings.
	w.settings = practice.Settings{Name: name, TaxID: mk.digits("settings.taxId", 9), NPI: mk.npi("settings.npi"),
		Phone: mk.digits("settings.phone", 10), Timezone: "America/Chicago", LockMinutes: 10,
		Address: practice.Address{Line1: mk.text("settings.address.line1"), Line2: mk.text("settings.address.line2"),
			City: mk.text("settings.address.city"), State: "OR", Zip: mk.zip("settings.address.zip")}}
	if _, err := e.Practice.SaveSettings(w.settings); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Session.SaveRecoveryKit(e.RecoveryKey); err != nil {
		t.Fatalf("SaveRecoveryKit: %v", err)
	}

	// Location, room, clinician, payers.
	w.location = practice.Location{Name: mk.text("location.name"), Phone: mk.digits("location.phone", 10), Active: true,
		Address: practice.Address{Line1: mk.text("location.address.line1"), Line2: mk.text("location.address.line2"),
			City: mk.text("location.address.city"), State: "WA", Zip: mk.zip("location.address.zip")}}
	if w.location, err = e.Practice.SaveLocation(w.location); err != nil {
		t.Fatal(err)
	}
	w.room = practice.Room{LocationID: w.location.ID, Name: mk.text("room.name.old"), Active: true}
	if w.room, err = e.Practice.SaveRoom(w.room); err != nil {
		t.Fatal(err)
	}
	w.room.Name = mk.text("room.name") // an update replaces the old value everywhere
	if w.room, err = e.Practice.SaveRoom(w.room); err != nil {
		t.Fatal(err)
	}
	w.clinician = practice.Clinician{FirstName: mk.text("clinician.firstName"), LastName: mk.text("clinician.lastName"),
		Credentials: mk.text("clinician.credentials"), NPI: mk.npi("clinician.npi"), Taxonomy: mk.taxonomy("clinician.taxonomy"),
		Specialties: []string{mk.text("clinician.specialties.0"), mk.text("clinician.specialties.1")},
		Languages:   []string{mk.text("clinician.languages.0"), mk.text("clinician.languages.1")},
		Email:       mk.email("clinician.email"), Phone: mk.digits("clinician.phone", 10), VideoLink: mk.url("clinician.videoLink"),
		Prescriber: true, AcceptingNew: true, Active: true}
	if w.clinician, err = e.Practice.SaveClinician(w.clinician); err != nil {
		t.Fatal(err)
	}
	for i, kind := range []practice.PayerKind{practice.PayerInsurance, practice.PayerEAP} {
		y := practice.Payer{Name: mk.text(fmt.Sprintf("payer%d.name", i)), PayerID: mk.text(fmt.Sprintf("payer%d.payerId", i)), Kind: kind, Active: true}
		if y, err = e.Practice.SavePayer(y); err != nil {
			t.Fatal(err)
		}
		w.payers = append(w.payers, y)
	}

	// Staff accounts, one per other role; a rename, a reset and a change
	// of the owner's own password.
	for _, role := range practice.Roles[1:] {
		r := string(role)
		a := practice.Account{Username: mk.username("staff." + r + ".username"), DisplayName: mk.text("staff." + r + ".displayName.old"), Role: role}
		if role == practice.RoleClinician {
			a.ClinicianID = w.clinician.ID
		}
		pw := mk.password("staff." + r + ".password.first")
		if a, err = e.Staff.Create(app.NewAccount{Account: a, Password: pw}); err != nil {
			t.Fatalf("Staff.Create %s: %v", role, err)
		}
		a.DisplayName = mk.text("staff." + r + ".displayName")
		if a, err = e.Staff.Update(a); err != nil {
			t.Fatal(err)
		}
		pw = mk.password("staff." + r + ".password")
		if err := e.Staff.ResetPassword(a.ID, pw); err != nil {
			t.Fatal(err)
		}
		w.accounts[a.ID] = a
		w.passwords[a.Username] = pw
		w.staffNames = append(w.staffNames, "staff."+r+".displayName", "staff."+r+".displayName.old")
	}
	w.ownerPW = mk.password("owner.password")
	if err := e.Session.ChangePassword(firstPW, w.ownerPW); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	st, _ := e.Session.Status()
	w.accounts[st.Account.ID] = *st.Account
	w.passwords[w.ownerUser] = w.ownerPW
	// The owner's own staff e-mail address, sealed with the account.
	if err := e.Session.SaveMyMail(practice.StaffMail{Email: mk.email("owner.mail.email"), Alerts: true, Digest: true}); err != nil {
		t.Fatalf("SaveMyMail: %v", err)
	}

	// Patients, with every group filled, then edited.
	for _, p := range []string{"patientA", "patientB"} {
		pt := practice.Patient{
			Identity: practice.PatientIdentity{FirstName: mk.text(p + ".identity.firstName"), LastName: mk.text(p + ".identity.lastName"),
				PreferredName: mk.text(p + ".identity.preferredName"), DOB: mk.date(p + ".identity.dob"), Sex: "U",
				Gender: mk.text(p + ".identity.gender"), Pronouns: mk.text(p + ".identity.pronouns")},
			Contact: practice.PatientContact{Phone: mk.digits(p+".contact.phone.old", 10), Email: mk.email(p + ".contact.email.old"),
				Address: practice.Address{Line1: mk.text(p + ".contact.address.line1"), Line2: mk.text(p + ".contact.address.line2"),
					City: mk.text(p + ".contact.address.city"), State: "OR", Zip: mk.zip(p + ".contact.address.zip")}},
			Emergency: practice.RelatedPerson{Name: mk.text(p + ".emergency.name"), Relationship: mk.text(p + ".emergency.relationship"),
				Phone: mk.digits(p+".emergency.phone", 10), Email: mk.email(p + ".emergency.email")},
			Guardian: practice.RelatedPerson{Name: mk.text(p + ".guardian.name"), Relationship: mk.text(p + ".guardian.relationship"),
				Phone: mk.digits(p+".guardian.phone", 10), Email: mk.email(p + ".guardian.email")},
		}
		rec, err := e.Patients.Create(pt)
		if err != nil {
			t.Fatalf("Patients.Create: %v", err)
		}
		pt = rec.Patient
		pt.Contact.Phone = mk.digits(p+".contact.phone", 10)
		pt.Contact.Email = mk.email(p + ".contact.email")
		if rec, err = e.Patients.Update(pt); err != nil {
			t.Fatalf("Patients.Update: %v", err)
		}
		w.patients = append(w.patients, rec.Patient)

		// A primary policy (in the export), a secondary, and a tertiary
		// that is deleted again (tombstoned: its values must be gone).
		for _, rank := range []practice.PolicyRank{practice.RankPrimary, practice.RankSecondary, practice.RankTertiary} {
			f := p + ".policy." + string(rank)
			ip := practice.InsurancePolicy{PatientID: rec.Patient.ID, PayerID: w.payers[0].ID, Rank: rank,
				MemberID: mk.text(f + ".memberId"), GroupNumber: mk.text(f + ".groupNumber"),
				Subscriber: practice.Subscriber{Name: mk.text(f + ".subscriber.name"), DOB: mk.date(f + ".subscriber.dob"), Relationship: "spouse"}}
			if rank == practice.RankSecondary {
				ip.PayerID = w.payers[1].ID
			}
			if rec, err = e.Patients.SavePolicy(ip); err != nil {
				t.Fatalf("SavePolicy %s: %v", rank, err)
			}
		}
		var keep []practice.InsurancePolicy
		for _, ip := range rec.Policies {
			if ip.Rank == practice.RankTertiary {
				if rec, err = e.Patients.DeletePolicy(ip.PatientID, ip.ID); err != nil {
					t.Fatalf("DeletePolicy: %v", err)
				}
				continue
			}
			keep = append(keep, ip)
		}
		w.policies[rec.Patient.ID] = keep
	}

	w.calendar = writeCanaryCalendar(t, e, mk, w)
	writeCanaryAuthorizations(t, e, mk, w)
	w.cred = writeCanaryCredentialing(t, e, mk, w)
	writeCanaryIntake(t, e, mk, w)
	writeCanaryBilling(t, e, mk, w)

	// A role that may not write patients tries to: nothing is stored.
	if err := e.Session.Logout(); err != nil {
		t.Fatal(err)
	}
	e.login(t, w.accounts[clinicianAccountID(w)].Username, w.passwords[w.accounts[clinicianAccountID(w)].Username])
	_, err = e.Patients.Create(practice.Patient{Identity: practice.PatientIdentity{FirstName: mk.text("forbidden.firstName"),
		LastName: mk.text("forbidden.lastName"), DOB: "1970-01-01"}})
	if codeOf(t, err) != practice.EForbidden {
		t.Fatalf("clinician creating a patient: %v, want forbidden", err)
	}
	if err := e.Session.Logout(); err != nil {
		t.Fatal(err)
	}
	e.login(t, w.ownerUser, w.ownerPW)

	// A search by a patient's name finds them (the in-memory index).
	found, err := e.Patients.Search(w.patients[0].Identity.LastName)
	if err != nil || found.Total != 1 || len(found.Patients) != 1 || found.Patients[0].ID != w.patients[0].ID {
		t.Fatalf("search by last name: %+v, %v", found, err)
	}
	if _, err := e.Audit.Export(app.AuditFilter{}); err != nil {
		t.Fatalf("Audit.Export: %v", err)
	}
	// Every action this practice's use wrote reads in words on the audit
	// screen: an action added without its words fails here.
	rows, err := e.Audit.Query(app.AuditFilter{})
	if err != nil || len(rows) < 50 {
		t.Fatalf("Audit.Query: %d rows, %v", len(rows), err)
	}
	unknown := map[string]bool{}
	for _, r := range rows {
		if _, known := auditwords.Describe(r.Action); !known {
			unknown[r.Action] = true
		}
	}
	if len(unknown) > 0 {
		t.Errorf("audit actions without words (internal/auditwords): %v", slices.Sorted(maps.Keys(unknown)))
	}
	return w
}

// writeCanaryCalendar books, double-books (with an override reason) and
// cancels, adds time off and a prospective patient to the waitlist, all
// with markers, and exports the clinician's calendar feed.
func writeCanaryCalendar(t *testing.T, e *env, mk *markers, w canaryPractice) canaryCalendar {
	var c canaryCalendar
	var err error
	c.typ = practice.AppointmentType{Name: mk.text("type.name"), DurationMin: 50, ServiceCode: "90834", TelehealthAllowed: true, Active: true}
	if c.typ, err = e.Calendar.SaveType(c.typ); err != nil {
		t.Fatal(err)
	}
	start := e.Clock.Now().Add(72 * time.Hour).Truncate(time.Hour)
	c.timeOff = practice.TimeOff{ClinicianID: w.clinician.ID, Kind: practice.TimeOffAway, Start: start.Add(24 * time.Hour),
		End: start.Add(48 * time.Hour), Reason: mk.text("timeOff.reason")}
	if c.timeOff, err = e.Calendar.SaveTimeOff(c.timeOff); err != nil {
		t.Fatal(err)
	}
	first := practice.Appointment{PatientID: w.patients[0].ID, ClinicianID: w.clinician.ID, TypeID: c.typ.ID,
		LocationID: w.location.ID, RoomID: w.room.ID, Start: start, End: start.Add(50 * time.Minute)}
	if _, err := e.Calendar.Book(calendar.Booking{Appointment: first}); err != nil {
		t.Fatal(err)
	}
	second := first
	second.PatientID = w.patients[1].ID
	second.Notes, second.VideoLink = mk.text("appointment.notes"), mk.url("appointment.videoLink")
	second.OverrideReason = mk.text("appointment.overrideReason")
	res, err := e.Calendar.Book(calendar.Booking{Appointment: second})
	if err != nil || len(res.Conflicts) == 0 {
		t.Fatalf("double-booking with an override: %+v, %v", res, err)
	}
	cancelled, err := e.Calendar.SetStatus(calendar.StatusChange{ID: res.Appointments[0].ID, Change: calendar.Change{
		To: practice.Cancelled, CancelledBy: practice.ByPractice, Reason: mk.text("appointment.reason")}})
	if err != nil {
		t.Fatal(err)
	}
	c.appointment = cancelled.Appointments[0]
	c.waitlist = practice.WaitlistEntry{Name: mk.text("waitlist.name"), Phone: mk.digits("waitlist.phone", 10),
		Specialty: mk.text("waitlist.specialty"), Language: mk.text("waitlist.language"), Notes: mk.text("waitlist.notes"), Priority: 2}
	item, err := e.Calendar.SaveWaitlist(c.waitlist)
	if err != nil {
		t.Fatal(err)
	}
	c.waitlist = item.Entry
	if _, err := e.Calendar.ExportFeed(w.clinician.ID); err != nil {
		t.Fatal(err)
	}
	return c
}

// writeCanaryAuthorizations saves an EAP authorization with a marker in
// every sealed field, checks they read back, and lists the practice's
// authorizations and alerts (whose titles name the patient).
func writeCanaryAuthorizations(t *testing.T, e *env, mk *markers, w canaryPractice) {
	t.Helper()
	today := e.Clock.Now().Format(time.DateOnly)
	a := practice.Authorization{PatientID: w.patients[0].ID, PayerID: w.payers[0].ID, Kind: practice.AuthEAP, Status: practice.AuthAuthorized,
		Unit: practice.UnitSessions, Requested: 1, Authorized: 1, Start: today, End: e.Clock.Now().AddDate(0, 0, 20).Format(time.DateOnly),
		WarnRemaining: 1, WarnDays: 30,
		Number: mk.text("authorization.number"), QuotedNumber: mk.text("authorization.quotedNumber"), Employer: mk.text("authorization.employer"),
		EAPCaseNumber: mk.text("authorization.eapCaseNumber"), EAPMemberID: mk.text("authorization.eapMemberId"),
		BenefitYear: mk.text("authorization.benefitYear"), PayerContact: mk.text("authorization.payerContact"),
		CallReference: mk.text("authorization.callReference"), Notes: mk.text("authorization.notes")}
	saved, err := e.Authorizations.Save(a)
	if err != nil {
		t.Fatalf("Authorizations.Save: %v", err)
	}
	a.ID = saved.Authorization.ID
	a.ServiceCodes = []string{}
	views, err := e.Authorizations.List(a.PatientID)
	if err != nil || len(views) != 1 || !reflect.DeepEqual(views[0].Authorization, a) {
		t.Fatalf("authorization round trip: %+v, %v; want %+v", views, err, a)
	}
	if _, err := e.Authorizations.Overview(authorizations.Filter{}); err != nil {
		t.Fatalf("Authorizations.Overview: %v", err)
	}
	// The payer's letter: its name and its content are sealed.
	letter := mk.text("letter.name") + ".pdf"
	content := "%PDF-1.4\n" + mk.text("letter.content") + "\n%%EOF\n"
	if _, err := e.Authorizations.AttachLetter(a.ID, letter, base64.StdEncoding.EncodeToString([]byte(content))); err != nil {
		t.Fatalf("Authorizations.AttachLetter: %v", err)
	}
	if docs, err := e.Authorizations.Letters(a.ID); err != nil || len(docs) != 1 || docs[0].Name != letter {
		t.Fatalf("Authorizations.Letters: %+v, %v; want the letter", docs, err)
	}
	if list, err := e.Alerts.Mine(); err != nil || len(list) == 0 {
		t.Fatalf("Alerts.Mine: %d alerts, %v; want the authorization's", len(list), err)
	}
}

// writeCanaryCredentialing writes a marker into every sealed field of a
// credential of each kind, an enrollment and its history.
func writeCanaryCredentialing(t *testing.T, e *env, mk *markers, w canaryPractice) canaryCredentialing {
	var c canaryCredentialing
	// A DEA number must pass its check digit: six random digits and the
	// check digit computed by hand's rule.
	d := randDigits(t, 6)
	n := func(i int) int { return int(d[i] - '0') }
	dea := "FQ" + d + string(rune('0'+(n(0)+n(2)+n(4)+2*(n(1)+n(3)+n(5)))%10))
	for _, cr := range []practice.Credential{
		{Kind: practice.CredLicence, State: "OR", Type: mk.text("licence.type"), Number: mk.text("licence.number"),
			Issued: "2025-01-01", Expires: "2027-12-31", Notes: mk.text("licence.notes")},
		{Kind: practice.CredCAQH, Number: mk.digits("caqh.number", 10), Issued: "2026-02-01"},
		{Kind: practice.CredMalpractice, Carrier: mk.text("malpractice.carrier"), Number: mk.text("malpractice.number"),
			Limits: mk.text("malpractice.limits"), Expires: "2027-06-30"},
		{Kind: practice.CredDEA, State: "OR", Number: mk.add("dea.number", dea, ""), Expires: "2028-01-31"},
		{Kind: practice.CredBoard, Type: mk.text("board.type"), Number: mk.text("board.number")},
		{Kind: practice.CredDocument, Type: mk.text("document.type"), Expires: "2027-09-30"},
	} {
		cr.ClinicianID = w.clinician.ID
		saved, err := e.Credentialing.SaveCredential(cr)
		if err != nil {
			t.Fatalf("SaveCredential %s: %v", cr.Kind, err)
		}
		c.credentials = append(c.credentials, saved)
	}
	// A scan of the licence: its name and its content are sealed.
	scan := mk.text("scan.name") + ".png"
	png := "\x89PNG\r\n\x1a\n" + mk.text("scan.content")
	if _, err := e.Credentialing.AttachScan(c.credentials[0].ID, scan, base64.StdEncoding.EncodeToString([]byte(png))); err != nil {
		t.Fatalf("Credentialing.AttachScan: %v", err)
	}
	if docs, err := e.Credentialing.Scans(c.credentials[0].ID); err != nil || len(docs) != 1 || docs[0].Name != scan {
		t.Fatalf("Credentialing.Scans: %+v, %v; want the scan", docs, err)
	}
	// A refused note (too long) leaves nothing behind either.
	if _, err := e.Credentialing.RecordEnrollment(credentialing.EnrollmentChange{Enrollment: practice.Enrollment{
		ClinicianID: w.clinician.ID, PayerID: w.payers[0].ID, Status: practice.EnrollSent, ProviderID: mk.text("rejected.providerId")},
		Note: mk.text("rejected.note") + strings.Repeat("x", 3000)}); codeOf(t, err) != practice.EInvalid {
		t.Fatalf("an enrollment with a 3,000-character note: %v, want invalid", err)
	}
	c.note = mk.text("enrollment.note")
	enr, err := e.Credentialing.RecordEnrollment(credentialing.EnrollmentChange{Enrollment: practice.Enrollment{
		ClinicianID: w.clinician.ID, PayerID: w.payers[0].ID, Status: practice.EnrollApproved, EffectiveOn: "2026-03-01",
		ProviderID: mk.text("enrollment.providerId"), ContractID: mk.text("enrollment.contractId"),
		Reference: mk.text("enrollment.reference"), Contact: mk.text("enrollment.contact")}, Note: c.note})
	if err != nil {
		t.Fatal(err)
	}
	c.enrollment = enr
	if _, err := e.Credentialing.SaveSettings(practice.CredentialingSettings{CAQHDays: 180, ExpectedCents: map[string]int{w.payers[0].ID: 11000}}); err != nil {
		t.Fatal(err)
	}
	return c
}

// writeCanaryBilling writes a marker into every sealed billing field: the
// billing setup, a patient's diagnoses (descriptions and note), a claim's
// authorization number, original reference and note, and a ledger entry's
// reference, refund reason and note; and reads them back.
func writeCanaryBilling(t *testing.T, e *env, mk *markers, w canaryPractice) {
	t.Helper()
	bs := practice.BillingSettings{Taxonomy: "261QM0801X", SubmitterID: mk.text("billing.submitterId"), ContactName: mk.text("billing.contactName"),
		ContactPhone: mk.digits("billing.contactPhone", 10), ReceiverName: mk.text("billing.receiverName"), ReceiverID: mk.text("billing.receiverId"),
		StatementNote: mk.text("billing.statementNote"), Fees: map[string]int{"90834": 13000}}
	if _, err := e.Billing.SaveSettings(bs); err != nil {
		t.Fatalf("Billing.SaveSettings: %v", err)
	}
	pat := w.patients[0]
	d := practice.Diagnoses{PatientID: pat.ID, Note: mk.text("diagnoses.note"),
		List: []practice.Diagnosis{{Code: "F41.1", Description: mk.text("diagnosis.description")}}}
	if _, err := e.Billing.SaveDiagnoses(d); err != nil {
		t.Fatalf("Billing.SaveDiagnoses: %v", err)
	}
	// A refused diagnosis (malformed) leaves nothing behind.
	if _, err := e.Billing.SaveDiagnoses(practice.Diagnoses{PatientID: pat.ID, Note: mk.text("rejected.diagnoses.note"),
		List: []practice.Diagnosis{{Code: "4F1.1"}}}); codeOf(t, err) != practice.EInvalid {
		t.Fatalf("a malformed diagnosis: %v", err)
	}
	if got, err := e.Billing.Diagnoses(pat.ID); err != nil || got.Diagnoses.Note != d.Note || got.Diagnoses.List[0].Description != d.List[0].Description {
		t.Fatalf("diagnoses round trip: %+v %v", got, err)
	}
	// A completed session two days ago, billed as a draft claim.
	types, err := e.Calendar.Setup()
	if err != nil {
		t.Fatal(err)
	}
	start := e.Clock.Now().Add(-48 * time.Hour).Truncate(time.Hour)
	booked, err := e.Calendar.Book(calendar.Booking{Appointment: practice.Appointment{PatientID: pat.ID, ClinicianID: w.clinician.ID,
		TypeID: types.Types[0].ID, LocationID: w.location.ID, Start: start, End: start.Add(50 * time.Minute)}})
	if err != nil || len(booked.Appointments) != 1 {
		t.Fatalf("booking the billed session: %+v %v", booked, err)
	}
	if _, err := e.Calendar.SetStatus(calendar.StatusChange{ID: booked.Appointments[0].ID, Change: calendar.Change{To: practice.Completed,
		ActualStart: start, ActualEnd: start.Add(45 * time.Minute)}}); err != nil {
		t.Fatalf("completing the billed session: %v", err)
	}
	batch, err := e.Billing.CreateBatch([]string{booked.Appointments[0].ID})
	if err != nil || len(batch.Claims) != 1 {
		t.Fatalf("Billing.CreateBatch: %+v %v", batch, err)
	}
	edit := practice.ClaimEdit{ClaimID: batch.Claims[0].Claim.ID, AuthNumber: mk.text("claim.authNumber"),
		OriginalRef: mk.text("claim.originalRef"), Note: mk.text("claim.note")}
	v, err := e.Billing.EditClaim(edit)
	if err != nil || v.Claim.Content.AuthNumber != edit.AuthNumber || v.Claim.Content.Note != edit.Note {
		t.Fatalf("Billing.EditClaim: %+v %v", v.Claim.Content, err)
	}
	if _, err := e.Billing.Scrub(nil); err != nil {
		t.Fatalf("Billing.Scrub: %v", err)
	}
	// A payment on the patient's account (a credit, so it needs a refund reason).
	entry := practice.Entry{Kind: practice.EntryPayment, Party: practice.PartyPatient, PatientID: pat.ID, AmountCents: 2500,
		On: e.Clock.Now().Format(time.DateOnly), Method: "check", Reference: mk.text("ledger.reference"),
		RefundReason: mk.text("ledger.refundReason"), Note: mk.text("ledger.note")}
	if _, err := e.Billing.Post(entry); err != nil {
		t.Fatalf("Billing.Post: %v", err)
	}
	acct, err := e.Billing.Account(pat.ID)
	if err != nil || len(acct.Entries) != 1 || acct.Entries[0].Reference != entry.Reference || acct.Entries[0].Note != entry.Note ||
		acct.Balance.PatientCents != -2500 {
		t.Fatalf("Billing.Account: %+v %v", acct, err)
	}
	if _, err := e.Billing.Dashboard(); err != nil {
		t.Fatalf("Billing.Dashboard: %v", err)
	}
}

func clinicianAccountID(w canaryPractice) string {
	for id, a := range w.accounts {
		if a.Role == practice.RoleClinician {
			return id
		}
	}
	return ""
}

// checkRoundTrip reads every entity back through the facades and compares
// it with what was written.
func checkRoundTrip(t *testing.T, e *env, w canaryPractice) {
	t.Helper()
	same := func(what string, got, want any, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: %v", what, err)
			return
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s round trip:\n got %+v\nwant %+v", what, got, want)
		}
	}
	set, err := e.Practice.Settings()
	same("settings", set, w.settings, err)
	locs, err := e.Practice.Locations()
	same("locations", locs, []practice.Location{w.location}, err)
	rooms, err := e.Practice.Rooms()
	same("rooms", rooms, []practice.Room{w.room}, err)
	cls, err := e.Practice.Clinicians()
	same("clinicians", cls, []practice.Clinician{w.clinician}, err)
	payers, err := e.Practice.Payers()
	wantPayers := append([]practice.Payer(nil), w.payers...)
	sort.Slice(wantPayers, func(i, j int) bool { return strings.ToLower(wantPayers[i].Name) < strings.ToLower(wantPayers[j].Name) })
	same("payers", payers, wantPayers, err)
	accts, err := e.Staff.Accounts()
	gotAccts := map[string]practice.Account{}
	for _, a := range accts {
		gotAccts[a.ID] = a
	}
	same("accounts", gotAccts, w.accounts, err)
	for _, pt := range w.patients {
		rec, err := e.Patients.Get(pt.ID)
		same("patient "+pt.ID, rec.Patient, pt, err)
		same("policies of "+pt.ID, rec.Policies, w.policies[pt.ID], err)
	}
	st, err := e.Session.Status()
	same("practice name in status", st.PracticeName, w.settings.Name, err)
	setup, err := e.Calendar.Setup()
	same("appointment types", setup.Types, []practice.AppointmentType{w.calendar.typ}, err)
	detail, err := e.Calendar.Appointment(w.calendar.appointment.ID)
	same("appointment", detail.Appointment, w.calendar.appointment, err)
	wl, err := e.Calendar.Waitlist()
	if len(wl) == 1 {
		same("waitlist entry", wl[0].Entry, w.calendar.waitlist, err)
	} else {
		t.Errorf("waitlist has %d entries, want 1 (%v)", len(wl), err)
	}
	cred, err := e.Credentialing.Overview()
	same("credentials", cred.Credentials, sortedCredentials(w.cred.credentials), err)
	same("enrollments", cred.Enrollments, []practice.Enrollment{w.cred.enrollment}, err)
	history, err := e.Credentialing.History(w.cred.enrollment.ID)
	if len(history) != 1 || history[0].Note != w.cred.note {
		t.Errorf("enrollment history %+v, %v; want the one note", history, err)
	}
	day := w.calendar.timeOff.Start.Truncate(24 * time.Hour)
	rng, err := e.Calendar.Range(app.CalendarQuery{From: day.Add(-24 * time.Hour), To: day.Add(72 * time.Hour)})
	same("time off", rng.TimeOff, []practice.TimeOff{w.calendar.timeOff}, err)
}

// sortedCredentials is list in the order the store lists credentials: by
// clinician, kind, expiry, id.
func sortedCredentials(list []practice.Credential) []practice.Credential {
	out := append([]practice.Credential(nil), list...)
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Expires != b.Expires {
			return a.Expires < b.Expires
		}
		return a.ID < b.ID
	})
	return out
}

// checkExportCSV parses the decrypted export and compares every column of
// every patient with what was written.
func checkExportCSV(t *testing.T, out []byte, w canaryPractice) {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("export is not CSV: %v", err)
	}
	if len(rows) != 1+len(w.patients) {
		t.Fatalf("export has %d rows, want header + %d", len(rows), len(w.patients))
	}
	if !reflect.DeepEqual(rows[0], export.PatientColumns) {
		t.Fatalf("export header %v", rows[0])
	}
	col := map[string]int{}
	for i, c := range rows[0] {
		col[c] = i
	}
	payerName := map[string]string{}
	for _, y := range w.payers {
		payerName[y.ID] = y.Name
	}
	byID := map[string][]string{}
	for _, r := range rows[1:] {
		byID[r[col["id"]]] = r
	}
	for _, p := range w.patients {
		row, ok := byID[p.ID]
		if !ok {
			t.Errorf("patient %s missing from the export", p.ID)
			continue
		}
		var primary practice.InsurancePolicy
		for _, ip := range w.policies[p.ID] {
			if ip.Rank == practice.RankPrimary {
				primary = ip
			}
		}
		i, c, a, em, g := p.Identity, p.Contact, p.Contact.Address, p.Emergency, p.Guardian
		want := map[string]string{
			"id": p.ID, "first_name": i.FirstName, "last_name": i.LastName, "preferred_name": i.PreferredName, "dob": i.DOB,
			"sex": i.Sex, "gender": i.Gender, "pronouns": i.Pronouns,
			"phone": c.Phone, "email": c.Email, "address_line1": a.Line1, "address_line2": a.Line2, "city": a.City, "state": a.State, "zip": a.Zip,
			"emergency_name": em.Name, "emergency_relationship": em.Relationship, "emergency_phone": em.Phone, "emergency_email": em.Email,
			"guardian_name": g.Name, "guardian_relationship": g.Relationship, "guardian_phone": g.Phone, "guardian_email": g.Email,
			"primary_payer": payerName[primary.PayerID], "primary_member_id": primary.MemberID, "primary_group_number": primary.GroupNumber,
			"primary_subscriber_name": primary.Subscriber.Name, "primary_subscriber_dob": primary.Subscriber.DOB,
			"active": "yes",
		}
		for name, v := range want {
			idx, ok := col[name]
			if !ok {
				t.Errorf("export has no column %s", name)
				continue
			}
			if row[idx] != v {
				t.Errorf("patient %s column %s = %q, want %q", p.ID, name, row[idx], v)
			}
		}
		if primary.MemberID == "" {
			t.Errorf("patient %s has no primary policy to check", p.ID)
		}
	}
}

// utf16Encoded spells s in UTF-16 for the positive control, written apart
// from the canary package it checks.
func utf16Encoded(s string, order binary.AppendByteOrder) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(s)) {
		out = order.AppendUint16(out, u)
	}
	return out
}

// TestCanaryScannerFindsEveryEncoding is the scanner's positive control: a
// marker embedded in each encoding, at each alignment, between random
// bytes, is found.
func TestCanaryScannerFindsEveryEncoding(t *testing.T) {
	mk := &markers{t: t}
	for range len(nonASCII) {
		mk.text("probe")
		mk.list[len(mk.list)-1].field = fmt.Sprintf("probe%d", len(mk.list))
	}
	mk.digits("digits", 10)
	for _, m := range mk.list {
		embedded := map[string][]byte{
			"utf8":    []byte(m.value),
			"utf16le": utf16Encoded(m.value, binary.LittleEndian),
			"utf16be": utf16Encoded(m.value, binary.BigEndian),
			"hex":     []byte(hex.EncodeToString([]byte(m.value))),
			"HEX":     []byte(strings.ToUpper(hex.EncodeToString([]byte(m.value)))),
		}
		for pre := range 3 {
			in := append([]byte(randHex(t, 4))[:pre], m.value...)
			in = append(in, "tail"[:pre]...)
			embedded[fmt.Sprintf("base64/align%d", pre)] = []byte(base64.StdEncoding.EncodeToString(in))
			embedded[fmt.Sprintf("base64url/align%d", pre)] = []byte(base64.URLEncoding.EncodeToString(in))
		}
		for enc, b := range embedded {
			data := append([]byte(randHex(t, 37)), b...)
			data = append(data, randHex(t, 29)...)
			ok := false
			for _, h := range find(encodings(m.field, m.value), data) {
				ok = ok || h.enc == enc
			}
			if !ok {
				t.Errorf("scanner missed %q encoded as %s", m.value, enc)
			}
		}
		if m.token != "" {
			if len(find(encodings(m.field, m.token), []byte("x"+strings.ToLower(m.value)+"y"))) == 0 {
				t.Errorf("scanner missed the token of %q in lower case", m.value)
			}
		}
	}
}
