package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"quietdesk/internal/practice"
)

// A failed login is audited as login.failed. While the practice key is
// loaded (a wrong password on the lock screen) the entry is written at
// once; otherwise no MAC can be made, so the failure is kept in the local
// login_failures table and chained into the trail, with its own time, at
// the next unlock on this machine.

// loginFailed audits a failed login and returns the error to show.
func (db *DB) loginFailed(ctx context.Context, username, accountID string) error {
	if err := db.recordLoginFailure(ctx, username, accountID); err != nil {
		db.log.Error("a failed login could not be audited", "err", err)
	}
	return errWrongLogin
}

// recordLoginFailure notes a wrong password (or unknown username) for
// username; accountID is "" when no account has that username.
func (db *DB) recordLoginFailure(ctx context.Context, username, accountID string) error {
	if db.auditMACKey() != nil {
		return db.Update(ctx, func(tx *Tx) error { return tx.Audit(accountID, "login.failed", "accounts", accountID) })
	}
	_, err := db.sql.ExecContext(ctx, "INSERT INTO login_failures (at, login, account_id) VALUES (?, ?, ?)",
		db.now().UTC().Format(time.RFC3339Nano), loginHash(db.practiceID, strings.TrimSpace(username)), accountID)
	return err
}

// chainLoginFailures moves the failures recorded without a key into the
// audit trail; it runs right after a successful unlock.
func (db *DB) chainLoginFailures(ctx context.Context) error {
	var pending bool
	if err := db.sql.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM login_failures)").Scan(&pending); err != nil || !pending {
		return err
	}
	return db.Update(ctx, func(tx *Tx) error {
		type failure struct {
			id      int64
			at      string
			account string
		}
		var fs []failure
		if err := tx.rowsOf("SELECT id, at, account_id FROM login_failures ORDER BY id", nil, func(rows *sql.Rows) error {
			var f failure
			err := rows.Scan(&f.id, &f.at, &f.account)
			fs = append(fs, f)
			return err
		}); err != nil {
			return err
		}
		for _, f := range fs {
			at, err := time.Parse(time.RFC3339Nano, f.at)
			if err != nil {
				return fmt.Errorf("store: login failure %d: %w", f.id, err)
			}
			if err := tx.audit(AuditEntry{At: at, AccountID: f.account, Action: "login.failed", Table: "accounts", RecordID: f.account}); err != nil {
				return err
			}
		}
		_, err := tx.exec("DELETE FROM login_failures")
		return err
	})
}

// RecentLoginFailures counts the failed logins for username on this
// machine within window that are not yet chained (no successful unlock
// since): the command line waits longer after each.
func (db *DB) RecentLoginFailures(ctx context.Context, username string, window time.Duration) (int, error) {
	if db.sql == nil {
		return 0, nil
	}
	var n int
	err := db.sql.QueryRowContext(ctx, "SELECT count(*) FROM login_failures WHERE login = ? AND at >= ?",
		loginHash(db.practiceID, strings.TrimSpace(username)), db.now().Add(-window).UTC().Format(time.RFC3339Nano)).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, err
}

// backoffWindow is how far back failed logins count toward the back-off
// of the logins the window's own guard does not see: the command line's,
// each command a new process.
const backoffWindow = 15 * time.Minute

// AwaitBackoff waits out the back-off that username's recent failed logins
// on this machine earned (practice.LoginDelay), or until ctx ends.
func (db *DB) AwaitBackoff(ctx context.Context, username string) error {
	n, err := db.RecentLoginFailures(ctx, username, backoffWindow)
	if err != nil {
		return err
	}
	if d := practice.LoginDelay(n); d > 0 {
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
