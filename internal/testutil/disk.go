//go:build linux || darwin

package testutil

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
)

// Disk-full tests run the real thing on a small tmpfs that fills up: a
// real ENOSPC at a real point of a write, no injected error.

// SmallDisk mounts a tmpfs of size bytes for one test. It needs root,
// which CI has; elsewhere the test is skipped with the reason.
func SmallDisk(t *testing.T, size int64) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a small tmpfs that fills up (CI runs as root)")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+strconv.FormatInt(size, 10), "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// FillLeaving writes a filler file so that only free bytes stay free.
func FillLeaving(t *testing.T, disk string, free int64) {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(disk, &st); err != nil {
		t.Fatal(err)
	}
	avail := int64(st.Bavail) * int64(st.Bsize)
	if avail <= free {
		return
	}
	f, err := os.Create(filepath.Join(disk, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 1<<16)
	for left := avail - free; left > 0; left -= int64(len(chunk)) {
		if left < int64(len(chunk)) {
			chunk = chunk[:left]
		}
		if _, err := f.Write(chunk); err != nil {
			return // full already
		}
	}
}

// EmptyDisk removes everything on the tmpfs.
func EmptyDisk(t *testing.T, disk string) {
	t.Helper()
	for _, name := range FileNames(t, disk) {
		if err := os.RemoveAll(filepath.Join(disk, name)); err != nil {
			t.Fatal(err)
		}
	}
}
