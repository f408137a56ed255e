package app

import (
	"quietdesk/internal/backups"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Backups is the facade for backing the practice up to a file and
// restoring one (the owner's), and for restoring over a database that
// cannot be read (Session.RestoreDamaged, before anyone can log in).
type Backups struct{ c *Core }

// NewBackups binds the backups facade to core.
func NewBackups(c *Core) *Backups { return &Backups{c: c} }

// backupFilter is what the file dialogs offer. The suggested name carries
// the date only: a file name never names the practice or a patient.
const (
	backupFilterName = "Quietdesk backups"
	backupPattern    = "*.qdbackup"
)

// Backup writes a copy of the practice (as sealed as the database) to a
// file the owner chooses; "" when they cancelled. Audited.
func (b *Backups) Backup() (string, error) {
	const m = "Backups.Backup"
	c := b.c
	sess, err := c.begin(m)
	if err != nil {
		return "", c.fail(m, err)
	}
	name := "quietdesk-backup-" + c.now().Format("2006-01-02") + ".qdbackup"
	path, err := c.dialogs.SaveFile("Back up the practice", name, backupFilterName, backupPattern)
	if err != nil || path == "" {
		return "", c.fail(m, err)
	}
	if err := c.db.Backup(c.ctx(), path); err != nil {
		return "", c.fail(m, err)
	}
	if err := c.update(func(tx *store.Tx) error { return tx.Audit(sess.account.ID, "backup.create", "", "") }); err != nil {
		return "", c.fail(m, err)
	}
	return path, nil
}

// Nightly is the status of the nightly backups: the folder, the computer
// that makes them, the retention, the last result and the kept backups.
func (b *Backups) Nightly() (backups.Status, error) {
	const m = "Backups.Nightly"
	c := b.c
	if _, err := c.begin(m); err != nil {
		return backups.Status{}, c.fail(m, err)
	}
	st, err := backups.StatusOf(c.ctx(), c.db)
	return st, c.fail(m, err)
}

// ChooseFolder makes folder, on this computer, where the nightly backups
// go; this computer then makes them. Audited.
func (b *Backups) ChooseFolder(folder string) (backups.Status, error) {
	const m = "Backups.ChooseFolder"
	c := b.c
	sess, err := c.begin(m)
	if err != nil {
		return backups.Status{}, c.fail(m, err)
	}
	if err := backups.Choose(c.ctx(), c.db, folder); err != nil {
		return backups.Status{}, c.fail(m, err)
	}
	if err := c.update(func(tx *store.Tx) error { return tx.Audit(sess.account.ID, "backup.folder", "", "") }); err != nil {
		return backups.Status{}, c.fail(m, err)
	}
	st, err := backups.StatusOf(c.ctx(), c.db)
	return st, c.fail(m, err)
}

// BackUpNow makes the nightly backup at once, into the chosen folder, on
// the computer that holds it. A failure is recorded and alerted as at
// night. Audited.
func (b *Backups) BackUpNow() (backups.Status, error) {
	const m = "Backups.BackUpNow"
	c := b.c
	sess, err := c.begin(m)
	if err != nil {
		return backups.Status{}, c.fail(m, err)
	}
	if _, err := backups.Now(c.ctx(), c.db, c.now()); err != nil {
		return backups.Status{}, c.fail(m, err)
	}
	if err := c.update(func(tx *store.Tx) error { return tx.Audit(sess.account.ID, "backup.create", "", "") }); err != nil {
		return backups.Status{}, c.fail(m, err)
	}
	st, err := backups.StatusOf(c.ctx(), c.db)
	return st, c.fail(m, err)
}

// RestoreResult says what a restore did, in words for the person.
type RestoreResult struct {
	Restored bool   `json:"restored"` // false: the person cancelled
	Message  string `json:"message"`
}

// Restore replaces this computer's practice data with a backup of the same
// practice the owner chooses. Changes made here that the backup lacks are
// kept (merged back, as sync would); other computers then send what they
// hold. Everyone is signed out, since accounts and passwords are now as
// the backup had them. A file that is not a sound backup of this practice
// is refused with the reason, and nothing changes.
func (b *Backups) Restore() (RestoreResult, error) {
	const m = "Backups.Restore"
	c := b.c
	sess, err := c.begin(m)
	if err != nil {
		return RestoreResult{}, c.fail(m, err)
	}
	path, err := c.dialogs.OpenFile("Restore a backup", backupFilterName, backupPattern)
	if err != nil || path == "" {
		return RestoreResult{}, c.fail(m, err)
	}
	// Sync pauses while the file is swapped, so no batch is merged into
	// the database being replaced.
	if c.sync != nil {
		c.sync.Stop()
		defer c.StartSync(c.ctx())
	}
	if err := c.db.Restore(c.ctx(), path, c.after); err != nil {
		return RestoreResult{}, c.fail(m, err)
	}
	// The restored file's audit chain continues on this machine's new
	// device id; the restore is its first entry.
	if err := c.update(func(tx *store.Tx) error { return tx.Audit(sess.account.ID, "backup.restore", "", "") }); err != nil {
		c.log.Error("audit restore", "err", err)
	}
	NewSession(c).Logout()
	return RestoreResult{Restored: true,
		Message: "The backup was restored. Changes made on this computer since the backup were kept, and the other computers will send theirs. Sign in again."}, nil
}

// RestoreDamaged restores a backup over a database that cannot be read,
// the remedy its message advises; it runs without a login because no one
// can log in to a database that cannot be read. The damaged file is kept
// aside whole (never deleted), and a file that is not a sound backup is
// refused with the same message as anywhere else. Quietdesk must then be
// opened again, so the window starts on the restored practice.
func (s *Session) RestoreDamaged() (RestoreResult, error) {
	c := s.c
	if practice.ErrorCode(c.problem) != practice.EDamaged {
		return RestoreResult{}, c.fail("Session.RestoreDamaged", practice.Errorf(practice.EConflict,
			"The practice's database can be read, so there is nothing to restore over. Sign in and use Settings → Backups."))
	}
	path, err := c.dialogs.OpenFile("Restore a backup", backupFilterName, backupPattern)
	if err != nil || path == "" {
		return RestoreResult{}, c.fail("Session.RestoreDamaged", err)
	}
	db, err := c.openForRestore()
	if err != nil {
		return RestoreResult{}, c.fail("Session.RestoreDamaged", err)
	}
	defer db.Close()
	if err := db.Restore(c.ctx(), path, c.after); err != nil {
		return RestoreResult{}, c.fail("Session.RestoreDamaged", err)
	}
	return RestoreResult{Restored: true,
		Message: "The backup was restored; the damaged database was kept aside in the data folder. Close Quietdesk and open it again to sign in."}, nil
}
