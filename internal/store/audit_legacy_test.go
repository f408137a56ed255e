package store_test

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"quietdesk/internal/store"
)

// The fixture testdata/legacy-audit-v1.db.gz is a real database written by
// the version before the keyed audit trail (commit e5453a1, the parent of
// 8814967): its store code made a practice on machine A (owner password
// ownerPassword), A and B each wrote audit entries and synced, and A's file
// was kept. A holds 4 of its own entries and 2 of B's, all with the unkeyed
// SHA-256 link, no checkpoints, and a schema before migration 0004.
const legacyDevA, legacyDevB = "01a23190-4d9b-7454-9a79-ff0fd33cf9df", "01a23190-4e71-7c39-82ea-21ecdd4a3c4e"

func openLegacyFixture(t *testing.T) (string, *store.DB) {
	t.Helper()
	f, err := os.Open("testdata/legacy-audit-v1.db.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out, err := os.OpenFile(filepath.Join(dir, store.FileName), os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		t.Fatal(err)
	}
	out.Close()
	db, err := store.Open(dir, store.Options{AppVersion: "test"}) // runs migrations 0004 onwards
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return dir, db
}

// v1Hash is the old version's link (its chainHash), recomputed here the way
// someone who can write the file could.
func v1Hash(prev, device string, seq int64, at, account, action, tbl, record string) string {
	h := sha256.New()
	for _, s := range []string{"quietdesk/audit/v1", prev, device, strconv.FormatInt(seq, 10), at, account, action, tbl, record} {
		fmt.Fprintf(h, "%d:%s;", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// rehashV1 rewrites device's chain from entry `from` with the unkeyed
// formula (and its checkpoint, if it has one), as a tamperer would.
func rehashV1(t *testing.T, raw *sql.DB, device string, from int64) {
	t.Helper()
	var prev string
	if from > 1 {
		if err := raw.QueryRow("SELECT hash FROM audit_log WHERE device = ? AND seq = ?", device, from-1).Scan(&prev); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := raw.Query("SELECT seq, at, account_id, action, tbl, record_id FROM audit_log WHERE device = ? AND seq >= ? ORDER BY seq", device, from)
	if err != nil {
		t.Fatal(err)
	}
	type entry struct {
		seq                           int64
		at, account, action, tbl, rec string
	}
	var es []entry
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.seq, &e.at, &e.account, &e.action, &e.tbl, &e.rec); err != nil {
			t.Fatal(err)
		}
		es = append(es, e)
	}
	rows.Close()
	for _, e := range es {
		h := v1Hash(prev, device, e.seq, e.at, e.account, e.action, e.tbl, e.rec)
		if _, err := raw.Exec("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE device = ? AND seq = ?", prev, h, device, e.seq); err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec("UPDATE audit_heads SET seq = ?, mac = ? WHERE id = ?", e.seq, h, device); err != nil {
			t.Fatal(err)
		}
		prev = h
	}
}

// TestLegacyUnkeyedChainVerifiesAndContinuesKeyed: a database from before
// the keyed trail still verifies after the upgrade, with and without the
// password, and says what it proved of the old part; the next entry is
// keyed and covers the old chain's last hash, so an edit of the old part
// made after the upgrade is caught, and so is a keyed chain rewritten with
// the unkeyed formula.
func TestLegacyUnkeyedChainVerifiesAndContinuesKeyed(t *testing.T) {
	ctx := context.Background()
	dir, db := openLegacyFixture(t)
	if got := db.DeviceID(); got != legacyDevA {
		t.Fatalf("fixture device %s, want %s", got, legacyDevA)
	}

	// Before anyone logs in: the structure and the unkeyed hashes.
	rep := mustVerify(t, db, 6, false)
	if rep.Legacy != 6 || rep.LegacyOpen != 6 || rep.Sealed != 0 || rep.Devices != 2 {
		t.Fatalf("report %+v, want 6 legacy entries on 2 chains, none covered by a keyed entry yet", rep)
	}
	if p := rep.Proved(); !strings.Contains(p, "before the trail was keyed") || !strings.Contains(p, "only the structure is proven") {
		t.Errorf("report %q does not say what it proved of the old entries", p)
	}

	// Logged in: the same, keyed (no keyed entry exists yet).
	if _, err := db.Unlock(ctx, "owner", ownerPassword); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, db, 6, true)

	// New entries continue A's chain, keyed, with a checkpoint.
	if err := db.Update(ctx, func(tx *store.Tx) error {
		for _, a := range []string{"patient.read", "patient.update"} {
			if err := tx.Audit("acct-1", a, "patients", "p-1"); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	rep = mustVerify(t, db, 8, true)
	if rep.Legacy != 6 || rep.Sealed != 4 || rep.LegacyOpen != 2 || rep.Checkpoints != 1 {
		t.Fatalf("report %+v, want A's 4 old entries covered by its keyed ones, B's 2 still open, A's checkpoint checked", rep)
	}
	if p := rep.Proved(); !strings.Contains(p, "4 of them are covered by the keyed entry that follows them") {
		t.Errorf("report %q", p)
	}
	raw := rawDB(t, dir)
	var prev, mac string
	var oldLast string
	if err := raw.QueryRow("SELECT hash FROM audit_log WHERE device = ? AND seq = 4", legacyDevA).Scan(&oldLast); err != nil {
		t.Fatal(err)
	}
	if err := raw.QueryRow("SELECT prev_hash, hash FROM audit_log WHERE device = ? AND seq = 5", legacyDevA).Scan(&prev, &mac); err != nil {
		t.Fatal(err)
	}
	if prev != oldLast {
		t.Fatalf("the first keyed entry links to %s, want the old chain's last hash %s", prev, oldLast)
	}
	// The unkeyed formula does not give entry 5's MAC: it is keyed.
	var at, acct, action, tbl, rec string
	raw.QueryRow("SELECT at, account_id, action, tbl, record_id FROM audit_log WHERE device = ? AND seq = 5", legacyDevA).Scan(&at, &acct, &action, &tbl, &rec)
	if v1Hash(prev, legacyDevA, 5, at, acct, action, tbl, rec) == mac {
		t.Fatal("the entry written after the upgrade carries the unkeyed hash")
	}

	// An old entry edited now, every unkeyed hash recomputed: the keyed
	// entry after it no longer matches.
	t.Run("old entry edited after the upgrade", func(t *testing.T) {
		if _, err := raw.Exec("UPDATE audit_log SET action = 'patient.search' WHERE device = ? AND seq = 2", legacyDevA); err != nil {
			t.Fatal(err)
		}
		rehashV1(t, raw, legacyDevA, 2)
		// rehashV1 went on through entries 5 and 6 too: put them back,
		// relinking 5 to the forged 4 as a careful tamperer would.
		var forged4 string
		raw.QueryRow("SELECT hash FROM audit_log WHERE device = ? AND seq = 4", legacyDevA).Scan(&forged4)
		raw.Exec("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE device = ? AND seq = 5", forged4, mac, legacyDevA)
		wantFail(t, db, []string{"device " + legacyDevA[:12], "entry 5 was altered"})
	})
	// The whole keyed chain rewritten unkeyed, checkpoint included.
	t.Run("keyed chain rewritten unkeyed", func(t *testing.T) {
		rehashV1(t, raw, legacyDevA, 1)
		wantFail(t, db, []string{"device " + legacyDevA[:12], "checkpoints entry 6, which carries an unkeyed hash"})
		locked := reopen(t, db, dir)
		wantFail(t, locked, []string{"checkpoints entry 6, which carries an unkeyed hash"})
	})
}
