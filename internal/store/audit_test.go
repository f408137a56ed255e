package store_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// auditThree writes three audit entries on r's machine and returns them in
// chain order.
func auditThree(t *testing.T, r *replica) {
	t.Helper()
	ctx := context.Background()
	p := addPatient(t, r, "Audrey")
	if err := r.db.Update(ctx, func(tx *store.Tx) error {
		for _, action := range []string{"patient.create", "patient.read", "patient.update"} {
			if err := tx.Audit("acct-1", action, "patients", p.ID); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// wantFail runs VerifyAudit and expects its message to hold every fragment.
func wantFail(t *testing.T, db *store.DB, fragments []string, against ...string) {
	t.Helper()
	rep, err := db.VerifyAudit(context.Background(), against...)
	if err == nil {
		t.Fatalf("tampered trail verified: %s", rep.Proved())
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("verify said %q, want it to name %q", err, f)
		}
	}
}

func mustVerify(t *testing.T, db *store.DB, entries int, keyed bool, against ...string) store.AuditReport {
	t.Helper()
	rep, err := db.VerifyAudit(context.Background(), against...)
	if err != nil {
		t.Fatalf("intact trail: %v", err)
	}
	if rep.Entries != entries || rep.Keyed != keyed {
		t.Fatalf("report %+v, want %d entries, keyed %v", rep, entries, keyed)
	}
	return rep
}

func execAll(t *testing.T, raw *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := raw.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// forge rewrites the chain of device from entry `from` on the way an
// attacker without the practice key can: every later hash recomputed (here
// SHA-256 of the fields), every link and the checkpoint made to match.
func forge(t *testing.T, raw *sql.DB, device string, from int64) {
	t.Helper()
	var prev string
	if err := raw.QueryRow("SELECT hash FROM audit_log WHERE device = ? AND seq = ?", device, from-1).Scan(&prev); err != nil && from > 1 {
		t.Fatal(err)
	}
	rows, err := raw.Query("SELECT seq, at, account_id, action, tbl, record_id FROM audit_log WHERE device = ? AND seq >= ? ORDER BY seq", device, from)
	if err != nil {
		t.Fatal(err)
	}
	type entry struct {
		seq    int64
		fields string
	}
	var es []entry
	for rows.Next() {
		var e entry
		var at, acct, action, tbl, rec string
		if err := rows.Scan(&e.seq, &at, &acct, &action, &tbl, &rec); err != nil {
			t.Fatal(err)
		}
		e.fields = strings.Join([]string{at, acct, action, tbl, rec}, "|")
		es = append(es, e)
	}
	rows.Close()
	for _, e := range es {
		sum := sha256.Sum256([]byte(prev + e.fields))
		h := hex.EncodeToString(sum[:])
		execAll(t, raw, "UPDATE audit_log SET prev_hash = '"+prev+"', hash = '"+h+"' WHERE device = '"+device+"' AND seq = "+strconv.FormatInt(e.seq, 10))
		execAll(t, raw, "UPDATE audit_heads SET seq = "+strconv.FormatInt(e.seq, 10)+", mac = '"+h+"' WHERE id = '"+device+"'")
		prev = h
	}
}

func TestAuditChainIntactSaysWhatItProved(t *testing.T) {
	reps := newCluster(t, 2)
	a, b := reps[0], reps[1]
	auditThree(t, a)
	syncAll(t, a, b)
	rep := mustVerify(t, a.db, 3, true, b.dir)
	if rep.Devices != 1 || rep.Against != 1 || rep.Checkpoints != 2 {
		t.Fatalf("report %+v, want 1 device, 1 other copy, 2 checkpoints (A's own and B's copy of it)", rep)
	}
	if p := rep.Proved(); !strings.Contains(p, "Every MAC was recomputed") || strings.Contains(p, "Structure only") {
		t.Errorf("keyed report says %q", p)
	}
	// Without the password only the structure can be checked, and it says so.
	a.db = reopen(t, a.db, a.dir)
	rep = mustVerify(t, a.db, 3, false)
	if p := rep.Proved(); !strings.Contains(p, "Structure only") || !strings.Contains(p, "Compared with no other machine") {
		t.Errorf("report without key says %q", p)
	}
}

func TestAuditEditWithEveryHashRecomputedFails(t *testing.T) {
	r := newCluster(t, 1)[0]
	auditThree(t, r)
	dev := r.deviceOrigin(t)
	raw := rawDB(t, r.dir)
	execAll(t, raw, "UPDATE audit_log SET action = 'patient.search' WHERE device = '"+dev+"' AND seq = 2")
	forge(t, raw, dev, 2)
	// The structure is consistent again: without the key it passes, and the
	// report says that is all it checked.
	locked := reopen(t, r.db, r.dir)
	if rep := mustVerify(t, locked, 3, false); !strings.Contains(rep.Proved(), "Structure only") {
		t.Fatalf("report %q", rep.Proved())
	}
	if _, err := locked.Unlock(context.Background(), "owner", ownerPassword); err != nil {
		t.Fatal(err)
	}
	wantFail(t, locked, []string{"device " + dev[:12], "entry 2 was altered"})
}

func TestAuditRemovedNewestEntryCaughtAgainstAnotherMachine(t *testing.T) {
	reps := newCluster(t, 2)
	a, b := reps[0], reps[1]
	auditThree(t, a)
	syncAll(t, a, b)
	dev := a.deviceOrigin(t)
	raw := rawDB(t, a.dir)
	// Only the entry: this file's own checkpoint catches it.
	execAll(t, raw, "DELETE FROM audit_log WHERE device = '"+dev+"' AND seq = 3")
	wantFail(t, a.db, []string{"device " + dev[:12], "ends at entry 2", "checkpoints entry 3"})
	// The checkpoint rolled back too: consistent here, caught against B.
	var mac2 string
	if err := raw.QueryRow("SELECT hash FROM audit_log WHERE device = ? AND seq = 2", dev).Scan(&mac2); err != nil {
		t.Fatal(err)
	}
	execAll(t, raw, "UPDATE audit_heads SET seq = 2, mac = '"+mac2+"' WHERE id = '"+dev+"'")
	mustVerify(t, a.db, 2, true)
	wantFail(t, a.db, []string{"device " + dev[:12], "ends at entry 2", b.dir, "checkpoints entry 3"}, b.dir)
}

func TestAuditDeletedDeviceChainFails(t *testing.T) {
	reps := newCluster(t, 2)
	a, b := reps[0], reps[1]
	auditThree(t, b)
	syncAll(t, b, a)
	mustVerify(t, a.db, 3, true)
	devB := b.deviceOrigin(t)
	raw := rawDB(t, a.dir)
	execAll(t, raw, "DELETE FROM audit_log WHERE device = '"+devB+"'")
	wantFail(t, a.db, []string{"device " + devB[:12], "whole chain is missing", "checkpoints its entry 3"})
	// Its checkpoint deleted as well: caught against B's copy.
	execAll(t, raw, "DELETE FROM audit_heads WHERE id = '"+devB+"'")
	wantFail(t, a.db, []string{"device " + devB[:12], "whole chain is missing"}, b.dir)
}

func TestAuditReorderedPairFails(t *testing.T) {
	r := newCluster(t, 1)[0]
	auditThree(t, r)
	dev := r.deviceOrigin(t)
	raw := rawDB(t, r.dir)
	execAll(t, raw,
		"UPDATE audit_log SET seq = -1 WHERE device = '"+dev+"' AND seq = 1",
		"UPDATE audit_log SET seq = 1 WHERE device = '"+dev+"' AND seq = 2",
		"UPDATE audit_log SET seq = 2 WHERE device = '"+dev+"' AND seq = -1")
	wantFail(t, r.db, []string{"device " + dev[:12], "entry 1 does not link"})
}

func TestFailedLoginsAreAudited(t *testing.T) {
	ctx := context.Background()
	db, dir, owner := newPractice(t)
	db = reopen(t, db, dir) // no key loaded: as the command line starts
	for i := 0; i < 2; i++ {
		if _, err := db.Unlock(ctx, "owner", "not the password"); code(err) != practice.EWrongPassword {
			t.Fatalf("wrong password: %v", err)
		}
	}
	if _, err := db.Unlock(ctx, "nobody", "x"); code(err) != practice.EWrongPassword {
		t.Fatalf("unknown user: %v", err)
	}
	if n, err := db.RecentLoginFailures(ctx, "Owner", 15*time.Minute); err != nil || n != 2 {
		t.Fatalf("recent failures for owner = %d, %v; want 2", n, err)
	}
	if _, err := db.Unlock(ctx, "owner", ownerPassword); err != nil {
		t.Fatal(err)
	}
	var got []store.AuditEntry
	if err := db.View(ctx, func(tx *store.Tx) error {
		var err error
		got, err = tx.AuditEntries(store.AuditQuery{Action: "login.failed"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d login.failed entries, want 3", len(got))
	}
	byAccount := map[string]int{}
	for _, e := range got {
		byAccount[e.AccountID]++
	}
	if byAccount[owner.ID] != 2 || byAccount[""] != 1 {
		t.Errorf("login.failed by account %v, want 2 for the owner and 1 unknown", byAccount)
	}
	if n, _ := db.RecentLoginFailures(ctx, "owner", 15*time.Minute); n != 0 {
		t.Errorf("after a successful login %d failures still count", n)
	}
	mustVerify(t, db, 3, true)
	// With the key loaded (the lock screen) a failure is chained at once.
	if _, err := db.Unlock(ctx, "owner", "wrong again"); code(err) != practice.EWrongPassword {
		t.Fatal(err)
	}
	mustVerify(t, db, 4, true)
}
