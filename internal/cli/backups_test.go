package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/backups"
	"quietdesk/internal/cli"
	"quietdesk/internal/testutil"
)

// TestBackupFolderNowAndDrill: the nightly backup's commands on the small
// demo, with the folder stopped, then through a running hub (which holds
// the folder and so is the machine that backs up).
func TestBackupFolderNowAndDrill(t *testing.T) {
	dir, _ := demoDir(t)
	folder := t.TempDir()

	t.Run("ErrRelativeFolder", func(t *testing.T) {
		code, out, errOut := run(t, "backup", "folder", "--data-dir", dir, "--folder", "backups")
		if code != 1 || out != "" || !strings.Contains(errOut, `"backups" is relative`) {
			t.Fatalf("exit %d %q %q", code, out, errOut)
		}
		if _, err := os.Stat("backups"); !os.IsNotExist(err) {
			t.Fatal("a relative folder was created")
		}
	})
	t.Run("ErrDrillWithoutFolder", func(t *testing.T) {
		code, _, errOut := run(t, "backup", "drill", "--data-dir", dir)
		if code != 1 || !strings.Contains(errOut, "No backup folder is chosen yet") {
			t.Fatalf("exit %d %q", code, errOut)
		}
	})
	t.Run("Stopped", func(t *testing.T) {
		if code, out, errOut := run(t, "backup", "folder", "--data-dir", dir, "--folder", folder); code != 0 || !strings.Contains(out, folder) {
			t.Fatalf("folder: exit %d %q %q", code, out, errOut)
		}
		code, out, errOut := run(t, "backup", "now", "--data-dir", dir)
		name := backups.FileName(time.Now())
		if code != 0 || !strings.Contains(out, "Backed up and checked: "+name) {
			t.Fatalf("now: exit %d %q %q", code, out, errOut)
		}
		code, out, errOut = run(t, "backup", "drill", "--data-dir", dir)
		// The small demo: its staff, 600 patients, their appointments.
		if code != 0 || !strings.Contains(out, "drill passed: "+name) || !strings.Contains(out, "patients 600") {
			t.Fatalf("drill: exit %d %q %q", code, out, errOut)
		}
	})
	t.Run("ThroughTheHub", func(t *testing.T) {
		os.Remove(filepath.Join(folder, backups.FileName(time.Now())))
		ctx, stop := context.WithCancel(context.Background())
		var stdout, stderr testutil.Buffer
		exited := make(chan int, 1)
		go func() {
			exited <- cli.Run(ctx, []string{"hub", "--data-dir", dir, "--listen", "127.0.0.1:0", "--beacon", "0"}, "test", &stdout, &stderr)
		}()
		waitFor(t, &stderr, "hub running")
		defer func() {
			stop()
			if c := <-exited; c != 0 {
				t.Fatalf("hub exited %d:\n%s", c, stderr.String())
			}
		}()
		if code, _, errOut := run(t, "backup", "folder", "--data-dir", dir, "--folder", filepath.Join(folder, "gone")); code != 1 || !strings.Contains(errOut, "does not exist") {
			t.Fatalf("a missing folder through the hub: exit %d %q", code, errOut)
		}
		if code, out, errOut := run(t, "backup", "now", "--data-dir", dir); code != 0 || !strings.Contains(out, "Backed up and checked") {
			t.Fatalf("now: exit %d %q %q", code, out, errOut)
		}
		if code, out, errOut := run(t, "backup", "drill", "--data-dir", dir); code != 0 || !strings.Contains(out, "patients 600") {
			t.Fatalf("drill: exit %d %q %q", code, out, errOut)
		}
	})
}
