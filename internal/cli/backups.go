package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"quietdesk/internal/backups"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// The nightly backups' commands. Each works on a stopped folder or asks
// the hub running on it (the hub holds the folder), like `backup --to`.

// backupFolder chooses the folder nightly backups go to, on this machine:
// how a hub becomes the machine that makes them.
func backupFolder(ctx context.Context, args []string, opts store.Options, stdout io.Writer) error {
	fs, dir := newFlags("backup folder")
	folder := fs.String("folder", "", "the folder backups go to (a whole path)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if strings.ContainsAny(*folder, "\r\n") {
		return usageError("--folder must be on one line")
	}
	if err := backups.CheckFolder(*folder); err != nil {
		return err
	}
	_, err := onFolder(ctx, *dir, opts, "backup-folder "+*folder, func(db *store.DB) (string, error) {
		return "", backups.Choose(ctx, db, *folder)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "nightly backups go to %s, made by this machine\n", filepath.Clean(*folder))
	return nil
}

// backupNow makes the nightly backup at once: written, checked, pruned.
func backupNow(ctx context.Context, args []string, opts store.Options, stdout io.Writer) error {
	fs, dir := newFlags("backup now")
	if err := parse(fs, args); err != nil {
		return err
	}
	msg, err := onFolder(ctx, *dir, opts, "backup-now", func(db *store.DB) (string, error) {
		return backupNowOn(ctx, db)
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, msg)
	return nil
}

// backupDrill restores the newest backup into a temporary folder and says
// what it found there.
func backupDrill(ctx context.Context, args []string, opts store.Options, stdout io.Writer) error {
	fs, dir := newFlags("backup drill")
	if err := parse(fs, args); err != nil {
		return err
	}
	msg, err := onFolder(ctx, *dir, opts, "backup-drill", func(db *store.DB) (string, error) {
		return drill(ctx, db)
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, msg)
	return nil
}

// backupNowOn backs up now (the machine's clock names the file) and
// returns what happened in words.
func backupNowOn(ctx context.Context, db *store.DB) (string, error) {
	s, err := backups.Now(ctx, db, time.Now())
	return s.LastMessage, err
}

// drill runs the restore drill on the folder chosen for db's practice.
func drill(ctx context.Context, db *store.DB) (string, error) {
	s, err := backups.Settings(ctx, db)
	if err != nil {
		return "", err
	}
	if s.Folder == "" {
		return "", practice.Errorf(practice.ENotFound, "No backup folder is chosen yet: run `quietdesk backup folder` or use Settings → Backups.")
	}
	rep, err := backups.Drill(ctx, s.Folder, db.PracticeID())
	if err != nil {
		return "", err
	}
	counts := make([]string, len(rep.Counts))
	for i, c := range rep.Counts {
		counts[i] = fmt.Sprintf("%s %d", c.Table, c.Rows)
	}
	return fmt.Sprintf("drill passed: %s restored into a temporary folder, opened and checked in %s; it holds %s",
		rep.File, rep.Took.Round(time.Millisecond), strings.Join(counts, ", ")), nil
}

// onFolder runs fn on the practice in dir, or sends command to the hub
// running there, and returns the one-line answer.
func onFolder(ctx context.Context, dir string, opts store.Options, command string, fn func(db *store.DB) (string, error)) (string, error) {
	db, err := openExisting(dir, opts)
	if busy(err) {
		return askHub(dir, command)
	}
	if err != nil {
		return "", err
	}
	defer db.Close()
	return fn(db)
}
