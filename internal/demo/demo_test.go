package demo_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"quietdesk/internal/demo"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/vault"
)

func TestMain(m *testing.M) {
	// Argon2id at the floor: fast enough for tests, still real. Benchmarks
	// of what a user waits for set QUIETDESK_DEMO_KDF=calibrated.
	if os.Getenv("QUIETDESK_DEMO_KDF") != "calibrated" {
		store.KDFTarget = 0
	}
	os.Exit(m.Run())
}

// newDemo creates a small demo in a fresh directory.
func newDemo(t *testing.T, seed int64) (string, *store.DB, demo.Login) {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	start := time.Now()
	login, err := demo.Create(context.Background(), db, demo.Small, seed)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	t.Logf("small demo created in %v", time.Since(start).Round(time.Millisecond))
	return dir, db, login
}

// snapshot is everything a demo holds, without record IDs, in a stable
// order: two demos from the same seed must give the same snapshot.
type snapshot struct {
	Settings   practice.Settings
	Locations  []string
	Clinicians []string
	Payers     []string
	Accounts   []string
	Patients   []string
	Audit      int
}

func takeSnapshot(t *testing.T, db *store.DB) snapshot {
	t.Helper()
	var s snapshot
	err := db.View(context.Background(), func(tx *store.Tx) error {
		var err error
		if s.Settings, err = tx.Settings(); err != nil {
			return err
		}
		if s.Settings.DefaultTypeID != "" { // an ID: the snapshot names the type instead
			typ, err := tx.AppointmentType(s.Settings.DefaultTypeID)
			if err != nil {
				return err
			}
			s.Settings.DefaultTypeID = typ.Name
		}
		locs, err := tx.Locations()
		if err != nil {
			return err
		}
		rooms, err := tx.Rooms()
		if err != nil {
			return err
		}
		for _, l := range locs {
			var names []string
			for _, r := range rooms {
				if r.LocationID == l.ID {
					names = append(names, r.Name)
				}
			}
			slices.Sort(names)
			s.Locations = append(s.Locations, fmt.Sprintf("%s|%s|%+v|%v|%v", l.Name, l.Phone, l.Address, l.Active, names))
		}
		clinicians, err := tx.Clinicians()
		if err != nil {
			return err
		}
		clinicianNPI := map[string]string{}
		for _, c := range clinicians {
			clinicianNPI[c.ID] = c.NPI
			c.ID = ""
			s.Clinicians = append(s.Clinicians, fmt.Sprintf("%+v", c))
		}
		payers, err := tx.Payers()
		if err != nil {
			return err
		}
		payerName := map[string]string{}
		for _, y := range payers {
			payerName[y.ID] = y.Name
			y.ID = ""
			s.Payers = append(s.Payers, fmt.Sprintf("%+v", y))
		}
		accounts, err := tx.Accounts()
		if err != nil {
			return err
		}
		for _, a := range accounts {
			s.Accounts = append(s.Accounts, fmt.Sprintf("%s|%s|%s|%s|%v", a.Username, a.DisplayName, a.Role, clinicianNPI[a.ClinicianID], a.Disabled))
		}
		patients, err := tx.Patients()
		if err != nil {
			return err
		}
		for _, p := range patients {
			pols, err := tx.Policies(p.ID)
			if err != nil {
				return err
			}
			line := fmt.Sprintf("%+v|%+v|%+v|%+v|%v", p.Identity, p.Contact, p.Emergency, p.Guardian, p.Active)
			for _, ip := range pols {
				line += fmt.Sprintf("|%s %s %s %s %+v", payerName[ip.PayerID], ip.Rank, ip.MemberID, ip.GroupNumber, ip.Subscriber)
			}
			s.Patients = append(s.Patients, line)
		}
		slices.Sort(s.Locations)
		slices.Sort(s.Clinicians)
		slices.Sort(s.Payers)
		slices.Sort(s.Accounts)
		slices.Sort(s.Patients)
		audit, err := tx.AuditEntries(store.AuditQuery{})
		s.Audit = len(audit)
		return err
	})
	if err != nil {
		t.Fatalf("reading the demo back: %v", err)
	}
	return s
}

func TestSmallDemo(t *testing.T) {
	_, db, login := newDemo(t, 1)
	if login.Username != demo.OwnerUsername || login.Password != demo.Password {
		t.Errorf("login = %+v", login)
	}
	now := time.Now()
	err := db.View(context.Background(), func(tx *store.Tx) error {
		settings, err := tx.Settings()
		if err != nil {
			return err
		}
		if err := settings.Validate(); err != nil {
			t.Errorf("settings: %v", err)
		}
		if settings.Timezone != "America/Los_Angeles" || settings.LockMinutes != 15 || settings.NPI == "" || settings.TaxID == "" {
			t.Errorf("settings = %+v", settings)
		}

		locs, err := tx.Locations()
		if err != nil {
			return err
		}
		if len(locs) != 2 {
			t.Errorf("%d locations, want 2", len(locs))
		}
		rooms, err := tx.Rooms()
		if err != nil {
			return err
		}
		perLoc := map[string]int{}
		for _, r := range rooms {
			if err := r.Validate(); err != nil {
				t.Errorf("room %s: %v", r.Name, err)
			}
			perLoc[r.LocationID]++
		}
		for _, l := range locs {
			if err := l.Validate(); err != nil {
				t.Errorf("location %s: %v", l.Name, err)
			}
			if n := perLoc[l.ID]; n < 3 || n > 4 {
				t.Errorf("location %s has %d rooms, want 3-4", l.Name, n)
			}
		}
		if len(perLoc) != len(locs) {
			t.Errorf("rooms belong to %d locations, want %d", len(perLoc), len(locs))
		}

		clinicians, err := tx.Clinicians()
		if err != nil {
			return err
		}
		if len(clinicians) != 8 {
			t.Errorf("%d clinicians, want 8", len(clinicians))
		}
		prescribers := 0
		clinicianIDs := map[string]bool{}
		for _, c := range clinicians {
			clinicianIDs[c.ID] = true
			if err := c.Validate(); err != nil {
				t.Errorf("clinician %s: %v", c.DisplayName(), err)
			}
			if !practice.ValidNPI(c.NPI) || c.Taxonomy == "" || c.Credentials == "" || len(c.Specialties) == 0 {
				t.Errorf("clinician %+v lacks an NPI, taxonomy, credentials or specialties", c)
			}
			if len(c.Languages) == 0 || c.Languages[0] != "English" {
				t.Errorf("clinician %s languages %v", c.DisplayName(), c.Languages)
			}
			if c.Prescriber {
				prescribers++
			}
			if c.Credentials == "MD" && (!c.Prescriber || c.Taxonomy != "2084P0800X") {
				t.Errorf("psychiatrist %+v", c)
			}
		}
		if prescribers == 0 {
			t.Error("no prescriber among the clinicians")
		}

		payers, err := tx.Payers()
		if err != nil {
			return err
		}
		eaps := 0
		payerIDs := map[string]practice.Payer{}
		for _, y := range payers {
			payerIDs[y.ID] = y
			if err := y.Validate(); err != nil {
				t.Errorf("payer %s: %v", y.Name, err)
			}
			if y.Kind == practice.PayerEAP {
				eaps++
			}
			if y.PayerID == "" || !y.Active {
				t.Errorf("payer %+v", y)
			}
		}
		if len(payers) < 6 || len(payers) > 10 || eaps != 2 {
			t.Errorf("%d payers with %d EAPs, want about 8 with 2", len(payers), eaps)
		}

		accounts, err := tx.Accounts()
		if err != nil {
			return err
		}
		if len(accounts) != 8+3 {
			t.Errorf("%d accounts, want 11", len(accounts))
		}
		roles := map[practice.Role]int{}
		linked := map[string]int{}
		for _, a := range accounts {
			if err := a.Validate(); err != nil {
				t.Errorf("account %s: %v", a.Username, err)
			}
			roles[a.Role]++
			if a.Role == practice.RoleClinician {
				if !clinicianIDs[a.ClinicianID] {
					t.Errorf("clinician account %s is linked to %q, not a clinician", a.Username, a.ClinicianID)
				}
				linked[a.ClinicianID]++
			} else if a.ClinicianID != "" {
				t.Errorf("%s account %s is linked to a clinician", a.Role, a.Username)
			}
		}
		if roles[practice.RoleOwner] != 1 || roles[practice.RoleFrontDesk] != 1 || roles[practice.RoleBiller] != 1 || roles[practice.RoleClinician] != 8 {
			t.Errorf("roles %v", roles)
		}
		if len(linked) != 8 {
			t.Errorf("%d clinicians have an account, want all 8", len(linked))
		}

		patients, err := tx.Patients()
		if err != nil {
			return err
		}
		if len(patients) != 600 {
			t.Errorf("%d patients, want 600", len(patients))
		}
		var inactive, insured, secondary, minors, nonASCII, hyphenated, apostrophe int
		for _, p := range patients {
			if err := p.Validate(now); err != nil {
				t.Errorf("patient %s: %v", p.Identity.FullName(), err)
			}
			name := p.Identity.FullName()
			if !isASCII(name) {
				nonASCII++
			}
			if strings.Contains(p.Identity.LastName, "-") {
				hyphenated++
			}
			if strings.Contains(name, "'") {
				apostrophe++
			}
			if !p.Active {
				inactive++
			}
			dob, _ := time.Parse(time.DateOnly, p.Identity.DOB)
			if dob.Year() < 1940 || dob.Year() > 2018 {
				t.Errorf("patient DOB %s outside 1940-2018", p.Identity.DOB)
			}
			if dob.Year() >= 2008 {
				minors++
				if p.Guardian.Name == "" || p.Guardian.Phone == "" {
					t.Errorf("minor born %s has no guardian", p.Identity.DOB)
				}
			}
			for _, ph := range []string{p.Contact.Phone, p.Emergency.Phone, p.Guardian.Phone} {
				if ph != "" && !strings.Contains(ph, "555-01") {
					t.Errorf("phone %q is not in the fictional 555-01xx range", ph)
				}
			}
			for _, e := range []string{p.Contact.Email, p.Emergency.Email, p.Guardian.Email} {
				if e != "" && !(strings.HasSuffix(e, "@example.com") || strings.HasSuffix(e, "@example.org") || strings.HasSuffix(e, "@example.net")) {
					t.Errorf("e-mail %q is not at an example domain", e)
				}
			}
			pols, err := tx.Policies(p.ID)
			if err != nil {
				return err
			}
			if len(pols) > 0 {
				insured++
			}
			if len(pols) > 1 {
				secondary++
			}
			if len(pols) > 0 && pols[0].Rank != practice.RankPrimary {
				t.Errorf("first policy is %s", pols[0].Rank)
			}
			seen := map[string]bool{}
			for _, ip := range pols {
				if err := ip.Validate(now); err != nil {
					t.Errorf("policy: %v", err)
				}
				if _, ok := payerIDs[ip.PayerID]; !ok || ip.PatientID != p.ID {
					t.Errorf("policy %+v points at an unknown payer or another patient", ip)
				}
				if seen[ip.PayerID] {
					t.Errorf("two policies with the same payer")
				}
				seen[ip.PayerID] = true
			}
		}
		within := func(what string, got, lo, hi int) {
			if got < lo || got > hi {
				t.Errorf("%s: %d of 600, want %d-%d", what, got, lo, hi)
			}
		}
		within("inactive", inactive, 12, 50)
		within("insured", insured, 470, 560)
		within("with a secondary policy", secondary, 30, 160)
		within("minors", minors, 50, 150)
		within("non-ASCII names", nonASCII, 60, 600)
		within("hyphenated last names", hyphenated, 10, 80)
		within("names with an apostrophe", apostrophe, 1, 60)

		// The schedule skips the days the practice is closed, and only those.
		zone := settings.Zone()
		appts, err := tx.AppointmentsBetween(now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0), store.AppointmentFilter{})
		if err != nil {
			return err
		}
		byDay := map[string]int{}
		for _, a := range appts {
			byDay[a.Start.In(zone).Format(time.DateOnly)]++
		}
		closures, weekdays := 0, 0
		for d := now.AddDate(-1, 0, 1).In(zone); d.Before(now.AddDate(1, 0, -1)); d = d.AddDate(0, 0, 1) {
			if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
				continue
			}
			day := d.Format(time.DateOnly)
			switch closed := demo.ClosedOn(d); {
			case closed && byDay[day] > 0:
				t.Errorf("%d sessions on %s, a closure day", byDay[day], day)
			case closed:
				closures++
			case byDay[day] == 0:
				t.Errorf("no session on %s, an open weekday", day)
			default:
				weekdays++
			}
		}
		if closures < 10 || weekdays < 480 {
			t.Errorf("%d closure days and %d open weekdays in two years", closures, weekdays)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func TestSameSeedSameDemo(t *testing.T) {
	_, a, _ := newDemo(t, 42)
	_, b, _ := newDemo(t, 42)
	sa, sb := takeSnapshot(t, a), takeSnapshot(t, b)
	if len(sa.Patients) != 600 {
		t.Fatalf("%d patients", len(sa.Patients))
	}
	// The brief's minimum: the sorted names and dates of birth agree.
	names := func(s snapshot) []string {
		var out []string
		for _, p := range s.Patients {
			out = append(out, p[:strings.Index(p, "|")])
		}
		return out
	}
	if !slices.Equal(names(sa), names(sb)) {
		t.Fatal("two demos from the same seed have different patients")
	}
	for _, c := range []struct {
		what string
		a, b []string
	}{{"locations", sa.Locations, sb.Locations}, {"clinicians", sa.Clinicians, sb.Clinicians}, {"payers", sa.Payers, sb.Payers},
		{"accounts", sa.Accounts, sb.Accounts}, {"patients", sa.Patients, sb.Patients}} {
		if i := firstDiff(c.a, c.b); i >= 0 {
			t.Errorf("%s differ at %d", c.what, i)
		}
	}
	if sa.Settings != sb.Settings {
		t.Error("settings differ")
	}

	_, c, _ := newDemo(t, 43)
	if sc := takeSnapshot(t, c); slices.Equal(sc.Patients, sa.Patients) || slices.Equal(sc.Clinicians, sa.Clinicians) {
		t.Error("a different seed gives the same demo")
	}
}

func firstDiff(a, b []string) int {
	for i := range max(len(a), len(b)) {
		if i >= len(a) || i >= len(b) || a[i] != b[i] {
			return i
		}
	}
	return -1
}

func TestLoginUnlocksReopenedDemo(t *testing.T) {
	ctx := context.Background()
	dir, db, login := newDemo(t, 3)
	before := takeSnapshot(t, db)
	db.Close()

	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Unlock(ctx, login.Username, "not-the-password-at-all"); practice.ErrorCode(err) != practice.EWrongPassword {
		t.Errorf("wrong password: %v", err)
	}
	acct, err := db.Unlock(ctx, login.Username, login.Password)
	if err != nil {
		t.Fatalf("owner login: %v", err)
	}
	if acct.Role != practice.RoleOwner {
		t.Errorf("owner login is %s", acct.Role)
	}
	// The practice's data is as created; the trail gained exactly the
	// wrong password's login.failed entry, chained in at this unlock.
	after := takeSnapshot(t, db)
	if after.Audit != before.Audit+1 {
		t.Errorf("audit entries: %d after reopening, want %d (one login.failed)", after.Audit, before.Audit+1)
	}
	after.Audit = before.Audit
	if !equalSnapshots(before, after) {
		t.Error("the reopened demo differs from the one created")
	}
	db.View(ctx, func(tx *store.Tx) error {
		failed, err := tx.AuditEntries(store.AuditQuery{Action: "login.failed"})
		if err != nil || len(failed) != 1 {
			t.Errorf("login.failed entries: %d, %v; want 1", len(failed), err)
		}
		return nil
	})

	// A clinician's first.last account shares the demo password.
	var user string
	db.View(ctx, func(tx *store.Tx) error {
		accts, err := tx.Accounts()
		for _, a := range accts {
			if a.Role == practice.RoleClinician {
				user = a.Username
				break
			}
		}
		return err
	})
	if !strings.Contains(user, ".") {
		t.Fatalf("clinician username %q is not first.last", user)
	}
	db.Lock()
	if a, err := db.Unlock(ctx, user, demo.Password); err != nil || a.Role != practice.RoleClinician || a.ClinicianID == "" {
		t.Errorf("clinician login %s: %+v, %v", user, a, err)
	}
}

func equalSnapshots(a, b snapshot) bool {
	return a.Settings == b.Settings && slices.Equal(a.Locations, b.Locations) && slices.Equal(a.Clinicians, b.Clinicians) &&
		slices.Equal(a.Payers, b.Payers) && slices.Equal(a.Accounts, b.Accounts) && slices.Equal(a.Patients, b.Patients) && a.Audit == b.Audit
}

func TestCreateRefusesExistingPractice(t *testing.T) {
	ctx := context.Background()
	dir, db, _ := newDemo(t, 5)
	before := takeSnapshot(t, db)

	// The same open handle …
	if _, err := demo.Create(ctx, db, demo.Small, 6); practice.ErrorCode(err) != practice.EConflict {
		t.Errorf("Create over a practice: %v, want %s", err, practice.EConflict)
	}
	if after := takeSnapshot(t, db); !equalSnapshots(before, after) {
		t.Error("a refused Create changed the practice")
	}
	db.Close() // checkpoints the WAL into the file

	// … and a fresh one, still locked.
	info, err := os.Stat(dir + "/" + store.FileName)
	if err != nil {
		t.Fatal(err)
	}
	db, err = store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := demo.Create(ctx, db, demo.Large, 6); practice.ErrorCode(err) != practice.EConflict {
		t.Errorf("Create over a locked practice: %v, want %s", err, practice.EConflict)
	}
	if now, err := os.Stat(dir + "/" + store.FileName); err != nil || !now.ModTime().Equal(info.ModTime()) || now.Size() != info.Size() {
		t.Errorf("the database file changed: %v", err)
	}
	if _, err := db.Unlock(ctx, demo.OwnerUsername, demo.Password); err != nil {
		t.Fatal(err)
	}
	if after := takeSnapshot(t, db); !equalSnapshots(before, after) {
		t.Error("a refused Create changed the practice")
	}
}

func TestUnknownSize(t *testing.T) {
	db, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := demo.Create(context.Background(), db, "huge", 1); practice.ErrorCode(err) != practice.EInvalid {
		t.Errorf("unknown size: %v", err)
	}
	if db.Exists() {
		t.Error("an unknown size made a practice")
	}
}

func TestCanceledContext(t *testing.T) {
	db, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := demo.Create(ctx, db, demo.Small, 1); err == nil {
		t.Error("Create with a canceled context succeeded")
	}
}

func TestPasswordIsAcceptable(t *testing.T) {
	if s := practice.CheckPassword(demo.Password, demo.OwnerUsername, "Demo Owner", "Cedar Grove Counseling (Demo)"); !s.Acceptable {
		t.Errorf("demo password refused: %+v", s)
	}
}

func TestMakeNPI(t *testing.T) {
	// 1234567893 is CMS's worked example of the check digit.
	if got, err := demo.MakeNPI("123456789"); err != nil || got != "1234567893" {
		t.Errorf("MakeNPI(123456789) = %q, %v", got, err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		base := fmt.Sprintf("%09d", r.IntN(1_000_000_000))
		npi, err := demo.MakeNPI(base)
		if err != nil || !practice.ValidNPI(npi) || npi[:9] != base {
			t.Fatalf("MakeNPI(%s) = %q, %v", base, npi, err)
		}
		// Any other last digit is refused.
		bad := npi[:9] + string(rune('0'+(npi[9]-'0'+1)%10))
		if practice.ValidNPI(bad) {
			t.Fatalf("%s validates too", bad)
		}
	}
	for _, bad := range []string{"", "12345678", "1234567890", "12345678x"} {
		if _, err := demo.MakeNPI(bad); err == nil {
			t.Errorf("MakeNPI(%q) succeeded", bad)
		}
	}
}

// BenchmarkCreateLarge measures the large demo (run by hand:
// go test -run '^$' -bench CreateLarge -benchtime 1x ./internal/demo).
func BenchmarkCreateLarge(b *testing.B) { benchCreate(b, demo.Large) }

func BenchmarkCreateSmall(b *testing.B) { benchCreate(b, demo.Small) }

func benchCreate(b *testing.B, size demo.Size) {
	for b.Loop() {
		b.StopTimer()
		db, err := store.Open(b.TempDir(), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := demo.Create(context.Background(), db, size, 1); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}

// TestDemoAccountsShareOneDerivation: every demo account signs in with
// the published password through one key derivation (its slots share one
// salt), so opening the demo pays for Argon2id once, not once per account;
// an account a person adds afterwards gets a salt of its own, and each
// demo account still opens the practice with the password and no other.
func TestDemoAccountsShareOneDerivation(t *testing.T) {
	dir, db, _ := newDemo(t, 1)
	ctx := context.Background()
	var usernames []string
	err := db.Update(ctx, func(tx *store.Tx) error {
		accts, err := tx.Accounts()
		for _, a := range accts {
			usernames = append(usernames, a.Username)
		}
		if err != nil {
			return err
		}
		added := practice.Account{Username: "new.hire", DisplayName: "New Hire", Role: practice.RoleFrontDesk}
		return tx.CreateAccount(&added, "a real person's own long password")
	})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, store.FileName)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query("SELECT slot FROM accounts WHERE deleted = 0")
	if err != nil {
		t.Fatal(err)
	}
	salts := map[string]int{}
	for rows.Next() {
		var js []byte
		var slot vault.Slot
		if err := rows.Scan(&js); err != nil || json.Unmarshal(js, &slot) != nil {
			t.Fatalf("slot %q: %v", js, err)
		}
		salts[string(slot.Salt)]++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(usernames) < 10 || len(salts) != 2 {
		t.Fatalf("%d demo accounts and one added: %d distinct salts %v; want 2 (the demo's shared one, the new account's own)", len(usernames), len(salts), salts)
	}
	for _, n := range salts {
		if n != 1 && n != len(usernames) {
			t.Errorf("salt counts %v; want %d demo slots under one salt and 1 of its own", salts, len(usernames))
		}
	}
	for _, u := range usernames {
		db.Lock()
		if _, err := db.Unlock(ctx, u, "not the demo password"); practice.ErrorCode(err) != practice.EWrongPassword {
			t.Errorf("%s with a wrong password: %v", u, err)
		}
		if _, err := db.Unlock(ctx, u, demo.Password); err != nil {
			t.Errorf("%s with the demo password: %v", u, err)
		}
	}
}
