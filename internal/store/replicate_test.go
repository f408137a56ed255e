package store_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/testutil"
)

// replica is one machine of an in-process cluster: its own data folder and
// its own wall clock (skew shifts it).
type replica struct {
	name string
	dir  string
	db   *store.DB
	skew time.Duration
}

func (r *replica) now() time.Time { return time.Now().Add(r.skew) }

func (r *replica) open(t *testing.T) {
	t.Helper()
	db, err := store.Open(r.dir, store.Options{AppVersion: "test", Now: r.now})
	if err != nil {
		t.Fatal(err)
	}
	r.db = db
	t.Cleanup(func() { db.Close() })
}

// newCluster makes n replicas of one practice: the first creates it, the
// others start empty, receive everything from it and log in as the owner.
func newCluster(t *testing.T, n int) []*replica {
	t.Helper()
	ctx := context.Background()
	reps := make([]*replica, n)
	for i := range reps {
		reps[i] = &replica{name: string(rune('A' + i)), dir: t.TempDir()}
		reps[i].open(t)
	}
	owner := practice.Account{Username: "Owner", DisplayName: "Olivia Owner", Role: practice.RoleOwner}
	if err := reps[0].db.Create(ctx, func(tx *store.Tx) error {
		if err := tx.SaveSettings(&practice.Settings{Name: "Replicas", LockMinutes: 10}); err != nil {
			return err
		}
		return tx.CreateAccount(&owner, ownerPassword)
	}); err != nil {
		t.Fatal(err)
	}
	for _, r := range reps[1:] {
		if err := r.db.CreateReplica(ctx, reps[0].db.PracticeID()); err != nil {
			t.Fatal(err)
		}
		syncAll(t, reps[0], r)
		if _, err := r.db.Unlock(ctx, "owner", ownerPassword); err != nil {
			t.Fatalf("%s: staff cannot log in on a joined machine: %v", r.name, err)
		}
	}
	return reps
}

// syncOnce sends one batch of what from has and to lacks.
func syncOnce(t *testing.T, from, to *replica, limit int, after store.AfterApply) (store.Applied, []store.Change) {
	t.Helper()
	ctx := context.Background()
	have, err := to.db.Vector(ctx)
	if err != nil {
		t.Fatal(err)
	}
	batch, err := from.db.ChangesAfter(ctx, have, limit)
	if err != nil {
		t.Fatal(err)
	}
	res, err := to.db.ApplyBatch(ctx, batch, after)
	if err != nil && after == nil {
		t.Fatalf("%s -> %s: %v", from.name, to.name, err)
	}
	return res, batch
}

// syncAll sends everything from has and to lacks.
func syncAll(t *testing.T, from, to *replica) int {
	t.Helper()
	total := 0
	for {
		res, batch := syncOnce(t, from, to, 500, nil)
		total += res.New
		if len(batch) == 0 || res.New == 0 {
			return total
		}
	}
}

// converge syncs every pair until a whole round moves nothing (merging can
// write conflict records, which then travel too).
func converge(t *testing.T, reps []*replica) {
	t.Helper()
	for round := 0; round < 50; round++ {
		moved := 0
		for _, a := range reps {
			for _, b := range reps {
				if a != b {
					moved += syncAll(t, a, b)
				}
			}
		}
		if moved == 0 {
			return
		}
	}
	t.Fatal("replicas did not converge in 50 rounds")
}

func digest(t *testing.T, r *replica) string {
	t.Helper()
	d, err := r.db.Digest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func assertSame(t *testing.T, reps []*replica) {
	t.Helper()
	want := digest(t, reps[0])
	for _, r := range reps[1:] {
		if got := digest(t, r); got != want {
			t.Fatalf("%s digest %s, %s digest %s", reps[0].name, want[:12], r.name, got[:12])
		}
	}
}

func addPatient(t *testing.T, r *replica, first string) practice.Patient {
	t.Helper()
	p := samplePatient()
	p.Identity.FirstName = first
	if err := r.db.Update(context.Background(), func(tx *store.Tx) error { return tx.CreatePatient(&p) }); err != nil {
		t.Fatal(err)
	}
	return p
}

func getPatient(t *testing.T, r *replica, id string) (practice.Patient, error) {
	t.Helper()
	var p practice.Patient
	err := r.db.View(context.Background(), func(tx *store.Tx) error {
		var err error
		p, err = tx.Patient(id)
		return err
	})
	return p, err
}

func editPatient(t *testing.T, r *replica, id string, edit func(p *practice.Patient)) {
	t.Helper()
	err := r.db.Update(context.Background(), func(tx *store.Tx) error {
		p, err := tx.Patient(id)
		if err != nil {
			return err
		}
		edit(&p)
		return tx.UpdatePatient(&p)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestJoinedReplicaMatchesAndOpensSealedData(t *testing.T) {
	reps := newCluster(t, 2)
	p := addPatient(t, reps[0], "Ada")
	converge(t, reps)
	assertSame(t, reps)
	got, err := getPatient(t, reps[1], p.ID)
	if err != nil || got.Identity.FirstName != "Ada" {
		t.Fatalf("replica reads %+v, %v", got.Identity, err)
	}
}

func TestApplyIsIdempotentAndSkipsGaps(t *testing.T) {
	ctx := context.Background()
	reps := newCluster(t, 2)
	a, b := reps[0], reps[1]
	for i := range 3 {
		addPatient(t, a, fmt.Sprint("P", i))
	}
	have, _ := b.db.Vector(ctx)
	batch, err := a.db.ChangesAfter(ctx, have, 100)
	if err != nil {
		t.Fatal(err)
	}
	// Later half first: every change there follows a missing one.
	res, err := b.db.ApplyBatch(ctx, batch[len(batch)/2:], nil)
	if err != nil || res.New != 0 || res.Gaps != len(batch)-len(batch)/2 {
		t.Fatalf("out of order: %+v, %v", res, err)
	}
	if res, err = b.db.ApplyBatch(ctx, batch, nil); err != nil || res.New != len(batch) {
		t.Fatalf("in order: %+v, %v", res, err)
	}
	if res, err = b.db.ApplyBatch(ctx, batch, nil); err != nil || res.New != 0 || res.Duplicates != len(batch) {
		t.Fatalf("again: %+v, %v", res, err)
	}
	assertSame(t, reps)
}

func TestCrashMidBatchRollsBackEverything(t *testing.T) {
	ctx := context.Background()
	reps := newCluster(t, 2)
	a, b := reps[0], reps[1]
	addPatient(t, a, "Crash")
	before, _ := b.db.Vector(ctx)
	digestBefore := digest(t, b)
	crash := errors.New("power cut")
	res, _ := syncOnce(t, a, b, 100, func(*store.Tx, []store.RowRef) error { return crash })
	if res.New == 0 {
		t.Fatal("the batch was empty")
	}
	after, _ := b.db.Vector(ctx)
	if after.Total() != before.Total() || digest(t, b) != digestBefore {
		t.Fatal("a failed batch left a trace")
	}
	converge(t, reps)
	assertSame(t, reps)
}

func TestTombstoneWinsOverConcurrentEdit(t *testing.T) {
	ctx := context.Background()
	reps := newCluster(t, 2)
	a, b := reps[0], reps[1]
	var policy practice.InsurancePolicy
	p := addPatient(t, a, "Pol")
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		payer := practice.Payer{Name: "Acme Health", Kind: practice.PayerInsurance, Active: true}
		if err := tx.SavePayer(&payer); err != nil {
			return err
		}
		policy = practice.InsurancePolicy{PatientID: p.ID, PayerID: payer.ID, Rank: practice.RankPrimary, MemberID: "M1"}
		return tx.SavePolicy(&policy)
	})
	if err != nil {
		t.Fatal(err)
	}
	converge(t, reps)
	// Offline: A deletes the policy, B edits it afterwards.
	if err := a.db.Update(ctx, func(tx *store.Tx) error { return tx.DeletePolicy(p.ID, policy.ID) }); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Millisecond)
	if err := b.db.Update(ctx, func(tx *store.Tx) error {
		policy.MemberID = "M2"
		return tx.SavePolicy(&policy)
	}); err != nil {
		t.Fatal(err)
	}
	converge(t, reps)
	assertSame(t, reps)
	for _, r := range reps {
		var n int
		r.db.View(ctx, func(tx *store.Tx) error {
			list, err := tx.Policies(p.ID)
			n = len(list)
			return err
		})
		if n != 0 {
			t.Fatalf("%s: a deleted policy came back", r.name)
		}
	}
}

func TestConcurrentEditsAreRecordedAndResolvable(t *testing.T) {
	ctx := context.Background()
	reps := newCluster(t, 3)
	a, b, c := reps[0], reps[1], reps[2]
	p := addPatient(t, a, "Con")
	converge(t, reps)
	// Offline, A and B change the phone; C changes only the e-mail (another group? no:
	// phone and e-mail share the contact group, so C edits the identity group).
	editPatient(t, a, p.ID, func(p *practice.Patient) { p.Contact.Phone = "(503) 555-0001" })
	editPatient(t, b, p.ID, func(p *practice.Patient) { p.Contact.Phone = "(503) 555-0002" })
	editPatient(t, c, p.ID, func(p *practice.Patient) { p.Identity.PreferredName = "Connie" })
	converge(t, reps)
	assertSame(t, reps)
	var open []store.Conflict
	a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		open, err = tx.Conflicts(true)
		return err
	})
	if len(open) != 1 || open[0].Kind != store.ConflictConcurrentEdit || !strings.HasPrefix(open[0].Detail, "contact|") {
		t.Fatalf("want one concurrent edit of contact, got %+v", open)
	}
	got, _ := getPatient(t, c, p.ID)
	if got.Identity.PreferredName != "Connie" {
		t.Fatal("an edit of another group was lost")
	}
	// Keep the version the merge did not keep.
	_, keys, _ := strings.Cut(open[0].Detail, "|")
	var loser string
	for _, k := range strings.Split(keys, ",") {
		if strings.HasPrefix(k, a.deviceOrigin(t)) == (got.Contact.Phone == "(503) 555-0002") {
			loser = k
		}
	}
	wantPhone := map[bool]string{true: "(503) 555-0001", false: "(503) 555-0002"}[got.Contact.Phone == "(503) 555-0002"]
	if err := c.db.Update(ctx, func(tx *store.Tx) error { return tx.ResolveConflict(open[0].ID, "acct", loser) }); err != nil {
		t.Fatal(err)
	}
	converge(t, reps)
	assertSame(t, reps)
	for _, r := range reps {
		got, _ := getPatient(t, r, p.ID)
		if got.Contact.Phone != wantPhone {
			t.Fatalf("%s: phone %q after keeping %q", r.name, got.Contact.Phone, wantPhone)
		}
		n, _ := r.db.OpenConflicts(ctx)
		if n != 0 {
			t.Fatalf("%s: %d open conflicts after resolving", r.name, n)
		}
	}
}

// deviceOrigin is the replica's origin in the change log.
func (r *replica) deviceOrigin(t *testing.T) string {
	t.Helper()
	var origin string
	if err := rawDB(t, r.dir).QueryRow("SELECT value FROM meta WHERE key = 'device_id'").Scan(&origin); err != nil {
		t.Fatal(err)
	}
	return origin
}

func TestFarFutureClockIsMergedButNotAdopted(t *testing.T) {
	ctx := context.Background()
	reps := newCluster(t, 2)
	a, b := reps[0], reps[1]
	a.skew = 24 * time.Hour
	p := addPatient(t, a, "Future")
	res, _ := syncOnce(t, a, b, 500, nil)
	if res.FutureHLC < (23 * time.Hour).Milliseconds() {
		t.Fatalf("a day ahead not reported: %+v", res)
	}
	clock, _ := b.db.Clock(ctx)
	if clock.After(time.Now().Add(store.MaxClockSkew)) {
		t.Fatalf("B's clock was dragged to %v", clock)
	}
	// B edits the future-stamped row: its edit still wins everywhere.
	editPatient(t, b, p.ID, func(p *practice.Patient) { p.Contact.Phone = "(503) 555-0300" })
	converge(t, reps)
	assertSame(t, reps)
	got, _ := getPatient(t, a, p.ID)
	if got.Contact.Phone != "(503) 555-0300" {
		t.Fatal("an edit made after seeing a future-stamped value lost to it")
	}
}

func TestAfterApplyHookSeesMergedRowsInTheSameTransaction(t *testing.T) {
	reps := newCluster(t, 2)
	a, b := reps[0], reps[1]
	p := addPatient(t, a, "Hook")
	// A fake overlap check: every merged patient row is "double-booked".
	check := func(tx *store.Tx, changed []store.RowRef) error {
		for _, ref := range changed {
			if ref.Table == "patients" {
				if _, err := tx.RecordConflict("double-booking", "patients", []string{ref.ID, "other"}, ""); err != nil {
					return err
				}
			}
		}
		return nil
	}
	syncOnce(t, a, b, 500, check)
	n, _ := b.db.OpenConflicts(context.Background())
	if n != 1 {
		t.Fatalf("hook recorded %d conflicts, want 1 for patient %s", n, p.ID)
	}
	// A finds the same conflict on its own: the same id, so one record.
	a.db.Update(context.Background(), func(tx *store.Tx) error { return check(tx, []store.RowRef{{Table: "patients", ID: p.ID}}) })
	converge(t, reps)
	assertSame(t, reps)
	n, _ = a.db.OpenConflicts(context.Background())
	if n != 1 {
		t.Fatalf("%d conflict records after both found it, want 1", n)
	}
}

func TestRestoreGetsNewIdentityAndKeepsUnsentChanges(t *testing.T) {
	ctx := context.Background()
	reps := newCluster(t, 2)
	a := reps[0]
	backup := filepath.Join(t.TempDir(), "a.backup")
	if err := a.db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	sent := addPatient(t, a, "Sent")
	converge(t, reps)
	unsent := addPatient(t, a, "Unsent") // never reaches B before the restore
	before := a.deviceOrigin(t)
	if err := a.db.Restore(ctx, backup, nil); err != nil {
		t.Fatal(err)
	}
	after := addPatient(t, a, "After")
	converge(t, reps)
	assertSame(t, reps)
	for _, r := range reps {
		for _, p := range []practice.Patient{sent, unsent, after} {
			if _, err := getPatient(t, r, p.ID); err != nil {
				t.Fatalf("%s lost %s: %v", r.name, p.Identity.FirstName, err)
			}
		}
	}
	v, _ := a.db.Vector(ctx)
	now := a.deviceOrigin(t)
	if now == before {
		t.Fatal("the restored machine writes under its old device id")
	}
	var old, fresh int
	for stream := range v {
		old += boolInt(strings.HasPrefix(stream, before+"/"))
		fresh += boolInt(strings.HasPrefix(stream, now+"/"))
	}
	if old != 1 || fresh != 1 {
		t.Fatalf("streams after a restore: %d under the old device id, %d under the new; want 1 and 1", old, fresh)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// The audit chain is per device with a dense sequence. A machine restored
// from a backup older than entries its peers already hold must not write
// those sequence numbers again: peers refused every such batch (UNIQUE
// audit_log.device, audit_log.seq) and the machines drifted apart. Both
// ways are tried: the backup restored on the machine that made it, and
// onto the other machine.
func TestRestoredMachinesKeepSyncingAuditEntries(t *testing.T) {
	for _, onto := range []int{0, 1} {
		t.Run(fmt.Sprintf("Onto%c", 'A'+onto), func(t *testing.T) {
			ctx := context.Background()
			reps := newCluster(t, 2)
			a := reps[0]
			audit := func(r *replica, n int) {
				for range n {
					if err := r.db.Update(ctx, func(tx *store.Tx) error { return tx.Audit("owner", "patient.read", "patients", "p") }); err != nil {
						t.Fatal(err)
					}
				}
			}
			audit(a, 3)
			backup := filepath.Join(t.TempDir(), "a.backup")
			if err := a.db.Backup(ctx, backup); err != nil {
				t.Fatal(err)
			}
			audit(a, 5) // peers hold these
			converge(t, reps)
			if err := reps[onto].db.Restore(ctx, backup, nil); err != nil {
				t.Fatal(err)
			}
			for _, r := range reps {
				audit(r, 4)
				addPatient(t, r, "After"+r.name)
			}
			converge(t, reps) // syncAll fails the test on any refused batch
			assertSame(t, reps)
			for _, r := range reps {
				var n int
				if err := rawDB(t, r.dir).QueryRow("SELECT COUNT(*) FROM audit_log").Scan(&n); err != nil {
					t.Fatal(err)
				}
				if want := 3 + 5 + 4 + 4; n < want {
					t.Errorf("%s holds %d audit entries, want at least %d", r.name, n, want)
				}
				if _, err := r.db.VerifyAudit(ctx); err != nil {
					t.Errorf("%s: audit chain: %v", r.name, err)
				}
			}
		})
	}
}

var schedules = flag.Int("schedules", 0, "random sync schedules in TestRandomSchedulesConverge (0: 8, 3 with -short; make soak: 2000)")

// TestRandomSchedulesConverge runs random schedules of writes and faulty
// syncs between three replicas. The writes: new patients and edits of
// them, appointments booked, cancelled, annotated and deleted, and pairs
// of offline edits of one patient's contact on two machines, which must
// become recorded conflicts. The faults: dropped, duplicated and reordered
// batches, partitions, crashes mid-batch, a clock ten minutes ahead and a
// restore from an old backup. After healing, all replicas must hold the
// same data and every change any replica acknowledged: each booked
// appointment not deleted, each cancellation, each deletion, each conflict.
// Each schedule is named by its seed, printed with a command to rerun it
// when it fails.
func TestRandomSchedulesConverge(t *testing.T) {
	n := *schedules
	if n == 0 {
		n = 8
		if testing.Short() {
			n = 3
		}
	}
	base := uint64(time.Now().UnixNano())
	if s := os.Getenv("QUIETDESK_SEED"); s != "" {
		fmt.Sscan(s, &base)
		n = 1
	}
	start := time.Now()
	var ops scheduleOps
	for i := range n {
		seed := base + uint64(i)
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			defer func() {
				if t.Failed() {
					t.Logf("reproduce with QUIETDESK_SEED=%d go test -tags webkit2_41 -run TestRandomSchedulesConverge ./internal/store/", seed)
				}
			}()
			ops.add(runSchedule(t, seed))
		})
	}
	t.Logf("%d schedules from seed %d in %v: %+v", n, base, time.Since(start).Round(time.Millisecond), ops)
}

// scheduleOps counts what the schedules did, so a run says what it covered.
type scheduleOps struct {
	Patients, PatientEdits, Booked, Cancelled, Annotated, Deleted, ConcurrentPairs, Conflicts int
	Batches, Dropped, Duplicated, Reordered, Crashed, Partitions, Restores                    int
}

func (o *scheduleOps) add(x scheduleOps) {
	a, b := reflect.ValueOf(o).Elem(), reflect.ValueOf(x)
	for i := range a.NumField() {
		a.Field(i).SetInt(a.Field(i).Int() + b.Field(i).Int())
	}
}

// assertNoHalfSaves checks that no replica shows a patient of which only
// some field groups arrived (an edit before its create, or part of a save).
func assertNoHalfSaves(t *testing.T, reps []*replica) {
	t.Helper()
	for _, r := range reps {
		raw := rawDB(t, r.dir)
		var n int
		if err := raw.QueryRow("SELECT COUNT(*) FROM patients WHERE deleted = 0 AND (identity IS NULL OR contact IS NULL)").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if err := raw.QueryRow("SELECT COUNT(*) FROM appointments WHERE deleted = 0 AND (details IS NULL OR status IS NULL OR start_at IS NULL)").Scan(&n); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		if n != 0 {
			t.Fatalf("%s shows %d half-arrived records", r.name, n)
		}
	}
}

// calendarRefs are the clinician, type, location and room every replica
// holds before a schedule starts.
type calendarRefs struct{ clinician, typ, location, room string }

func setUpCalendar(t *testing.T, reps []*replica) calendarRefs {
	t.Helper()
	var c calendarRefs
	err := reps[0].db.Update(context.Background(), func(tx *store.Tx) (err error) {
		c, err = saveCalendarRefs(tx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	converge(t, reps)
	return c
}

// editAppointment changes an appointment where r holds it; it reports
// false when r does not hold it (yet, or any more).
func editAppointment(t *testing.T, r *replica, id string, edit func(a *practice.Appointment)) bool {
	t.Helper()
	err := r.db.Update(context.Background(), func(tx *store.Tx) error {
		a, err := tx.Appointment(id)
		if err != nil {
			return err
		}
		edit(&a)
		return tx.SaveAppointment(&a)
	})
	if code(err) == practice.ENotFound {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	return true
}

func runSchedule(t *testing.T, seed uint64) scheduleOps {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	reps := newCluster(t, 3)
	cal := setUpCalendar(t, reps)
	reps[rng.IntN(3)].skew = 10 * time.Minute
	var ops scheduleOps
	var patients []string
	var acked []store.Vector // every replica's vector after each acknowledged write
	// What became of each appointment somebody booked.
	booked := map[string]bool{}    // id: live somewhere once acknowledged
	cancelled := map[string]bool{} // a cancellation was acknowledged
	deleted := map[string]bool{}   // a deletion was acknowledged
	var appointments []string
	concurrent := 0          // pairs of offline edits of one group
	cut := map[[2]int]bool{} // partitioned links
	backupAt, backupOf := "", -1
	restored := false
	crash := errors.New("crash before commit")
	day := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for step := 0; step < 60; step++ {
		assertNoHalfSaves(t, reps)
		switch op := rng.IntN(10); {
		case op < 4: // write
			r := reps[rng.IntN(3)]
			switch w := rng.IntN(10); {
			case len(patients) == 0 || w == 0:
				patients = append(patients, addPatient(t, r, fmt.Sprint("S", step)).ID)
				ops.Patients++
			case w <= 2:
				id := patients[rng.IntN(len(patients))]
				if _, err := getPatient(t, r, id); err != nil {
					continue // not there yet
				}
				editPatient(t, r, id, func(p *practice.Patient) {
					switch rng.IntN(3) {
					case 0:
						p.Contact.Phone = fmt.Sprintf("(503) 555-%04d", rng.IntN(10000))
					case 1:
						p.Active = !p.Active
					default:
						p.Identity.PreferredName = fmt.Sprint("N", rng.IntN(100))
					}
				})
				ops.PatientEdits++
			case w == 3: // the same group edited offline on two machines
				o := reps[(slices.Index(reps, r)+1+rng.IntN(2))%3]
				id := patients[rng.IntN(len(patients))]
				if _, err := getPatient(t, r, id); err != nil {
					continue
				}
				if _, err := getPatient(t, o, id); err != nil {
					continue
				}
				for k, m := range []*replica{r, o} {
					editPatient(t, m, id, func(p *practice.Patient) { p.Contact.Phone = fmt.Sprintf("(503) 555-%d%03d", k, step) })
				}
				concurrent++
				ops.ConcurrentPairs++
			case w == 4 || w == 5: // book
				id := patients[rng.IntN(len(patients))]
				if _, err := getPatient(t, r, id); err != nil {
					continue
				}
				start := day.Add(time.Duration(rng.IntN(40)) * time.Hour)
				a := practice.Appointment{PatientID: id, ClinicianID: cal.clinician, TypeID: cal.typ, LocationID: cal.location,
					RoomID: cal.room, Start: start, End: start.Add(53 * time.Minute), Status: practice.Scheduled, Notes: fmt.Sprint("booked at step ", step)}
				if err := r.db.Update(ctx, func(tx *store.Tx) error { return tx.SaveAppointment(&a) }); err != nil {
					t.Fatal(err)
				}
				appointments = append(appointments, a.ID)
				booked[a.ID] = true
				ops.Booked++
			case len(appointments) == 0:
				continue
			case w == 6: // cancel
				id := appointments[rng.IntN(len(appointments))]
				if editAppointment(t, r, id, func(a *practice.Appointment) {
					a.Status, a.CancelledBy, a.Reason = practice.Cancelled, practice.ByPatient, "called in"
				}) {
					cancelled[id] = true
					ops.Cancelled++
				}
			case w == 7: // a note, concurrent with whatever else happens to it
				id := appointments[rng.IntN(len(appointments))]
				if editAppointment(t, r, id, func(a *practice.Appointment) { a.Notes = fmt.Sprint("note ", step) }) {
					ops.Annotated++
				}
			case w == 8: // the same appointment's note written offline on two machines
				o := reps[(slices.Index(reps, r)+1+rng.IntN(2))%3]
				id := appointments[rng.IntN(len(appointments))]
				if deleted[id] {
					continue
				}
				var both bool
				if err := o.db.View(ctx, func(tx *store.Tx) error { _, err := tx.Appointment(id); both = err == nil; return nil }); err != nil {
					t.Fatal(err)
				}
				if !both || !editAppointment(t, r, id, func(a *practice.Appointment) { a.Notes = fmt.Sprint("first note ", step) }) {
					continue
				}
				if !editAppointment(t, o, id, func(a *practice.Appointment) { a.Notes = fmt.Sprint("second note ", step) }) {
					t.Fatalf("%s lost appointment %s while nothing was synced", o.name, id)
				}
				concurrent++
				ops.ConcurrentPairs++
			default: // delete
				id := appointments[rng.IntN(len(appointments))]
				err := r.db.Update(ctx, func(tx *store.Tx) error { return tx.DeleteAppointment(id) })
				if code(err) == practice.ENotFound {
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				deleted[id] = true
				ops.Deleted++
			}
			v, _ := r.db.Vector(ctx)
			acked = append(acked, v)
		case op < 8: // one batch over a link, maybe faulty
			i, j := rng.IntN(3), rng.IntN(3)
			if i == j || cut[[2]int{i, j}] {
				continue
			}
			from, to := reps[i], reps[j]
			have, _ := to.db.Vector(ctx)
			batch, err := from.db.ChangesAfter(ctx, have, 1+rng.IntN(40))
			if err != nil {
				t.Fatal(err)
			}
			ops.Batches++
			var hook store.AfterApply
			fault := "none"
			switch rng.IntN(6) {
			case 0: // dropped
				ops.Dropped++
				continue
			case 1: // duplicated
				batch = append(batch, batch...)
				ops.Duplicated++
				fault = "duplicated"
			case 2: // reordered
				rng.Shuffle(len(batch), func(a, b int) { batch[a], batch[b] = batch[b], batch[a] })
				ops.Reordered++
				fault = "reordered"
			case 3: // crash before commit
				hook = func(*store.Tx, []store.RowRef) error { return crash }
				ops.Crashed++
			}
			if _, err := to.db.ApplyBatch(ctx, batch, hook); err != nil && !errors.Is(err, crash) {
				t.Fatalf("%s -> %s (batch of %d, %s): %v", from.name, to.name, len(batch), fault, err)
			}
		case op == 8: // partition or heal a link
			k := [2]int{rng.IntN(3), rng.IntN(3)}
			cut[k] = !cut[k]
			ops.Partitions++
		default: // backup, later restore
			r := rng.IntN(3)
			switch {
			case backupOf < 0:
				backupAt, backupOf = filepath.Join(t.TempDir(), "backup"), r
				if err := reps[r].db.Backup(ctx, backupAt); err != nil {
					t.Fatal(err)
				}
			case !restored:
				if err := reps[backupOf].db.Restore(ctx, backupAt, nil); err != nil {
					t.Fatal(err)
				}
				restored = true
				ops.Restores++
			}
		}
	}
	converge(t, reps)
	assertSame(t, reps)
	for _, r := range reps {
		have, _ := r.db.Vector(ctx)
		for _, v := range acked {
			for stream, seq := range v {
				if have[stream] < seq {
					t.Fatalf("%s lost acknowledged changes of %s: holds %d of %d", r.name, stream, have[stream], seq)
				}
			}
		}
		for _, id := range patients {
			if _, err := getPatient(t, r, id); err != nil {
				t.Fatalf("%s lost patient %s: %v", r.name, id, err)
			}
		}
		err := r.db.View(ctx, func(tx *store.Tx) error {
			for id := range booked {
				a, err := tx.Appointment(id)
				switch {
				case deleted[id]: // a deletion wins over any edit
					if code(err) != practice.ENotFound {
						t.Fatalf("%s still shows appointment %s that was deleted: %+v %v", r.name, id, a, err)
					}
				case err != nil:
					t.Fatalf("%s lost appointment %s: %v", r.name, id, err)
				case cancelled[id] && a.Status != practice.Cancelled:
					t.Fatalf("%s shows appointment %s %s after its cancellation was acknowledged", r.name, id, a.Status)
				case !cancelled[id] && a.Status != practice.Scheduled:
					t.Fatalf("%s shows appointment %s %s, never cancelled", r.name, id, a.Status)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// Each pair of offline edits of one group is a recorded conflict
		// (several pairs on one patient may share a record).
		n, err := r.db.OpenConflicts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if concurrent > 0 && n == 0 {
			t.Fatalf("%s: %d pairs of concurrent edits recorded no conflict", r.name, concurrent)
		}
		if r == reps[0] {
			ops.Conflicts = n
		}
		if res, err := r.db.IntegrityCheck(ctx); err != nil || res != "ok" {
			t.Fatalf("%s: integrity %s %v", r.name, res, err)
		}
	}
	return ops
}

// A machine whose clock runs ten minutes ahead creates a patient; another,
// whose clock is right, books them (its clock is not dragged more than
// MaxClockSkew forward, so the booking is stamped before the patient). Sent
// in clock order, a batch cut after the booking referred to a patient the
// receiver did not hold: SQLite refused the whole batch at commit, and the
// same batch was refused on every retry (found by a random schedule). The
// booking now waits for its patient, and the next batches bring both.
func TestABookingOfAPatientNotYetHeldWaitsForThem(t *testing.T) {
	ctx := context.Background()
	reps := newCluster(t, 3)
	cal := setUpCalendar(t, reps)
	a, b, c := reps[0], reps[1], reps[2]
	a.skew = 10 * time.Minute
	p := addPatient(t, a, "Ahead")
	syncAll(t, a, b)
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	appt := practice.Appointment{PatientID: p.ID, ClinicianID: cal.clinician, TypeID: cal.typ, LocationID: cal.location,
		RoomID: cal.room, Start: start, End: start.Add(53 * time.Minute), Status: practice.Scheduled}
	if err := b.db.Update(ctx, func(tx *store.Tx) error { return tx.SaveAppointment(&appt) }); err != nil {
		t.Fatal(err)
	}
	// A patient B adds after the booking waits behind it in B's stream and
	// arrives with it.
	other := addPatient(t, b, "Later")
	have, _ := c.db.Vector(ctx)
	batch, err := b.db.ChangesAfter(ctx, have, 100)
	if err != nil {
		t.Fatal(err)
	}
	var bookingAt, patientAt int = -1, -1
	for i, ch := range batch {
		if ch.RowID == appt.ID && bookingAt < 0 {
			bookingAt = i
		}
		if ch.RowID == p.ID && patientAt < 0 {
			patientAt = i
		}
	}
	if bookingAt < 0 || patientAt < bookingAt {
		t.Fatalf("the booking (at %d) is not sent before its patient (at %d): the test proves nothing", bookingAt, patientAt)
	}
	// Cut the batch where the patient would begin.
	res, err := c.db.ApplyBatch(ctx, batch[:patientAt], nil)
	if err != nil {
		t.Fatalf("a batch holding a booking of a patient not yet here was refused: %v", err)
	}
	if res.Gaps == 0 {
		t.Fatalf("the booking did not wait for its patient: %+v", res)
	}
	err = c.db.View(ctx, func(tx *store.Tx) error {
		if _, err := tx.Appointment(appt.ID); code(err) != practice.ENotFound {
			t.Errorf("C shows the booking before its patient: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	converge(t, reps)
	assertSame(t, reps)
	for _, r := range reps {
		err := r.db.View(ctx, func(tx *store.Tx) error {
			if _, err := tx.Appointment(appt.ID); err != nil {
				t.Errorf("%s lacks the booking: %v", r.name, err)
			}
			if _, err := tx.Patient(other.ID); err != nil {
				t.Errorf("%s lacks B's later patient: %v", r.name, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestSameUsernameCreatedOfflineOnTwoMachines(t *testing.T) {
	ctx := context.Background()
	reps := newCluster(t, 3)
	a, b := reps[0], reps[1]
	create := func(r *replica, pw string) practice.Account {
		acct := practice.Account{Username: "sam", DisplayName: "Sam " + r.name, Role: practice.RoleFrontDesk}
		if err := r.db.Update(ctx, func(tx *store.Tx) error { return tx.CreateAccount(&acct, pw) }); err != nil {
			t.Fatal(err)
		}
		return acct
	}
	first := create(a, "first password for sam here")
	time.Sleep(2 * time.Millisecond)
	create(b, "second password for sam here")
	converge(t, reps)
	assertSame(t, reps)
	for _, r := range reps {
		n, _ := r.db.OpenConflicts(ctx)
		if n != 1 {
			t.Fatalf("%s: %d open conflicts, want the duplicate login", r.name, n)
		}
		r.db.Lock()
		got, err := r.db.Unlock(ctx, "sam", "first password for sam here")
		if err != nil || got.ID != first.ID {
			t.Fatalf("%s: the older account cannot log in: %+v %v", r.name, got, err)
		}
	}
}

func TestSnapshotStartsANewMachine(t *testing.T) {
	ctx := context.Background()
	reps := newCluster(t, 1)
	a := reps[0]
	addPatient(t, a, "Snap")
	install := func(practiceID string) (*replica, error) {
		r := &replica{name: "S", dir: t.TempDir()}
		r.open(t)
		err := a.db.Snapshot(ctx, func(f *os.File, _ int64) error { return r.db.InstallSnapshot(ctx, practiceID, f) })
		return r, err
	}
	if r, err := install("another practice"); code(err) != practice.EInvalid || r.db.Exists() {
		t.Fatalf("a copy of another practice was installed: %v", err)
	}
	// A copy cut short on the way (its reader ending early, as a dropped
	// connection once did) is refused whole, wherever it ends: early, or
	// late enough that its first pages (schema, meta) all arrived.
	if err := a.db.Update(ctx, func(tx *store.Tx) error {
		for i := range 1500 {
			p := practice.Patient{Identity: practice.PatientIdentity{FirstName: "Bulk", LastName: fmt.Sprint(i), DOB: "1990-01-01", Sex: "F"}, Active: true}
			if err := tx.CreatePatient(&p); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, part := range []float64{0.01, 0.25, 0.5, 0.75, 0.99} {
		r := &replica{name: "T", dir: t.TempDir()}
		r.open(t)
		var keep int64
		err := a.db.Snapshot(ctx, func(f *os.File, size int64) error {
			keep = int64(float64(size)*part) / 4096 * 4096 // a whole number of pages
			return r.db.InstallSnapshot(ctx, a.db.PracticeID(), io.LimitReader(f, keep))
		})
		if err == nil || r.db.Exists() {
			t.Fatalf("a copy cut at %d bytes was installed (%v)", keep, err)
		}
		if left := testutil.FileNames(t, r.dir); slices.ContainsFunc(left, func(n string) bool { return strings.Contains(n, "joining") }) {
			t.Fatalf("a refused copy left %v", left)
		}
	}
	r, err := install(a.db.PracticeID())
	if err != nil {
		t.Fatal(err)
	}
	if r.deviceOrigin(t) == a.deviceOrigin(t) {
		t.Fatal("the new machine kept the other's device id")
	}
	assertSame(t, []*replica{a, r})
	if _, err := r.db.Unlock(ctx, "owner", ownerPassword); err != nil {
		t.Fatal(err)
	}
	p := addPatient(t, r, "New")
	converge(t, []*replica{a, r})
	if _, err := getPatient(t, a, p.ID); err != nil {
		t.Fatalf("a change made on the new machine was not taken for new: %v", err)
	}
}

func TestChangesOfANewerVersionAreRelayedThenMergedAfterUpgrade(t *testing.T) {
	ctx := context.Background()
	reps := newCluster(t, 2)
	a, b := reps[0], reps[1]
	future := store.Change{Origin: "newer-device", Epoch: "e1", Seq: 1, HLC: uint64(time.Now().UnixMilli()) << 16, Tx: "t1",
		Table: "newer_table", RowID: "r1", Group: "slot", Value: []byte(`["2026-03-09T09:00"]`), TxEnd: true}
	res, err := a.db.ApplyBatch(ctx, []store.Change{future}, nil)
	if err != nil || res.New != 1 {
		t.Fatalf("a change of an unknown table stopped sync: %+v %v", res, err)
	}
	converge(t, reps)
	if v, _ := b.db.Vector(ctx); v["newer-device/e1"] != 1 {
		t.Fatal("the change was not relayed")
	}
	// B upgrades: the migration brings the table, the schema knows it.
	if _, err := rawDB(t, b.dir).Exec("CREATE TABLE newer_table (id TEXT PRIMARY KEY, start TEXT, deleted INTEGER NOT NULL DEFAULT 0)"); err != nil {
		t.Fatal(err)
	}
	defer store.KnowTable("newer_table", map[string][]string{"slot": {"start"}})()
	b.db.Close()
	b.open(t)
	var start string
	if err := rawDB(t, b.dir).QueryRow("SELECT start FROM newer_table WHERE id = 'r1'").Scan(&start); err != nil || start != "2026-03-09T09:00" {
		t.Fatalf("after the upgrade the deferred change was not merged: %q %v", start, err)
	}
}

// One received transaction that breaks a constraint here must not stop the
// rest of the batch: before, the whole batch was refused on every retry and
// every machine's changes stopped behind it. Here B holds a stray audit row
// at the sequence A writes next (as an old restore could leave); A relays
// C's new patient in the same batch as its own audit entry. B takes C's
// patient, holds back A's entry with the constraint named, and takes it
// once the stray row is gone.
func TestOneCollidingTransactionHoldsBackOnlyItsStream(t *testing.T) {
	ctx := context.Background()
	reps := newCluster(t, 3)
	a, b, c := reps[0], reps[1], reps[2]
	converge(t, reps)
	aDevice := a.deviceOrigin(t)
	var next int64
	if err := rawDB(t, a.dir).QueryRow("SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log WHERE device = ?", aDevice).Scan(&next); err != nil {
		t.Fatal(err)
	}
	if _, err := rawDB(t, b.dir).Exec("INSERT INTO audit_log (id, device, seq, at, action) VALUES ('stray', ?, ?, '2020-01-01T00:00:00Z', 'stray')", aDevice, next); err != nil {
		t.Fatal(err)
	}
	fromC := addPatient(t, c, "FromC")
	syncAll(t, c, a)
	if err := a.db.Update(ctx, func(tx *store.Tx) error { return tx.Audit("owner", "patient.read", "patients", "p") }); err != nil {
		t.Fatal(err)
	}

	res, batch := syncOnce(t, a, b, 500, nil) // fails the test if the batch is refused
	if len(batch) == 0 {
		t.Fatal("A had nothing to send")
	}
	if len(res.HeldBack) != 1 {
		t.Fatalf("held back %+v, want A's audit transaction", res.HeldBack)
	}
	held := res.HeldBack[0]
	if held.Origin != aDevice || held.Table != "audit_log" || held.Reason != "UNIQUE constraint failed: audit_log.device, audit_log.seq" {
		t.Fatalf("held back %+v", held)
	}
	if _, err := getPatient(t, b, fromC.ID); err != nil {
		t.Fatalf("C's patient did not merge beside the held-back transaction: %v", err)
	}
	vb, err := b.db.Vector(ctx)
	if err != nil {
		t.Fatal(err)
	}
	va, err := a.db.Vector(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := va.Missing(vb); got == 0 {
		t.Fatal("B counts A's held-back entry as held: it would never be sent again")
	}

	if _, err := rawDB(t, b.dir).Exec("DELETE FROM audit_log WHERE id = 'stray'"); err != nil {
		t.Fatal(err)
	}
	res, _ = syncOnce(t, a, b, 500, nil)
	if len(res.HeldBack) != 0 || res.New == 0 {
		t.Fatalf("after the stray row went: %+v", res)
	}
	converge(t, reps)
	assertSame(t, reps)
}

// The vector is read by walking the change log's key from stream to
// stream; it must equal the highest seq of every stream as a GROUP BY over
// every change finds it, with machines' own streams, several origins and
// two epochs of one origin (a restored machine), read fresh after reopening.
func TestVectorWalkFindsEveryStream(t *testing.T) {
	ctx := context.Background()
	reps := newCluster(t, 3)
	a, b, c := reps[0], reps[1], reps[2]
	addTable(t, reps, "CREATE TABLE walk_test (id TEXT PRIMARY KEY, n INTEGER, deleted INTEGER NOT NULL DEFAULT 0)",
		"walk_test", map[string]store.TestGroup{"value": {Plain: []string{"n"}}})
	addPatient(t, b, "Bea")
	addPatient(t, c, "Cal")
	addPatient(t, c, "Cy")
	hlc := uint64(time.Now().UnixMilli()) << 16
	var foreign []store.Change
	for _, s := range []struct {
		origin, epoch string
		seqs          int
	}{{"aaaa", "e2", 2}, {"aaaa", "e1", 3}, {"zzzz", "e1", 1}} {
		for seq := 1; seq <= s.seqs; seq++ {
			hlc++
			foreign = append(foreign, store.Change{Origin: s.origin, Epoch: s.epoch, Seq: int64(seq), HLC: hlc, Tx: s.origin + s.epoch + fmt.Sprint(seq),
				Table: "walk_test", RowID: "w" + s.origin, Group: "value", Value: []byte(fmt.Sprintf("[%d]", seq)), TxEnd: true})
		}
	}
	if res, err := a.db.ApplyBatch(ctx, foreign, nil); err != nil || res.New != len(foreign) {
		t.Fatalf("applying the foreign streams: %+v %v", res, err)
	}
	syncAll(t, b, a)
	syncAll(t, c, a)
	a.db.Close()
	a.open(t)
	got, err := a.db.Vector(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := store.Vector{"aaaa/e1": 3, "aaaa/e2": 2, "zzzz/e1": 1}
	rows, err := rawDB(t, a.dir).Query("SELECT origin || '/' || epoch, MAX(seq) FROM changes GROUP BY origin, epoch")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		if w, ok := want[k]; ok && w != n {
			t.Fatalf("the log holds %s up to %d, the fixture says %d", k, n, w)
		}
		want[k] = n
	}
	if len(want) != 6 { // a's, b's and c's own streams and the three foreign ones
		t.Fatalf("the log holds %d streams: %v", len(want), want)
	}
	if !maps.Equal(got, want) {
		t.Fatalf("vector %v, the log holds %v", got, want)
	}
}

// The host's own writes go on while a new machine is sent its copy: enough
// of them during the transfer that SQLite checkpoints the WAL (its
// auto-checkpoint runs at 1,000 pages), yet the copy sent is the file as
// it was when the snapshot began, whole and consistent: it passes its
// integrity check on arrival and holds the patients of that moment, not
// part of the later ones; the host keeps every later write.
func TestSnapshotIsTheFileAsOfItsStartWhileTheHostWrites(t *testing.T) {
	ctx := context.Background()
	a := newCluster(t, 1)[0]
	addPatients := func(n int, name string) {
		t.Helper()
		mustWrite(t, a, func(tx *store.Tx) error {
			for i := range n {
				p := practice.Patient{Identity: practice.PatientIdentity{FirstName: name, LastName: fmt.Sprint(i), DOB: "1990-01-01", Sex: "F"},
					Active: true, Contact: practice.PatientContact{Address: practice.Address{Line1: strings.Repeat("Long Street ", 8)}}}
				if err := tx.CreatePatient(&p); err != nil {
					return err
				}
			}
			return nil
		})
	}
	addPatients(500, "Before")
	r := &replica{name: "S", dir: t.TempDir()}
	r.open(t)
	walPeak := int64(0)
	err := a.db.Snapshot(ctx, func(f *os.File, size int64) error {
		// Read half, write a lot, read the rest: a checkpoint that copied
		// the new pages into the file would tear the copy.
		half := make([]byte, size/2/4096*4096)
		if _, err := io.ReadFull(f, half); err != nil {
			return err
		}
		for range 6 {
			addPatients(400, "During")
			if st, err := os.Stat(filepath.Join(a.dir, store.FileName+"-wal")); err == nil {
				walPeak = max(walPeak, st.Size())
			}
		}
		return r.db.InstallSnapshot(ctx, a.db.PracticeID(), io.MultiReader(bytes.NewReader(half), f))
	})
	if err != nil {
		t.Fatal(err)
	}
	if walPeak < 1000*4096 {
		t.Fatalf("the writes during the transfer grew the WAL to %d bytes only: no checkpoint was due", walPeak)
	}
	if _, err := r.db.Unlock(ctx, "owner", ownerPassword); err != nil {
		t.Fatal(err)
	}
	count := func(rep *replica, first string) int {
		var n int
		if err := rep.db.View(ctx, func(tx *store.Tx) error {
			list, err := tx.Patients()
			for _, p := range list {
				if p.Identity.FirstName == first {
					n++
				}
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if before, during := count(r, "Before"), count(r, "During"); before != 500 || during != 0 {
		t.Fatalf("the copy holds %d patients from before the snapshot (want 500) and %d written during it (want 0)", before, during)
	}
	if during := count(a, "During"); during != 2400 {
		t.Fatalf("the host kept %d of the 2,400 patients written during the transfer", during)
	}
}
